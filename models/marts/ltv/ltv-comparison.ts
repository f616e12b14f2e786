import type { ColumnDef } from '../../../src/warehouse/dialect.js';
import { defineModel } from '../../../src/models/define-model.js';
import { freshTable } from '../../../src/models/fresh-table.js';
import { studentTQuantile } from '../../stats/distributions.js';
import { ratioPooledTest, ratioSummary } from '../../stats/ratio-metric.js';
import { fromSums, welchTTest, type MeanSummary, type WelchResult } from '../../stats/welch-t-test.js';
import { ltvConfig } from './config-schema.js';
import { segmentSumsSql, type SegmentSums } from './ltv-comparison-sql.js';

/** The compared values, one row each per segment. */
export const COMPARISONS = {
  predicted_clv: 'mean predicted_clv_minor per customer in customer_ltv (reporting-currency minor units)',
  realised_net_revenue_12m:
    'mean net revenue of purchases in the 12 months from the first purchase, people whose first purchase is at least 12 months before the data end (minor units): realised LTV per acquired customer',
  repeat_purchase_rate: 'share of customer_ltv customers with at least one repeat purchase day (x > 0)',
  churn_rate:
    'share of people with no purchase in the last G days (ltv.churnGapDays) before the data end, among people whose first purchase is at least G days before it',
  refund_rate: "refunded orders (refunded_minor > 0) / purchase orders, over the segment's people (delta method)",
} as const;
export type ComparisonName = keyof typeof COMPARISONS;

const UNIT: Record<ComparisonName, 'minor' | 'share'> = {
  predicted_clv: 'minor',
  realised_net_revenue_12m: 'minor',
  repeat_purchase_rate: 'share',
  churn_rate: 'share',
  refund_rate: 'share',
};

const COLUMNS: ColumnDef[] = [
  { name: 'segment_type', type: 'string', description: "'acquisition_type' | 'channel' | 'advocate_tier'" },
  {
    name: 'segment',
    type: 'string',
    description:
      "acquisition_type: 'referred'; channel: 'Referral Program' (the referred) or the channel group of a non-referred person's last touch before sign-up ('Unassigned' without one); advocate_tier: referred people by their advocate's referral count (ltv.advocateTierThresholds)",
  },
  { name: 'comparison', type: 'string', description: Object.keys(COMPARISONS).join(' | ') },
  { name: 'definition', type: 'string', description: 'what the compared value is' },
  { name: 'unit', type: 'string', description: "'minor' (reporting-currency minor units) or 'share'" },
  { name: 'customers', type: 'int64', description: 'people with a purchase in the segment' },
  { name: 'n', type: 'int64', description: 'people of the segment the comparison is measured on' },
  { name: 'mean', type: 'float64', description: "the segment's value (mean or rate)" },
  { name: 'mean_ci_low', type: 'float64', description: 'lower end of the 95% t interval of mean' },
  { name: 'mean_ci_high', type: 'float64', description: 'upper end of the 95% t interval of mean' },
  { name: 'baseline_segment', type: 'string', description: "what the segment is compared with: 'non_referred'" },
  { name: 'baseline_n', type: 'int64', description: 'non-referred people the comparison is measured on' },
  { name: 'baseline_mean', type: 'float64', description: 'the non-referred value' },
  { name: 'difference', type: 'float64', description: 'mean - baseline_mean' },
  { name: 'ci_low', type: 'float64', description: 'lower end of the 95% Welch interval of difference' },
  { name: 'ci_high', type: 'float64', description: 'upper end of the 95% Welch interval of difference' },
  {
    name: 'p_value',
    type: 'float64',
    description: 'two-sided p of difference = 0: Welch t test (refund_rate: pooled delta-method z test)',
  },
  { name: 'relative_difference', type: 'float64', description: 'mean / baseline_mean - 1' },
  { name: 'relative_ci_low', type: 'float64', description: 'lower end, 95% delta-method interval' },
  { name: 'relative_ci_high', type: 'float64', description: 'upper end, 95% delta-method interval' },
  { name: 'churn_gap_days', type: 'int64', description: 'G used by churn_rate' },
  { name: 'reporting_currency', type: 'string', description: 'currency of the minor-unit comparisons' },
];

/** Mean and variance from sums; one person gives a mean and an unknown (NaN) variance, nobody gives null. */
function sumsSummary(n: number, sum: number, sumSquares: number): MeanSummary | null {
  if (n >= 2) return fromSums(n, sum, sumSquares);
  return n === 1 ? { n, mean: sum, variance: NaN } : null;
}

/** A segment's summary for one comparison, or null when it has no one measured. */
export function summaryOf(s: SegmentSums | undefined, c: ComparisonName): MeanSummary | null {
  if (!s) return null;
  const n = (k: keyof SegmentSums) => Number(s[k] ?? 0);
  if (n('customers') === 0) return null;
  switch (c) {
    case 'predicted_clv':
      return sumsSummary(n('clv_n'), n('clv_s'), n('clv_ss'));
    case 'realised_net_revenue_12m':
      return sumsSummary(n('real_n'), n('real_s'), n('real_ss'));
    case 'repeat_purchase_rate':
      return sumsSummary(n('rep_n'), n('rep_s'), n('rep_s'));
    case 'churn_rate':
      return sumsSummary(n('churn_n'), n('churn_s'), n('churn_s'));
    case 'refund_rate':
      if (!(n('ref_n') >= 2 && n('ref_x') > 0))
        return n('ref_x') > 0 ? { n: n('ref_n'), mean: n('ref_y') / n('ref_x'), variance: NaN } : null;
      return ratioSummary(refundSums(s));
  }
}

