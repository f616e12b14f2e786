/**
 * Random variates drawn from a seeded `RandomSource` (models/stats/random.ts): normal, gamma, beta, Poisson,
 * binomial, negative binomial (Gamma-Poisson), Dirichlet and multinomial. Each draw consumes a data-dependent
 * but deterministic number of uniforms, so a simulation is reproducible from its seed.
 *
 * References: G. Marsaglia & W. W. Tsang (2000), "A simple method for generating gamma variables", ACM TOMS
 * 26(3) 363-372 (gamma; shape < 1 by the boost U^(1/a)); W. Hörmann (1993), "The transformed rejection method
 * for generating Poisson random variables", Insurance: Mathematics and Economics 12, 39-45 (PTRS, lambda >= 10);
 * D. E. Knuth, TAOCP vol. 2, 3rd ed., 3.4.1 (Poisson by multiplication for small lambda; binomial by the beta
 * split, exercise/algorithm in 3.4.1 F); L. Devroye (1986), "Non-Uniform Random Variate Generation", ch. IX & XI
 * (beta from two gammas, Dirichlet by normalized gammas, multinomial by conditional binomials).
 */
import { logGamma } from './special-functions.js';
import type { RandomSource } from './random.js';

/** A standard normal draw (Box-Muller, cosine branch: exactly two uniforms per draw, nothing cached). */
export function normal(rng: RandomSource): number {
  const u1 = rng.nextUniform();
  const u2 = rng.nextUniform();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * A Gamma(shape, scale) draw (mean shape x scale) by Marsaglia & Tsang (2000).
 * @example gamma(Xoshiro128StarStar.fromSeed(1), 2, 3) // a positive number with mean 6 over many draws
 */
export function gamma(rng: RandomSource, shape: number, scale = 1): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`gamma: shape must be > 0, got ${shape}`);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`gamma: scale must be > 0, got ${scale}`);
  if (shape < 1) return gamma(rng, shape + 1, scale) * Math.pow(rng.nextUniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.nextUniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/** A Beta(a, b) draw as G_a / (G_a + G_b) with independent unit-scale gammas. */
export function beta(rng: RandomSource, a: number, b: number): number {
  const x = gamma(rng, a);
  const y = gamma(rng, b);
  return x / (x + y);
}

/**
 * A Poisson(lambda) draw: Knuth's multiplication method below 10, Hörmann's PTRS (transformed rejection with
 * squeeze) from 10 on, which is exact and takes about 1.2 uniforms pairs per draw at any lambda.
 */
export function poisson(rng: RandomSource, lambda: number): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`poisson: lambda must be >= 0, got ${lambda}`);
  if (lambda === 0) return 0;
  if (lambda < 10) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = rng.nextUniform();
    while (p > limit) {
      k++;
      p *= rng.nextUniform();
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.nextUniform() - 0.5;
    const v = rng.nextUniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    const lhs = Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b);
    if (lhs <= -lambda + k * loglam - logGamma(k + 1)) return k;
  }
}

/**
 * A Binomial(n, p) draw. Up to 64 trials: a sum of Bernoulli trials. Above: Knuth's beta split (TAOCP 3.4.1),
 * X ~ Beta(a, n + 1 - a) with a = 1 + floor(n/2) is the a-th smallest of n uniforms, so the count below p is
 * a - 1 + Binomial(...) or Binomial(...) on the smaller side: exact, O(log n) steps.
 */
export function binomial(rng: RandomSource, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`binomial: n must be a non-negative integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial: p must be in [0, 1], got ${p}`);
  let count = 0;
  while (n > 64) {
    if (p === 0) return count;
    if (p === 1) return count + n;
    const a = 1 + Math.floor(n / 2);
    const x = beta(rng, a, n + 1 - a);
    if (x >= p) {
      n = a - 1;
      p = p / x;
    } else {
      count += a;
      n = n - a;
      p = (p - x) / (1 - x);
    }
  }
  for (let i = 0; i < n; i++) if (rng.nextUniform() < p) count++;
  return count;
}

/**
 * A negative binomial draw with the given mean and dispersion `size` (variance mean + mean^2 / size), as a
 * Poisson whose rate is Gamma(size, mean / size); `size` = Infinity is the Poisson limit. R's
 * `rnbinom(n, size, mu)` parameterization.
 */
export function negativeBinomial(rng: RandomSource, mean: number, size: number): number {
  if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`negativeBinomial: mean must be >= 0, got ${mean}`);
  if (!(size > 0)) throw new RangeError(`negativeBinomial: size must be > 0 (Infinity for Poisson), got ${size}`);
  if (mean === 0) return 0;
  if (size === Infinity) return poisson(rng, mean);
  return poisson(rng, gamma(rng, size, mean / size));
}

/** A Dirichlet(alpha) draw: independent Gamma(alpha_i) normalized to sum 1. */
export function dirichlet(rng: RandomSource, alpha: readonly number[]): number[] {
  if (alpha.length === 0) throw new RangeError('dirichlet: needs at least one concentration');
  const g = alpha.map((a, i) => {
    if (!(a > 0)) throw new RangeError(`dirichlet: alpha[${i}] must be > 0, got ${a}`);
    return gamma(rng, a);
  });
  const total = g.reduce((s, x) => s + x, 0);
  return g.map((x) => x / total);
}

/** A Multinomial(n, probs) draw by conditional binomials; probs must sum to 1 (within 1e-9). */
export function multinomial(rng: RandomSource, n: number, probs: readonly number[]): number[] {
  const total = probs.reduce((s, x) => s + x, 0);
  if (Math.abs(total - 1) > 1e-9) throw new RangeError(`multinomial: probabilities sum to ${total}, not 1`);
  const out: number[] = [];
  let left = n;
  let mass = 1;
  probs.forEach((p, i) => {
    if (i === probs.length - 1) {
      out.push(left);
      return;
    }
    const k = left > 0 && mass > 0 ? binomial(rng, left, Math.min(1, Math.max(0, p / mass))) : 0;
    out.push(k);
    left -= k;
    mass -= p;
  });
  return out;
}
