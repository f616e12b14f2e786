/**
 * Welch's two-sample t test on sufficient statistics, with an absolute or a relative (delta-method) interval.
 *
 * References:
 * - B. L. Welch (1947), "The generalization of 'Student's' problem when several different population variances
 *   are involved", Biometrika 34, 28-35; F. E. Satterthwaite (1946), Biometrics Bulletin 2, 110-114 (df).
 * - A. Deng, U. Knoblich, J. Lu (2018), "Applying the Delta Method in Metric Analytics", KDD '18 (relative lift).
 */
import { studentTCdf, studentTQuantile } from './distributions.js';

/** Sufficient statistics of one group: size, mean and the unbiased sample variance (denominator n - 1). */
export interface MeanSummary {
  n: number;
  mean: number;
  variance: number;
}

export interface WelchOptions {
  /** Two-sided level: the interval has coverage 1 - alpha. Default 0.05. */
  alpha?: number;
  /** When true the estimate is treatment / control - 1 with a delta-method interval. Default false. */
  relative?: boolean;
}

export interface WelchResult {
  /** treatment - control, or treatment / control - 1 when `relative`. */
  estimate: number;
  /** Standard error of `estimate`. */
  se: number;
  /** estimate / se, referred to Student's t with `df` degrees of freedom. */
  statistic: number;
  df: number;
  pValue: number;
  ciLow: number;
  ciHigh: number;
}

/**
 * Sample size, mean and unbiased variance of literal values (for tests and small inputs; models compute these
 * in SQL from n, sum and sum of squares).
 */
export function summarize(values: readonly number[]): MeanSummary {
  const n = values.length;
  if (n < 2) throw new RangeError(`summarize: need at least 2 values, got ${n}`);
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  return { n, mean, variance };
}

/**
 * Mean and unbiased variance from n, sum and sum of squares as SQL returns them. The variance is clamped at 0
 * because the one-pass formula can round to a tiny negative for constant data.
 *
 * @example fromSums(3, 6, 14) // { n: 3, mean: 2, variance: 1 }
 */
export function fromSums(n: number, sum: number, sumSquares: number): MeanSummary {
  if (!(n >= 2)) throw new RangeError(`fromSums: need n >= 2, got ${n}`);
  const mean = sum / n;
  const variance = Math.max(0, (sumSquares - n * mean * mean) / (n - 1));
  return { n, mean, variance };
}

function checkGroup(label: string, g: MeanSummary): void {
  if (!(g.n >= 2)) throw new RangeError(`welchTTest: ${label}.n must be >= 2, got ${g.n}`);
  if (!Number.isFinite(g.mean)) throw new RangeError(`welchTTest: ${label}.mean must be finite, got ${g.mean}`);
  if (!(g.variance >= 0)) throw new RangeError(`welchTTest: ${label}.variance must be >= 0, got ${g.variance}`);
}

/**
 * Welch's t test of treatment against control. Degrees of freedom by Welch-Satterthwaite. With `relative`, the
 * estimate is the lift mT / mC - 1, its variance by the delta method
 * Var(mT/mC) ~ vT/(nT mC^2) + mT^2 vC/(nC mC^4), and the p-value comes from the same statistic so that the
 * interval excludes 0 exactly when p < alpha.
 *
 * @example
 * // R: t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776, p = 0.07939, CI -3.3654832 0.2054832
 * welchTTest({ n: 10, mean: 2.33, variance: 4.009 }, { n: 10, mean: 0.75, variance: 3.2006 })
 */
export function welchTTest(control: MeanSummary, treatment: MeanSummary, options: WelchOptions = {}): WelchResult {
  const { alpha = 0.05, relative = false } = options;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`welchTTest: alpha must be in (0, 1), got ${alpha}`);
  checkGroup('control', control);
  checkGroup('treatment', treatment);
  const vc = control.variance / control.n;
  const vt = treatment.variance / treatment.n;
  const seAbs = Math.sqrt(vc + vt);
  if (seAbs === 0) throw new RangeError('welchTTest: both groups have zero variance; the test is undefined');
  const df = (vc + vt) ** 2 / (vc ** 2 / (control.n - 1) + vt ** 2 / (treatment.n - 1));
  let estimate = treatment.mean - control.mean;
  let se = seAbs;
  if (relative) {
    const mc = control.mean;
    if (mc === 0) throw new RangeError('welchTTest: relative lift needs a non-zero control mean, got 0');
    estimate = treatment.mean / mc - 1;
    se = Math.sqrt(vt / (mc * mc) + (treatment.mean ** 2 * vc) / mc ** 4);
  }
  const statistic = estimate / se;
  const pValue = Math.min(1, 2 * studentTCdf(-Math.abs(statistic), df));
  const q = studentTQuantile(1 - alpha / 2, df);
  return { estimate, se, statistic, df, pValue, ciLow: estimate - q * se, ciHigh: estimate + q * se };
}
