import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStripePayments } from '../../../ingest/stripe-export/index.js';
import { NOW, ONE_PROGRAM, scratch, type Scratch } from '../canonical-csv/helpers.js';

const FIXTURE = 'tests/fixtures/stripe-export/unified_payments.csv';

describe('loadStripePayments', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('lands payments in minor units with refund and dispute status, and quarantines bad rows', async () => {
    const report = await loadStripePayments(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    // 9 payments: row 5 is a guest payment, row 6 has amount "12,5O", row 8 names an unknown program.
    expect(report).toMatchObject({ status: 'loaded', read: 9, loaded: 6, quarantined: 3 });
    expect(report.reasons).toEqual({ missing_value: 1, invalid_amount: 1, unknown_program: 1 });

    const rows = await s.rows(`
      select order_id, customer_id, ordered_at, currency, gross_minor, refunded_minor, refunded_at, status,
        chargeback_at, referral_code, payment_fingerprint, _row_number
      from raw.orders order by _row_number`);
    const base = { refunded_minor: 0, refunded_at: null, chargeback_at: null, referral_code: null };
    expect(rows).toEqual([
      // "120.00" usd -> 12000 cents; "2025-04-01 10:00" is UTC (the column says so).
      {
        ...base,
        order_id: 'ch_3PaA01',
        customer_id: 'cus_Qa1',
        ordered_at: new Date('2025-04-01T10:00:00Z'),
        currency: 'USD',
        gross_minor: 12000,
        status: 'paid',
        referral_code: 'RFRIEND1',
        payment_fingerprint: 'fp_AAA',
        _row_number: 1,
      },
      // 30.00 of 120.00 refunded -> partially_refunded, 3000.
      {
        ...base,
        order_id: 'ch_3PaA02',
        customer_id: 'cus_Qa2',
        ordered_at: new Date('2025-04-02T11:30:00Z'),
        currency: 'USD',
        gross_minor: 12000,
        refunded_minor: 3000,
        refunded_at: new Date('2025-04-10T09:00:00Z'),
        status: 'partially_refunded',
        payment_fingerprint: 'fp_BBB',
        _row_number: 2,
      },
      // JPY is zero-decimal: "5000" -> 5000; Dispute Status "lost" -> chargeback at the dispute date.
      {
        ...base,
        order_id: 'ch_3PaA03',
        customer_id: 'cus_Qa3',
        ordered_at: new Date('2025-04-03T08:15:00Z'),
        currency: 'JPY',
        gross_minor: 5000,
        status: 'chargeback',
        chargeback_at: new Date('2025-04-20T00:00:00Z'),
        payment_fingerprint: 'fp_CCC',
        _row_number: 3,
      },
      // ISK: ISO exponent 0, so major "1500.00" -> 1500 (Stripe's API would say 150000; the export is major units).
      {
        ...base,
        order_id: 'ch_3PaA04',
        customer_id: 'cus_Qa4',
        ordered_at: new Date('2025-04-04T12:00:00Z'),
        currency: 'ISK',
        gross_minor: 1500,
        status: 'paid',
        payment_fingerprint: 'fp_DDD',
        _row_number: 4,
      },
      // Failed and not captured -> unpaid.
      {
        ...base,
        order_id: 'ch_3PaA07',
        customer_id: 'cus_Qa7',
        ordered_at: new Date('2025-04-07T12:00:00Z'),
        currency: 'USD',
        gross_minor: 1000,
        status: 'unpaid',
        payment_fingerprint: 'fp_GGG',
        _row_number: 7,
      },
      // "1,250.00" (exact thousands grouping) -> 125000.
      {
        ...base,
        order_id: 'ch_3PaA09',
        customer_id: 'cus_Qa9',
        ordered_at: new Date('2025-04-09T12:00:00Z'),
        currency: 'USD',
        gross_minor: 125000,
        status: 'paid',
        payment_fingerprint: 'fp_III',
        _row_number: 9,
      },
    ]);
    expect(await s.rows(`select _row_number, reason_code, message from raw.quarantine order by 1`)).toEqual([
      {
        _row_number: 5,
        reason_code: 'missing_value',
        message:
          'unified_payments.csv row 5 (id ch_3PaA05): column Customer ID: missing value (a guest payment has no customer to attribute)',
      },
      {
        _row_number: 6,
        reason_code: 'invalid_amount',
        message: expect.stringMatching(
          /^unified_payments\.csv row 6 \(id ch_3PaA06\): column Amount: "12,5O" is not a decimal number/,
        ),
      },
      {
        _row_number: 8,
        reason_code: 'unknown_program',
        message:
          'unified_payments.csv row 8 (id ch_3PaA08): column program_id (metadata): "partners" is not a program in the config (known: default)',
      },
    ]);
  });

  it('reloading the same file adds nothing', async () => {
    await loadStripePayments(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    const again = await loadStripePayments(s.wh, { file: FIXTURE, config: ONE_PROGRAM, now: NOW });
    expect(again).toMatchObject({ status: 'already_loaded', read: 9, loaded: 6, quarantined: 3 });
    expect(await s.count('raw.orders')).toBe(6);
    expect(await s.count('raw.quarantine')).toBe(3);
  });

  // Shopify's "Id" matches "id" (names match case-insensitively), so the first missing column is Created (UTC).
  it('refuses a Shopify file given as a Stripe export', async () => {
    await expect(
      loadStripePayments(s.wh, { file: 'tests/fixtures/shopify/orders_export_1.csv', config: ONE_PROGRAM }),
    ).rejects.toThrow(
      /^orders_export_1\.csv: not a Stripe payments export: the header lacks "Created \(UTC\)", "Amount", /,
    );
  });
});
