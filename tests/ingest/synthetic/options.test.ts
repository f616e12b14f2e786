import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerId, customerNumberSql, referralCode, referralCodeSql } from '../../../ingest/synthetic/ids.js';
import {
  addMonthsUtc,
  runContext,
  syntheticBatchId,
  type SyntheticOptions,
} from '../../../ingest/synthetic/options.js';
import { planPrograms } from '../../../ingest/synthetic/programs.js';
import { DuckDBWarehouse } from '../../../src/warehouse/duckdb.js';

const BASE: SyntheticOptions = {
  customers: 3_000,
  seed: 42,
  start: '2025-01-01',
  months: 18,
  programs: [{ id: 'friends', kind: 'customer_referral' }],
};

describe('synthetic options', () => {
  it('rejects bad options with one line per problem naming the option', () => {
    expect(() => runContext({ ...BASE, customers: 10 }, 48)).toThrow(
      'synthetic option customers: expected at least 500 customers',
    );
    expect(() => runContext({ ...BASE, programs: [{ id: 'mars', kind: 'pilot', region: 'Mars' }] }, 48)).toThrow(
      'synthetic option programs.0.region: expected one of the synthetic regions NA, EMEA, APAC, Nordics',
    );
    expect(() => runContext({ ...BASE, reportingCurrency: 'GBP' }, 48)).toThrow(
      'synthetic option reportingCurrency: expected USD or EUR',
    );
    expect(() => runContext({ ...BASE, start: '2025-02-30' }, 48)).toThrow(
      'synthetic option start: expected a real calendar date',
    );
    expect(() => runContext({ ...BASE, rawSchema: 'raw; drop table x' }, 48)).toThrow('synthetic option rawSchema');
  });

  it('adds calendar months, clamping to the month end like SQL intervals', () => {
    expect(new Date(addMonthsUtc('2025-01-01', 18) * 1000).toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(new Date(addMonthsUtc('2025-01-31', 1) * 1000).toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(new Date(addMonthsUtc('2024-01-31', 1) * 1000).toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });

  it('hashes the options into the batch id: stable, seed-sensitive, blind to extra program keys', () => {
    const parse = (o: SyntheticOptions) => runContext(o, 48).options;
    const id = syntheticBatchId(parse(BASE));
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(syntheticBatchId(parse({ ...BASE }))).toBe(id);
    expect(syntheticBatchId(parse({ ...BASE, seed: 43 }))).not.toBe(id);
    const named = {
      ...BASE,
      programs: [{ id: 'friends', kind: 'customer_referral' as const, name: 'Refer a friend' }],
    };
    expect(syntheticBatchId(parse(named))).toBe(id);
  });
});

describe('program plan', () => {
  it('gives a regional pilot its whole region and splits the others by kind weight (3 : 1)', () => {
    const plan = planPrograms([
      { id: 'friends', kind: 'customer_referral' },
      { id: 'partners', kind: 'affiliate' },
      { id: 'nordics-pilot', kind: 'pilot', region: 'Nordics' },
    ]);
    expect(plan.programMix).toEqual({
      NA: { friends: 0.75, partners: 0.25 },
      EMEA: { friends: 0.75, partners: 0.25 },
      APAC: { friends: 0.75, partners: 0.25 },
      Nordics: { 'nordics-pilot': 1 },
    });
    // Shares renormalized over all four regions (sum 1): unchanged up to float rounding.
    for (const [region, share] of Object.entries({ NA: 0.4, EMEA: 0.3, APAC: 0.18, Nordics: 0.12 }))
      expect(plan.regionMix[region]).toBeCloseTo(share, 12);
    expect(plan.ring).toEqual({ programId: 'friends', region: 'NA' });
  });

  it('drops regions no program takes and renormalizes: a Nordics-only setup is all Nordics', () => {
    const plan = planPrograms([{ id: 'nordics-pilot', kind: 'pilot', region: 'Nordics' }]);
    expect(plan.regionMix).toEqual({ Nordics: 1 });
    expect(plan.ring).toEqual({ programId: 'nordics-pilot', region: 'Nordics' });
  });
});

describe('ids', () => {
  let wh: DuckDBWarehouse;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:', threads: 1 });
  });
  afterAll(async () => {
    await wh.close();
  });

  it('permutes 1..N into customer ids: all distinct, 7 digits', () => {
    const ids = Array.from({ length: 3_000 }, (_, i) => customerId(i, 3_000));
    expect(new Set(ids).size).toBe(3_000);
    expect(ids.every((id) => /^C\d{7}$/.test(id))).toBe(true);
    // Stride = first integer >= round(3000 * 0.618) = 1854 coprime with 3000: 1854 (shares 6), 1855 (5),
    // 1856 (8), 1857 (3), 1858 (2), 1859 = 11 * 13^2. So idx 1 -> 1859 + 1.
    expect(customerId(0, 3_000)).toBe('C0000001');
    expect(customerId(1, 3_000)).toBe('C0001860');
  });

  it('computes the same ids and referral codes in SQL as in TS, with unique codes', async () => {
    const rows = await wh.query<{ num: number; code: string }>(
      `select ${customerNumberSql('i', 3_000)} as num, ${referralCodeSql(customerNumberSql('i', 3_000), 42)} as code from range(3000) t(i) order by i`,
    );
    rows.forEach((r, i) => {
      expect(`C${String(r.num).padStart(7, '0')}`).toBe(customerId(i, 3_000));
      expect(r.code).toBe(referralCode(r.num, 42));
    });
    expect(new Set(rows.map((r) => r.code)).size).toBe(3_000);
    expect(rows[0]!.code).toMatch(/^R[0-9A-Z]{7}$/);
  });
});
