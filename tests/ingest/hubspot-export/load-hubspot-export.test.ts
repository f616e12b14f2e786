import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHubspotContacts, parseWallClock } from '../../../ingest/hubspot-export/index.js';
import { NOW, ONE_PROGRAM, scratch, type Scratch } from '../canonical-csv/helpers.js';

const FIXTURE = 'tests/fixtures/hubspot-export/hubspot-crm-exports-all-contacts.csv';
const PARIS = { timeZone: 'Europe/Paris' };

describe('loadHubspotContacts', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('lands contacts with portal-time Create Dates converted to UTC, and quarantines bad rows', async () => {
    const report = await loadHubspotContacts(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW, settings: PARIS });
    // 6 rows: row 2 has a US-style date, row 4 repeats Record ID 101, row 5 has no Record ID.
    expect(report).toMatchObject({ table: 'customers', status: 'loaded', read: 6, loaded: 3, quarantined: 3 });
    expect(report.reasons).toEqual({ invalid_timestamp: 1, duplicate_key: 1, missing_value: 1 });
    const rows = await s.rows(`
      select customer_id, program_id, email, full_name, created_at, country, referral_code, referred_by_code, _source, _row_number
      from raw.customers order by _row_number`);
    const common = { program_id: 'default', _source: 'hubspot-export:hubspot-crm-exports-all-contacts.csv' };
    expect(rows).toEqual([
      // Paris is CET (UTC+1) on 12 March 2024 (DST starts 31 March): 09:14 -> 08:14Z.
      {
        ...common,
        customer_id: '101',
        email: 'camille@example.com',
        full_name: 'Camille Durand',
        created_at: new Date('2024-03-12T08:14:00Z'),
        country: 'FR',
        referral_code: 'RCAMILLE1',
        referred_by_code: null,
        _row_number: 1,
      },
      // A contact with nothing but an id and a date still lands; January is CET: 09:00 -> 08:00Z.
      {
        ...common,
        customer_id: '103',
        email: null,
        full_name: null,
        created_at: new Date('2024-01-15T08:00:00Z'),
        country: null,
        referral_code: null,
        referred_by_code: null,
        _row_number: 3,
      },
      // July is CEST (UTC+2): 09:00 -> 07:00Z; "Germany" is free text, not a two-letter code, so country is null.
      {
        ...common,
        customer_id: '106',
        email: 'zoe@example.de',
        full_name: 'Zoë Brandt, Jr.',
        created_at: new Date('2024-07-01T07:00:00Z'),
        country: null,
        referral_code: 'RZOE0001',
        referred_by_code: 'RCAMILLE1',
        _row_number: 6,
      },
    ]);
    const q = await s.rows(`select _row_number, reason_code, message from raw.quarantine order by 1`);
    expect(q.map((r) => [r['_row_number'], r['reason_code']])).toEqual([
      [2, 'invalid_timestamp'],
      [4, 'duplicate_key'],
      [5, 'missing_value'],
    ]);
    expect(q[1]!['message']).toBe(
      'hubspot-crm-exports-all-contacts.csv row 4 (Record ID 101): column Record ID: "101" repeats the contact of row 1',
    );
  });

  it('reloading the same file adds nothing', async () => {
    await loadHubspotContacts(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    const again = await loadHubspotContacts(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    expect(again).toMatchObject({ status: 'already_loaded', read: 6, loaded: 3, quarantined: 3 });
    expect(await s.count('raw.customers')).toBe(3);
  });

  it('reads renamed columns from the settings', async () => {
    const file = s.write('contacts.csv', 'Record ID,Created,Advocate code\n7,2024-02-01 10:00:00+00:00,RSEVEN01\n');
    const report = await loadHubspotContacts(s.wh, {
      file,
      config: ONE_PROGRAM,
      settings: { columns: { createDate: 'Created', referralCode: 'Advocate code' } },
    });
    expect(report).toMatchObject({ read: 1, loaded: 1 });
    expect(await s.rows(`select customer_id, created_at, referral_code from raw.customers`)).toEqual([
      { customer_id: '7', created_at: new Date('2024-02-01T10:00:00Z'), referral_code: 'RSEVEN01' },
    ]);
  });
});

describe('parseWallClock', () => {
  it('reads zone-less times in the zone and keeps explicit offsets', () => {
    // New York is EDT (UTC-4) on 2024-07-01 and EST (UTC-5) on 2024-12-01.
    expect(parseWallClock('2024-07-01 12:00', 'America/New_York')).toEqual({
      ok: true,
      value: new Date('2024-07-01T16:00:00Z'),
    });
    expect(parseWallClock('2024-12-01 12:00', 'America/New_York')).toEqual({
      ok: true,
      value: new Date('2024-12-01T17:00:00Z'),
    });
    expect(parseWallClock('2024-12-01', 'America/New_York')).toEqual({
      ok: true,
      value: new Date('2024-12-01T05:00:00Z'),
    });
    expect(parseWallClock('2024-12-01T12:00:00Z', 'America/New_York')).toEqual({
      ok: true,
      value: new Date('2024-12-01T12:00:00Z'),
    });
  });
});
