/**
 * The planted truths show up in aggregate (40,000 customers, 18 months from 2025-01-01 = 546 days, seed 11).
 * Each tolerance is a multiple of the statistic's standard error, computed from the data or stated by hand,
 * so a correct generator fails with negligible probability while a wrong unit, group swap or missing effect
 * fails clearly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateSynthetic,
  SYNTHETIC_TRUTHS as X,
  syntheticFraudRing,
  type SyntheticOptions,
} from '../../../ingest/synthetic/index.js';
import { runContext } from '../../../ingest/synthetic/options.js';
import { FRAUD_RING_SIZE } from '../../../ingest/synthetic/fraud-ring.js';
import type { BgNbdParams } from '../../../ingest/synthetic/params.js';
import { DuckDBWarehouse } from '../../../src/warehouse/duckdb.js';

const OPTIONS: SyntheticOptions = {
  customers: 40_000,
  seed: 11,
  start: '2025-01-01',
  months: 18,
  programs: [
    { id: 'friends', kind: 'customer_referral' },
    { id: 'partners', kind: 'affiliate' },
    { id: 'nordics-pilot', kind: 'pilot', region: 'Nordics' },
  ],
};
const END = "timestamp '2026-07-01'";

let wh: DuckDBWarehouse;
let ringIds: string;
beforeAll(async () => {
  wh = await DuckDBWarehouse.open({ path: ':memory:' });
  await generateSynthetic(wh, OPTIONS);
  const ring = syntheticFraudRing(OPTIONS);
  ringIds = [...ring.advocateIds, ...ring.refereeIds].map((id) => `'${id}'`).join(', ');
});
afterAll(async () => {
  await wh.close();
});

/** Gauss hypergeometric 2F1(a, b; c; z) by its series, for 0 <= z < 1. */
function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 20_000 && Math.abs(term) > 1e-15 * Math.abs(sum); n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
  }
  return sum;
}

/** BG/NBD expected repeat purchases in (0, t]: Fader, Hardie & Lee (2005), equation 9. */
function expectedRepeats({ r, alpha, a, b }: BgNbdParams, t: number): number {
  return ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)));
}

