/**
 * Distribution functions used for p-values and intervals: the normal CDF and quantile, Student's t CDF and
 * quantile, and the chi-square CDF and survival function. All are accurate to ~1e-13 relative or better (see
 * the tests); none uses a lookup table.
 *
 * References:
 * - P. J. Acklam (2003), "An algorithm for computing the inverse normal cumulative distribution function"
 *   (relative error 1.15e-9), refined here by one Halley step on the erfc-based CDF to full double precision.
 * - M. Abramowitz and I. Stegun (1964), Handbook of Mathematical Functions, 26.5.27 (t CDF as an incomplete
 *   beta) and 26.4.19 (chi-square CDF as an incomplete gamma).
 */
import {
  erfc,
  logGamma,
  regularizedIncompleteBeta,
  regularizedIncompleteGammaLower,
  regularizedIncompleteGammaUpper,
} from './special-functions.js';

/**
 * Standard normal CDF Phi(x) (R: `pnorm(x)`), accurate in both tails.
 *
 * @example normalCdf(1.959963984540054) // 0.975
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) throw new RangeError('normalCdf: x is NaN');
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function poly(coef: readonly number[], x: number): number {
  let r = 0;
  for (const c of coef) r = r * x + c;
  return r;
}

/**
 * Standard normal quantile Phi^-1(p) for 0 < p < 1 (R: `qnorm(p)`): Acklam's rational approximation plus one
 * Halley correction.
 *
 * @example normalQuantile(0.975) // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = poly(C, q) / (poly(D, q) * q + 1);
  } else if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    x = (poly(A, r) * q) / (poly(B, r) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -poly(C, q) / (poly(D, q) * q + 1);
  }
  // Halley step; in the upper tail work with the survival probability to avoid cancellation in 1 - p.
  const e = p > 0.5 ? 1 - p - 0.5 * erfc(x / Math.SQRT2) : 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

function checkDf(fn: string, df: number): void {
  if (!(df > 0) || Number.isNaN(df)) throw new RangeError(`${fn}: degrees of freedom must be > 0, got ${df}`);
}

/**
 * Student t CDF with `df` (> 0, not necessarily integer) degrees of freedom (R: `pt(t, df)`), via
 * P(T <= t) = 1 - I_{df/(df+t^2)}(df/2, 1/2) / 2 for t > 0. `df = Infinity` gives the normal CDF.
 *
 * @example studentTCdf(1, 1) // 0.75 (Cauchy)
 */
export function studentTCdf(t: number, df: number): number {
  checkDf('studentTCdf', df);
  if (Number.isNaN(t)) throw new RangeError('studentTCdf: t is NaN');
  if (df === Infinity) return normalCdf(t);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** Student t density with `df` degrees of freedom. */
export function studentTPdf(t: number, df: number): number {
  checkDf('studentTPdf', df);
  if (df === Infinity) return normalPdf(t);
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Student t quantile (R: `qt(p, df)`): Newton's method from the normal quantile, kept inside a bisection
 * bracket so it always converges; stops at ~1e-14 relative change.
 *
 * @example studentTQuantile(0.975, 3) // 3.182446305284263
 */
export function studentTQuantile(p: number, df: number): number {
  checkDf('studentTQuantile', df);
  if (Number.isNaN(p) || p < 0 || p > 1) throw new RangeError(`studentTQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (df === Infinity) return normalQuantile(p);
  if (p === 0.5) return 0;
  // Solve in the lower half and reflect: the t distribution is symmetric, and small p keeps relative accuracy.
  if (p > 0.5) return -studentTQuantile(1 - p, df);
  let hi = 0;
  let lo = Math.min(-1, normalQuantile(p));
  while (studentTCdf(lo, df) > p) {
    hi = lo;
    lo *= 2;
  }
  let x = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const f = studentTCdf(x, df) - p;
    if (f > 0) hi = x;
    else lo = x;
    let next = x - f / studentTPdf(x, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-14 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

/**
 * Chi-square CDF with `df` degrees of freedom (R: `pchisq(x, df)`) = P(df/2, x/2).
 *
 * @example chiSquareCdf(3.841458820694124, 1) // 0.95
 */
export function chiSquareCdf(x: number, df: number): number {
  checkDf('chiSquareCdf', df);
  if (Number.isNaN(x)) throw new RangeError('chiSquareCdf: x is NaN');
  if (x <= 0) return 0;
  return regularizedIncompleteGammaLower(df / 2, x / 2);
}

/**
 * Chi-square survival function P(X > x) (R: `pchisq(x, df, lower.tail = FALSE)`) = Q(df/2, x/2), accurate for
 * tiny p-values.
 *
 * @example chiSquareSurvival(3.9216, 1) // 0.04766949...
 */
export function chiSquareSurvival(x: number, df: number): number {
  checkDf('chiSquareSurvival', df);
  if (Number.isNaN(x)) throw new RangeError('chiSquareSurvival: x is NaN');
  if (x <= 0) return 1;
  return regularizedIncompleteGammaUpper(df / 2, x / 2);
}
