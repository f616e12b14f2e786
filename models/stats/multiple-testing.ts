/**
 * Multiple-testing corrections over a family of p-values.
 *
 * Reference: S. Holm (1979), "A simple sequentially rejective multiple test procedure", Scandinavian Journal of
 * Statistics 6, 65-70; the adjusted p-values are those of R's `p.adjust(p, method = "holm")`.
 */

/**
 * Holm step-down adjusted p-values, returned in the input order: sort ascending, multiply the i-th smallest
 * (1-based) by m - i + 1, take the running maximum and cap at 1. Rejecting where the adjusted value is below
 * alpha controls the family-wise error rate at alpha under any dependence.
 *
 * @example holmAdjust([0.01, 0.04, 0.03, 0.005]) // [0.03, 0.06, 0.06, 0.02]
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`holmAdjust: pValues[${i}] must be in [0, 1], got ${p}`);
  });
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
