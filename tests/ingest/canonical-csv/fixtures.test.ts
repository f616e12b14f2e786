import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCanonicalCsv, type LoadReport } from '../../../ingest/canonical-csv/index.js';
import { LANDING_TABLE_NAMES, type LandingTable } from '../../../ingest/landing-schema.js';
import { NOW, scratch, TWO_PROGRAMS, type Scratch } from './helpers.js';

const fixture = (table: string) => fileURLToPath(new URL(`../../fixtures/canonical-csv/${table}.csv`, import.meta.url));

// Data rows in each fixture (counted by hand; survey_responses S-3 has a comment spanning two lines).
const ROWS: Record<LandingTable, number> = {
  customers: 5,
  orders: 5,
  touches: 4,
  referral_events: 5,
  survey_responses: 4,
  experiment_assignments: 5,
  support_interactions: 4,
  email_events: 4,
  marketing_spend: 3,
  fx_rates: 3,
};

describe('canonical CSV fixtures', () => {
  it('marketing spend and FX rates land exact: minor units by currency, rates as written', async () => {
    // Hand check: 12000.00 USD -> 1200000 cents; 4500.50 EUR -> 450050; rates kept as their decimal text.
    expect(
      await s.rows(
        'select month::varchar as month, channel_group, spend_minor, currency from raw.marketing_spend order by spend_minor desc',
      ),
    ).toEqual([
      { month: '2025-01-01', channel_group: 'Paid Search', spend_minor: 1200000, currency: 'USD' },
      { month: '2025-01-01', channel_group: 'Paid Social', spend_minor: 450050, currency: 'EUR' },
      { month: '2025-01-01', channel_group: 'Referral Program', spend_minor: 0, currency: 'USD' },
    ]);
    expect(await s.rows('select currency, rate from raw.fx_rates order by currency')).toEqual([
      { currency: 'EUR', rate: '1.0352' },
      { currency: 'GBP', rate: '1.2516' },
      { currency: 'JPY', rate: '0.006361' },
    ]);
  });

  let s: Scratch;
  const reports = new Map<string, LoadReport>();
  beforeAll(async () => {
    s = await scratch();
    for (const table of LANDING_TABLE_NAMES) {
      reports.set(table, await loadCanonicalCsv(s.wh, { file: fixture(table), config: TWO_PROGRAMS, now: NOW }));
    }
  });
  afterAll(async () => {
    await s.close();
  });

  it.each(LANDING_TABLE_NAMES)('%s.csv loads every row', async (table) => {
    expect(reports.get(table)).toMatchObject({
      table,
      status: 'loaded',
      read: ROWS[table],
      loaded: ROWS[table],
      quarantined: 0,
    });
    expect(await s.count(`raw.${table}`)).toBe(ROWS[table]);
  });

  it('orders land exact minor units in five currencies', async () => {
    expect(
      await s.rows(
        'select order_id, currency, gross_minor, discount_minor, tax_minor, refunded_minor, ordered_at from raw.orders order by order_id',
      ),
    ).toEqual([
      // EUR (2): 49.90 -> 4990, 5.00 -> 500, 10.38 -> 1038.
      {
        order_id: 'O-5001',
        currency: 'EUR',
        gross_minor: 4990,
        discount_minor: 500,
        tax_minor: 1038,
        refunded_minor: 0,
        ordered_at: new Date('2025-01-04T10:00:00Z'),
      },
      // GBP (2): empty discount -> 0; "2025-01-06 12:30" is UTC.
      {
        order_id: 'O-5002',
        currency: 'GBP',
        gross_minor: 12000,
        discount_minor: 0,
        tax_minor: 2400,
        refunded_minor: 12000,
        ordered_at: new Date('2025-01-06T12:30:00Z'),
      },
      // JPY (0): 12800 -> 12800; 15:20+08:00 is 07:20 UTC.
      {
        order_id: 'O-5003',
        currency: 'JPY',
        gross_minor: 12800,
        discount_minor: 1000,
        tax_minor: 1180,
        refunded_minor: 0,
        ordered_at: new Date('2025-01-07T07:20:00Z'),
      },
      // KWD (3): 15.750 -> 15750, 0.500 -> 500, 2.250 -> 2250.
      {
        order_id: 'O-5004',
        currency: 'KWD',
        gross_minor: 15750,
        discount_minor: 500,
        tax_minor: 0,
        refunded_minor: 2250,
        ordered_at: new Date('2025-01-10T00:00:00Z'),
      },
      // USD (2): 89.99 -> 8999, 7.20 -> 720; 08:05-05:00 is 13:05 UTC.
      {
        order_id: 'O-5005',
        currency: 'USD',
        gross_minor: 8999,
        discount_minor: 0,
        tax_minor: 720,
        refunded_minor: 8999,
        ordered_at: new Date('2025-01-13T13:05:00Z'),
      },
    ]);
  });

  it('keeps quoted commas and newlines, booleans and offsets', async () => {
    expect(await s.rows(`select full_name, created_at from raw.customers where customer_id = 'C-1003'`)).toEqual([
      // 07:30+08:00 is 23:30 UTC the day before.
      { full_name: 'Chen, Li', created_at: new Date('2025-01-05T23:30:00Z') },
    ]);
    expect(await s.rows(`select comment from raw.survey_responses where response_id = 'S-3'`)).toEqual([
      { comment: 'Checkout was confusing:\nthe coupon field was hidden' },
    ]);
    expect(
      await s.rows(
        'select interaction_id, channel, satisfaction, resolved from raw.support_interactions order by interaction_id',
      ),
    ).toEqual([
      { interaction_id: 'I-1', channel: 'chat', satisfaction: 4, resolved: true },
      { interaction_id: 'I-2', channel: 'email', satisfaction: 2, resolved: false },
      { interaction_id: 'I-3', channel: 'phone', satisfaction: null, resolved: false },
      { interaction_id: 'I-4', channel: 'chat', satisfaction: 5, resolved: true },
    ]);
    expect(
      await s.rows(`select program_id, count(*) as n from raw.referral_events group by program_id order by program_id`),
    ).toEqual([
      { program_id: 'partners', n: 1 },
      { program_id: 'raf', n: 4 },
    ]);
  });
});
