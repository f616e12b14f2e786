import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSalesforceReport, parseLocaleTimestamp, toId18 } from '../../../ingest/salesforce/index.js';
import { NOW, ONE_PROGRAM, scratch, type Scratch } from '../canonical-csv/helpers.js';

const FIXTURE = 'tests/fixtures/salesforce/report1710795900123.csv';
const NEW_YORK = { timeZone: 'America/New_York' };

describe('loadSalesforceReport', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('lands contacts with 18-character ids and quarantines bad rows; the report footer is not data', async () => {
    const report = await loadSalesforceReport(s.wh, {
      file: FIXTURE,
      config: ONE_PROGRAM,
      now: NOW,
      settings: NEW_YORK,
    });
    // 6 data rows (the 6 footer records are dropped): row 3 has a D/M date in an M/D export, row 4 repeats
    // row 1's contact in its 15-character form, row 5 has no Contact ID, row 6's id has a wrong checksum.
    expect(report).toMatchObject({ table: 'customers', status: 'loaded', read: 6, loaded: 2, quarantined: 4 });
    expect(report.reasons).toEqual({ invalid_timestamp: 1, duplicate_key: 1, missing_value: 1, invalid_enum: 1 });
    const rows = await s.rows(`
      select customer_id, program_id, email, full_name, created_at, country, referral_code, referred_by_code, _source, _row_number
      from raw.customers order by _row_number`);
    const common = { program_id: 'default', _source: 'salesforce:report1710795900123.csv' };
    expect(rows).toEqual([
      // New York is EDT (UTC-4) from 10 March 2024: midnight of 3/14 is 04:00Z.
      {
        ...common,
        customer_id: '0035e00000AbCdEAAV',
        email: 'ana.lima@example.com',
        full_name: 'Ana Lima',
        created_at: new Date('2024-03-14T04:00:00Z'),
        country: 'US',
        referral_code: 'RANA01',
        referred_by_code: null,
        _row_number: 1,
      },
      // The 15-character id gains its checksum: BcDeF has upper case at positions 0, 2, 4 -> 21 -> "V".
      // "United States" is free text, not a two-letter code, so country is null.
      {
        ...common,
        customer_id: '0035e00000BcDeFAAV',
        email: 'Ben.Okafor@Example.com',
        full_name: 'Ben Okafor',
        created_at: new Date('2024-03-15T04:00:00Z'),
        country: null,
        referral_code: null,
        referred_by_code: 'RANA01',
        _row_number: 2,
      },
    ]);
    const q = await s.rows(`select _row_number, reason_code, message from raw.quarantine order by 1`);
    expect(q.map((r) => [r['_row_number'], r['reason_code']])).toEqual([
      [3, 'invalid_timestamp'],
      [4, 'duplicate_key'],
      [5, 'missing_value'],
      [6, 'invalid_enum'],
    ]);
    expect(q[0]!['message']).toBe(
      'report1710795900123.csv row 3 (Contact ID 0035e00000CdEfGAAV): column Created Date: "14/03/2024" is not a real date (month 14 does not exist) (read as MDY)',
    );
    expect(q[1]!['message']).toBe(
      'report1710795900123.csv row 4 (Contact ID 0035e00000AbCdE): column Contact ID: "0035e00000AbCdE" repeats the record of row 1',
    );
  });

  it('reloading the same file adds nothing', async () => {
    await loadSalesforceReport(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    const again = await loadSalesforceReport(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    expect(again).toMatchObject({ status: 'already_loaded', read: 6, loaded: 2, quarantined: 4 });
    expect(await s.count('raw.customers')).toBe(2);
  });

  it('reads a leads report with D/M dates and times, and a one-field row that is not the footer is malformed', async () => {
    const file = s.write(
      'leads.csv',
      [
        '"Lead ID","First Name","Last Name","Company / Account","Email","Lead Source","Country","Created Date"',
        '"00Q5e00000XyZ12","Eva","Berg","Berg AB","eva@example.se","Partner Referral","se","14/03/2024 09:30"',
        '"stray"',
        '"00Q5e00000Lm9PqEAJ","Finn","Ahl","","finn@example.se","Web","SE","01/07/2024 21:05"',
        '',
      ].join('\r\n'),
    );
    const report = await loadSalesforceReport(s.wh, {
      file,
      config: ONE_PROGRAM,
      settings: { dateOrder: 'DMY', timeZone: 'Europe/Stockholm' },
    });
    expect(report).toMatchObject({ read: 3, loaded: 2, quarantined: 1, reasons: { malformed_row: 1 } });
    expect(await s.rows(`select customer_id, created_at, country from raw.customers order by _row_number`)).toEqual([
      // Stockholm is CET (UTC+1) on 14 March 2024: 09:30 -> 08:30Z.
      { customer_id: '00Q5e00000XyZ12EAF', created_at: new Date('2024-03-14T08:30:00Z'), country: 'SE' },
      // 1 July 2024 (DMY) is CEST (UTC+2): 21:05 -> 19:05Z.
      { customer_id: '00Q5e00000Lm9PqEAJ', created_at: new Date('2024-07-01T19:05:00Z'), country: 'SE' },
    ]);
  });

  it('drops a footer that starts with Grand Totals and puts the confidentiality notice first', async () => {
    const file = s.write(
      'report1710795900999.csv',
      [
        '"Contact ID","Created Date"',
        '"0035e00000AbCdEAAV","3/14/2024"',
        '""',
        '"Grand Totals (1 records)"',
        '""',
        '"Confidential Information - Do Not Distribute"',
        '"Copyright © 2000-2024 salesforce.com, inc. All rights reserved."',
        '',
      ].join('\n'),
    );
    const report = await loadSalesforceReport(s.wh, { file, config: ONE_PROGRAM });
    expect(report).toMatchObject({ read: 1, loaded: 1, quarantined: 0 });
  });

  it('refuses a file without an id column, naming both', async () => {
    const file = s.write('accounts.csv', '"Account Name","Created Date"\n"Acme","3/14/2024"\n');
    await expect(loadSalesforceReport(s.wh, { file, config: ONE_PROGRAM })).rejects.toThrow(
      'accounts.csv: not a Salesforce contacts or leads report export: the header lacks "Contact ID" and "Lead ID"',
    );
  });
});

describe('toId18 and parseLocaleTimestamp', () => {
  it('computes the case checksum of 15-character ids', () => {
    // The example of Salesforce's own documentation of the 18-character id: 001A0000006Vm9r -> 001A0000006Vm9rIAC
    // (chunks 001A0, 00000, 6Vm9r: upper case at bit 3 -> "I", none -> "A", bit 1 -> "C").
    expect(toId18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(toId18('001a0000006vm9rIAC')).toBeNull(); // checksum no longer matches the lower-cased letters
    expect(toId18('001A0000006Vm9')).toBeNull();
  });

  it('reads 12-hour times in the zone', () => {
    // 12:15 AM is just after midnight; Los Angeles is PST (UTC-8) on 2 January 2024.
    expect(parseLocaleTimestamp('1/2/2024 12:15 AM', 'MDY', 'America/Los_Angeles')).toEqual({
      ok: true,
      value: new Date('2024-01-02T08:15:00Z'),
    });
    expect(parseLocaleTimestamp('01/02/2024 01:15:30 PM', 'MDY', 'UTC')).toEqual({
      ok: true,
      value: new Date('2024-01-02T13:15:30Z'),
    });
    expect(parseLocaleTimestamp('13/02/2024 1:00 PM', 'DMY', 'UTC')).toEqual({
      ok: true,
      value: new Date('2024-02-13T13:00:00Z'),
    });
    expect(parseLocaleTimestamp('2/13/2024 13:00 PM', 'MDY', 'UTC')).toMatchObject({ ok: false });
  });
});
