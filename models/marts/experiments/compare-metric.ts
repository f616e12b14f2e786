import { betaChanceToWin } from '../../stats/bayesian.js';
import { cuped } from '../../stats/cuped.js';
import { normalCdf } from '../../stats/distributions.js';
import { twoProportionZTest } from '../../stats/proportions.js';
import { ratioPooledTest, ratioSummary, type RatioSums } from '../../stats/ratio-metric.js';
import { fromSums, welchTTest, type MeanSummary } from '../../stats/welch-t-test.js';
import { CUPED_KINDS, METRIC_TYPE, type ExperimentMetric } from './config-schema.js';
import type { SufficientStatsRow } from './sufficient-stats-sql.js';

/** One metric of one variant against control: the numeric part of an `experiment_results` row. */
export interface MetricComparison {
  n: number;
  mean: number | null;
  baselineN: number;
  baselineMean: number | null;
  absLift: number | null;
  relLift: number | null;
  /** Interval of the relative lift (delta method). */
  ciLow: number | null;
  ciHigh: number | null;
  /** Interval of the absolute lift. */
  absCiLow: number | null;
  absCiHigh: number | null;
  pValue: number | null;
  /** Posterior probability that the variant is better than control (in the metric's good direction). */
  chanceToWin: number | null;
  method: string;
  /** Why the statistics are missing, when they are. */
  problem: string | null;
}

function summaryOf(type: 'mean' | 'binomial' | 'ratio', s: SufficientStatsRow): MeanSummary | string {
  if (s.n < 2) return `variant ${s.variant} has ${s.n} unit(s); need at least 2`;
  if (type === 'ratio') {
    if (!(s.sum_x > 0)) return `variant ${s.variant} has no denominator events`;
    return ratioSummary({ n: s.n, sumY: s.sum_y, sumY2: s.sum_y2, sumX: s.sum_x, sumX2: s.sum_x2, sumXY: s.sum_xy });
  }
  return fromSums(s.n, s.sum_y, s.sum_y2);
}

const METHOD = {
  mean: 'welch t test; relative lift by delta method; chance to win = normal approximation',
  binomial: 'two-proportion z test (pooled); Wald and delta-method intervals; chance to win = beta-binomial',
  ratio:
    'delta-method ratio; p-value from the pooled (under no difference) delta-method z test; welch intervals; chance to win = normal approximation',
} as const;

/**
 * Compares one metric of `treatment` with `control` from their sufficient statistics. Never throws on data
 * problems (too few units, no variance, a zero baseline): it returns the statistics it can and says why the
 * rest are missing.
 */
export function compareMetric(
  metric: ExperimentMetric,
  control: SufficientStatsRow,
  treatment: SufficientStatsRow,
  options: { alpha: number; betaPrior: number },
): MetricComparison {
  const type = METRIC_TYPE[metric.kind];
  const base: MetricComparison = {
    n: treatment.n,
    mean: null,
    baselineN: control.n,
    baselineMean: null,
    absLift: null,
    relLift: null,
    ciLow: null,
    ciHigh: null,
    absCiLow: null,
    absCiHigh: null,
    pValue: null,
    chanceToWin: null,
    method: METHOD[type],
    problem: null,
  };
  let c = summaryOf(type, control);
  let t = summaryOf(type, treatment);
  if (typeof c === 'string' || typeof t === 'string') {
    return { ...base, problem: typeof c === 'string' ? c : (t as string) };
  }
  const raw = { mean: t.mean, baselineMean: c.mean };
  if (type === 'mean' && metric.cuped && CUPED_KINDS.has(metric.kind)) {
    // Lifts and tests use the CUPED-adjusted means and variances; `mean`/`baseline_mean` stay the raw means.
    const toSums = (s: SufficientStatsRow) => ({
      n: s.n,
      sumY: s.sum_y,
      sumY2: s.sum_y2,
      sumX: s.sum_pre,
      sumX2: s.sum_pre2,
      sumXY: s.sum_pre_y,
    });
    const adjusted = cuped([toSums(control), toSums(treatment)]);
    if (adjusted.theta !== 0) {
      [c, t] = [adjusted.groups[0]!, adjusted.groups[1]!];
      base.method += `; CUPED on the pre-period value: theta = ${adjusted.theta.toPrecision(3)}, variance reduced ${(100 * adjusted.varianceReduction).toFixed(0)}%`;
    } else {
      base.method += '; CUPED not applied: no pre-period variation';
    }
  }
  const withMeans = { ...base, ...raw, absLift: t.mean - c.mean };
  if (c.variance === 0 && t.variance === 0) return { ...withMeans, problem: 'no variation in either variant' };
  const sign = metric.higherIsBetter ? 1 : -1;
  let abs = welchTTest(c, t, { alpha: options.alpha });
  let pValue = abs.pValue;
  let chanceToWin = normalCdf((sign * abs.estimate) / abs.se);
  if (type === 'ratio') {
    // The unpooled variance is degenerate for rare events (a variant with no chargebacks has variance 0), so the
    // test uses the variance under the null, pooled over both variants (models/stats/ratio-metric.ts).
    const sums = (s: SufficientStatsRow): RatioSums => ({
      n: s.n,
      sumY: s.sum_y,
      sumY2: s.sum_y2,
      sumX: s.sum_x,
      sumX2: s.sum_x2,
      sumXY: s.sum_xy,
    });
    pValue = ratioPooledTest(sums(control), sums(treatment)).pValue;
  }
  if (type === 'binomial') {
    const z = twoProportionZTest(
      { n: control.n, conversions: control.sum_y },
      { n: treatment.n, conversions: treatment.sum_y },
      { alpha: options.alpha },
    );
    abs = { ...abs, ciLow: z.ciLow, ciHigh: z.ciHigh };
    pValue = z.pValue;
    const prior = options.betaPrior;
    const win = betaChanceToWin(
      { alpha: prior + control.sum_y, beta: prior + control.n - control.sum_y },
      { alpha: prior + treatment.sum_y, beta: prior + treatment.n - treatment.sum_y },
    ).probability;
    chanceToWin = metric.higherIsBetter ? win : 1 - win;
  }
  const result = { ...withMeans, absCiLow: abs.ciLow, absCiHigh: abs.ciHigh, pValue, chanceToWin };
  if (c.mean === 0) return { ...result, problem: 'the control mean is 0, so the relative lift is undefined' };
  const rel = welchTTest(c, t, { alpha: options.alpha, relative: true });
  return { ...result, relLift: rel.estimate, ciLow: rel.ciLow, ciHigh: rel.ciHigh };
}
