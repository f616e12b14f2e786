/**
 * Chance to win for Beta posteriors of two conversion rates: P(p_treatment > p_control).
 *
 * References:
 * - E. Miller (2015), "Formulas for Bayesian A/B Testing", https://www.evanmiller.org/bayesian-ab-testing.html
 *   (closed-form sum when one shape parameter is an integer).
 * - R. Piessens et al. (1983), QUADPACK (Gauss-Kronrod 7/15 rule) for the numerical fallback.
 */
import { logBeta, regularizedIncompleteBeta } from './special-functions.js';

/** A Beta(alpha, beta) posterior, e.g. alpha = prior + conversions, beta = prior + non-conversions. */
export interface BetaPosterior {
  alpha: number;
  beta: number;
}

export interface ChanceToWin {
  probability: number;
  method: 'exact' | 'integration';
  /**
   * Estimated bound on |probability - truth|: floating-point rounding of the log-densities (which grows with
   * |ln B(alpha, beta)|, i.e. with the sample size), plus, for integration, the quadrature error estimate and the
   * control mass outside the integration range.
   */
  errorBound: number;
}

/** The closed-form sum has one term per unit of the integer parameter; above this we integrate instead. */
const MAX_EXACT_TERMS = 200_000;

function check(label: string, p: BetaPosterior): void {
  for (const k of ['alpha', 'beta'] as const) {
    if (!(p[k] > 0) || !Number.isFinite(p[k])) {
      throw new RangeError(`betaChanceToWin: ${label}.${k} must be a positive finite number, got ${p[k]}`);
    }
  }
}

/**
 * P(X_b > X_a) for X_a ~ Beta(a.alpha, a.beta), X_b ~ Beta(b.alpha, b.beta), b.alpha a positive integer
 * (Miller's formula): sum_{i=0}^{b.alpha-1} B(a.alpha+i, a.beta+b.beta) / ((b.beta+i) B(1+i, b.beta) B(a.alpha, a.beta)).
 */
function millerSum(a: BetaPosterior, b: BetaPosterior): number {
  let total = 0;
  const constant = logBeta(a.alpha, a.beta);
  for (let i = 0; i < b.alpha; i++) {
    total += Math.exp(logBeta(a.alpha + i, a.beta + b.beta) - Math.log(b.beta + i) - logBeta(1 + i, b.beta) - constant);
  }
  return total;
}

/** Rounding of exp(x) where |x| ~ |ln B| is ~|ln B| * 2.2e-16 relative; doubled, plus a floor. */
function roundingBound(control: BetaPosterior, treatment: BetaPosterior): number {
  return (
    1e-14 +
    4.4e-16 * (Math.abs(logBeta(control.alpha, control.beta)) + Math.abs(logBeta(treatment.alpha, treatment.beta)))
  );
}

const flip = (p: BetaPosterior): BetaPosterior => ({ alpha: p.beta, beta: p.alpha });

/**
 * P(treatment rate > control rate). Exact (Miller's sum) when any of the four shape parameters is an integer of
 * at most 200,000, using the symmetries P(X_t > X_c) = 1 - P(X_c > X_t) and X ~ Beta(a, b) <=> 1 - X ~ Beta(b, a);
 * otherwise adaptive Gauss-Kronrod integration with an error bound (see {@link betaChanceToWinIntegrated}).
 *
 * @example betaChanceToWin({ alpha: 1, beta: 1 }, { alpha: 2, beta: 1 }) // 2/3
 */
export function betaChanceToWin(control: BetaPosterior, treatment: BetaPosterior): ChanceToWin {
  check('control', control);
  check('treatment', treatment);
  const candidates: Array<{ terms: number; run: () => number }> = [];
  const add = (terms: number, run: () => number): void => {
    if (Number.isInteger(terms) && terms <= MAX_EXACT_TERMS) candidates.push({ terms, run });
  };
  add(treatment.alpha, () => millerSum(control, treatment));
  add(control.alpha, () => 1 - millerSum(treatment, control));
  // p_t > p_c  <=>  1 - p_c > 1 - p_t, with 1 - p ~ Beta(beta, alpha)
  add(control.beta, () => millerSum(flip(treatment), flip(control)));
  add(treatment.beta, () => 1 - millerSum(flip(control), flip(treatment)));
  if (candidates.length > 0) {
    const best = candidates.reduce((a, b) => (b.terms < a.terms ? b : a));
    const probability = Math.min(1, Math.max(0, best.run()));
    return { probability, method: 'exact', errorBound: roundingBound(control, treatment) + best.terms * 1e-16 };
  }
  return betaChanceToWinIntegrated(control, treatment);
}

