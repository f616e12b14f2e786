import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic, syntheticOptionsFor } from '../../../../ingest/synthetic/index.js';
import { SYNTHETIC_TRUTHS as X } from '../../../../ingest/synthetic/params.js';
import { demoConfig } from '../../../../src/pipeline.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../../../helpers/landing.js';
import { runAttribution, withAttribution } from './helpers.js';

/*
 * The attribution marts on the synthetic demo (20,000 customers, seed 42; planted truths in
 * ingest/synthetic/TRUTHS.md, SYNTHETIC_TRUTHS in params.ts). Tolerances are 3 binomial standard errors,
 * sqrt(p (1 - p) / n), of the measured proportion.
 */
let wh: Warehouse;
const base = demoConfig();
const config = withAttribution({ decidedAt: '2026-07-01T00:00:00Z' }, base);

beforeAll(async () => {
  wh = await memoryWarehouse();
  await generateSynthetic(wh, syntheticOptionsFor(base, 20_000, 42));
  await runAttribution(wh, config, ['attribution_reconciliation', 'attribution_summary', 'dark_social_share']);
}, 120_000);

afterAll(async () => {
  await wh?.close();
});

const within3se = (measured: number, truth: number, n: number) =>
  expect(Math.abs(measured - truth)).toBeLessThan(3 * Math.sqrt((truth * (1 - truth)) / n));

