import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { ruleSetSchema, ruleVersion } from '../../../../models/marts/attribution/config-schema.js';
import { markovAttribution, markovRemovalEffects } from '../../../../models/stats/markov.js';
import { shapleyAttribution } from '../../../../models/stats/shapley.js';
import { land, memoryWarehouse } from '../../../helpers/landing.js';
import { runAttribution, withAttribution } from './helpers.js';

const SITE = 'https://shop.example.com';
const DECIDED = '2026-02-01T00:00:00Z';
const config = withAttribution({ decidedAt: DECIDED });
const VERSION = ruleVersion(ruleSetSchema.parse({}));

const customer = (customer_id: string, extra: Record<string, unknown> = {}) => ({
  customer_id,
  email: `${customer_id.toLowerCase()}@example.com`,
  created_at: '2025-01-01T00:00:00Z',
  referral_code: `R${customer_id}`,
  ...extra,
});
const order = (order_id: string, customer_id: string, ordered_at: string, gross: number, extra = {}) => ({
  order_id,
  customer_id,
  ordered_at,
  currency: 'USD',
  gross_minor: gross,
  discount_minor: 0,
  tax_minor: 0,
  refunded_minor: 0,
  status: 'paid',
  ...extra,
});
const touch = (touch_id: string, customer_id: string, occurred_at: string, kind: string, touch_type = 'click') => ({
  touch_id,
  customer_id,
  anonymous_id: `A-${customer_id}`,
  occurred_at,
  touch_type,
  page_url: `${SITE}/`,
  ...(kind === 'paid_search' ? { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'search-brand' } : {}),
  ...(kind === 'email' ? { utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'weekly-digest' } : {}),
  ...(kind === 'organic' ? { referrer_url: 'https://www.google.com/' } : {}),
  ...(kind === 'referral' ? { page_url: `${SITE}/r?ref=RC9` } : {}),
});

interface CreditRow {
  order_id: string;
  model: string;
  touch_id: string | null;
  channel: string;
  advocate_id: string | null;
  credit: number;
  revenue_credit_minor: number;
  reason_code: string;
  rule_version: string;
}

async function credits(wh: Warehouse, orderId: string, model: string): Promise<CreditRow[]> {
  return wh.query<CreditRow>(
    `select order_id, model, touch_id, channel, advocate_id, credit, revenue_credit_minor, reason_code, rule_version
     from main.attribution_credit where order_id = '${orderId}' and model = '${model}' order by touch_occurred_at, touch_id`,
  );
}
const brief = (rows: CreditRow[]) => rows.map((r) => [r.touch_id, r.credit, r.revenue_credit_minor, r.reason_code]);

