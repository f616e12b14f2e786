import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefstackConfig } from '../../../../src/config.js';
import { runModels } from '../../../../src/models/runner.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { activationAuditSample } from '../../../../models/marts/activation/activation-audit-sample.js';
import { land, memoryWarehouse, testConfig } from '../../../helpers/landing.js';
import { activationRegistry } from './fixture.js';

/*
 * 40 referees of advocate A (code ALICE), each with a first order: R1-R20 at 10.00 USD (stratum 1, under 5000),
 * R21-R35 at 100.00 (stratum 2, 5000 to 19999), R36-R40 at 500.00 (stratum 3); R41 signed up but never ordered.
 */
let wh: Warehouse;
const config = (auditSample: Record<string, unknown>): RefstackConfig =>
  ({ ...testConfig(), activation: { auditSample } }) as unknown as RefstackConfig;
const gross = (i: number) => (i <= 20 ? 1000 : i <= 35 ? 10_000 : 50_000);

beforeEach(async () => {
  wh = await memoryWarehouse();
  const ids = Array.from({ length: 41 }, (_, i) => i + 1);
  await land(wh, 'customers', [
    { customer_id: 'A', created_at: '2025-01-01', referral_code: 'ALICE' },
    ...ids.map((i) => ({ customer_id: `R${i}`, created_at: '2025-02-01', referred_by_code: 'ALICE' })),
  ]);
  await land(
    wh,
    'orders',
    ids
      .filter((i) => i <= 40)
      .map((i) => ({
        order_id: `O${i}`,
        customer_id: `R${i}`,
        ordered_at: '2025-02-02',
        currency: 'USD',
        gross_minor: gross(i),
        discount_minor: 0,
        tax_minor: 0,
        refunded_minor: 0,
        status: 'paid',
      })),
  );
});
afterEach(async () => {
  await wh.close();
});

async function sample(c: RefstackConfig) {
  await runModels({
    wh,
    config: c,
    registry: activationRegistry([activationAuditSample]),
    select: ['activation_audit_sample'],
  });
  return wh.query<{ referral_id: string; stratum: string; sample_reason: string; order_base_minor: number }>(
    'select referral_id, stratum, sample_reason, order_base_minor from main.activation_audit_sample order by stratum, referral_id',
  );
}

describe('activation_audit_sample', () => {
  it('rate 0 (the default) samples nothing, whatever the minimum', async () => {
    expect(await sample(config({ rate: 0, minPerStratum: 1 }))).toEqual([]);
    expect(await sample(config({}))).toEqual([]);
  });

  it('a tiny rate with a minimum of one: exactly one converted referral per stratum', async () => {
    const rows = await sample(config({ rate: 1e-9, minPerStratum: 1 }));
    expect(rows.map((r) => [r.stratum, r.sample_reason, r.order_base_minor])).toEqual([
      ['1: under 5000', 'stratum_minimum', 1000],
      ['2: 5000 to 19999', 'stratum_minimum', 10_000],
      ['3: 20000 and up', 'stratum_minimum', 50_000],
    ]);
  });

  it('rate 1 samples every converted referral (40; R41 never ordered), all by rate', async () => {
    const rows = await sample(config({ rate: 1 }));
    expect(rows).toHaveLength(40);
    expect(rows.filter((r) => r.sample_reason === 'rate')).toHaveLength(40);
  });

  it('is deterministic, nested in the rate, and moves with the seed', async () => {
    const a = await sample(config({ rate: 0.3, minPerStratum: 0 }));
    expect(await sample(config({ rate: 0.3, minPerStratum: 0 }))).toEqual(a);
    const wider = (await sample(config({ rate: 0.6, minPerStratum: 0 }))).map((r) => r.referral_id);
    // The same draws decide both rates, so the 30% sample is inside the 60% one.
    expect(a.every((r) => wider.includes(r.referral_id))).toBe(true);
    const other = await sample(config({ rate: 0.3, minPerStratum: 0, seed: 'another' }));
    expect(other.map((r) => r.referral_id)).not.toEqual(a.map((r) => r.referral_id));
    // 40 draws at rate 0.3 (Binomial(40, 0.3), mean 12): P(X <= 2) = 1.03e-4 and P(X >= 22) = 8.54e-4 (exact sums of
    // comb(40, k) 0.3^k 0.7^(40-k), Python math.comb); the draws are fixed, so this checks the hash is uniform-ish.
    expect(a.length).toBeGreaterThanOrEqual(3);
    expect(a.length).toBeLessThanOrEqual(21);
  });

  it('is empty on an empty warehouse', async () => {
    const empty = await memoryWarehouse();
    try {
      await runModels({
        wh: empty,
        config: config({}),
        registry: activationRegistry([activationAuditSample]),
        select: ['activation_audit_sample'],
      });
      expect(await empty.query('select count(*) as n from main.activation_audit_sample')).toEqual([{ n: 0 }]);
    } finally {
      await empty.close();
    }
  });
});