describe('attribution marts on the synthetic demo', () => {
  it('sums credits to 1 and revenue credits to the order revenue for every conversion and model', async () => {
    const [bad] = await wh.query<{ groups: number; off_credit: number; off_revenue: number }>(`
      with g as (
        select a.order_id, a.model, sum(a.credit) as s, sum(a.revenue_credit_minor) as rev, max(c.revenue_minor) as revenue
        from attribution_credit a join attribution_conversions c on c.order_id = a.order_id
        group by 1, 2
      )
      select count(*) as groups, sum(case when abs(s - 1) > 1e-9 then 1 else 0 end) as off_credit,
        sum(case when rev <> revenue then 1 else 0 end) as off_revenue
      from g`);
    const [conv] = await wh.query<{ n: number }>(`select count(*) as n from attribution_conversions`);
    expect(conv!.n).toBeGreaterThan(10_000);
    expect(bad).toEqual({ groups: conv!.n * 8, off_credit: 0, off_revenue: 0 });
  });

  it('reconciles attributed + unattributed revenue to order revenue on every day and model (difference zero)', async () => {
    const [r] = await wh.query<{ rows: number; nonzero: number; revenue: number }>(
      `select count(*) as rows, sum(case when difference_minor <> 0 then 1 else 0 end) as nonzero,
         sum(order_revenue_minor) as revenue from attribution_reconciliation`,
    );
    const [o] = await wh.query<{ revenue: number }>(
      `select sum(revenue_minor) as revenue from attribution_conversions`,
    );
    expect(r!.nonzero).toBe(0);
    expect(r!.revenue).toBe(o!.revenue * 8); // every model's rows cover every conversion day
  });

  it('credits the Referral Program with exactly the referred customers who ordered (the planted referral code)', async () => {
    // Ground truth from the landing data: a referred customer's first order carries the advocate's code.
    const [truth] = await wh.query<{ n: number }>(`
      select count(distinct c.customer_id) as n from raw.customers c join raw.orders o on o.customer_id = c.customer_id
      where c.referred_by_code is not null`);
    const rows = await wh.query<{ model: string; conversions: number }>(`
      select model, sum(conversions) as conversions from attribution_summary
      where channel = 'Referral Program' and model in ('first_touch', 'last_touch', 'linear', 'time_decay')
      group by 1 order by 1`);
    expect(rows.map((r) => r.conversions)).toEqual([truth!.n, truth!.n, truth!.n, truth!.n]);
  });

  it('recovers the planted order-touch channel mix as last-touch credit of non-referral conversions', async () => {
    // Each order has one touch up to an hour before it (TRUTHS.md "Acquisition and touches"), so the last touch
    // of a first order is that touch: direct .35, email .30, organic .20, paid_search .10, paid_social .05.
    const rows = await wh.query<{ channel: string; n: number }>(`
      select channel, sum(conversions) as n from attribution_summary
      where model = 'last_touch' and channel <> 'Referral Program' group by 1`);
    const total = rows.reduce((s, r) => s + r.n, 0);
    const share = Object.fromEntries(rows.map((r) => [r.channel, r.n / total]));
    const mix = X.touches.orderMix;
    const truth: Record<string, number> = {
      Direct: mix.direct,
      Email: mix.email,
      'Organic Search': mix.organic,
      'Paid Search': mix.paid_search,
      'Paid Social': mix.paid_social,
    };
    expect(Object.keys(share).sort()).toEqual(Object.keys(truth).sort());
    for (const [channel, p] of Object.entries(truth)) within3se(share[channel]!, p, total);
  });

  it('recovers the planted acquisition mix of unreferred survey respondents as the tracked sign-up channel', async () => {
    // Unreferred customers: 82% follow acquisitionMix, 18% (dark social) direct .6 / organic .4 (TRUTHS.md), so
    // expected: paid_search .82 x .28 = .2296, paid_social .82 x .22 = .1804, email .82 x .10 = .082,
    // organic .82 x .25 + .18 x .4 = .277, direct .82 x .15 + .18 x .6 = .231.
    const rows = await wh.query<{ tracked_channel: string; n: number }>(`
      select tracked_channel, sum(respondents) as n from survey_vs_tracked
      where tracked_channel <> 'Referral Program' group by 1`);
    const total = rows.reduce((s, r) => s + r.n, 0);
    const share = Object.fromEntries(rows.map((r) => [r.tracked_channel, r.n / total]));
    const dark = X.darkSocial.share;
    const a = X.acquisitionMix;
    const truth: Record<string, number> = {
      'Paid Search': (1 - dark) * a.paid_search,
      'Paid Social': (1 - dark) * a.paid_social,
      Email: (1 - dark) * a.email,
      'Organic Search': (1 - dark) * a.organic + dark * X.darkSocial.acquisitionMix.organic,
      Direct: (1 - dark) * a.direct + dark * X.darkSocial.acquisitionMix.direct,
    };
    expect(Object.keys(share).sort()).toEqual(Object.keys(truth).sort());
    for (const [channel, p] of Object.entries(truth)) within3se(share[channel]!, p, total);
  });

  it('recovers the planted dark-social share (18% of unreferred respondents say "a friend")', async () => {
    const [r] = await wh.query<{ respondents: number; unreferred: number; dark: number }>(`
      select sum(respondents) as respondents, sum(unreferred_respondents) as unreferred, sum(dark_social) as dark
      from dark_social_share`);
    const recovered = r!.dark / r!.unreferred;
    // Measured on this demo: 926 / 5215 = 0.1776 (planted 0.18; 3 SE = 0.0160).
    within3se(recovered, X.darkSocial.share, r!.unreferred);
    // Every dark-social customer is tracked as Direct or Organic Search (the dark-social acquisition mix).
    const tracked = await wh.query<{ tracked_channel: string }>(
      `select distinct tracked_channel from survey_vs_tracked where dark_social > 0 order by 1`,
    );
    expect(tracked.map((t) => t.tracked_channel)).toEqual(['Direct', 'Organic Search']);
  });

  it('adds per-conversion Shapley credits up to the simplified Shapley value of the journey aggregates', async () => {
    // shapleyAttribution (attribution_channel_weights) runs on the distinct paths; attribution_credit splits each
    // conversion equally over its distinct channels. By the unanimity-game decomposition the totals are equal.
    const rows = await wh.query<{ channel: string; credited: number; total: number }>(`
      select w.channel, c.credited, w.conversions as total
      from attribution_channel_weights w
      join (select channel, sum(credit) as credited from attribution_credit where model = 'shapley' group by 1) c
        on c.channel = w.channel
      where w.model = 'shapley' order by 1`);
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) expect(r.credited).toBeCloseTo(r.total, 6);
  });
});
