import { ltvConfigSchema } from '../../../../models/marts/ltv/config-schema.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModels } from '../../../../src/models/runner.js';
import { ModelRegistry } from '../../../../src/models/registry.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { defaultRegistry } from '../../../../models/index.js';
import { ltvModelFit } from '../../../../models/marts/ltv/ltv-model-fit.js';
import { customerLtv } from '../../../../models/marts/ltv/customer-ltv.js';
import { bgNbdDiscountedPurchases, type BgNbdParams } from '../../../../models/stats/bg-nbd.js';
import { land, memoryWarehouse, testConfig } from '../../../helpers/landing.js';
import { loadCdnow } from '../../stats/cdnow.js';

/*
 * Orders rebuilt from the CDNOW summary (tests/fixtures/ltv): customer i's first order is T_i weeks (rounded to
 * whole days) before the calibration end 1997-09-30, its last repeat order t_x weeks after the first, and the other
 * x - 1 repeats on the days just before the last; every repeat is worth zbar dollars, the first purchase $10.
 * The whole sample is landed twice: once non-referred (N<id>) and once referred (R<id>, code ADV), so each
 * acquisition type must reproduce the published fits. H1 is written out by hand to pin the summary rules.
 */
const CAL_END = '1997-09-30';
const DAY = 86_400_000;
const calMs = Date.parse(`${CAL_END}T12:00:00Z`);
const iso = (ms: number): string => new Date(ms).toISOString();

let wh: Warehouse;
const config = {
  ...testConfig(),
  ltv: ltvConfigSchema.parse({ calibrationEnd: CAL_END, horizon: 39, annualDiscountRate: 0.1 }),
};

beforeAll(async () => {
  wh = await memoryWarehouse();
  const customers: Record<string, unknown>[] = [
    { customer_id: 'ADV1', created_at: '1997-01-01', referral_code: 'ADV' },
  ];
  const orders: Record<string, unknown>[] = [];
  const order = (id: string, customer: string, ms: number, gross: number, status = 'paid', refunded = 0) =>
    orders.push({
      order_id: id,
      customer_id: customer,
      ordered_at: iso(ms),
      currency: 'USD',
      gross_minor: gross,
      discount_minor: 0,
      tax_minor: 0,
      refunded_minor: refunded,
      status,
    });
  for (const prefix of ['N', 'R']) {
    for (const c of loadCdnow()) {
      const id = `${prefix}${c.id}`;
      const first = calMs - Math.round(c.T * 7) * DAY;
      customers.push({ customer_id: id, created_at: iso(first), referred_by_code: prefix === 'R' ? 'ADV' : null });
      order(`${id}-0`, id, first, 1000);
      const lastDay = Math.round(c.tx * 7);
      for (let k = 0; k < c.x; k++) order(`${id}-${k + 1}`, id, first + (lastDay - k) * DAY, Math.round(c.zbar * 100));
    }
  }
  // H1: two orders on its first day (one purchase), a canceled order (ignored), a partial refund (net counts),
  // and an order after the calibration end (ignored).
  customers.push({ customer_id: 'H1', created_at: '1997-09-01' });
  order('H1-a', 'H1', Date.parse('1997-09-01T09:00:00Z'), 1000);
  order('H1-b', 'H1', Date.parse('1997-09-01T18:00:00Z'), 500);
  order('H1-c', 'H1', Date.parse('1997-09-15T10:00:00Z'), 2000);
  order('H1-d', 'H1', Date.parse('1997-09-15T11:00:00Z'), 9999, 'canceled');
  order('H1-e', 'H1', Date.parse('1997-09-22T10:00:00Z'), 3000, 'partially_refunded', 1000);
  order('H1-f', 'H1', Date.parse('1997-10-05T10:00:00Z'), 5000);
  await land(wh, 'customers', customers);
  await land(wh, 'orders', orders);
  const registry = defaultRegistry();
  await runModels({ wh, config, registry, select: ['customer_ltv'] });
});

afterAll(async () => {
  await wh?.close();
});

async function params(group: string): Promise<Record<string, number>> {
  const rows = await wh.query<{ parameter: string; value: number }>(
    `select parameter, value from ltv_model_fit where acquisition_type = '${group}'`,
  );
  return Object.fromEntries(rows.map((r) => [r.parameter, r.value]));
}

