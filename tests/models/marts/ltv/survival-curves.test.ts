import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../../models/index.js';
import {
  CHURN_GAP_DAYS,
  kaplanMeierCounted,
  logRankCounted,
  survivalCurves,
} from '../../../../models/marts/ltv/survival-curves.js';
import { kaplanMeier, type SurvivalObservation } from '../../../../models/stats/kaplan-meier.js';
import { logRankTest } from '../../../../models/stats/log-rank.js';
import { runModels } from '../../../../src/models/runner.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse, testConfig } from '../../../helpers/landing.js';

/*
 * Eleven people, purchase days counted from 2025-01-01 (day 0); the latest purchase day is 400 (the data end);
 * G = 90 days. "Churn" = a purchase followed by no purchase within 90 days; the churn time is that purchase + 90
 * minus the first purchase; otherwise censored at day 400.
 *   referred:     R1 0, 50, 200       -> 50->200 > 90: event at 50 + 90 = 140
 *                 R2 0                -> 400 - 0 >= 90: event at 90
 *                 R3 100, 180, 390    -> 180->390 > 90: event at 180 + 90 - 100 = 170
 *                 R4 350 (+ a canceled order on day 380, ignored) -> 400 - 350 < 90: censored at 50
 *                 R5 300, 380         -> censored at 400 - 300 = 100
 *                 R6 310 (two orders that day) -> 400 - 310 = 90 >= 90: event at 90
 *   non_referred: N1 0 -> event 90;  N2 10 -> event 90;  N3 20, 100, 400 -> 100->400 > 90: event at 100 + 90 - 20 = 170
 *                 N4 400 -> censored at 0;  N5 200, 290 (gap exactly 90: still active) -> event at 290 + 90 - 200 = 180
 */
const PURCHASES: Record<string, number[]> = {
  R1: [0, 50, 200],
  R2: [0],
  R3: [100, 180, 390],
  R4: [350],
  R5: [300, 380],
  R6: [310, 310],
  N1: [0],
  N2: [10],
  N3: [20, 100, 400],
  N4: [400],
  N5: [200, 290],
};
const DAY = 86_400_000;
const day0 = Date.parse('2025-01-01T10:00:00Z');
const referredRows: SurvivalObservation[] = [
  { time: 140, event: true },
  { time: 90, event: true },
  { time: 170, event: true },
  { time: 50, event: false },
  { time: 100, event: false },
  { time: 90, event: true },
];
const nonReferredRows: SurvivalObservation[] = [
  { time: 90, event: true },
  { time: 90, event: true },
  { time: 170, event: true },
  { time: 0, event: false },
  { time: 180, event: true },
];
const counted = (rows: SurvivalObservation[]) => rows.map((r) => ({ ...r, count: 1 }));

let wh: Warehouse;

beforeAll(async () => {
  wh = await memoryWarehouse();
  const customers: Record<string, unknown>[] = [{ customer_id: 'ADV', created_at: '2024-12-01', referral_code: 'ADV' }];
  const orders: Record<string, unknown>[] = [];
  for (const [id, days] of Object.entries(PURCHASES)) {
    customers.push({ customer_id: id, created_at: '2024-12-15', referred_by_code: id.startsWith('R') ? 'ADV' : null });
    days.forEach((dd, k) =>
      orders.push({
        order_id: `${id}-${k}`,
        customer_id: id,
        ordered_at: new Date(day0 + dd * DAY + k * 60_000).toISOString(),
        currency: 'USD',
        gross_minor: 1000,
        discount_minor: 0,
        tax_minor: 0,
        refunded_minor: 0,
        status: 'paid',
      }),
    );
  }
  orders.push({
    order_id: 'R4-x',
    customer_id: 'R4',
    ordered_at: new Date(day0 + 380 * DAY).toISOString(),
    currency: 'USD',
    gross_minor: 1000,
    discount_minor: 0,
    tax_minor: 0,
    refunded_minor: 0,
    status: 'canceled',
  });
  await land(wh, 'customers', customers);
  await land(wh, 'orders', orders);
  await runModels({
    wh,
    config: testConfig(),
    registry: defaultRegistry(),
    select: ['survival_curves'],
  });
});

