/**
 * CUPED variance reduction: adjust each unit's metric Y by a pre-experiment covariate X,
 * Y_adj = Y - theta (X - mean(X)), with theta = cov(Y, X) / var(X), computed from sufficient statistics.
 *
 * Reference: A. Deng, Y. Xu, R. Kohavi, T. Walker (2013), "Improving the Sensitivity of Online Controlled
 * Experiments by Utilizing Pre-Experiment Data", WSDM '13, section 3.
 *
 * theta is the pooled within-variant slope sum_g S_xy,g / sum_g S_xx,g: under randomisation it estimates the same
 * quantity as the all-data slope of Deng et al., but a treatment effect on Y cannot leak into it through the
 * between-variant mean differences. The adjustment centres on the overall mean of X, so adjusted means stay on
 * the scale of Y and their difference is unbiased for the treatment effect.
 */
import type { MeanSummary } from './welch-t-test.js';

/** Per-variant sums as SQL returns them: n, sum(y), sum(y*y), sum(x), sum(x*x), sum(x*y). */
export interface CupedSums {
  n: number;
  sumY: number;
  sumY2: number;
  sumX: number;
  sumX2: number;
  sumXY: number;
}

export interface CupedGroup extends MeanSummary {
  /** Unadjusted mean and variance of Y. */
  rawMean: number;
  rawVariance: number;
}

export interface CupedResult {
  theta: number;
  /** 1 - adjusted/raw variance pooled over variants (the share of variance removed); 0 when X is constant. */
  varianceReduction: number;
  groups: CupedGroup[];
}

/**
 * Adjusted means and unbiased per-unit variances for each variant, ready for {@link welchTTest}. When X has no
 * variance within any variant, theta = 0 and the result is the unadjusted metric.
 *
 * @example
 * cuped([
 *   { n: 4, sumY: 16, sumY2: 74, sumX: 10, sumX2: 30, sumXY: 47 },
 *   { n: 4, sumY: 23, sumY2: 145, sumX: 14, sumX2: 54, sumXY: 88 },
 * ]) // theta 1.45, adjusted means 4.725 and 5.025
 */
export function cuped(groups: readonly CupedSums[]): CupedResult {
  if (groups.length === 0) throw new RangeError('cuped: no variants given');
  groups.forEach((g, i) => {
    if (!(g.n >= 2)) throw new RangeError(`cuped: variant ${i} needs n >= 2, got ${g.n}`);
  });
  const centred = groups.map((g) => ({
    n: g.n,
    meanX: g.sumX / g.n,
    meanY: g.sumY / g.n,
    // Centred sums of squares and products; clamped where rounding could make them slightly negative.
    sxx: Math.max(0, g.sumX2 - (g.sumX * g.sumX) / g.n),
    syy: Math.max(0, g.sumY2 - (g.sumY * g.sumY) / g.n),
    sxy: g.sumXY - (g.sumX * g.sumY) / g.n,
  }));
  const sxx = centred.reduce((s, g) => s + g.sxx, 0);
  const sxy = centred.reduce((s, g) => s + g.sxy, 0);
  const theta = sxx > 0 ? sxy / sxx : 0;
  const totalN = groups.reduce((s, g) => s + g.n, 0);
  const meanX = groups.reduce((s, g) => s + g.sumX, 0) / totalN;
  let rawSs = 0;
  let adjSs = 0;
  const out = centred.map((g) => {
    const adjustedSs = Math.max(0, g.syy - 2 * theta * g.sxy + theta * theta * g.sxx);
    rawSs += g.syy;
    adjSs += adjustedSs;
    return {
      n: g.n,
      mean: g.meanY - theta * (g.meanX - meanX),
      variance: adjustedSs / (g.n - 1),
      rawMean: g.meanY,
      rawVariance: g.syy / (g.n - 1),
    };
  });
  return { theta, varianceReduction: rawSs > 0 ? 1 - adjSs / rawSs : 0, groups: out };
}
