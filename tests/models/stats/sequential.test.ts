import { describe, expect, it } from 'vitest';
import { msprtDifferenceInMeans, msprtNormal, msprtSequence } from '../../../models/stats/sequential.js';

describe('msprtNormal', () => {
  it('matches the closed-form statistic by hand', () => {
    // estimate 0.5, V = 0.04, tau^2 = 1 (Johari et al. normal-mixture Lambda):
    // sqrt(V / (V + tau^2)) = sqrt(0.04 / 1.04) = 0.1961161351
    // tau^2 est^2 / (2 V (V + tau^2)) = 0.25 / (2 * 0.04 * 1.04) = 0.25 / 0.0832 = 3.0048076923
    // Lambda = 0.1961161351 * exp(3.0048076923) = 0.1961161351 * 20.18236 = 3.9580814411; p = 1 / Lambda = 0.2526476564
    // half-width = sqrt(0.04 * 1.04 / 1 * (2 ln 20 + ln(1.04 / 0.04))) = sqrt(0.0416 * (5.9914645 + 3.2580965))
    //            = sqrt(0.0416 * 9.2495611) = 0.6203077794
    const r = msprtNormal({ estimate: 0.5, variance: 0.04 }, { tau2: 1 });
    expect(r.lambda).toBeCloseTo(3.9580814411, 9);
    expect(r.pValue).toBeCloseTo(0.2526476564, 9);
    expect(r.ciLow).toBeCloseTo(0.5 - 0.6203077794, 9);
    expect(r.ciHigh).toBeCloseTo(0.5 + 0.6203077794, 9);
  });

  it('the always-valid interval contains the fixed-horizon one and shrinks with n', () => {
    // Fixed-horizon 95% interval: estimate +/- 1.959964 sqrt(V). sigma^2 = 2 per unit and group.
    let previousWidth = Infinity;
    for (const n of [10, 100, 1_000, 10_000, 100_000]) {
      const v = 2 / n + 2 / n;
      const r = msprtNormal({ estimate: 0.1, variance: v }, { tau2: 0.01 });
      expect(r.ciLow).toBeLessThan(0.1 - 1.959964 * Math.sqrt(v));
      expect(r.ciHigh).toBeGreaterThan(0.1 + 1.959964 * Math.sqrt(v));
      const width = r.ciHigh - r.ciLow;
      expect(width).toBeLessThan(previousWidth);
      previousWidth = width;
    }
  });

  it('from summaries: estimate treatment - control, V = vC/nC + vT/nT', () => {
    // V = 2/100 + 2/100 = 0.04, estimate 0.5: the hand-calculated case above.
    const r = msprtDifferenceInMeans({ n: 100, mean: 1, variance: 2 }, { n: 100, mean: 1.5, variance: 2 }, { tau2: 1 });
    expect(r.lambda).toBeCloseTo(3.9580814411, 9);
  });

  it('names bad options', () => {
    expect(() => msprtNormal({ estimate: 0, variance: 1 }, { tau2: 0 })).toThrow(/tau2 .* got 0/);
    expect(() => msprtNormal({ estimate: 0, variance: -1 }, { tau2: 1 })).toThrow(/variance .* got -1/);
  });
});

/** mulberry32: a small seeded PRNG so the simulation is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

describe('msprtSequence', () => {
  it('p is non-increasing and intervals nested as evidence accumulates; a real effect is found', () => {
    // Unit-variance outcomes, true difference 0.2, a look every 50 units per group.
    const u = rng(7);
    let sumC = 0;
    let sumT = 0;
    const looks = [];
    for (let n = 1; n <= 4000; n++) {
      sumC += normal(u);
      sumT += 0.2 + normal(u);
      if (n % 50 === 0) looks.push({ estimate: sumT / n - sumC / n, variance: 2 / n });
    }
    const seq = msprtSequence(looks, { tau2: 0.04 });
    for (let i = 1; i < seq.length; i++) {
      expect(seq[i]!.pValue).toBeLessThanOrEqual(seq[i - 1]!.pValue);
      expect(seq[i]!.ciLow).toBeGreaterThanOrEqual(seq[i - 1]!.ciLow);
      expect(seq[i]!.ciHigh).toBeLessThanOrEqual(seq[i - 1]!.ciHigh);
    }
    const last = seq[seq.length - 1]!;
    // With 4000 units a group, the fixed-horizon z is about 0.2 / sqrt(2/4000) = 8.9: overwhelming evidence.
    expect(last.pValue).toBeLessThan(1e-6);
    expect(last.ciLow).toBeLessThan(0.2);
    expect(last.ciHigh).toBeGreaterThan(0.2);
  });

  it('under the null, peeking at every look rejects in at most alpha of the runs (Ville)', () => {
    // Johari et al. Theorem 1: P(some p_n <= alpha) <= alpha. 1000 simulated A/A tests, 40 looks each.
    const u = rng(2024);
    let rejected = 0;
    let naive = 0;
    for (let run = 0; run < 1000; run++) {
      let diff = 0;
      const looks = [];
      for (let n = 1; n <= 2000; n++) {
        diff += normal(u) - normal(u);
        if (n % 50 === 0) looks.push({ estimate: diff / n, variance: 2 / n });
      }
      const seq = msprtSequence(looks, { tau2: 0.01 });
      if (seq[seq.length - 1]!.pValue <= 0.05) rejected++;
      if (looks.some((l) => Math.abs(l.estimate) / Math.sqrt(l.variance) > 1.959964)) naive++;
    }
    expect(rejected / 1000).toBeLessThanOrEqual(0.05);
    // The same runs read with a fixed-horizon z test at every look reject far more often (peeking inflation).
    expect(naive / 1000).toBeGreaterThan(0.1);
  });
});