afterAll(async () => {
  await wh?.close();
});

describe('survival_curves', () => {
  it('uses a 90-day churn gap by default', () => {
    expect(CHURN_GAP_DAYS).toBe(90);
  });

  it('takes the churn gap from config ltv.churnGapDays', async () => {
    // The same people with G = 150, by hand (event time = last purchase before a gap > 150 + 150 - first purchase):
    //   R1 0, 50, 200: gaps 50, 150 (not > 150), 400 - 200 >= 150 -> event 350;  R2 0 -> event 150
    //   R3 100, 180, 390: 180 -> 390 > 150 -> event 180 + 150 - 100 = 230;  R4, R5, R6 censored at 50, 100, 90
    //   N1, N2 -> events at 150;  N3 20, 100, 400 -> event 230;  N4 censored 0;  N5 200, 290: 400 - 290 < 150 -> censored 200
    // KM referred: 150 (3 at risk, 1 event) S = 2/3; 230 (2, 1) S = 1/3; 350 (1, 1) S = 0.
    // KM non_referred: 150 (4 at risk: N1, N2, N3, N5; 2 events) S = 1/2; 230 (1 at risk, 1 event) S = 0.
    await runModels({
      wh,
      config: testConfig({ ltv: { churnGapDays: 150 }, schemas: { raw: 'raw', analytics: 'g150' } }),
      registry: defaultRegistry(),
      select: ['survival_curves'],
    });
    const rows = await wh.query(
      `select acquisition_type, time_days, at_risk, events, round(survival, 6) as survival, churn_gap_days
       from g150.survival_curves order by 1, 2`,
    );
    const r = (t: string, time: number, atRisk: number, events: number, s: number) => ({
      acquisition_type: t,
      time_days: time,
      at_risk: atRisk,
      events,
      survival: Math.round(s * 1e6) / 1e6,
      churn_gap_days: 150,
    });
    expect(rows).toEqual([
      r('non_referred', 150, 4, 2, 0.5),
      r('non_referred', 230, 1, 1, 0),
      r('referred', 150, 3, 1, 2 / 3),
      r('referred', 230, 2, 1, 1 / 3),
      r('referred', 350, 1, 1, 0),
    ]);
  });

  it('builds the hand-computed Kaplan-Meier curves with Greenwood log bands', async () => {
    const rows = await wh.query<Record<string, number | string | null>>(
      `select acquisition_type, time_days, at_risk, events, survival, std_err, lower, upper, churn_gap_days,
         cast(data_end as varchar) as data_end
       from survival_curves order by acquisition_type, time_days`,
    );
    const pick = (r: Record<string, unknown>) => [
      r.acquisition_type,
      Number(r.time_days),
      Number(r.at_risk),
      Number(r.events),
    ];
    expect(rows.map(pick)).toEqual([
      ['non_referred', 90, 4, 2],
      ['non_referred', 170, 2, 1],
      ['non_referred', 180, 1, 1],
      ['referred', 90, 5, 2],
      ['referred', 140, 2, 1],
      ['referred', 170, 1, 1],
    ]);
    /*
     * Hand calculation (z = 1.959964, band S exp(+-z se(log S)), se(log S)^2 = sum d / (n (n - d))):
     *   referred t=90:  S = 1 - 2/5 = 0.6; gw = 2/(5*3) = 0.133333; se(log S) = 0.365148; std_err = 0.219089;
     *                   lower = 0.6 exp(-0.715678) = 0.293316; upper = 0.6 exp(0.715678) = 1.227343 -> capped 1
     *   referred t=140: S = 0.6 (1 - 1/2) = 0.3; gw = 0.133333 + 1/(2*1) = 0.633333; se(log S) = 0.795822;
     *                   std_err = 0.238747; lower = 0.3 exp(-1.559783) = 0.063054; upper = 0.3 exp(1.559783) -> 1
     *   referred t=170: S = 0 (d = n), band [0, 0], std_err undefined (NULL)
     *   non_referred t=90: S = 0.5; gw = 2/(4*2) = 0.25; se = 0.5; std_err = 0.25;
     *                   lower = 0.5 exp(-0.979982) = 0.187659; upper = 0.5 exp(0.979982) = 1.332204 -> 1
     *   non_referred t=170: S = 0.25; gw = 0.75; se = 0.866025; std_err = 0.216506;
     *                   lower = 0.25 exp(-1.697379) = 0.045791; upper = 0.25 exp(1.697379) = 1.364904 -> 1
     */
    const num = (r: Record<string, unknown>, k: string) => (r[k] === null ? null : Number(r[k]));
    const expected: [number, number | null, number, number][] = [
      [0.5, 0.25, 0.187659, 1],
      [0.25, 0.216506, 0.045791, 1],
      [0, null, 0, 0],
      [0.6, 0.219089, 0.293316, 1],
      [0.3, 0.238747, 0.063054, 1],
      [0, null, 0, 0],
    ];
    rows.forEach((r, i) => {
      const [s, se, lo, hi] = expected[i]!;
      expect(num(r, 'survival')).toBeCloseTo(s, 6);
      if (se === null) expect(r.std_err).toBeNull();
      else expect(num(r, 'std_err')).toBeCloseTo(se, 5);
      expect(num(r, 'lower')).toBeCloseTo(lo, 5);
      expect(num(r, 'upper')).toBeCloseTo(hi, 5);
      expect(Number(r.churn_gap_days)).toBe(90);
      expect(r.data_end).toBe('2026-02-05');
    });
  });

  it('repeats the hand-computed log-rank test on every row', async () => {
    /*
     * Hand calculation, A = referred, B = non_referred (at risk just before each event time):
     *   t=90:  nA 5, nB 4, d 4 (2 + 2): E_A = 4*5/9 = 2.222222; V = 4 (5/9)(4/9)(9-4)/(9-1) = 0.617284
     *   t=140: nA 2, nB 2, d 1 (A):     E_A = 0.5;             V = 1 (1/2)(1/2)(3)/3 = 0.25
     *   t=170: nA 1, nB 2, d 2 (1 + 1): E_A = 2/3;             V = 2 (1/3)(2/3)(1)/2 = 0.222222
     *   t=180: nA 0, nB 1, d 1 (B):     E_A = 0;               V = 0 (n = 1)
     *   O_A = 4, E_A = 3.388889, V = 1.089506, chi-square = 0.611111^2 / 1.089506 = 0.342776;
     *   p = P(chi2_1 > 0.342776) = 2 (1 - Phi(sqrt(0.342776))) = 2 (1 - Phi(0.585471)) = 0.558231
     */
    const rows = await wh.query<{ c: number; p: number; k: number }>(
      `select min(logrank_chi_square) as c, max(logrank_p_value) as p, count(distinct logrank_chi_square) as k
       from survival_curves`,
    );
    expect(Number(rows[0]!.k)).toBe(1);
    expect(rows[0]!.c).toBeCloseTo(0.342776, 5);
    expect(rows[0]!.p).toBeCloseTo(0.558231, 4);
  });
});

describe('kaplanMeierCounted and logRankCounted', () => {
  it('agree with kaplanMeier and logRankTest on the same people (counts merged)', () => {
    const merged = [
      { time: 90, event: true, count: 2 },
      { time: 140, event: true, count: 1 },
      { time: 170, event: true, count: 1 },
      { time: 50, event: false, count: 1 },
      { time: 100, event: false, count: 1 },
    ];
    expect(kaplanMeierCounted(merged)).toEqual(kaplanMeier(referredRows));
    const a = logRankCounted(merged, counted(nonReferredRows));
    const b = logRankTest(referredRows, nonReferredRows);
    expect(a.chiSquare).toBeCloseTo(b.chiSquare, 12);
    expect(a.pValue).toBeCloseTo(b.pValue, 12);
    expect(a.expectedA).toBeCloseTo(b.expectedA, 12);
  });

  it('names the bad row', () => {
    expect(() => kaplanMeierCounted([{ time: -1, event: true, count: 1 }])).toThrow(/row 0/);
    expect(() => logRankCounted([], counted(nonReferredRows))).toThrow(/A: 0/);
  });
});
