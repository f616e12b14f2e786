import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSourceError } from '../../../ingest/file-source.js';
import { loadShopifyOrders } from '../../../ingest/shopify/index.js';
import { NOW, ONE_PROGRAM, scratch, type Scratch } from '../canonical-csv/helpers.js';

const FIXTURE = 'tests/fixtures/shopify/orders_export_1.csv';

describe('loadShopifyOrders', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('lands one row per order with exact minor units, and quarantines orders whole', async () => {
    const report = await loadShopifyOrders(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    // 8 CSV data rows = 6 orders (#1001 and #1003 span two rows); #1003 and #1005 are quarantined.
    expect(report).toMatchObject({ table: 'orders', status: 'loaded', read: 6, loaded: 4, quarantined: 2 });
    expect(report.reasons).toEqual({ inconsistent_rows: 1, invalid_timestamp: 1 });

    const rows = await s.rows(`
      select order_id, customer_id, program_id, ordered_at, currency, gross_minor, discount_minor, tax_minor,
        refunded_minor, status, referral_code, _source, _row_number, _loaded_at
      from raw.orders order by _row_number`);
    const common = { program_id: 'default', _source: 'shopify:orders_export_1.csv', _loaded_at: NOW };
    expect(rows).toEqual([
      // Total 53.60 + Discount 5.00 = gross 58.60 USD -> 5860; Taxes 3.60 -> 360; 10:15 -05:00 = 15:15Z.
      // "FRIEND-ANNA7" matches the default referral pattern; the email is lower-cased into customer_id.
      {
        ...common,
        order_id: '5550000001',
        customer_id: 'ada@example.com',
        ordered_at: new Date('2025-03-01T15:15:00Z'),
        currency: 'USD',
        gross_minor: 5860,
        discount_minor: 500,
        tax_minor: 360,
        refunded_minor: 0,
        status: 'paid',
        referral_code: 'FRIEND-ANNA7',
        _row_number: 1,
      },
      // Tax-inclusive EUR order: Total 100.00 + Discount 10.00 = 110.00 -> 11000; WELCOME10 is not a referral code.
      {
        ...common,
        order_id: '5550000002',
        customer_id: 'bo@example.com',
        ordered_at: new Date('2025-03-02T08:00:00Z'),
        currency: 'EUR',
        gross_minor: 11000,
        discount_minor: 1000,
        tax_minor: 1697,
        refunded_minor: 2000,
        status: 'partially_refunded',
        referral_code: null,
        _row_number: 3,
      },
      // JPY has no minor unit: 1200 -> 1200; voided -> canceled; 08:00 +09:00 = 23:00Z the day before.
      {
        ...common,
        order_id: '5550000004',
        customer_id: 'di@example.com',
        ordered_at: new Date('2025-03-03T23:00:00Z'),
        currency: 'JPY',
        gross_minor: 1200,
        discount_minor: 0,
        tax_minor: 0,
        refunded_minor: 0,
        status: 'canceled',
        referral_code: null,
        _row_number: 6,
      },
      // KWD has 3 decimals: 12.345 -> 12345; pending -> unpaid; "ref_fa22" matches case-insensitively.
      {
        ...common,
        order_id: '5550000006',
        customer_id: 'fa@example.com',
        ordered_at: new Date('2025-03-06T11:30:00Z'),
        currency: 'KWD',
        gross_minor: 12345,
        discount_minor: 0,
        tax_minor: 0,
        refunded_minor: 0,
        status: 'unpaid',
        referral_code: 'ref_fa22',
        _row_number: 8,
      },
    ]);

    const q = await s.rows(
      `select _row_number, reason_code, message, json_type(record) as record_type from raw.quarantine order by _row_number`,
    );
    expect(q).toEqual([
      {
        _row_number: 4,
        reason_code: 'inconsistent_rows',
        message:
          'orders_export_1.csv rows 4, 5 (order #1003): row 5 column Currency: "EUR" differs from the order\'s first row ("USD")',
        record_type: 'ARRAY', // both rows of the order, each { row, fields }
      },
      {
        _row_number: 7,
        reason_code: 'invalid_timestamp',
        message: expect.stringMatching(
          /^orders_export_1\.csv row 7 \(order #1005\): column Created at: "03\/05\/2025 10:00" is not a timestamp/,
        ),
        record_type: 'OBJECT', // the row, header name -> cell
      },
    ]);
  });

  it('reloading the same file adds nothing', async () => {
    const first = await loadShopifyOrders(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    const again = await loadShopifyOrders(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    expect(again).toMatchObject({
      status: 'already_loaded',
      batchId: first.batchId,
      read: 6,
      loaded: 4,
      quarantined: 2,
    });
    expect(await s.count('raw.orders')).toBe(4);
    expect(await s.count('raw.quarantine')).toBe(2);
    expect(await s.count('raw.batches')).toBe(1);
  });

  it('keys orders by Name when configured, and catches a repeated order and a short row', async () => {
    const header =
      'Name,Email,Financial Status,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,Refunded Amount,Id';
    const file = s.write(
      'orders_export_2.csv',
      [
        header,
        '#2001,a@x.io,paid,USD,10.00,0.00,0.00,10.00,,0.00,2025-01-01 10:00:00 +0000,0.00,901',
        '#2002,b@x.io,paid,USD,10.00,0.00,0.00,10.00,,0.00,2025-01-01 11:00:00 +0000,0.00,902',
        '#2001,a@x.io,paid,USD,10.00,0.00,0.00,10.00,,0.00,2025-01-01 10:00:00 +0000,0.00,901',
        '#2003,c@x.io,paid,USD',
        '#2004,,refunded,USD,10.00,0.00,0.00,10.00,,0.00,2025-01-02 10:00:00 +0000,12.00,904',
      ].join('\r\n'),
    );
    const report = await loadShopifyOrders(s.wh, {
      file,
      config: ONE_PROGRAM,
      now: NOW,
      settings: { orderId: 'name' },
    });
    // 5 orders: #2001 and #2002 land; the second #2001 repeats row 1; #2003 has 4 fields of 13; #2004 has no
    // email and refunds 12.00 of a 10.00 total (both problems named, the first one is the reason code).
    expect(report).toMatchObject({ read: 5, loaded: 2, quarantined: 3 });
    expect(report.reasons).toEqual({ duplicate_key: 1, malformed_row: 1, missing_value: 1 });
    expect(await s.rows(`select order_id from raw.orders order by order_id`)).toEqual([
      { order_id: '#2001' },
      { order_id: '#2002' },
    ]);
    const msg = await s.rows(`select message from raw.quarantine where _row_number = 5`);
    expect(msg).toEqual([
      {
        message:
          'orders_export_2.csv row 5 (order #2004): column Email: missing value (the export has no customer id; orders are keyed to customers by email); column Refunded Amount: "12.00" exceeds Total "10.00"',
      },
    ]);
  });

  it('refuses a file that is not a Shopify orders export, naming the missing columns', async () => {
    const file = s.write('orders.csv', 'order_id,customer_id\nO-1,C-1\n');
    await expect(loadShopifyOrders(s.wh, { file, config: ONE_PROGRAM })).rejects.toThrow(FileSourceError);
    await expect(loadShopifyOrders(s.wh, { file, config: ONE_PROGRAM })).rejects.toThrow(
      'orders.csv: not a Shopify orders export: the header lacks "Name", "Email", "Financial Status", "Currency", "Taxes", "Total", "Created at"',
    );
    expect(await s.count('raw.batches')).toBe(0);
  });
});
