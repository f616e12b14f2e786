import { describe, expect, it } from 'vitest';
import { splitMix32, Xoshiro128StarStar } from '../../../models/stats/random.js';
import {
  beta,
  binomial,
  dirichlet,
  gamma,
  multinomial,
  negativeBinomial,
  poisson,
} from '../../../models/stats/random-variates.js';
import { quantiles } from '../../../models/stats/quantile.js';

/*
 * Known outputs: the reference C code of xoshiro128** 1.1 (https://prng.di.unimi.it/xoshiro128starstar.c,
 * copied verbatim) and the SplitMix32 finalizer, compiled with gcc -O2 and run:
 *   splitmix32(0):     1684164658 3653269916 2939563536 2141751570
 *   xoshiro(1,2,3,4):  11520 0 5927040 70819200 2031721883 1637235492
 *   fromSeed(42):      660444221 3652823732 77672526 910233633 2297337756 3786072677
 * (fromSeed(42) = state from four splitmix32 words starting at 42).
 */
describe('xoshiro128** and splitMix32', () => {
  it('reproduce the reference C implementation', () => {
    const mix = splitMix32(0);
    expect([mix(), mix(), mix(), mix()]).toEqual([1684164658, 3653269916, 2939563536, 2141751570]);
    const x = new Xoshiro128StarStar([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => x.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
    const s = Xoshiro128StarStar.fromSeed(42);
    expect(Array.from({ length: 6 }, () => s.nextUint32())).toEqual([
      660444221, 3652823732, 77672526, 910233633, 2297337756, 3786072677,
    ]);
  });

  it('gives uniforms strictly inside (0, 1), the same for the same seed, different for another', () => {
    const a = Xoshiro128StarStar.fromSeed(7);
    const b = Xoshiro128StarStar.fromSeed(7);
    const c = Xoshiro128StarStar.fromSeed(8);
    const ua = Array.from({ length: 1000 }, () => a.nextUniform());
    expect(Array.from({ length: 1000 }, () => b.nextUniform())).toEqual(ua);
    expect(Array.from({ length: 1000 }, () => c.nextUniform())).not.toEqual(ua);
    expect(ua.every((u) => u > 0 && u < 1)).toBe(true);
    // (0 + 0.5) / 2^32 is the smallest possible value: the bin midpoint.
    expect(new Xoshiro128StarStar([1, 2, 3, 4]).nextUniform()).toBe((11520 + 0.5) / 4294967296);
  });

  it('rejects an all-zero state and a non-integer seed', () => {
    expect(() => new Xoshiro128StarStar([0, 0, 0, 0])).toThrow(/all zero/);
    expect(() => Xoshiro128StarStar.fromSeed(1.5)).toThrow(/seed must be an integer, got 1.5/);
  });
});

const moments = (xs: number[]) => {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
};
const draws = <T>(n: number, f: () => T): T[] => Array.from({ length: n }, f);

/*
 * Moment checks on 20,000 seeded draws (deterministic, so they cannot flake). Tolerances are about 4 standard
 * errors of the sample mean (sd / sqrt(20000)) and ~5% on variances. Theoretical moments: Gamma(k, s) mean ks,
 * variance ks^2; Beta(a, b) mean a/(a+b), variance ab/((a+b)^2(a+b+1)); Poisson mean = variance = lambda;
 * Binomial mean np, variance np(1-p); NB(mu, size) variance mu + mu^2/size.
 */
describe('random variates', () => {
  const N = 20_000;
  it('gamma has mean shape*scale and variance shape*scale^2, also for shape < 1', () => {
    const rng = Xoshiro128StarStar.fromSeed(1);
    const g = moments(draws(N, () => gamma(rng, 2.5, 3)));
    expect(g.mean).toBeCloseTo(7.5, 0); // sd 4.74 -> se 0.034
    expect(Math.abs(g.variance / 22.5 - 1)).toBeLessThan(0.05);
    const small = moments(draws(N, () => gamma(rng, 0.4, 1)));
    expect(Math.abs(small.mean - 0.4)).toBeLessThan(0.02); // sd 0.63 -> se 0.0045
    expect(Math.abs(small.variance / 0.4 - 1)).toBeLessThan(0.06);
  });

  it('beta has mean a/(a+b)', () => {
    const rng = Xoshiro128StarStar.fromSeed(2);
    const b = moments(draws(N, () => beta(rng, 2, 6)));
    expect(Math.abs(b.mean - 0.25)).toBeLessThan(0.006); // variance 12/(64*9) = 0.0208, se 0.001
    expect(Math.abs(b.variance / (12 / 576) - 1)).toBeLessThan(0.05);
  });

  it('poisson matches mean and variance on both branches (lambda 3 and 250)', () => {
    const rng = Xoshiro128StarStar.fromSeed(3);
    for (const lambda of [3, 250]) {
      const xs = draws(N, () => poisson(rng, lambda));
      expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
      const m = moments(xs);
      expect(Math.abs(m.mean - lambda)).toBeLessThan(4 * Math.sqrt(lambda / N));
      expect(Math.abs(m.variance / lambda - 1)).toBeLessThan(0.05);
    }
    expect(poisson(rng, 0)).toBe(0);
  });

  it('poisson (PTRS) gives exact point probabilities: P(X = 10 | lambda = 10) = 0.12511', () => {
    // R: dpois(10, 10) = 0.1251100; se of the frequency over 20,000 draws = sqrt(.125 * .875 / 20000) = 0.0023.
    const rng = Xoshiro128StarStar.fromSeed(4);
    const hits = draws(N, () => poisson(rng, 10)).filter((x) => x === 10).length / N;
    expect(Math.abs(hits - 0.12511)).toBeLessThan(0.0093);
  });

  it('binomial matches np and np(1-p) on the Bernoulli and the beta-split branches', () => {
    const rng = Xoshiro128StarStar.fromSeed(5);
    for (const [n, p] of [
      [20, 0.3],
      [5000, 0.07],
    ] as const) {
      const xs = draws(N, () => binomial(rng, n, p));
      expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x <= n)).toBe(true);
      const m = moments(xs);
      const v = n * p * (1 - p);
      expect(Math.abs(m.mean - n * p)).toBeLessThan(4 * Math.sqrt(v / N));
      expect(Math.abs(m.variance / v - 1)).toBeLessThan(0.05);
    }
    expect(binomial(rng, 1000, 0)).toBe(0);
    expect(binomial(rng, 1000, 1)).toBe(1000);
  });

  it('negative binomial has variance mu + mu^2/size and reduces to Poisson at size Infinity', () => {
    const rng = Xoshiro128StarStar.fromSeed(6);
    const m = moments(draws(N, () => negativeBinomial(rng, 40, 8)));
    // variance 40 + 1600/8 = 240, se of mean 0.11
    expect(Math.abs(m.mean - 40)).toBeLessThan(0.45);
    expect(Math.abs(m.variance / 240 - 1)).toBeLessThan(0.06);
    const p = moments(draws(N, () => negativeBinomial(rng, 40, Infinity)));
    expect(Math.abs(p.variance / 40 - 1)).toBeLessThan(0.05);
  });

  it('dirichlet sums to 1 with means alpha_i / sum(alpha); multinomial keeps the total', () => {
    const rng = Xoshiro128StarStar.fromSeed(7);
    const ds = draws(5000, () => dirichlet(rng, [2, 3, 5]));
    expect(ds.every((d) => Math.abs(d[0]! + d[1]! + d[2]! - 1) < 1e-12)).toBe(true);
    expect(Math.abs(moments(ds.map((d) => d[2]!)).mean - 0.5)).toBeLessThan(0.01);
    const ms = draws(5000, () => multinomial(rng, 100, [0.2, 0.3, 0.5]));
    expect(ms.every((m) => m[0]! + m[1]! + m[2]! === 100)).toBe(true);
    expect(Math.abs(moments(ms.map((m) => m[0]!)).mean - 20)).toBeLessThan(0.25); // sd 4 -> se 0.057
  });

  it('reject bad parameters with the value', () => {
    const rng = Xoshiro128StarStar.fromSeed(8);
    expect(() => gamma(rng, 0)).toThrow(/shape must be > 0, got 0/);
    expect(() => poisson(rng, -1)).toThrow(/lambda must be >= 0, got -1/);
    expect(() => binomial(rng, 3.5, 0.1)).toThrow(/got 3.5/);
    expect(() => multinomial(rng, 3, [0.5, 0.2])).toThrow(/sum to 0.7/);
  });
});

describe('quantiles (type 7)', () => {
  it('matches R', () => {
    // R: quantile(1:4, c(.1, .5, .9)) -> 1.3 2.5 3.7; quantile(c(10, 0, 5), c(0, 1)) -> 0 10
    const q = quantiles([4, 1, 3, 2], [0.1, 0.5, 0.9]);
    expect(q[0]).toBeCloseTo(1.3, 12);
    expect(q[1]).toBeCloseTo(2.5, 12);
    expect(q[2]).toBeCloseTo(3.7, 12);
    expect(quantiles([10, 0, 5], [0, 1])).toEqual([0, 10]);
    expect(quantiles([7], [0.1, 0.9])).toEqual([7, 7]);
    expect(() => quantiles([], [0.5])).toThrow(/no values/);
  });
});