describe('ltv_model_fit', () => {
  it('reproduces the published CDNOW fits for each acquisition type from SQL sufficient statistics', async () => {
    // BG/NBD: Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 (T and t_x here are
    // rounded to whole days, which moves the estimates by < 0.005). Gamma-Gamma: Fader & Hardie (2013):
    // p = 6.25, q = 3.74, gamma = 15.44 dollars = 1544 cents (H1 is the one extra customer).
    for (const group of ['non_referred', 'referred']) {
      const p = await params(group);
      expect(p.r).toBeCloseTo(0.243, 2);
      expect(p.alpha).toBeCloseTo(4.414, 1);
      expect(p.a).toBeCloseTo(0.793, 2);
      expect(p.b).toBeCloseTo(2.426, 1);
      expect(p.p).toBeCloseTo(6.25, 1);
      expect(p.q).toBeCloseTo(3.74, 1);
      expect(Math.abs(p.gamma! / 1544 - 1)).toBeLessThan(0.01);
    }
    const meta = await wh.query(
      `select acquisition_type, model, min(customers) as customers, bool_and(converged) as converged, count(*) as n
       from ltv_model_fit group by 1, 2 order by 1, 2`,
    );
    // Counted: 2,357 CDNOW customers per group (+ H1 in non_referred); 946 repeat buyers (+ H1) for Gamma-Gamma.
    expect(meta).toEqual([
      { acquisition_type: 'non_referred', model: 'bg_nbd', customers: 2358, converged: true, n: 4 },
      { acquisition_type: 'non_referred', model: 'gamma_gamma', customers: 947, converged: true, n: 3 },
      { acquisition_type: 'referred', model: 'bg_nbd', customers: 2357, converged: true, n: 4 },
      { acquisition_type: 'referred', model: 'gamma_gamma', customers: 946, converged: true, n: 3 },
    ]);
  });
});

describe('customer_ltv', () => {
  it('summarizes purchases per day, ignoring canceled orders and orders after the calibration end (H1)', async () => {
    const [h1] = await wh.query(
      `select x, t_x, t_cal, monetary_minor, acquisition_type from customer_ltv where person_id = (select person_id from stg_customers where customer_id = 'H1')`,
    );
    // Hand count: purchase days 09-01 (first, 2 orders), 09-15 (2000; the canceled 9999 is ignored), 09-22 (net
    // 3000 - 1000 refunded = 2000) -> x = 2, t_x = 21 days = 3 weeks, T = 29 days to 09-30, mean repeat 2000.
    expect(h1).toEqual({ x: 2, t_x: 3, t_cal: 29 / 7, monetary_minor: 2000, acquisition_type: 'non_referred' });
  });

  it('predicts CDNOW customer 1 as the Hardie Excel note and lifetimes do', async () => {
    const [c1] = await wh.query<Record<string, number>>(
      `select x, p_alive, expected_purchases, discounted_purchases, expected_spend_minor, predicted_clv_minor
       from customer_ltv where person_id = (select person_id from stg_customers where customer_id = 'N1')`,
    );
    // E[Y(39) | x = 2, t_x = 30.43, T = 38.86] = 1.226 (FHL Excel note; with the published parameters) and
    // P(alive) = 0.7266 (hand calculation in tests/models/stats/bg-nbd.test.ts); expected spend $24.66 (lifetimes
    // Quickstart, conditional_expected_average_profit for customer 1 = 24.658619).
    expect(c1!.x).toBe(2);
    expect(c1!.expected_purchases).toBeCloseTo(1.226, 2);
    expect(c1!.p_alive).toBeCloseTo(0.7266, 2);
    expect(Math.abs(c1!.expected_spend_minor! - 2466)).toBeLessThanOrEqual(3);
    // CLV = spend x discounted purchases, recomputed here from the fitted parameters and the stats function.
    const p = await params('non_referred');
    const bg = { r: p.r, alpha: p.alpha, a: p.a, b: p.b } as BgNbdParams;
    const weekly = Math.pow(1.1, 7 / 365.25) - 1;
    const { discounted } = bgNbdDiscountedPurchases(bg, 39, 39, weekly, 2, 213 / 7, 272 / 7);
    expect(c1!.discounted_purchases).toBeCloseTo(discounted, 10);
    const spend = (p.p! * (p.gamma! + 2 * 2235)) / (p.p! * 2 + p.q! - 1);
    expect(c1!.predicted_clv_minor).toBe(Math.round(spend * discounted));
    expect(c1!.discounted_purchases).toBeLessThan(c1!.expected_purchases!);
  });

  it('has one row per purchasing person and compresses them to far fewer (x, t_x, T) triples', async () => {
    const [n] = await wh.query<{ people: number; triples: number }>(
      `select count(*) as people, count(distinct acquisition_type || '|' || x || '|' || t_x || '|' || t_cal) as triples
       from customer_ltv`,
    );
    expect(n!.people).toBe(2 * 2357 + 1);
    expect(n!.triples).toBeLessThan(n!.people / 2);
  });
});
