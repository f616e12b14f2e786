/**
 * The "quality by channel and advocate tier" part of the Cohorts and LTV page, from `ltv_comparison` (one row per
 * segment and comparison, each against its baseline segment with an interval): the rows whose segment_type is
 * 'channel' or 'advocate_tier'. A few dozen rows; the mart computed every mean and interval.
 */
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { exactNumber, martStatus, numberOrNull, type MartStatus } from './mart.js';

export const LTV_SEGMENT_COLUMNS = [
  'segment_type',
  'segment',
  'comparison',
  'definition',
  'unit',
  'n',
  'mean',
  'mean_ci_low',
  'mean_ci_high',
  'baseline_segment',
  'baseline_mean',
  'difference',
  'ci_low',
  'ci_high',
  'p_value',
  'reporting_currency',
] as const;

export interface LtvSegmentRow {
  segment_type: string;
  segment: string;
  comparison: string;
  definition: string;
  /** 'minor' (money, reporting-currency minor units) or 'share' (0-1). */
  unit: string;
  n: number;
  mean: number | null;
  mean_ci_low: number | null;
  mean_ci_high: number | null;
  baseline_segment: string | null;
  baseline_mean: number | null;
  difference: number | null;
  ci_low: number | null;
  ci_high: number | null;
  p_value: number | null;
}

export interface LtvSegmentsData {
  generatedAt: string;
  status: MartStatus;
  currency: string | null;
  comparisons: string[];
  rows: LtvSegmentRow[];
}

/** Reads `<schema>.ltv_comparison` for channels and advocate tiers. */
export async function loadLtvSegments(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<LtvSegmentsData> {
  const generatedAt = (options.now ?? new Date()).toISOString();
  const status = await martStatus(wh, schema, 'ltv_comparison', LTV_SEGMENT_COLUMNS);
  if (status.state !== 'ready') return { generatedAt, status, currency: null, comparisons: [], rows: [] };
  const d = wh.dialect;
  const rows = await wh.query<Row>(
    `select segment_type, segment, comparison, definition, unit, ${d.cast('n', 'int64')} as n, mean, mean_ci_low,
  mean_ci_high, baseline_segment, baseline_mean, difference, ci_low, ci_high, p_value, reporting_currency
from ${d.tableRef(schema, 'ltv_comparison')}
where segment_type in ('channel', 'advocate_tier')
order by segment_type, comparison, segment`,
  );
  const currencies = new Set(rows.map((r) => r['reporting_currency']).filter((c) => c != null));
  if (currencies.size > 1) throw new Error(`ltv_comparison mixes currencies (${[...currencies].join(', ')})`);
  return {
    generatedAt,
    status,
    currency: currencies.size ? String([...currencies][0]) : null,
    comparisons: [...new Set(rows.map((r) => String(r['comparison'])))],
    rows: rows.map((r) => ({
      segment_type: String(r['segment_type']),
      segment: String(r['segment']),
      comparison: String(r['comparison']),
      definition: String(r['definition'] ?? ''),
      unit: String(r['unit']),
      n: exactNumber(r['n'], 'ltv_comparison: n'),
      mean: numberOrNull(r['mean']),
      mean_ci_low: numberOrNull(r['mean_ci_low']),
      mean_ci_high: numberOrNull(r['mean_ci_high']),
      baseline_segment: r['baseline_segment'] == null ? null : String(r['baseline_segment']),
      baseline_mean: numberOrNull(r['baseline_mean']),
      difference: numberOrNull(r['difference']),
      ci_low: numberOrNull(r['ci_low']),
      ci_high: numberOrNull(r['ci_high']),
      p_value: numberOrNull(r['p_value']),
    })),
  };
}