describe('attribution_credit on literal journeys', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await memoryWarehouse();
    await land(wh, 'customers', [
      customer('C1'),
      customer('C2'),
      customer('C3'),
      customer('C4'),
      customer('C5'),
      customer('C9', { referral_code: 'RC9' }),
    ]);
    await land(wh, 'orders', [
      // C1 converts at 2025-03-31 00:00 for 1000 minor (net = gross: no discount, tax or refund).
      order('O1', 'C1', '2025-03-31T00:00:00Z', 1000),
      order('O1b', 'C1', '2025-04-10T00:00:00Z', 500), // a second order: not a first_order conversion
      order('O2', 'C2', '2025-03-31T12:00:00Z', 700), // no eligible touch
      order('O3', 'C3', '2025-04-01T00:00:00Z', 900, { referral_code: 'rc9' }), // code redeemed at checkout
      order('O4', 'C4', '2025-04-01T00:00:00Z', 1000), // three touches: 1000 split linearly
      // Partly refunded: net = 1210 - 0 - 70 - 1000 = 140 (stg_orders floors net at 0, so revenue is never negative).
      order('O5', 'C5', '2025-04-02T00:00:00Z', 1210, {
        tax_minor: 70,
        refunded_minor: 1000,
        status: 'partially_refunded',
      }),
    ]);
    await land(wh, 'touches', [
      // The 4-touch journey of O1 (days before the conversion: 28, 14, 7, 1).
      touch('T1', 'C1', '2025-03-03T00:00:00Z', 'paid_search'),
      touch('T2', 'C1', '2025-03-17T00:00:00Z', 'email'),
      touch('T3', 'C1', '2025-03-24T00:00:00Z', 'organic', 'visit'),
      touch('T4', 'C1', '2025-03-30T00:00:00Z', 'direct', 'visit'),
      // Not eligible: a view 2 days before (view lookback 1 day), a click 32 days before (click lookback 30), a
      // click after the conversion.
      touch('T0a', 'C1', '2025-03-29T00:00:00Z', 'paid_search', 'view'),
      touch('T0b', 'C1', '2025-02-27T00:00:00Z', 'email'),
      touch('T0c', 'C1', '2025-03-31T01:00:00Z', 'email'),
      // O2: only a touch 40 days before.
      touch('T20', 'C2', '2025-02-19T12:00:00Z', 'email'),
      // O3: a touch, but the redeemed code overrides it in rule-based models.
      touch('T30', 'C3', '2025-03-30T00:00:00Z', 'paid_search'),
      // O4: three touches at 3, 2 and 1 days before.
      touch('T41', 'C4', '2025-03-29T00:00:00Z', 'email'),
      touch('T42', 'C4', '2025-03-30T00:00:00Z', 'paid_search'),
      touch('T43', 'C4', '2025-03-31T00:00:00Z', 'organic', 'visit'),
      touch('T51', 'C5', '2025-03-30T00:00:00Z', 'email'),
      touch('T52', 'C5', '2025-03-31T00:00:00Z', 'email'),
      touch('T53', 'C5', '2025-04-01T00:00:00Z', 'email'),
      // A non-converting person (a null journey for Markov).
      { ...touch('T90', 'X', '2025-03-01T00:00:00Z', 'paid_search'), customer_id: null, anonymous_id: 'A-visitor' },
    ]);
    await runAttribution(wh, config);
  });
  afterEach(async () => {
    await wh.close();
  });

  it('credits the 4-touch journey by hand-computed rules, excluding touches outside lookback or after the order', async () => {
    // First / last / last non-direct: all to T1 / T4 (Direct) / T3 (the last touch that is not Direct).
    expect(brief(await credits(wh, 'O1', 'first_touch'))).toEqual([['T1', 1, 1000, 'first_touch']]);
    expect(brief(await credits(wh, 'O1', 'last_touch'))).toEqual([['T4', 1, 1000, 'last_touch']]);
    expect(brief(await credits(wh, 'O1', 'last_non_direct'))).toEqual([['T3', 1, 1000, 'last_non_direct']]);
    // Linear: 1/4 each; 1000 * 0.25 = 250 exactly.
    expect(brief(await credits(wh, 'O1', 'linear'))).toEqual([
      ['T1', 0.25, 250, 'linear_share'],
      ['T2', 0.25, 250, 'linear_share'],
      ['T3', 0.25, 250, 'linear_share'],
      ['T4', 0.25, 250, 'linear_share'],
    ]);
    // Position-based 40/20/40: first 0.4, the two middle touches 0.2 / 2 = 0.1 each, last 0.4.
    const pb = await credits(wh, 'O1', 'position_based');
    expect(pb.map((r) => r.reason_code)).toEqual([
      'position_first',
      'position_middle',
      'position_middle',
      'position_last',
    ]);
    expect(pb.map((r) => r.credit)).toEqual([0.4, 0.1, 0.1, 0.4].map((x) => expect.closeTo(x, 12)));
    expect(pb.map((r) => r.revenue_credit_minor)).toEqual([400, 100, 100, 400]);
    // Time decay, half-life 7 days: weights 2^(-28/7) = 0.0625, 2^(-14/7) = 0.25, 2^(-7/7) = 0.5,
    // 2^(-1/7) = 0.9057236642639067; sum 1.7182236642639066; credits w / sum = 0.036374775473003,
    // 0.145499101892012, 0.290998203784024, 0.527127918850962. Revenue 1000 x credit = 36.375, 145.499, 290.998,
    // 527.128: floors 36 + 145 + 290 + 527 = 998, the 2 units left go to the largest remainders (.998 T3, .499 T2).
    const td = await credits(wh, 'O1', 'time_decay');
    expect(td.map((r) => r.credit)).toEqual(
      [0.036374775473003, 0.145499101892012, 0.290998203784024, 0.527127918850962].map((x) => expect.closeTo(x, 12)),
    );
    expect(td.map((r) => r.revenue_credit_minor)).toEqual([36, 146, 291, 527]);
    // Markov and Shapley: O1's path has four distinct channels; every converting path is unique to its channel set
    // and removing any of its channels kills it, so the shares are 1/4 each (Shapley: unanimity game split
    // equally; Markov: equal removal effects within this journey).
    const sh = await credits(wh, 'O1', 'shapley');
    expect(brief(sh)).toEqual([
      ['T1', 0.25, 250, 'shapley_value'],
      ['T2', 0.25, 250, 'shapley_value'],
      ['T3', 0.25, 250, 'shapley_value'],
      ['T4', 0.25, 250, 'shapley_value'],
    ]);
    expect((await credits(wh, 'O1', 'markov')).map((r) => r.reason_code)).toEqual(
      Array(4).fill('markov_removal_effect'),
    );
  });

  it('splits 1000 minor over three linear touches as 334 / 333 / 333 (remainder to the earliest touch)', async () => {
    // 1000 / 3 = 333.333...: floors 999, one unit left, remainders tie, the earliest touch (T41) gets it.
    expect((await credits(wh, 'O4', 'linear')).map((r) => [r.touch_id, r.revenue_credit_minor])).toEqual([
      ['T41', 334],
      ['T42', 333],
      ['T43', 333],
    ]);
    // 140 / 3 = 46.667 each: floors 138, the 2 units left go to the two earliest touches (remainders tie): 47 / 47 / 46.
    expect((await credits(wh, 'O5', 'linear')).map((r) => [r.touch_id, r.revenue_credit_minor])).toEqual([
      ['T51', 47],
      ['T52', 47],
      ['T53', 46],
    ]);
  });

  it('gives a redeemed referral code all rule-based credit and a conversion with no eligible touch one Unattributed row', async () => {
    for (const model of ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'time_decay']) {
      const o3 = await credits(wh, 'O3', model);
      expect(
        o3.map((r) => [r.touch_id, r.channel, r.advocate_id, r.credit, r.revenue_credit_minor, r.reason_code]),
      ).toEqual([[null, 'Referral Program', 'C9', 1, 900, 'referral_code_redeemed']]);
    }
    // Data-driven models weigh tracked touches only: T30 (Paid Search).
    expect(brief(await credits(wh, 'O3', 'shapley'))).toEqual([['T30', 1, 900, 'shapley_value']]);
    for (const model of ['first_touch', 'linear', 'markov', 'shapley']) {
      const o2 = await credits(wh, 'O2', model);
      expect(o2.map((r) => [r.touch_id, r.channel, r.credit, r.revenue_credit_minor, r.reason_code])).toEqual([
        [null, 'Unattributed', 1, 700, 'no_eligible_touch'],
      ]);
    }
  });

  it('sums credits to 1 per conversion and model, reconciles revenue per day to zero, and stamps version and time', async () => {
    const sums = await wh.query<{ order_id: string; model: string; s: number; rev: number; n: number }>(
      `select order_id, model, sum(credit) as s, sum(revenue_credit_minor) as rev, count(*) as n
       from main.attribution_credit group by 1, 2 order by 1, 2`,
    );
    expect(sums).toHaveLength(5 * 8); // O1, O2, O3, O4, O5 (O1b is not a first order) x 8 models
    for (const s of sums) expect(s.s).toBeCloseTo(1, 12);
    const revenue: Record<string, number> = { O1: 1000, O2: 700, O3: 900, O4: 1000, O5: 140 };
    for (const s of sums) expect(s.rev).toBe(revenue[s.order_id]);
    const rec = await wh.query<Record<string, unknown>>(
      `select cast(conversion_date as varchar) as day, model, order_revenue_minor, attributed_revenue_minor,
         unattributed_revenue_minor, difference_minor
       from main.attribution_reconciliation where model = 'linear' order by day`,
    );
    // 2025-03-31: O1 1000 (attributed) + O2 700 (unattributed); 2025-04-01: O3 900 + O4 1000; 2025-04-02: O5 140.
    expect(rec).toEqual([
      {
        day: '2025-03-31',
        model: 'linear',
        order_revenue_minor: 1700,
        attributed_revenue_minor: 1000,
        unattributed_revenue_minor: 700,
        difference_minor: 0,
      },
      {
        day: '2025-04-01',
        model: 'linear',
        order_revenue_minor: 1900,
        attributed_revenue_minor: 1900,
        unattributed_revenue_minor: 0,
        difference_minor: 0,
      },
      {
        day: '2025-04-02',
        model: 'linear',
        order_revenue_minor: 140,
        attributed_revenue_minor: 140,
        unattributed_revenue_minor: 0,
        difference_minor: 0,
      },
    ]);
    const nonZero = await wh.query(`select * from main.attribution_reconciliation where difference_minor <> 0`);
    expect(nonZero).toEqual([]);
    const stamps = await wh.query<{ v: string; t: Date }>(
      `select distinct rule_version as v, decided_at as t from main.attribution_credit`,
    );
    expect(stamps).toEqual([{ v: VERSION, t: new Date(DECIDED) }]);
  });

  it('keeps the rows of an earlier rule version when the rule set changes, and replaces only the current version', async () => {
    const before = await wh.query(`select * from main.attribution_credit order by all`);
    const changed = withAttribution({ decidedAt: '2026-03-01T00:00:00Z', ruleSet: { timeDecayHalfLifeDays: 14 } });
    const v2 = ruleVersion(ruleSetSchema.parse({ timeDecayHalfLifeDays: 14 }));
    expect(v2).not.toBe(VERSION);
    await runAttribution(wh, changed);
    await runAttribution(wh, changed); // idempotent: the second run replaces v2's rows
    const kept = await wh.query(`select * from main.attribution_credit where rule_version = '${VERSION}' order by all`);
    expect(kept).toEqual(before);
    const counts = await wh.query<{ v: string; n: number }>(
      `select rule_version as v, count(*) as n from main.attribution_credit group by 1 order by 1`,
    );
    expect(counts.map((c) => c.v).sort()).toEqual([VERSION, v2].sort());
    expect(counts[0]!.n).toBe(counts[1]!.n);
    // Half-life 14: O1's time-decay weights 2^(-2), 2^(-1), 2^(-0.5), 2^(-1/14) differ from the half-life-7 ones.
    const td2 = await wh.query<{ credit: number }>(
      `select credit from main.attribution_credit where rule_version = '${v2}' and order_id = 'O1'
       and model = 'time_decay' order by touch_occurred_at`,
    );
    const w = [0.25, 0.5, Math.SQRT1_2, 2 ** (-1 / 14)];
    const total = w.reduce((a, b) => a + b, 0);
    expect(td2.map((r) => r.credit)).toEqual(w.map((x) => expect.closeTo(x / total, 12)));
    // Summaries read only the current version.
    const summaryVersions = await wh.query(`select distinct rule_version from main.attribution_summary`);
    expect(summaryVersions).toEqual([{ rule_version: v2 }]);
  });

  it('aggregates journeys to paths in SQL exactly as the stats functions expect (converting and null paths)', async () => {
    // Converting paths (time order): O1 Paid Search > Email > Organic Search > Direct (1000), O3 Paid Search (900),
    // O4 Email > Paid Search > Organic Search (1000), O5 Email > Email > Email (140); O2 has none. Null path: the
    // anonymous visitor's Paid Search.
    const paths = [
      { channels: ['Paid Search', 'Email', 'Organic Search', 'Direct'], conversions: 1, nulls: 0, value: 1000 },
      { channels: ['Paid Search'], conversions: 1, nulls: 0, value: 900 },
      { channels: ['Email', 'Paid Search', 'Organic Search'], conversions: 1, nulls: 0, value: 1000 },
      { channels: ['Email', 'Email', 'Email'], conversions: 1, nulls: 0, value: 140 },
      { channels: ['Paid Search'], conversions: 0, nulls: 1, value: 0 },
    ];
    const weights = await wh.query<{ model: string; channel: string; weight: number; conversions: number }>(
      `select model, channel, weight, conversions from main.attribution_channel_weights order by model, channel`,
    );
    const effects = markovRemovalEffects(paths).removalEffects;
    const markov = markovAttribution(paths);
    const shapley = shapleyAttribution(paths);
    expect(weights).toEqual([
      ...markov.map((m, i) => ({
        model: 'markov',
        channel: m.channel,
        weight: expect.closeTo(effects[i]!.removalEffect, 12),
        conversions: expect.closeTo(m.conversions, 12),
      })),
      ...shapley.map((m) => ({
        model: 'shapley',
        channel: m.channel,
        weight: expect.closeTo(m.conversions / 4, 12),
        conversions: expect.closeTo(m.conversions, 12),
      })),
    ]);
    // Per-conversion Shapley credits add up to the simplified Shapley value: O1 gives 1/4 to each of its four
    // channels, O3 1 to Paid Search, O4 1/3 to each of its three: Paid Search 1/4 + 1 + 1/3 = 1.58333.
    const perChannel = await wh.query<{ channel: string; c: number }>(
      `select channel, sum(credit) as c from main.attribution_credit where model = 'shapley'
       and channel <> 'Unattributed' group by 1 order by 1`,
    );
    expect(perChannel).toEqual(shapley.map((m) => ({ channel: m.channel, c: expect.closeTo(m.conversions, 12) })));
    expect(perChannel.find((r) => r.channel === 'Paid Search')!.c).toBeCloseTo(1 / 4 + 1 + 1 / 3, 12);
  });

  it("with referralCode 'off' credits the touches of a coded order, and with 'every_order' every order converts", async () => {
    const other = withAttribution({ decidedAt: DECIDED, ruleSet: { referralCode: 'off', conversion: 'every_order' } });
    await runAttribution(wh, other);
    const v = ruleVersion(ruleSetSchema.parse({ referralCode: 'off', conversion: 'every_order' }));
    const rows = async (orderId: string) =>
      (await credits(wh, orderId, 'linear')).filter((r) => r.rule_version === v).map((r) => [r.touch_id, r.credit]);
    expect(await rows('O3')).toEqual([['T30', 1]]);
    // O1b (2025-04-10, 500 minor) is a conversion too. Its journey: T2 (24 days before, click), T3 (17 days,
    // visit), T4 (11 days, visit) and T0c (10 days, click, after O1: no reset at an earlier conversion);
    // T1 is 38 days before (click lookback 30) and the view T0a 12 days (view lookback 1).
    expect(await rows('O1b')).toEqual([
      ['T2', 0.25],
      ['T3', 0.25],
      ['T4', 0.25],
      ['T0c', 0.25],
    ]);
  });

  it('caps data-driven journeys to their last maxPathLength touches; rule-based models keep every touch', async () => {
    const capped = withAttribution({ decidedAt: DECIDED, ruleSet: { maxPathLength: 2 } });
    await runAttribution(wh, capped);
    const v = ruleVersion(ruleSetSchema.parse({ maxPathLength: 2 }));
    const rows = async (model: string) =>
      (await credits(wh, 'O1', model)).filter((r) => r.rule_version === v).map((r) => [r.touch_id, r.credit]);
    // O1's last two touches are T3 (Organic Search) and T4 (Direct): two distinct channels, 1/2 each.
    expect(await rows('shapley')).toEqual([
      ['T3', 0.5],
      ['T4', 0.5],
    ]);
    expect((await rows('markov')).map((r) => r[0])).toEqual(['T3', 'T4']);
    expect((await rows('linear')).map((r) => r[0])).toEqual(['T1', 'T2', 'T3', 'T4']);
  });
});
