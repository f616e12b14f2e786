/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and z <= 1, as needed by the BG/NBD
 * conditional expectation (Fader, Hardie & Lee 2005, eq. 10), where z = t / (alpha + T + t) lies in [0, 1).
 *
 * Method, by region of z:
 * - 0 <= z <= 0.9: the defining power series, summed until a term is below 1e-16 of the sum;
 * - 0.9 < z < 1: the linear transformation z -> 1 - z (Abramowitz & Stegun 15.3.6), whose two series converge
 *   fast; when c - a - b is within 0.05 of an integer that formula cancels catastrophically (A&S 15.3.10-12 cover
 *   the exact integer case), so the direct series is summed instead (it still converges for z < 1, at a rate z^n;
 *   at z = 0.999 that is ~40,000 terms);
 * - z = 1: Gauss's summation theorem (A&S 15.1.20), defined for c - a - b > 0;
 * - z < 0: Pfaff's transformation (A&S 15.3.4) 2F1(a, b; c; z) = (1 - z)^-a 2F1(a, c - b; c; z / (z - 1)), which
 *   maps z into (0, 1).
 *
 * References: M. Abramowitz and I. A. Stegun (1964), Handbook of Mathematical Functions, chapter 15;
 * NIST DLMF 15.2.1, 15.4.20, 15.8.1, 15.8.4.
 */

import { logGamma } from './special-functions.js';

const SERIES_EPS = 1e-16;
const MAX_TERMS = 5_000_000;
const NEAR_ONE = 0.9;

function isNonPositiveInteger(x: number): boolean {
  return x <= 0 && Number.isInteger(x);
}

/** ln|Gamma(x)| and sign(Gamma(x)) for real x that is not a non-positive integer (reflection for x < 0). */
function signedLogGamma(x: number): { log: number; sign: number } {
  if (x > 0) return { log: logGamma(x), sign: 1 };
  const s = Math.sin(Math.PI * x);
  return { log: Math.log(Math.PI / Math.abs(s)) - logGamma(1 - x), sign: Math.sign(s) };
}

/**
 * Gamma(n1) Gamma(n2) / (Gamma(d1) Gamma(d2)); zero when a denominator argument is a non-positive integer
 * (1 / Gamma has a zero there).
 */
function gammaRatio(n1: number, n2: number, d1: number, d2: number): number {
  if (isNonPositiveInteger(d1) || isNonPositiveInteger(d2)) return 0;
  const parts = [signedLogGamma(n1), signedLogGamma(n2), signedLogGamma(d1), signedLogGamma(d2)];
  const log = parts[0]!.log + parts[1]!.log - parts[2]!.log - parts[3]!.log;
  return parts[0]!.sign * parts[1]!.sign * parts[2]!.sign * parts[3]!.sign * Math.exp(log);
}

/** The power series sum_k (a)_k (b)_k / (c)_k z^k / k!, for |z| < 1. */
function series(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < MAX_TERMS; k++) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    sum += term;
    // Terms may grow before they shrink; stop only once the ratio is below 1 and the term is negligible.
    const ratio = Math.abs(((a + k + 1) * (b + k + 1)) / ((c + k + 1) * (k + 2))) * Math.abs(z);
    if (term === 0 || (ratio < 1 && Math.abs(term) <= SERIES_EPS * Math.abs(sum))) return sum;
  }
  throw new RangeError(`hyp2f1: series for a=${a}, b=${b}, c=${c}, z=${z} did not converge in ${MAX_TERMS} terms`);
}

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for real a, b, c (c not a non-positive integer) and z <= 1.
 * Relative accuracy about 1e-13 away from catastrophic parameter choices (checked against closed forms in the
 * tests).
 *
 * @example hyp2f1(1, 1, 2, 0.5) // -ln(1 - 0.5) / 0.5 = 1.3862943611198906
 * @example hyp2f1(0.5, 0.5, 1.5, 0.25) // asin(0.5) / 0.5 = pi / 3
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  for (const [name, v] of [
    ['a', a],
    ['b', b],
    ['c', c],
    ['z', z],
  ] as const) {
    if (!Number.isFinite(v)) throw new RangeError(`hyp2f1: ${name} must be finite, got ${v}`);
  }
  if (isNonPositiveInteger(c)) throw new RangeError(`hyp2f1: c must not be a non-positive integer, got ${c}`);
  if (z > 1) throw new RangeError(`hyp2f1: z must be <= 1 (real branch), got ${z}`);
  if (z === 0 || a === 0 || b === 0) return 1;
  if (z === 1) {
    if (c - a - b <= 0) throw new RangeError(`hyp2f1: diverges at z = 1 when c - a - b <= 0 (a=${a}, b=${b}, c=${c})`);
    return gammaRatio(c, c - a - b, c - a, c - b);
  }
  if (z < 0) return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1));
  if (z <= NEAR_ONE) return series(a, b, c, z);
  const s = c - a - b;
  if (Math.abs(s - Math.round(s)) < 0.05) return series(a, b, c, z);
  const w = 1 - z;
  const first = gammaRatio(c, s, c - a, c - b);
  const second = gammaRatio(c, -s, a, b);
  const t1 = first === 0 ? 0 : first * series(a, b, a + b - c + 1, w);
  const t2 = second === 0 ? 0 : second * Math.pow(w, s) * series(c - a, c - b, s + 1, w);
  return t1 + t2;
}
