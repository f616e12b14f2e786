/**
 * Sample ratio mismatch (SRM) check: Pearson's chi-square goodness-of-fit of the observed assignment counts to
 * the planned split. A small p-value means the assignment or the logging is broken and the experiment's
 * results should not be read until it is explained.
 *
 * References: K. Pearson (1900), Phil. Mag. 50, 157-175; A. Fabijan et al. (2019), "Diagnosing Sample Ratio
 * Mismatch in Online Controlled Experiments", KDD '19.
 */
import { chiSquareSurvival } from './distributions.js';

export interface SrmResult {
  chiSquare: number;
  df: number;
  pValue: number;
}

/**
 * Chi-square goodness of fit of `counts` to the proportions `weights` (normalised to sum 1), df = k - 1.
 *
 * @example srmTest([5000, 5200], [0.5, 0.5]) // { chiSquare: 3.9216, df: 1, pValue: 0.04767 }
 */
export function srmTest(counts: readonly number[], weights: readonly number[]): SrmResult {
  if (counts.length !== weights.length) {
    throw new RangeError(`srmTest: ${counts.length} counts but ${weights.length} weights; give one weight per variant`);
  }
  if (counts.length < 2) throw new RangeError(`srmTest: need at least 2 variants, got ${counts.length}`);
  counts.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0)
      throw new RangeError(`srmTest: counts[${i}] must be a non-negative integer, got ${c}`);
  });
  weights.forEach((w, i) => {
    if (!(w > 0) || !Number.isFinite(w)) throw new RangeError(`srmTest: weights[${i}] must be > 0, got ${w}`);
  });
  const total = counts.reduce((s, c) => s + c, 0);
  if (total === 0) throw new RangeError('srmTest: all counts are 0');
  const weightSum = weights.reduce((s, w) => s + w, 0);
  let chiSquare = 0;
  counts.forEach((c, i) => {
    const expected = (total * weights[i]!) / weightSum;
    chiSquare += (c - expected) ** 2 / expected;
  });
  const df = counts.length - 1;
  return { chiSquare, df, pValue: chiSquareSurvival(chiSquare, df) };
}
