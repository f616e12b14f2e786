/**
 * The data behind the "Fraud and review" page, one function per mart:
 * - `loadFraudFlags`: `fraud_flags` (one row per referral and rule that fired) counted per rule, and per month and
 *   rule. Its `evidence` JSON can hold IPs and device ids, so it never leaves the warehouse;
 * - `loadReviewQueue`: `review_queue` counted per status and per reason, and the pending referrals (at most
 *   `PENDING_LIMIT`, highest fraud score first) with advocates, referees and referral ids pseudonymised (a
 *   referral id is an unsalted md5 of program and referee id, so it would give the referee's id back);
 * - `loadFraudBacktest`: `fraud_backtest`, one row per rule plus 'combined'.
 */
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { isoDay } from './cohorts-ltv-data.js';
import { exactNumber, martStatus, numberOrNull, type MartStatus } from './mart.js';
import { personLabeller } from './pseudonym.js';

export const FRAUD_FLAGS_COLUMNS = ['referral_id', 'program_id', 'rule', 'score', 'flagged_at'] as const;
export const REVIEW_QUEUE_COLUMNS = [
  'referral_id',
  'program_id',
  'advocate_id',
  'referee_id',
  'queue_reasons',
  'fraud_score',
  'order_base_minor',
  'currency',
  'queued_at',
  'status',
] as const;
export const FRAUD_BACKTEST_COLUMNS = [
  'rule',
  'rule_version',
  'flagged',
  'true_positives',
  'false_positives',
  'false_negatives',
  'precision',
  'recall',
] as const;

/** The most pending referrals the page lists. */
export const PENDING_LIMIT = 50;

const stamp = (options: { now?: Date }) => (options.now ?? new Date()).toISOString();
const n = (v: unknown, where: string) => exactNumber(v, where);

export interface FraudFlagsData {
  generatedAt: string;
  status: MartStatus;
  byRule: { rule: string; flags: number; referrals: number; mean_score: number | null }[];
  monthly: { month: string; rule: string; flags: number }[];
  /** Distinct referrals with at least one flag. */
  flaggedReferrals: number;
}