const refundSums = (s: SegmentSums) => ({
  n: Number(s.ref_n),
  sumY: Number(s.ref_y),
  sumY2: Number(s.ref_y2),
  sumX: Number(s.ref_x),
  sumX2: Number(s.ref_x2),
  sumXY: Number(s.ref_xy),
});

/**
 * One segment against the baseline: the segment's mean with its 95% t interval, and the Welch difference with
 * its interval and the delta-method relative difference. Inferential columns are null when a side has fewer
 * than 2 people or no variance, or (relative only) when the baseline mean is 0.
 */
export function compareSegment(segment: MeanSummary | null, baseline: MeanSummary | null) {
  const ok = (m: MeanSummary | null): m is MeanSummary => m !== null && m.n >= 2 && Number.isFinite(m.variance);
  let meanCi: [number, number] | null = null;
  if (ok(segment)) {
    const half = studentTQuantile(0.975, segment.n - 1) * Math.sqrt(segment.variance / segment.n);
    meanCi = [segment.mean - half, segment.mean + half];
  }
  let abs: WelchResult | null = null;
  let rel: WelchResult | null = null;
  if (ok(segment) && ok(baseline) && segment.variance + baseline.variance > 0) {
    abs = welchTTest(baseline, segment);
    if (baseline.mean !== 0) rel = welchTTest(baseline, segment, { relative: true });
  }
  return {
    n: segment?.n ?? 0,
    mean: segment?.mean ?? null,
    meanCiLow: meanCi?.[0] ?? null,
    meanCiHigh: meanCi?.[1] ?? null,
    baselineN: baseline?.n ?? 0,
    baselineMean: baseline?.mean ?? null,
    difference: segment && baseline ? segment.mean - baseline.mean : null,
    ciLow: abs?.ciLow ?? null,
    ciHigh: abs?.ciHigh ?? null,
    pValue: abs?.pValue ?? null,
    relativeDifference: segment && baseline?.mean ? segment.mean / baseline.mean - 1 : null,
    relativeCiLow: rel?.ciLow ?? null,
    relativeCiHigh: rel?.ciHigh ?? null,
  };
}

/**
 * Are referred customers worth more, by how much, and with what certainty; and the "quality over quantity"
 * view: the same values per acquisition channel and per advocate tier. Every segment is compared with all
 * non-referred people on five values (COMPARISONS): mean predicted CLV (customer_ltv), 12-month realised net
 * revenue, repeat purchase rate, churn rate (gap `ltv.churnGapDays`) and refund rate. SQL returns n, sums and sums
 * of squares per segment (ltv-comparison-sql.ts); TS runs Welch's t test (models/stats/welch-t-test.ts) with
 * non_referred as control. For rates, Welch on the 0/1 indicator is the unpooled two-proportion interval with a t
 * reference; the refund rate is a ratio over people (delta method; its p-value from the pooled test, which stays
 * honest for rare refunds).
 */
export const ltvComparison = defineModel({
  name: 'ltv_comparison',
  grain: 'one row per segment (referred; each acquisition channel; each advocate tier) and compared value',
  dependsOn: ['customer_ltv', 'stg_customers', 'stg_orders', 'stg_touches'],
  columns: Object.fromEntries(COLUMNS.map((c) => [c.name, c.description ?? ''])),
  build: async (ctx) => {
    const { d, wh, config } = ctx;
    const cfg = ltvConfig(config);
    const refs = {
      customerLtv: ctx.ref('customer_ltv'),
      customers: ctx.ref('stg_customers'),
      orders: ctx.ref('stg_orders'),
      touches: ctx.ref('stg_touches'),
    };
    const segments = await wh.query<SegmentSums>(segmentSumsSql(d, refs, cfg));
    // The headline rows (referred against non-referred) always exist, with zero counts before any purchase.
    if (!segments.some((s) => s.segment_type === 'acquisition_type' && s.segment === 'referred'))
      segments.unshift({ segment_type: 'acquisition_type', segment: 'referred', customers: 0 } as SegmentSums);
    const baseline = segments.find((s) => s.segment_type === 'acquisition_type' && s.segment === 'non_referred');
    const rows: unknown[][] = [];
    for (const s of segments) {
      if (s.segment_type === 'acquisition_type' && s.segment !== 'referred') continue;
      for (const [name, definition] of Object.entries(COMPARISONS) as [ComparisonName, string][]) {
        const c = compareSegment(summaryOf(s, name), summaryOf(baseline, name));
        let pValue = c.pValue;
        if (name === 'refund_rate' && pValue !== null && baseline)
          pValue = ratioPooledTest(refundSums(baseline), refundSums(s)).pValue;
        rows.push([
          s.segment_type,
          s.segment,
          name,
          definition,
          UNIT[name],
          Number(s.customers),
          c.n,
          c.mean,
          c.meanCiLow,
          c.meanCiHigh,
          'non_referred',
          c.baselineN,
          c.baselineMean,
          c.difference,
          c.ciLow,
          c.ciHigh,
          pValue,
          c.relativeDifference,
          c.relativeCiLow,
          c.relativeCiHigh,
          cfg.churnGapDays,
          config.reportingCurrency,
        ]);
      }
    }
    await freshTable(ctx, COLUMNS);
    await wh.appendRows(config.schemas.analytics, 'ltv_comparison', COLUMNS, rows);
  },
});