describe('planted truths', () => {
  it('derives the documented windows: 546 days, reward [day 191, 327), double-sided [327, 464)', () => {
    const ctx = runContext(OPTIONS, FRAUD_RING_SIZE);
    const day = (sec: number) => new Date(sec * 1000).toISOString().slice(0, 10);
    expect(ctx.days).toBe(546);
    expect(ctx.rewardWindow.map(day)).toEqual(['2025-07-11', '2025-11-24']);
    expect(ctx.doubleSidedWindow.map(day)).toEqual(['2025-11-24', '2026-04-10']);
  });

  it('refers the stated share of customers per program kind, after the 60-day ramp', async () => {
    const rows = await wh.query<{ program_id: string; n: number; referred: number }>(
      `select program_id, count(*) as n, avg((referred_by_code is not null)::int) as referred from raw.customers
       where customer_id not in (${ringIds}) group by 1 order by 1`,
    );
    const ramp = 1 - X.referralRampDays / (2 * 546); // 0.945
    const expected: Record<string, number> = {
      friends: 0.25 * ramp,
      'nordics-pilot': 0.3 * ramp,
      partners: 0.35 * ramp,
    };
    for (const row of rows) {
      const p = expected[row.program_id]!;
      // Binomial SE sqrt(p(1-p)/n); 5 SE plus 0.01 for the linear-ramp approximation.
      expect(Math.abs(row.referred - p), row.program_id).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / row.n) + 0.01);
    }
  });

  it('draws repeat purchases from BG/NBD per group: mean repeats match E[X(T)] over each customer T (weeks)', async () => {
    const buckets = await wh.query<{ grp: string; week: number; n: number; x: number; xx: number }>(
      `select grp, week, count(*) as n, sum(x) as x, sum(x * x) as xx from (
        select case when c.referred_by_code is null then 'non_referred' else 'referred' end as grp,
          cast(floor(epoch(${END} - min(o.ordered_at)) / ${X.secondsPerWeek}) as integer) as week, count(*) - 1 as x
        from raw.customers c join raw.orders o using (customer_id)
        where c.customer_id not in (${ringIds}) group by c.customer_id, c.referred_by_code
      ) group by all order by all`,
    );
    for (const grp of ['non_referred', 'referred'] as const) {
      const b = buckets.filter((r) => r.grp === grp);
      const n = b.reduce((s, r) => s + r.n, 0);
      const mean = b.reduce((s, r) => s + r.x, 0) / n;
      const sd = Math.sqrt(b.reduce((s, r) => s + r.xx, 0) / n - mean * mean);
      // Each customer's T is known to the week; its midpoint stands in for it.
      const expected = b.reduce((s, r) => s + r.n * expectedRepeats(X.bgnbd[grp], r.week + 0.5), 0) / n;
      expect(Math.abs(mean - expected), `${grp}: observed ${mean}, expected ${expected}`).toBeLessThan(
        (4 * sd) / Math.sqrt(n),
      );
    }
  });

  it('orders more per referred customer than per non-referred', async () => {
    const rows = await wh.query<{ referred: boolean; per_customer: number }>(
      `select c.referred_by_code is not null as referred, count(o.order_id) / count(distinct c.customer_id) as per_customer
       from raw.customers c left join raw.orders o using (customer_id) where c.customer_id not in (${ringIds}) group by 1 order by 1`,
    );
    expect(rows[1]!.per_customer).toBeGreaterThan(rows[0]!.per_customer * 1.3);
  });

  it('spends Gamma-Gamma amounts: mean gross per order in USD is p*gamma/(q-1) = 40 and 48', async () => {
    // Orders of one customer share nu, so the standard error is clustered by customer:
    // Var(mean) = sum_c (S_c - mean * N_c)^2 / N^2, with S_c, N_c a customer's USD total and order count.
    const rows = await wh.query<{ grp: string; mean: number; se: number }>(
      `with per as (
        select case when c.referred_by_code is null then 'non_referred' else 'referred' end as grp,
          sum(o.gross_minor / 100.0 * case o.currency when 'EUR' then 1.08 else 1 end) as s, count(*) as n
        from raw.orders o join raw.customers c using (customer_id) where c.customer_id not in (${ringIds}) group by c.customer_id, 1
      ), m as (select grp, sum(s) / sum(n) as mean, sum(n) as total from per group by 1)
      select grp, mean, sqrt(sum((s - mean * n) ^ 2)) / total as se from per join m using (grp) group by grp, mean, total order by 1`,
    );
    expect(rows.map((r) => r.grp)).toEqual(['non_referred', 'referred']);
    const expected = [40, 48];
    rows.forEach((r, i) =>
      expect(Math.abs(r.mean - expected[i]!), `${r.grp}: ${r.mean} +- ${r.se}`).toBeLessThan(4 * r.se),
    );
  });

  it('has 18% of non-referred respondents answer "A friend or colleague" (dark social)', async () => {
    const row = (
      await wh.query<{ share: number; n: number }>(
        `select avg((s.hdyhau_answer = 'A friend or colleague')::int) as share, count(*) as n
         from raw.survey_responses s join raw.customers c using (customer_id) where c.referred_by_code is null`,
      )
    )[0]!;
    expect(Math.abs(row.share - 0.18)).toBeLessThan(5 * Math.sqrt((0.18 * 0.82) / row.n));
  });

  it('makes advocates promoters more often: P(promoter | advocate) = 0.74 vs 0.40 overall', async () => {
    const rows = await wh.query<{ advocate: boolean; promoters: number; n: number }>(
      `with advocates as (select distinct advocate_id from raw.referral_events where event_type = 'invited')
       select a.advocate_id is not null as advocate, avg((s.nps_score >= 9)::int) as promoters, count(*) as n
       from raw.survey_responses s left join advocates a on a.advocate_id = s.customer_id group by 1 order by 1`,
    );
    // Respondents who invited are sharers: 0.738 promoters; the rest mix non-sharers (0.343) with quiet sharers.
    expect(Math.abs(rows[1]!.promoters - 0.738)).toBeLessThan(5 * Math.sqrt((0.738 * 0.262) / rows[1]!.n));
    expect(rows[0]!.promoters).toBeLessThan(0.4);
  });

  it('plants a +25% invite lift for $20 rewards and a +15% referee conversion lift for double-sided', async () => {
    const invites = await wh.query<{ variant: string; per_advocate: number; units: number }>(
      `with units as (
        select unit_id, min(variant) as variant, min(assigned_at) as assigned from raw.experiment_assignments
        where experiment_id = 'reward-amount-2025' group by 1 having count(*) = 1)
      select u.variant, count(e.event_id) / count(distinct u.unit_id) as per_advocate, count(distinct u.unit_id) as units
      from units u left join raw.referral_events e on e.advocate_id = u.unit_id and e.event_type = 'invited'
        and e.occurred_at >= u.assigned and e.occurred_at < timestamp '2025-11-24'
      group by 1 order by 1`,
    );
    expect(invites.map((r) => r.variant)).toEqual(['control', 'treatment']);
    const inviteLift = invites[1]!.per_advocate / invites[0]!.per_advocate - 1;
    // ~3,800 advocates, invites per advocate ~1.5 with a Gamma-mixed spread (sd ~2): SE of the lift ~0.05.
    expect(inviteLift).toBeGreaterThan(0.25 - 0.17);
    expect(inviteLift).toBeLessThan(0.25 + 0.17);

    const conversion = await wh.query<{ variant: string; rate: number; referees: number }>(
      `with units as (
        select unit_id, min(variant) as variant from raw.experiment_assignments
        where experiment_id = 'double-sided-2025' group by 1 having count(*) = 1)
      select u.variant, avg((exists (select 1 from raw.orders o where o.customer_id = c.customer_id))::int) as rate, count(*) as referees
      from units u join raw.customers a on a.customer_id = u.unit_id
      join raw.customers c on c.referred_by_code = a.referral_code
      where c.created_at >= timestamp '2025-11-24' and c.created_at < timestamp '2026-04-10'
      group by 1 order by 1`,
    );
    expect(conversion.map((r) => r.variant)).toEqual(['double_sided', 'one_sided']);
    const [treated, control] = [conversion[0]!, conversion[1]!];
    // Rates 0.828 and 0.72 on ~1,400 referees each: SE of the ratio ~0.025; 5 SE = 0.12.
    expect(treated.rate / control.rate).toBeGreaterThan(1.15 - 0.12);
    expect(treated.rate / control.rate).toBeLessThan(1.15 + 0.12);
  });

  it('double-assigns a tiny share of units (0.4%)', async () => {
    const row = (
      await wh.query<{ dup: number; units: number }>(
        `select count(*) filter (where n > 1) as dup, count(*) as units from
          (select experiment_id, unit_id, count(distinct variant) as n from raw.experiment_assignments group by all)`,
      )
    )[0]!;
    expect(row.dup).toBeGreaterThan(0);
    expect(Math.abs(row.dup / row.units - 0.004)).toBeLessThan(5 * Math.sqrt((0.004 * 0.996) / row.units));
  });

  it('rates support higher for promoters than detractors (CSAT means 4.46 / 3.13 when resolved)', async () => {
    const rows = await wh.query<{ cls: string; csat: number }>(
      `select case when r.nps_score >= 9 then 'promoter' else 'detractor' end as cls, avg(s.satisfaction) as csat
       from raw.support_interactions s join raw.survey_responses r using (customer_id)
       where s.resolved and (r.nps_score >= 9 or r.nps_score <= 6) group by 1 order by 1`,
    );
    expect(rows[0]!.csat).toBeLessThan(rows[1]!.csat - 0.8);
  });
});