/** Reads `<schema>.fraud_flags`. */
export async function loadFraudFlags(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<FraudFlagsData> {
  const generatedAt = stamp(options);
  const status = await martStatus(wh, schema, 'fraud_flags', FRAUD_FLAGS_COLUMNS);
  if (status.state !== 'ready') return { generatedAt, status, byRule: [], monthly: [], flaggedReferrals: 0 };
  const d = wh.dialect;
  const ref = d.tableRef(schema, 'fraud_flags');
  const int = (e: string) => d.cast(e, 'int64');
  const [byRule, monthly, total] = await Promise.all([
    wh.query<Row>(
      `select rule, ${int('count(*)')} as flags, ${int('count(distinct referral_id)')} as referrals,
  avg(score) as mean_score
from ${ref} group by 1 order by 2 desc, 1`,
    ),
    wh.query<Row>(
      `select ${d.dateTrunc('month', 'flagged_at')} as month, rule, ${int('count(*)')} as flags
from ${ref} where flagged_at is not null group by 1, 2 order by 1, 2`,
    ),
    wh.query<Row>(`select ${int('count(distinct referral_id)')} as n from ${ref}`),
  ]);
  const where = 'fraud_flags: count';
  return {
    generatedAt,
    status,
    byRule: byRule.map((r) => ({
      rule: String(r['rule']),
      flags: n(r['flags'], where),
      referrals: n(r['referrals'], where),
      mean_score: numberOrNull(r['mean_score']),
    })),
    monthly: monthly.map((r) => ({ month: isoDay(r['month']), rule: String(r['rule']), flags: n(r['flags'], where) })),
    flaggedReferrals: n(total[0]?.['n'], where),
  };
}

export interface PendingReview {
  referral_id: string;
  program_id: string;
  advocate: string | null;
  referee: string | null;
  reasons: string[];
  fraud_score: number | null;
  order_base_minor: number | null;
  queued_at: string;
}

export interface ReviewQueueData {
  generatedAt: string;
  status: MartStatus;
  currency: string | null;
  byStatus: { status: string; referrals: number; order_base_minor: number }[];
  /** Referrals per reason code (a referral with two reasons counts under both). */
  byReason: { reason: string; referrals: number; pending: number }[];
  pending: PendingReview[];
}

/** Reads `<schema>.review_queue`. */
export async function loadReviewQueue(
  wh: Warehouse,
  schema: string,
  options: { now?: Date; env?: NodeJS.ProcessEnv } = {},
): Promise<ReviewQueueData> {
  const generatedAt = stamp(options);
  const status = await martStatus(wh, schema, 'review_queue', REVIEW_QUEUE_COLUMNS);
  if (status.state !== 'ready') return { generatedAt, status, currency: null, byStatus: [], byReason: [], pending: [] };
  const d = wh.dialect;
  const ref = d.tableRef(schema, 'review_queue');
  const int = (e: string) => d.cast(e, 'int64');
  const [byStatus, byReasons, pending, meta] = await Promise.all([
    wh.query<Row>(
      `select status, ${int('count(*)')} as referrals, ${int('sum(coalesce(order_base_minor, 0))')} as order_base_minor
from ${ref} group by 1 order by 1`,
    ),
    // Reason lists are few distinct strings; they are split into codes below.
    wh.query<Row>(
      `select queue_reasons, ${int('count(*)')} as referrals,
  ${int("sum(case when status = 'pending' then 1 else 0 end)")} as pending
from ${ref} group by 1`,
    ),
    wh.query<Row>(
      `select referral_id, program_id, advocate_id, referee_id, queue_reasons, fraud_score,
  ${int('order_base_minor')} as order_base_minor, queued_at
from ${ref} where status = 'pending'
order by fraud_score desc nulls last, order_base_minor desc nulls last, referral_id limit ${PENDING_LIMIT}`,
    ),
    wh.query<Row>(`select min(currency) as c_min, max(currency) as c_max from ${ref}`),
  ]);
  if (meta[0] && meta[0]['c_min'] !== meta[0]['c_max'])
    throw new Error(`review_queue mixes currencies (${meta[0]['c_min']}, ${meta[0]['c_max']})`);
  const where = 'review_queue: count';
  const split = (v: unknown) =>
    String(v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const reasons = new Map<string, { referrals: number; pending: number }>();
  for (const r of byReasons)
    for (const reason of split(r['queue_reasons'])) {
      const acc = reasons.get(reason) ?? { referrals: 0, pending: 0 };
      acc.referrals += n(r['referrals'], where);
      acc.pending += n(r['pending'], where);
      reasons.set(reason, acc);
    }
  const label = personLabeller(options.env);
  return {
    generatedAt,
    status,
    currency: meta[0]?.['c_min'] == null ? null : String(meta[0]['c_min']),
    byStatus: byStatus.map((r) => ({
      status: String(r['status']),
      referrals: n(r['referrals'], where),
      order_base_minor: n(r['order_base_minor'], 'review_queue: summed order_base_minor'),
    })),
    byReason: [...reasons.entries()]
      .map(([reason, v]) => ({ reason, ...v }))
      .sort((a, b) => b.referrals - a.referrals || a.reason.localeCompare(b.reason)),
    pending: pending.map((r) => ({
      referral_id: label(String(r['referral_id']), 'rfl')!,
      program_id: String(r['program_id']),
      advocate: label(r['advocate_id'] == null ? null : String(r['advocate_id']), 'adv'),
      referee: label(r['referee_id'] == null ? null : String(r['referee_id']), 'ref'),
      reasons: split(r['queue_reasons']),
      fraud_score: numberOrNull(r['fraud_score']),
      order_base_minor: numberOrNull(r['order_base_minor']),
      queued_at: r['queued_at'] instanceof Date ? r['queued_at'].toISOString() : String(r['queued_at']),
    })),
  };
}

export interface BacktestRow {
  rule: string;
  rule_version: string | null;
  flagged: number;
  true_positives: number;
  false_positives: number;
  false_negatives: number;
  precision: number | null;
  recall: number | null;
}

export interface FraudBacktestData {
  generatedAt: string;
  status: MartStatus;
  rows: BacktestRow[];
}

/** Reads `<schema>.fraud_backtest` ('combined' last). */
export async function loadFraudBacktest(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<FraudBacktestData> {
  const generatedAt = stamp(options);
  const status = await martStatus(wh, schema, 'fraud_backtest', FRAUD_BACKTEST_COLUMNS);
  if (status.state !== 'ready') return { generatedAt, status, rows: [] };
  const d = wh.dialect;
  const int = (c: string) => `${d.cast(c, 'int64')} as ${c}`;
  const rows = await wh.query<Row>(
    `select rule, ${d.cast('rule_version', 'string')} as rule_version, ${int('flagged')}, ${int('true_positives')},
  ${int('false_positives')}, ${int('false_negatives')},
  ${d.quoteIdent('precision')} as precision_, ${d.quoteIdent('recall')} as recall_
from ${d.tableRef(schema, 'fraud_backtest')}
order by case when rule = 'combined' then 1 else 0 end, rule`,
  );
  const where = 'fraud_backtest: count';
  return {
    generatedAt,
    status,
    rows: rows.map((r) => ({
      rule: String(r['rule']),
      rule_version: r['rule_version'] == null ? null : String(r['rule_version']),
      flagged: n(r['flagged'], where),
      true_positives: n(r['true_positives'], where),
      false_positives: n(r['false_positives'], where),
      false_negatives: n(r['false_negatives'], where),
      precision: numberOrNull(r['precision_']),
      recall: numberOrNull(r['recall_']),
    })),
  };
}
