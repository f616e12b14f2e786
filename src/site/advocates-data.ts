/**
 * The data behind the "Advocates" page, from `advocate_scores` (one row per customer and program): the score
 * distribution in 5-point bins, the mean of each score component per tier, tier sizes and the ready-to-invite
 * segment, all aggregated in SQL. No person appears on this page, only counts and means.
 */
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { isoDay } from './cohorts-ltv-data.js';
import { exactNumber, martStatus, numberOrNull, type MartStatus } from './mart.js';

export const SCORE_COMPONENTS = [
  'nps_points',
  'repeat_points',
  'support_points',
  'engagement_points',
  'tenure_points',
  'referral_points',
] as const;

export const ADVOCATE_SCORES_COLUMNS = [
  'customer_id',
  'program_id',
  'score',
  'tier',
  'ready_to_invite',
  ...SCORE_COMPONENTS,
  'scored_at',
] as const;

/** Width of a score histogram bin, in points (scores run 0-100). */
export const SCORE_BIN = 5;

export interface ScoreBin {
  program_id: string;
  /** Lower edge of the bin; the last bin [95, 100] includes 100. */
  bin: number;
  customers: number;
}

export interface TierRow {
  program_id: string;
  tier: string;
  customers: number;
  ready_to_invite: number;
  mean_score: number | null;
  /** Mean points per component, keyed by component column. */
  components: Record<string, number | null>;
}

export interface AdvocatesData {
  generatedAt: string;
  status: MartStatus;
  scoredAt: string | null;
  programs: string[];
  bins: ScoreBin[];
  tiers: TierRow[];
}

/** Reads `<schema>.advocate_scores`. */
export async function loadAdvocateScores(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<AdvocatesData> {
  const generatedAt = (options.now ?? new Date()).toISOString();
  const status = await martStatus(wh, schema, 'advocate_scores', ADVOCATE_SCORES_COLUMNS);
  if (status.state !== 'ready') return { generatedAt, status, scoredAt: null, programs: [], bins: [], tiers: [] };
  const d = wh.dialect;
  const ref = d.tableRef(schema, 'advocate_scores');
  const int = (e: string) => d.cast(e, 'int64');
  const binExpr = `least(${int(`floor(score / ${SCORE_BIN})`)} * ${SCORE_BIN}, ${100 - SCORE_BIN})`;
  const [bins, tiers, meta] = await Promise.all([
    wh.query<Row>(
      `select program_id, ${binExpr} as bin, ${int('count(*)')} as customers
from ${ref} where score is not null group by 1, 2 order by 1, 2`,
    ),
    wh.query<Row>(
      `select program_id, tier, ${int('count(*)')} as customers,
  ${int('sum(case when ready_to_invite then 1 else 0 end)')} as ready_to_invite, avg(score) as mean_score,
  ${SCORE_COMPONENTS.map((c) => `avg(${c}) as ${c}`).join(', ')}
from ${ref} group by 1, 2 order by 1, 2`,
    ),
    wh.query<Row>(`select max(scored_at) as scored_at from ${ref}`),
  ]);
  const n = (v: unknown) => exactNumber(v, 'advocate_scores: count');
  return {
    generatedAt,
    status,
    scoredAt: meta[0]?.['scored_at'] == null ? null : isoDay(meta[0]['scored_at']),
    programs: [...new Set(tiers.map((t) => String(t['program_id'])))].sort(),
    bins: bins.map((b) => ({ program_id: String(b['program_id']), bin: n(b['bin']), customers: n(b['customers']) })),
    tiers: tiers.map((t) => ({
      program_id: String(t['program_id']),
      tier: t['tier'] == null ? '(none)' : String(t['tier']),
      customers: n(t['customers']),
      ready_to_invite: n(t['ready_to_invite']),
      mean_score: numberOrNull(t['mean_score']),
      components: Object.fromEntries(SCORE_COMPONENTS.map((c) => [c, numberOrNull(t[c])])),
    })),
  };
}
