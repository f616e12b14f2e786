/**
 * The loaders of the newer pages (overview, referral tree, advocates, fraud and review, data quality, payouts) on
 * a real in-memory DuckDB with literal mart rows; every expected number is worked out by hand in a comment. Each
 * loader also returns an empty shape with the mart's state when its mart is missing, so a page says "no data yet".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAdvocateScores } from '../../src/site/advocates-data.js';
import { loadDataQuality } from '../../src/site/data-quality-data.js';
import { loadFraudBacktest, loadFraudFlags, loadReviewQueue } from '../../src/site/fraud-data.js';
import { loadPayoutForecast, loadProgramRoi } from '../../src/site/overview-data.js';
import { loadLiabilityBalances, loadPayoutBatches } from '../../src/site/payouts-data.js';
import { pseudonym } from '../../src/site/pseudonym.js';
import { loadLtvSegments } from '../../src/site/ltv-segments-data.js';
import { loadReferralTree } from '../../src/site/referral-tree-data.js';
import { loadRewardLiability } from '../../src/site/rewards-data.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';

const NOW = new Date('2026-01-02T03:04:05Z');
const ENV = {} as NodeJS.ProcessEnv;

describe('new page loaders', () => {
  let wh: DuckDBWarehouse;
  beforeEach(async () => {
    wh = await DuckDBWarehouse.open({ path: ':memory:' });
  });
  afterEach(async () => {
    await wh.close();
  });

  it('every loader returns an empty shape naming the missing mart', async () => {
    for (const load of [
      loadProgramRoi,
      loadPayoutForecast,
      loadReferralTree,
      loadAdvocateScores,
      loadFraudFlags,
      loadReviewQueue,
      loadFraudBacktest,
      loadDataQuality,
      loadLiabilityBalances,
      loadPayoutBatches,
      loadLtvSegments,
    ]) {
      const data = await load(wh, 'main', { now: NOW });
      expect(data.status.state, load.name).toBe('missing');
      expect(data.generatedAt).toBe('2026-01-02T03:04:05.000Z');
    }
  });

  it('program_roi: one row per month and program, nulls kept', async () => {
    await wh.exec(`create table main.program_roi as select * from (values
  (date '2026-04-01', 'friends', 'USD', 40, 480000, 900000, 60000, 4000, 1600, 5200, 6.5, 2.4, 0.42, 300, 40),
  (date '2026-04-01', 'partners', 'USD', 10, 150000, 260000, 30000, 0, 3000, null, 3.8, 4.1, 0.18, 90, 10)
) t(month, program_id, currency, referred_customers, referral_revenue_minor, predicted_ltv_minor,
    reward_cost_cash_minor, reward_cost_non_cash_minor, referral_cac_minor, paid_cac_minor, roi, payback_months,
    k_factor, invites, conversions)`);
    const d = await loadProgramRoi(wh, 'main', { now: NOW });
    expect(d.status.state).toBe('ready');
    expect(d.currency).toBe('USD');
    expect(d.programs).toEqual(['friends', 'partners']);
    expect(d.months).toEqual(['2026-04-01']);
    expect(d.rows[1]).toMatchObject({ program_id: 'partners', paid_cac_minor: null, referral_revenue_minor: 150000 });
  });

  it('referral_tree: generations summed and the top root pseudonymised', async () => {
    // Root A: 3 referrals over 2 generations, 2 converted; root B: 1 referral, converted.
    await wh.exec(`create table main.referral_tree as select * from (values
  ('friends', 'A', 'x1', 1, 'A', timestamp '2026-01-01', false, false),
  ('friends', 'A', 'x2', 1, 'A', null, false, false),
  ('friends', 'x1', 'x3', 2, 'A', timestamp '2026-02-01', true, false),
  ('friends', 'B', 'y1', 1, 'B', timestamp '2026-03-01', false, false)
) t(program_id, advocate_id, referee_id, generation, root_advocate_id, converted_at, in_cycle, depth_capped)`);
    const d = await loadReferralTree(wh, 'main', { now: NOW, env: ENV });
    expect(d.generations).toEqual([
      { program_id: 'friends', generation: 1, referrals: 3, converted: 2, advocates: 2, in_cycle: 0, depth_capped: 0 },
      { program_id: 'friends', generation: 2, referrals: 1, converted: 1, advocates: 1, in_cycle: 1, depth_capped: 0 },
    ]);
    expect(d.roots.map((r) => [r.rank, r.advocate, r.referrals, r.converted, r.generations])).toEqual([
      [1, pseudonym('A', 'adv', 'refstack-site'), 3, 2, 2],
      [2, pseudonym('B', 'adv', 'refstack-site'), 1, 1, 1],
    ]);
    expect(JSON.stringify(d)).not.toMatch(/"A"|"B"/);
  });

  it('advocate_scores: 5-point bins (100 in the last bin) and per-tier means', async () => {
    // Scores 3, 7, 100 (promoter, ready), 98 (promoter, not ready): bins 0 (3), 5 (7), 95 (100 and 98).
    await wh.exec(
      `create table main.advocate_scores as select customer_id, 'p' as person_id, 'friends' as program_id,
  score, tier, ready, score / 2 as nps_points, 0.0 as repeat_points, 0.0 as support_points, 0.0 as engagement_points,
  0.0 as tenure_points, score / 2 as referral_points, timestamp '2026-06-01 12:00:00' as scored_at
from (values ('c1', 3.0, 'low', false), ('c2', 7.0, 'low', false), ('c3', 100.0, 'promoter', true),
  ('c4', 98.0, 'promoter', false)) t(customer_id, score, tier, ready) `.replace('ready,', 'ready as ready_to_invite,'),
    );
    const d = await loadAdvocateScores(wh, 'main', { now: NOW });
    expect(d.bins.map((b) => [b.bin, b.customers])).toEqual([
      [0, 1],
      [5, 1],
      [95, 2],
    ]);
    // promoter: mean score (100 + 98) / 2 = 99, nps mean (50 + 49) / 2 = 49.5, 1 ready.
    const promoter = d.tiers.find((t) => t.tier === 'promoter')!;
    expect(promoter).toMatchObject({ customers: 2, ready_to_invite: 1, mean_score: 99 });
    expect(promoter.components['nps_points']).toBe(49.5);
    expect(d.scoredAt).toBe('2026-06-01');
  });

  it('review_queue: statuses, reasons split and counted per referral, pending pseudonymised', async () => {
    await wh.exec(`create table main.review_queue as select * from (values
  ('r1', 'friends', 'a1', 'b1', 'fraud_score,high_value', 0.9, 50000, 'USD', timestamp '2026-05-01', 'pending'),
  ('r2', 'friends', 'a2', 'b2', 'high_value', null, 60000, 'USD', timestamp '2026-05-02', 'pending'),
  ('r3', 'friends', 'a3', 'b3', 'fraud_score', 0.7, 1000, 'USD', timestamp '2026-05-03', 'rejected')
) t(referral_id, program_id, advocate_id, referee_id, queue_reasons, fraud_score, order_base_minor, currency,
    queued_at, status)`);
    const d = await loadReviewQueue(wh, 'main', { now: NOW, env: ENV });
    // pending: r1 + r2 = 2 referrals, 50,000 + 60,000 = 110,000 minor units.
    expect(d.byStatus).toEqual([
      { status: 'pending', referrals: 2, order_base_minor: 110000 },
      { status: 'rejected', referrals: 1, order_base_minor: 1000 },
    ]);
    // fraud_score: r1, r3 (1 pending); high_value: r1, r2 (2 pending).
    expect(d.byReason).toEqual([
      { reason: 'fraud_score', referrals: 2, pending: 1 },
      { reason: 'high_value', referrals: 2, pending: 2 },
    ]);
    // Referral ids too: stg_referrals makes them md5(program_id|referee_id), which enumerating ids would reverse.
    expect(d.pending.map((p) => [p.referral_id, p.advocate, p.referee])).toEqual([
      [
        pseudonym('r1', 'rfl', 'refstack-site'),
        pseudonym('a1', 'adv', 'refstack-site'),
        pseudonym('b1', 'ref', 'refstack-site'),
      ],
      [
        pseudonym('r2', 'rfl', 'refstack-site'),
        pseudonym('a2', 'adv', 'refstack-site'),
        pseudonym('b2', 'ref', 'refstack-site'),
      ],
    ]);
    const raw = await loadReviewQueue(wh, 'main', { now: NOW, env: { REFSTACK_SITE_ALLOW_PII: '1' } });
    expect(raw.pending.map((p) => p.referral_id)).toEqual(['r1', 'r2']);
  });

  it('fraud_flags and fraud_backtest: per rule, combined last', async () => {
    await wh.exec(`create table main.fraud_flags as select * from (values
  ('r1', 'friends', 'self_referral', 1.0, timestamp '2026-01-05'),
  ('r1', 'friends', 'velocity', 0.5, timestamp '2026-01-06'),
  ('r2', 'friends', 'velocity', 0.7, timestamp '2026-02-01')
) t(referral_id, program_id, rule, score, flagged_at)`);
    await wh.exec(`create table main.fraud_backtest as select * from (values
  ('combined', 'v1', 3, 2, 1, 1, 0.6667, 0.6667), ('velocity', 'v1', 2, 1, 1, 1, 0.5, 0.5)
) t(rule, rule_version, flagged, true_positives, false_positives, false_negatives, precision, recall)`);
    const f = await loadFraudFlags(wh, 'main', { now: NOW });
    // velocity: 2 flags (mean (0.5 + 0.7) / 2 = 0.6), self_referral 1; distinct referrals r1, r2 = 2.
    expect(f.byRule.map((r) => [r.rule, r.flags, r.referrals])).toEqual([
      ['velocity', 2, 2],
      ['self_referral', 1, 1],
    ]);
    expect(f.byRule[0]!.mean_score).toBeCloseTo(0.6, 12);
    expect(f.flaggedReferrals).toBe(2);
    expect(f.monthly).toHaveLength(3);
    const b = await loadFraudBacktest(wh, 'main', { now: NOW });
    expect(b.rows.map((r) => [r.rule, r.precision])).toEqual([
      ['velocity', 0.5],
      ['combined', 0.6667],
    ]);
  });

  it('data_quality: worst status first', async () => {
    await wh.exec(`create table main.data_quality as select * from (values
  ('a', 'raw.x', 10, 9, 1, 'bad', timestamp '2026-01-01', 2.0, 0.0, 0.1, 'ok', null),
  ('b', 'raw.y', 10, 5, 5, 'bad', timestamp '2026-01-01', 200.0, 0.0, 0.5, 'fail', 'stale')
) t(source, target_table, rows_read, rows_loaded, rows_quarantined, top_reason, newest_event_at, freshness_hours,
    duplicate_rate, unstitched_share, status, detail)`);
    const d = await loadDataQuality(wh, 'main', { now: NOW });
    expect(d.rows.map((r) => [r.source, r.status, r.rows_quarantined])).toEqual([
      ['b', 'fail', 5],
      ['a', 'ok', 1],
    ]);
  });

  it('reward_liability in the balances shape: summed per program, and the per-status view derived from it', async () => {
    await wh.exec(`create table main.reward_liability as select date '2026-06-30' as as_of, 'USD' as currency, * from (values
  ('friends', 1000, 4000, 9000, 500, 2000, 3000, 1000, 0, 0),
  ('partners', 0, 2500, 0, 0, 0, 0, 0, 1500, 1000)
) t(program_id, held_minor, approved_unpaid_minor, paid_minor, clawed_back_minor, clawback_exposure_minor,
    aging_0_30_minor, aging_31_60_minor, aging_61_90_minor, aging_90_plus_minor)`);
    const b = await loadLiabilityBalances(wh, 'main', { now: NOW });
    // approved unpaid 4,000 + 2,500 = 6,500; held 1,000; aging 61-90: 0 + 1,500.
    expect(b.total).toMatchObject({ held_minor: 1000, approved_unpaid_minor: 6500, aging_61_90_minor: 1500 });
    expect(b.asOf).toBe('2026-06-30');
    const l = await loadRewardLiability(wh, 'main', { now: NOW });
    expect(l.totals).toEqual([
      { status: 'held', rewards: null, amount_minor: 1000 },
      { status: 'approved_unpaid', rewards: null, amount_minor: 6500 },
    ]);
    expect(l.rows).toHaveLength(3);
  });

  it('payout_batches: due (scheduled, not exported) soonest first, exported newest first', async () => {
    await wh.exec(`create table main.payout_batches as select * from (values
  ('b1', date '2026-05-31', 'friends', 4, 1200, 'USD', 'exported'),
  ('b2', date '2026-04-30', 'friends', 3, 900, 'USD', 'exported_differs'),
  ('b3', date '2026-07-31', 'friends', 5, 1500, 'USD', 'scheduled'),
  ('b4', date '2026-06-30', 'friends', 5, 1400, 'USD', 'scheduled')
) t(payout_batch_id, payout_date, program_id, advocates, amount_minor, currency, status)`);
    const d = await loadPayoutBatches(wh, 'main', { now: NOW });
    expect(d.upcoming.map((b) => b.payout_batch_id)).toEqual(['b4', 'b3']);
    expect(d.recent.map((b) => b.payout_batch_id)).toEqual(['b1', 'b2']);
    // scheduled 1,500 + 1,400 = 2,900.
    expect(d.upcomingTotal).toEqual({ status: 'scheduled', batches: 2, amount_minor: 2900 });
    expect(d.byStatus).toEqual([
      { status: 'exported', batches: 1, amount_minor: 1200 },
      { status: 'exported_differs', batches: 1, amount_minor: 900 },
      { status: 'scheduled', batches: 2, amount_minor: 2900 },
    ]);
  });

  it('ltv_comparison: only the channel and advocate-tier rows, with their intervals', async () => {
    await wh.exec(`create table main.ltv_comparison as select *, 'USD' as reporting_currency from (values
  ('acquisition_type', 'referred', 'predicted_clv', 'd', 'minor', 10, 6800.0, 6300.0, 7300.0, 'non_referred', 3000.0, 3800.0, 3300.0, 4300.0, 0.001),
  ('channel', 'Email', 'predicted_clv', 'd', 'minor', 5, 4000.0, 3500.0, 4500.0, 'Direct', 3000.0, 1000.0, 100.0, 1900.0, 0.03),
  ('advocate_tier', '10+', 'repeat_purchase_rate', 'd', 'share', 4, 0.5, 0.4, 0.6, '1', 0.3, 0.2, 0.05, 0.35, 0.01)
) t(segment_type, segment, comparison, definition, unit, n, mean, mean_ci_low, mean_ci_high, baseline_segment,
    baseline_mean, difference, ci_low, ci_high, p_value)`);
    const d = await loadLtvSegments(wh, 'main', { now: NOW });
    expect(d.currency).toBe('USD');
    expect(d.rows.map((r) => [r.segment_type, r.segment, r.comparison, r.mean])).toEqual([
      ['advocate_tier', '10+', 'repeat_purchase_rate', 0.5],
      ['channel', 'Email', 'predicted_clv', 4000],
    ]);
    expect(d.comparisons).toEqual(['repeat_purchase_rate', 'predicted_clv']);
  });
});
