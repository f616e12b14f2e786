/**
 * Special functions for the statistics kernels: log-gamma, log-beta, the error function and the regularized
 * incomplete beta and gamma functions. Pure numeric code, no I/O. Accuracy targets are stated per function;
 * the tests check them against R and closed forms.
 *
 * References:
 * - C. Lanczos (1964), "A precise approximation of the gamma function", SIAM J. Numer. Anal. B 1, 86-96;
 *   coefficients g = 7, n = 9 as published by P. Godfrey (used by Boost/Wikipedia), ~15 significant digits.
 * - W. H. Press et al., Numerical Recipes 3rd ed. (2007), sections 6.1 (gammln), 6.2 (gser/gcf), 6.4 (betacf),
 *   continued fractions evaluated with the modified Lentz method (section 5.2).
 * - erf and erfc come from the incomplete gamma identities erf(x) = P(1/2, x^2), erfc(x) = Q(1/2, x^2)
 */

const LANCZOS_G = 7;
const LANCZOS_COEF = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const LN_SQRT_2PI = 0.9189385332046727;
const EPS = 1e-15;
const TINY = 1e-300;
const MAX_ITER = 10_000;

function requireFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}

/**
 * Natural log of |Gamma(x)| for x > 0 (Lanczos, g = 7, n = 9; relative error ~1e-15). For 0 < x < 0.5 the
 * reflection formula keeps the accuracy.
 *
 * @example logGamma(0.5) // = ln(sqrt(pi)) = 0.5723649429247001
 * @example Math.exp(logGamma(5)) // 24 = 4!
 */
export function logGamma(x: number): number {
  requireFinite('logGamma: x', x);
  if (x <= 0) throw new RangeError(`logGamma: x must be > 0, got ${x}`);
  if (x < 0.5) {
    // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x); sin(pi x) > 0 on (0, 0.5).
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let a = LANCZOS_COEF[0]!;
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS_COEF.length; i++) a += LANCZOS_COEF[i]! / (z + i);
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * ln B(a, b) for a, b > 0. For large arguments ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b) cancels numbers of
 * size a ln a and would lose ~log10(a ln a) digits, so, as R's `lbeta` does (Mathlib lbeta.c), the Stirling parts
 * are combined analytically and only the small Stirling corrections are differenced.
 *
 * @example logBeta(2, 3) // ln(1/12) = -2.4849066497880004
 */
export function logBeta(a: number, b: number): number {
  requireFinite('logBeta: a', a);
  requireFinite('logBeta: b', b);
  if (!(a > 0) || !(b > 0)) throw new RangeError(`logBeta: a and b must be > 0, got a=${a}, b=${b}`);
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (p >= 10) {
    const corr = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const corr = stirlingCorrection(q) - stirlingCorrection(p + q);
    return logGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

// Stirling series coefficients B_2k / (2k (2k - 1)), k = 1..8.
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];

/**
 * ln Gamma(x) - ((x - 1/2) ln x - x + ln sqrt(2 pi)) for x >= 10, by the Stirling series to x^-15 (truncation
 * error below 3e-17 at x = 10).
 */
function stirlingCorrection(x: number): number {
  const x2 = 1 / (x * x);
  let sum = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) sum = sum * x2 + STIRLING[k]!;
  return sum / x;
}

/**
 * Regularized lower incomplete gamma P(a, x) = gamma(a, x) / Gamma(a), for a > 0, x >= 0. Series for
 * x < a + 1, continued fraction otherwise (Numerical Recipes 6.2). Measured against mpmath: relative error
 * ~1e-14 for a < 100, growing to ~1e-11 at a ~ 3000 (rounding in the prefactor exp(a ln x - x - ln Gamma(a))).
 *
 * @example regularizedIncompleteGammaLower(1, 2) // 1 - exp(-2) = 0.8646647167633873
 */
export function regularizedIncompleteGammaLower(a: number, x: number): number {
  checkGammaArgs('regularizedIncompleteGammaLower', a, x);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/**
 * Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), computed directly in the upper tail so that tiny
 * survival probabilities keep their relative accuracy.
 *
 * @example regularizedIncompleteGammaUpper(1, 2) // exp(-2) = 0.1353352832366127
 */
export function regularizedIncompleteGammaUpper(a: number, x: number): number {
  checkGammaArgs('regularizedIncompleteGammaUpper', a, x);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function checkGammaArgs(fn: string, a: number, x: number): void {
  requireFinite(`${fn}: a`, a);
  if (!(a > 0)) throw new RangeError(`${fn}: a must be > 0, got ${a}`);
  if (Number.isNaN(x) || x < 0) throw new RangeError(`${fn}: x must be >= 0, got ${x}`);
}

function gammaSeries(a: number, x: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let n = 0; n < MAX_ITER; n++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/**
 * The error function erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt, via erf(x) = sign(x) P(1/2, x^2);
 * relative error ~1e-14 (absolute ~1e-16 near 0, where the series is used).
 *
 * @example erf(1) // 0.8427007929497149
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) throw new RangeError('erf: x is NaN');
  if (x === 0) return 0;
  const p = regularizedIncompleteGammaLower(0.5, x * x);
  return x > 0 ? p : -p;
}

/**
 * The complementary error function erfc(x) = 1 - erf(x), accurate in the far right tail (where 1 - erf(x)
 * would cancel to 0): erfc(x) = Q(1/2, x^2) for x >= 0.
 *
 * @example erfc(3) // 2.209049699858544e-5
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) throw new RangeError('erfc: x is NaN');
  if (x === 0) return 1;
  return x > 0 ? regularizedIncompleteGammaUpper(0.5, x * x) : 1 + regularizedIncompleteGammaLower(0.5, x * x);
}

/**
 * Regularized incomplete beta I_x(a, b) for 0 <= x <= 1, a, b > 0 (the Beta(a, b) CDF; R's `pbeta(x, a, b)`).
 * Continued fraction (Numerical Recipes 6.4 betacf, modified Lentz) with the symmetry
 * I_x(a, b) = 1 - I_{1-x}(b, a) so the fraction is used where it converges fast. Measured against mpmath
 * (a, b in [0.1, 3000], x within 4 sd of the mean): relative error below 3e-13.
 *
 * @example regularizedIncompleteBeta(0.5, 2, 3) // 0.6875 (= pbeta(0.5, 2, 3) in R)
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  requireFinite('regularizedIncompleteBeta: a', a);
  requireFinite('regularizedIncompleteBeta: b', b);
  if (!(a > 0) || !(b > 0)) throw new RangeError(`regularizedIncompleteBeta: a and b must be > 0, got a=${a}, b=${b}`);
  if (Number.isNaN(x) || x < 0 || x > 1)
    throw new RangeError(`regularizedIncompleteBeta: x must be in [0, 1], got ${x}`);
  if (x === 0) return 0;
  if (x === 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Digamma psi(x) = d/dx ln Gamma(x) for x > 0: the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10, then the
 * asymptotic series ln x - 1/(2x) - sum B_2k / (2k x^2k) (Abramowitz & Stegun 6.3.18), accurate to ~1e-15.
 *
 * @example digamma(1) // -0.5772156649015329 (minus the Euler-Mascheroni constant)
 */
export function digamma(x: number): number {
  requireFinite('digamma: x', x);
  if (x <= 0) throw new RangeError(`digamma: x must be > 0, got ${x}`);
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const z = 1 / (x * x);
  const series =
    z * (1 / 12 - z * (1 / 120 - z * (1 / 252 - z * (1 / 240 - z * (1 / 132 - z * (691 / 32760 - z / 12))))));
  return shift + Math.log(x) - 0.5 / x - series;
}
