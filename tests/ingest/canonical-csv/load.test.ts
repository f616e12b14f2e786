import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatLoadReport, loadCanonicalCsv } from '../../../ingest/canonical-csv/index.js';
import { NOW, ONE_PROGRAM, scratch, TWO_PROGRAMS, type Scratch } from './helpers.js';

// Five data rows: rows 1, 2, 4 are valid; row 3 has a negative gross; row 5 has an ambiguous date.
const ORDERS = [
  'order_id,customer_id,program_id,ordered_at,currency,gross_amount,discount_amount,tax_amount,refunded_amount,status',
  'O-1,C-1,raf,2025-01-04T10:00:00Z,EUR,12.5,0,0,0,paid',
  'O-2,C-2,raf,2025-01-05 08:30,JPY,1000,,,,paid',
  'O-3,C-3,partners,2025-01-06,USD,-12.00,0,0,0,paid',
  'O-4,C-4,partners,2025-01-07T09:00:00+01:00,KWD,1.234,0.200,0.05,,partially_refunded',
  'O-5,C-5,raf,03/04/2025,USD,10.00,0,0,0,paid',
].join('\n');

describe('loadCanonicalCsv', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('loads good rows with exact minor units and quarantines a bad date and a negative amount', async () => {
    const file = s.write('orders.csv', `${ORDERS}\n`);
    const report = await loadCanonicalCsv(s.wh, { file, config: TWO_PROGRAMS, now: NOW });

    // 5 data rows read; rows 3 and 5 quarantined, the other 3 loaded.
    expect(report).toMatchObject({ table: 'orders', status: 'loaded', read: 5, loaded: 3, quarantined: 2 });
    expect(report.reasons).toEqual({ negative_amount: 1, invalid_timestamp: 1 });
    expect(report.batchId).toMatch(/^[0-9a-f]{64}$/);

    const orders = await s.rows(
      `select order_id, currency, gross_minor, discount_minor, tax_minor, refunded_minor, ordered_at, _source, _row_number, _loaded_at
       from raw.orders order by order_id`,
    );
    expect(orders).toEqual([
      // "12.5" EUR, exponent 2 -> 1250; empty refund etc. are "0".
      {
        order_id: 'O-1',
        currency: 'EUR',
        gross_minor: 1250,
        discount_minor: 0,
        tax_minor: 0,
        refunded_minor: 0,
        ordered_at: new Date('2025-01-04T10:00:00Z'),
        _source: 'canonical-csv:orders.csv',
        _row_number: 1,
        _loaded_at: NOW,
      },
      // "1000" JPY, exponent 0 -> 1000; "2025-01-05 08:30" has no zone, so it is UTC.
      {
        order_id: 'O-2',
        currency: 'JPY',
        gross_minor: 1000,
        discount_minor: 0,
        tax_minor: 0,
        refunded_minor: 0,
        ordered_at: new Date('2025-01-05T08:30:00Z'),
        _source: 'canonical-csv:orders.csv',
        _row_number: 2,
        _loaded_at: NOW,
      },
      // "1.234" KWD, exponent 3 -> 1234; "0.200" -> 200; "0.05" -> 50; 09:00+01:00 is 08:00 UTC.
      {
        order_id: 'O-4',
        currency: 'KWD',
        gross_minor: 1234,
        discount_minor: 200,
        tax_minor: 50,
        refunded_minor: 0,
        ordered_at: new Date('2025-01-07T08:00:00Z'),
        _source: 'canonical-csv:orders.csv',
        _row_number: 4,
        _loaded_at: NOW,
      },
    ]);

    const quarantine = await s.rows(
      `select _source, _batch_id, _row_number, _loaded_at, target_table, reason_code, message, cast(record as varchar) as record
       from raw.quarantine order by _row_number`,
    );
    expect(quarantine).toEqual([
      {
        _source: 'canonical-csv:orders.csv',
        _batch_id: report.batchId,
        _row_number: 3,
        _loaded_at: NOW,
        target_table: 'orders',
        reason_code: 'negative_amount',
        message: 'orders.csv row 3: column gross_amount: "-12.00" is negative',
        record: JSON.stringify({
          order_id: 'O-3',
          customer_id: 'C-3',
          program_id: 'partners',
          ordered_at: '2025-01-06',
          currency: 'USD',
          gross_amount: '-12.00',
          discount_amount: '0',
          tax_amount: '0',
          refunded_amount: '0',
          status: 'paid',
        }),
      },
      expect.objectContaining({
        _row_number: 5,
        reason_code: 'invalid_timestamp',
        message: expect.stringMatching(
          /^orders\.csv row 5: column ordered_at: "03\/04\/2025" is not a timestamp \(expected ISO 8601/,
        ),
      }),
    ]);

    const batches = await s.rows(
      `select batch_id, source, target_table, file, read, loaded, quarantined, started_at, finished_at from raw.batches`,
    );
    expect(batches).toEqual([
      {
        batch_id: report.batchId,
        source: 'canonical-csv:orders.csv',
        target_table: 'orders',
        file,
        read: 5,
        loaded: 3,
        quarantined: 2,
        started_at: NOW,
        finished_at: NOW,
      },
    ]);
  });

  it('writes nothing when the same file is loaded again', async () => {
    const file = s.write('orders.csv', `${ORDERS}\n`);
    const first = await loadCanonicalCsv(s.wh, { file, config: TWO_PROGRAMS, now: NOW });
    const again = await loadCanonicalCsv(s.wh, { file, config: TWO_PROGRAMS });

    // Same batch, reported with the counts recorded the first time (5 read, 3 loaded, 2 quarantined).
    expect(again).toEqual({ ...first, status: 'already_loaded' });
    expect(await s.count('raw.orders')).toBe(3);
    expect(await s.count('raw.quarantine')).toBe(2);
    expect(await s.count('raw.batches')).toBe(1);
    expect(formatLoadReport(again)).toBe(
      `${file} -> orders: already loaded (batch ${first.batchId.slice(0, 12)}, 5 read), nothing written`,
    );
  });

  it('treats the same bytes under another table, or changed bytes, as a new batch', async () => {
    const a = s.write('orders.csv', `${ORDERS}\n`);
    const b = s.write('orders-2025-02.csv', `${ORDERS}\nO-6,C-6,raf,2025-02-01,USD,5,0,0,0,paid\n`);
    const first = await loadCanonicalCsv(s.wh, { file: a, config: TWO_PROGRAMS });
    const second = await loadCanonicalCsv(s.wh, { file: b, config: TWO_PROGRAMS });
    expect(second.status).toBe('loaded');
    expect(second.batchId).not.toBe(first.batchId);
    // 3 loaded from the first file + 4 (O-1, O-2, O-4, O-6) from the second; staging dedupes across batches.
    expect(await s.count('raw.orders')).toBe(7);
    expect(await s.count('raw.batches')).toBe(2);
  });

  it('fills in the only program when program_id is absent', async () => {
    const file = s.write(
      'orders.csv',
      'order_id,customer_id,ordered_at,currency,gross_amount,status\nO-1,C-1,2025-01-01,usd,9.99,PAID\n',
    );
    const report = await loadCanonicalCsv(s.wh, { file, config: ONE_PROGRAM, now: NOW });
    expect(report).toMatchObject({ read: 1, loaded: 1, quarantined: 0 });
    // Currency lands upper-case and status lower-case; "9.99" USD -> 999.
    expect(await s.rows('select program_id, currency, gross_minor, status from raw.orders')).toEqual([
      { program_id: 'default', currency: 'USD', gross_minor: 999, status: 'paid' },
    ]);
  });

  it('uses the table option over the file name', async () => {
    const file = s.write('export.csv', 'customer_id,created_at\nC-1,2025-01-01\n');
    const report = await loadCanonicalCsv(s.wh, { file, table: 'customers', config: ONE_PROGRAM, now: NOW });
    expect(report).toMatchObject({ table: 'customers', read: 1, loaded: 1 });
    expect(await s.rows('select customer_id, program_id, _source from raw.customers')).toEqual([
      { customer_id: 'C-1', program_id: 'default', _source: 'canonical-csv:export.csv' },
    ]);
  });

  it('loads a header-only file as an empty batch', async () => {
    const file = s.write('touches.csv', 'touch_id,anonymous_id,occurred_at,touch_type\n');
    const report = await loadCanonicalCsv(s.wh, { file, config: ONE_PROGRAM, now: NOW });
    expect(report).toMatchObject({ status: 'loaded', read: 0, loaded: 0, quarantined: 0, reasons: {} });
    expect(await s.rows('select read, loaded, quarantined from raw.batches')).toEqual([
      { read: 0, loaded: 0, quarantined: 0 },
    ]);
  });

  it('formats a one-line report', async () => {
    const file = s.write('orders.csv', `${ORDERS}\n`);
    const report = await loadCanonicalCsv(s.wh, { file, config: TWO_PROGRAMS, now: NOW });
    expect(formatLoadReport(report)).toBe(
      `${file} -> orders: 5 read, 3 loaded, 2 quarantined (invalid_timestamp 1, negative_amount 1), batch ${report.batchId.slice(0, 12)}`,
    );
  });
});
