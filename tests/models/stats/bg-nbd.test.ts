import { describe, expect, it } from 'vitest';
import {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNew,
  bgNbdProbabilityAlive,
  bgNbdTotalLogLikelihood,
  fitBgNbd,
  type BgNbdParams,
  type BgNbdRow,
} from '../../../models/stats/bg-nbd.js';
import { loadCdnow } from './cdnow.js';
import { simulateBgNbd } from './simulate-bg-nbd.js';
import { bgNbdStandardErrors } from './bg-nbd-standard-errors.js';

/** Published CDNOW estimates: Fader, Hardie & Lee (2005), Marketing Science 24(2), section 4 / Table 1. */
const PAPER: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

function compress(rows: BgNbdRow[]): BgNbdRow[] {
  const m = new Map<string, BgNbdRow>();
  for (const r of rows) {
    const k = `${r.x}|${r.tx}|${r.T}`;
    const c = m.get(k);
    if (c) c.count = (c.count ?? 1) + 1;
    else m.set(k, { x: r.x, tx: r.tx, T: r.T, count: 1 });
  }
  return [...m.values()];
}

describe('BG/NBD on CDNOW', () => {
  const customers = loadCdnow();

  it('has the published sample (2,357 customers, 1,411 without a repeat purchase; FHL 2005 section 4)', () => {
    expect(customers).toHaveLength(2357);
    expect(customers.filter((c) => c.x === 0)).toHaveLength(1411);
  });

  it('reproduces the published maximum-likelihood fit from sufficient statistics', () => {
    // FHL (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
    const rows = compress(customers);
    expect(rows.length).toBeLessThan(customers.length);
    const fit = fitBgNbd(rows);
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(2357);
    expect(fit.r).toBeCloseTo(0.243, 3);
    expect(fit.alpha).toBeCloseTo(4.414, 3);
    expect(fit.a).toBeCloseTo(0.793, 3);
    expect(fit.b).toBeCloseTo(2.426, 3);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
    // The same data, one row per customer, gives the same likelihood.
    expect(bgNbdTotalLogLikelihood(fit, customers)).toBeCloseTo(fit.logLikelihood, 6);
  });

  it('gives the conditional expectation of the Hardie Excel note for customer 1', () => {
    // FHL, "Implementing the BG/NBD model for customer base analysis in Excel": E[Y(39) | x = 2, t_x = 30.43,
    // T = 38.86] = 1.226 with the published parameters (also lifetimes'
    // test_conditional_expectation_returns_same_value_as_Hardie_excel_sheet).
    expect(bgNbdExpectedPurchases(PAPER, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
  });

  it('computes P(alive) from the closed form', () => {
    // Hand calculation for customer 1: a / (b + x - 1) = 0.793 / 3.426 = 0.2314653;
    // ((alpha + T) / (alpha + t_x))^(r + x) = (43.274 / 34.844)^2.243 = 1.2419355^2.243 = 1.6257888;
    // P = 1 / (1 + 0.2314653 * 1.6257888) = 0.7265786. A customer with x = 0 is alive with probability 1.
    expect(bgNbdProbabilityAlive(PAPER, 2, 30.43, 38.86)).toBeCloseTo(0.7265786, 6);
    expect(bgNbdProbabilityAlive(PAPER, 0, 0, 38.86)).toBe(1);
  });

  it('agrees with its own unconditional expectation for x = 0, T = 0 (eq. 10 reduces to eq. 9)', () => {
    // Hand: with x = 0, t_x = T = 0, eq. 10 is (a + b - 1)/(a - 1) [1 - (alpha/(alpha + t))^r 2F1(r, b; a+b-1; .)].
    expect(bgNbdExpectedPurchases(PAPER, 39, 0, 0, 0)).toBeCloseTo(bgNbdExpectedPurchasesNew(PAPER, 39), 12);
    expect(bgNbdExpectedPurchases(PAPER, 0, 2, 30.43, 38.86)).toBe(0);
  });

  it('names a bad row', () => {
    expect(() => fitBgNbd([{ x: 1, tx: 40, T: 39 }])).toThrow(/row 0 .*"tx":40/);
    expect(() => bgNbdProbabilityAlive({ ...PAPER, b: -1 }, 1, 1, 2)).toThrow(/b must be > 0, got -1/);
  });
});

describe('BG/NBD recovery on simulated data', () => {
  it('recovers planted parameters from 20,000 simulated customers', () => {
    // Truth chosen near the CDNOW scale; T spread over three quarterly cohorts (26, 39, 52 weeks).
    const truth: BgNbdParams = { r: 0.5, alpha: 4, a: 0.8, b: 2.5 };
    const rows = simulateBgNbd(truth, 20_000, 20_260_101, [26, 39, 52]);
    expect(rows.reduce((s, r) => s + (r.count ?? 1), 0)).toBe(20_000);
    const fit = fitBgNbd(rows);
    expect(fit.converged).toBe(true);
    // Tolerance: the MLE is asymptotically normal, so each estimate should lie within 4 observed-information
    // standard errors of the truth (two-sided chance of a miss ~6e-5 per parameter for a random seed; the seed is
    // fixed, so the test is deterministic). The SEs themselves must be small (< 15% of the truth), so a fit that
    // only "passes" because the likelihood is flat fails instead.
    const se = bgNbdStandardErrors(fit, rows);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(se[k] / truth[k]).toBeLessThan(0.15);
      expect(Math.abs(fit[k] - truth[k])).toBeLessThan(4 * se[k]);
    }
  });
});
