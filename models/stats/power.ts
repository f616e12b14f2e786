/**
 * Power and sample size for comparing two proportions, the formula of R's `power.prop.test` (two-sided).
 *
 * References: J. L. Fleiss, B. Levin, M. C. Paik (2003), Statistical Methods for Rates and Proportions, 3rd ed.,
 * section 4.2; R `stats::power.prop.test` source (the `p.body` expression and its `strict` second tail).
 */
import { normalCdf, normalQuantile } from './distributions.js';

export interface PowerTwoProportionsInput {
  p1: number;
  p2: number;
  /** Two-sided significance level. Default 0.05. */
  alpha?: number;
  /** Units per group. Give exactly one of `n` and `power`. */
  n?: number;
  power?: number;
  /**
   * Include the probability of rejecting in the wrong direction (R's `strict = TRUE`). Default false, as in R,
   * whose documented example `power.prop.test(n = 50, p1 = .5, p2 = .75)` gives power = 0.7401659.
   */
  strict?: boolean;
}

export interface PowerTwoProportionsResult {
  p1: number;
  p2: number;
  alpha: number;
  n: number;
  power: number;
}

function powerAt(n: number, p1: number, p2: number, alpha: number, strict: boolean): number {
  const q1 = 1 - p1;
  const q2 = 1 - p2;
  const zAlpha = normalQuantile(1 - alpha / 2);
  const spread = Math.sqrt(((p1 + p2) * (q1 + q2)) / 2);
  const sd = Math.sqrt(p1 * q1 + p2 * q2);
  const d = Math.abs(p1 - p2);
  const main = normalCdf((Math.sqrt(n) * d - zAlpha * spread) / sd);
  return strict ? main + normalCdf((-Math.sqrt(n) * d - zAlpha * spread) / sd) : main;
}

/**
 * Given `n` returns the power; given `power` returns the (fractional) `n` per group that achieves it, solved by
 * bisection to 1e-10 relative (R's uniroot stops earlier, so R's n agrees to about 5 decimals).
 *
 * @example powerTwoProportions({ p1: 0.5, p2: 0.75, n: 50 }).power // 0.7401659 (R power.prop.test)
 * @example powerTwoProportions({ p1: 0.5, p2: 0.75, power: 0.9 }).n // 76.70693 (R power.prop.test)
 */
export function powerTwoProportions(input: PowerTwoProportionsInput): PowerTwoProportionsResult {
  const { p1, p2, alpha = 0.05, n, power, strict = false } = input;
  for (const [name, v] of [
    ['p1', p1],
    ['p2', p2],
  ] as const) {
    if (!(v > 0 && v < 1)) throw new RangeError(`powerTwoProportions: ${name} must be in (0, 1), got ${v}`);
  }
  if (p1 === p2) throw new RangeError(`powerTwoProportions: p1 and p2 are both ${p1}; there is no effect to detect`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`powerTwoProportions: alpha must be in (0, 1), got ${alpha}`);
  if ((n === undefined) === (power === undefined)) {
    throw new RangeError('powerTwoProportions: give exactly one of n and power');
  }
  if (n !== undefined) {
    if (!(n > 0)) throw new RangeError(`powerTwoProportions: n must be > 0, got ${n}`);
    return { p1, p2, alpha, n, power: powerAt(n, p1, p2, alpha, strict) };
  }
  const target = power!;
  if (!(target > alpha / 2 && target < 1)) {
    throw new RangeError(`powerTwoProportions: power must be in (alpha/2, 1), got ${target}`);
  }
  // Power increases with n; bracket then bisect.
  let lo = 1e-9;
  let hi = 2;
  while (powerAt(hi, p1, p2, alpha, strict) < target) {
    lo = hi;
    hi *= 2;
    if (hi > 1e15) throw new RangeError(`powerTwoProportions: power ${target} is not reachable for p1=${p1}, p2=${p2}`);
  }
  while (hi - lo > 1e-10 * hi) {
    const mid = (lo + hi) / 2;
    if (powerAt(mid, p1, p2, alpha, strict) < target) lo = mid;
    else hi = mid;
  }
  return { p1, p2, alpha, n: (lo + hi) / 2, power: target };
}
