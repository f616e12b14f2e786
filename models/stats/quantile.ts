/**
 * Sample quantiles, R's default definition (Hyndman & Fan type 7): for sorted x_1..x_n and probability p,
 * h = (n - 1) p, Q(p) = x_floor(h) + (h - floor(h)) (x_floor(h)+1 - x_floor(h)) (0-based).
 *
 * Reference: R. J. Hyndman & Y. Fan (1996), "Sample quantiles in statistical packages", The American
 * Statistician 50(4) 361-365; R documentation `?quantile` (type = 7).
 */

/**
 * Quantiles of `values` at each probability in `probs` (type 7). `values` need not be sorted and is not modified.
 * @example quantiles([1, 2, 3, 4], [0.1, 0.5, 0.9]) // [1.3, 2.5, 3.7], as R's quantile(1:4, c(.1, .5, .9))
 */
export function quantiles(values: readonly number[], probs: readonly number[]): number[] {
  if (values.length === 0) throw new RangeError('quantiles: no values');
  const sorted = Float64Array.from(values).sort();
  if (Number.isNaN(sorted[sorted.length - 1]!)) throw new RangeError('quantiles: values hold NaN');
  return probs.map((p) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`quantiles: probability must be in [0, 1], got ${p}`);
    const h = (sorted.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
  });
}
