/**
 * Seeded simulation of the BG/NBD data-generating process (Fader, Hardie & Lee 2005, section 2) for recovery
 * tests: lambda ~ Gamma(shape r, rate alpha), p ~ Beta(a, b); purchases arrive as a Poisson process at rate lambda
 * and after each repeat purchase the customer drops out with probability p. Times are rounded to whole days
 * (1/7 week), as a warehouse computes them, which also keeps the number of distinct (x, t_x, T) triples small.
 */

import type { BgNbdParams, BgNbdRow } from '../../../models/stats/bg-nbd.js';

/** mulberry32: a small, well-mixed 32-bit PRNG; returns a uniform in (0, 1). */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the u^(1/shape) boost for shape < 1. */
export function gammaVariate(u: () => number, shape: number): number {
  if (shape < 1) return gammaVariate(u, shape + 1) * Math.pow(u(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(u);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const w = u();
    if (Math.log(w) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Simulated customers as sufficient-statistics rows (distinct (x, t_x, T) with counts), times in weeks. */
export function simulateBgNbd(params: BgNbdParams, customers: number, seed: number, Tweeks: number[]): BgNbdRow[] {
  const u = mulberry32(seed);
  const counts = new Map<string, BgNbdRow>();
  for (let i = 0; i < customers; i++) {
    const T = Tweeks[i % Tweeks.length]!;
    const lambda = gammaVariate(u, params.r) / params.alpha;
    const g1 = gammaVariate(u, params.a);
    const p = g1 / (g1 + gammaVariate(u, params.b));
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(u()) / lambda;
      if (t > T) break;
      x++;
      tx = t;
      if (u() < p) break;
    }
    const txDays = Math.min(Math.round(tx * 7), Math.round(T * 7)) / 7;
    const key = `${x}|${txDays}|${T}`;
    const row = counts.get(key);
    if (row) row.count = (row.count ?? 1) + 1;
    else counts.set(key, { x, tx: txDays, T, count: 1 });
  }
  return [...counts.values()];
}