// QUADPACK qk15 nodes and weights on [-1, 1]: Kronrod abscissae, their weights, and the embedded 7-point Gauss weights.
const XGK = [
  0.991455371120812639, 0.949107912342758525, 0.864864423359769073, 0.74153118559939444, 0.58608723546769113,
  0.405845151377397167, 0.207784955007898468, 0,
];
const WGK = [
  0.022935322010529225, 0.063092092629978553, 0.104790010322250184, 0.140653259715525919, 0.169004726639267903,
  0.19035057806478541, 0.204432940075298892, 0.209482141084727828,
];
const WG = [0.129484966168869693, 0.27970539148927667, 0.381830050505118945, 0.417959183673469388];

function kronrod(f: (x: number) => number, a: number, b: number): { value: number; error: number } {
  const c = (a + b) / 2;
  const h = (b - a) / 2;
  const fc = f(c);
  let k = fc * WGK[7]!;
  let g = fc * WG[3]!;
  for (let j = 0; j < 7; j++) {
    const s = f(c - h * XGK[j]!) + f(c + h * XGK[j]!);
    k += WGK[j]! * s;
    if (j % 2 === 1) g += WG[(j - 1) / 2]! * s;
  }
  return { value: k * h, error: Math.abs((k - g) * h) };
}

/**
 * P(treatment rate > control rate) = integral of f_control(x) (1 - F_treatment(x)) dx by adaptive Gauss-Kronrod
 * (7/15) over control's mean +/- 40 sd (clipped to [0, 1]), with extra breakpoints near treatment's mass so a
 * sharp survival curve is not stepped over. `errorBound` = the sum of |Kronrod - Gauss| over the final intervals
 * (a conservative estimate for smooth integrands) plus the control mass outside the range (exact, by pbeta).
 */
export function betaChanceToWinIntegrated(
  control: BetaPosterior,
  treatment: BetaPosterior,
  tolerance = 1e-10,
): ChanceToWin {
  check('control', control);
  check('treatment', treatment);
  const moments = (p: BetaPosterior) => {
    const s = p.alpha + p.beta;
    return { mean: p.alpha / s, sd: Math.sqrt((p.alpha * p.beta) / (s * s * (s + 1))) };
  };
  const mc = moments(control);
  const mt = moments(treatment);
  const lo = Math.max(0, mc.mean - 40 * mc.sd);
  const hi = Math.min(1, mc.mean + 40 * mc.sd);
  const logNorm = logBeta(control.alpha, control.beta);
  const integrand = (x: number): number => {
    if (x <= 0 || x >= 1) return 0;
    const logDensity = (control.alpha - 1) * Math.log(x) + (control.beta - 1) * Math.log1p(-x) - logNorm;
    return Math.exp(logDensity) * (1 - regularizedIncompleteBeta(x, treatment.alpha, treatment.beta));
  };
  const points = new Set<number>([lo, hi]);
  for (let i = 1; i < 16; i++) points.add(lo + ((hi - lo) * i) / 16);
  for (const k of [-3, -1, 0, 1, 3]) {
    const x = mt.mean + k * mt.sd;
    if (x > lo && x < hi) points.add(x);
  }
  const edges = [...points].sort((a, b) => a - b);
  const stack: Array<[number, number]> = [];
  for (let i = 0; i + 1 < edges.length; i++) stack.push([edges[i]!, edges[i + 1]!]);
  let probability = 0;
  let error = 0;
  let evaluations = 0;
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    const r = kronrod(integrand, a, b);
    evaluations++;
    if (r.error <= (tolerance * (b - a)) / (hi - lo) || b - a < 1e-15 || evaluations > 20_000) {
      probability += r.value;
      error += r.error;
    } else {
      const m = (a + b) / 2;
      stack.push([a, m], [m, b]);
    }
  }
  const truncated =
    (lo > 0 ? regularizedIncompleteBeta(lo, control.alpha, control.beta) : 0) +
    (hi < 1 ? 1 - regularizedIncompleteBeta(hi, control.alpha, control.beta) : 0);
  return {
    probability: Math.min(1, Math.max(0, probability)),
    method: 'integration',
    errorBound: error + truncated + roundingBound(control, treatment),
  };
}
