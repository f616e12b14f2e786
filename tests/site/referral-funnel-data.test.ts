/**
 * loadReferralFunnel on a real in-memory DuckDB with the five literal rows of tests/e2e/fixtures/literal-funnel.ts
 * (hand totals are in that file's header).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadReferralFunnel, MissingMartError } from '../../src/site/referral-funnel-data.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import { writeLiteralFunnel } from '../e2e/fixtures/literal-funnel.js';

describe('loadReferralFunnel', () => {
  let wh: DuckDBWarehouse;
  beforeEach(async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:' });
  });
  afterEach(async () => {
    await wh.close();
  });

  it('sums per program and over all programs, with rates from the sums', async () => {
    await writeLiteralFunnel(wh, 'main', 'EUR');
    const data = await loadReferralFunnel(wh, 'main', { now: new Date('2026-01-02T03:04:05Z') });
    expect(data.generatedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(data.reportingCurrency).toBe('EUR');
    expect(data.programs).toEqual(['friends', 'partners']);
    expect(
      data.totals.map((t) => [t.program_id, t.invited, t.clicked, t.signed_up, t.converted, t.referred_revenue_minor]),
    ).toEqual([
      [null, 43, 22, 12, 6, 143394],
      ['friends', 23, 12, 7, 4, 42395],
      ['partners', 20, 10, 5, 2, 100999],
    ]);
    // first orders: 10000+5000+20000+80000+0 = 115000; rates 22/43, 12/22, 6/12, 6/43.
    const all = data.totals[0]!;
    expect(all.first_order_revenue_minor).toBe(115000);
    expect(all.click_rate).toBeCloseTo(22 / 43, 12);
    expect(all.signup_rate).toBeCloseTo(12 / 22, 12);
    expect(all.conversion_rate).toBe(0.5);
    expect(all.invite_to_conversion_rate).toBeCloseTo(6 / 43, 12);
  });

  it('returns monthly rows per program and for all programs, NULL rates where nothing was there to convert', async () => {
    await writeLiteralFunnel(wh);
    const data = await loadReferralFunnel(wh, 'main');
    expect(data.monthly.map((m) => [m.program_id, m.month, m.invited, m.converted, m.referred_revenue_minor])).toEqual([
      [null, '2025-01-01', 35, 5, 117345], // rows 1, 2, 4
      [null, '2025-02-01', 8, 1, 26049], // rows 3, 5: 25050 + 999
      ['friends', '2025-01-01', 15, 3, 17345], // rows 1, 2: 12345 + 5000
      ['friends', '2025-02-01', 8, 1, 25050],
      ['partners', '2025-01-01', 20, 2, 100000],
      ['partners', '2025-02-01', 0, 0, 999],
    ]);
    expect(data.monthly[5]).toMatchObject({
      click_rate: null,
      signup_rate: null,
      conversion_rate: null,
      invite_to_conversion_rate: null,
    });
  });

  it('ranks advocates by revenue within each program and keeps the top N', async () => {
    await writeLiteralFunnel(wh);
    const data = await loadReferralFunnel(wh, 'main', { topAdvocates: 2 });
    // all: adv_p 100999, adv_a 37395 (12345 + 25050), adv_b 5000 cut by topAdvocates = 2.
    // friends: adv_a 37395, adv_b 5000; partners: adv_p alone.
    expect(data.advocates.map((a) => [a.program_id, a.rank, a.advocate_id, a.referred_revenue_minor])).toEqual([
      [null, 1, 'adv_p', 100999],
      [null, 2, 'adv_a', 37395],
      ['friends', 1, 'adv_a', 37395],
      ['friends', 2, 'adv_b', 5000],
      ['partners', 1, 'adv_p', 100999],
    ]);
  });

  it('keeps a NULL advocate (a code that matched no customer) apart from the all-advocates rollup', async () => {
    await writeLiteralFunnel(wh);
    await wh.exec(`update main.referral_funnel set advocate_id = null where advocate_id = 'adv_b'`);
    const data = await loadReferralFunnel(wh, 'main');
    expect(
      data.advocates.filter((a) => a.program_id === null).map((a) => [a.advocate_id, a.referred_revenue_minor]),
    ).toEqual([
      ['adv_p', 100999],
      ['adv_a', 37395],
      [null, 5000],
    ]);
  });

  it('reads another schema when told to', async () => {
    await writeLiteralFunnel(wh, 'analytics', 'JPY');
    const data = await loadReferralFunnel(wh, 'analytics');
    expect(data.reportingCurrency).toBe('JPY');
    expect(data.totals[0]!.invited).toBe(43);
  });

  it('answers an empty mart with zero totals and no currency', async () => {
    await writeLiteralFunnel(wh);
    await wh.exec('delete from main.referral_funnel');
    const data = await loadReferralFunnel(wh, 'main');
    expect(data.reportingCurrency).toBeNull();
    expect(data.programs).toEqual([]);
    expect(data.totals).toEqual([
      expect.objectContaining({ program_id: null, invited: 0, referred_revenue_minor: 0, click_rate: null }),
    ]);
    expect(data.monthly).toEqual([]);
    expect(data.advocates).toEqual([]);
  });

  it('names the missing table and how to make it', async () => {
    await expect(loadReferralFunnel(wh, 'main')).rejects.toThrow(MissingMartError);
    await expect(loadReferralFunnel(wh, 'main')).rejects.toThrow(
      'table main.referral_funnel not found in :memory:: run `refstack demo` or `refstack run` first',
    );
  });

  it('refuses a mart that mixes reporting currencies', async () => {
    await writeLiteralFunnel(wh, 'main', 'EUR');
    await wh.exec(`update main.referral_funnel set reporting_currency = 'USD' where program_id = 'partners'`);
    await expect(loadReferralFunnel(wh, 'main')).rejects.toThrow(
      'main.referral_funnel mixes reporting currencies (EUR, USD)',
    );
  });

  it('refuses a schema that is not an identifier', async () => {
    await expect(loadReferralFunnel(wh, 'main; drop table x')).rejects.toThrow('REFSTACK_SCHEMA');
  });
});
