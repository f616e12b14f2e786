/**
 * Two-sample log-rank (Mantel-Haenszel) test of equal survival curves.
 *
 * At each distinct event time j with n_j at risk (n_Aj in group A) and d_j events, the expected events in A are
 * E_Aj = d_j n_Aj / n_j, with hypergeometric variance V_j = d_j (n_Aj / n_j)(1 - n_Aj / n_j)(n_j - d_j)/(n_j - 1).
 * The statistic (O_A - E_A)^2 / sum V_j is chi-square with 1 df under H0. Censored subjects at an event time
 * count as at risk there, as in R's `survdiff` (rho = 0).
 *
 * References:
 * - N. Mantel (1966), "Evaluation of survival data and two new rank order statistics arising in its
 *   consideration", Cancer Chemotherapy Reports 50, 163-170.
 * - R. Peto and J. Peto (1972), "Asymptotically efficient rank invariant test procedures", JRSS A 135, 185-207.
 * - D. G. Kleinbaum and M. Klein (2012), Survival Analysis: A Self-Learning Text, 3rd ed., chapter 2.
 */

import { chiSquareSurvival } from './distributions.js';
import type { SurvivalObservation } from './kaplan-meier.js';

export interface LogRankResult {
  /** (O_A - E_A)^2 / Var, 1 degree of freedom. */
  chiSquare: number;
  /** Upper-tail chi-square(1) probability of `chiSquare`. */
  pValue: number;
  /** Events observed in group A. */
  observedA: number;
  /** Events expected in group A under H0. */
  expectedA: number;
  /** Events observed in group B. */
  observedB: number;
  /** Events expected in group B under H0. */
  expectedB: number;
  /** Variance of O_A - E_A under H0. */
  variance: number;
}

/**
 * Log-rank test of group A against group B.
 *
 * @example
 * logRankTest([{ time: 1, event: true }, { time: 3, event: true }], [{ time: 2, event: true }, { time: 4, event: true }])
 */
export function logRankTest(groupA: SurvivalObservation[], groupB: SurvivalObservation[]): LogRankResult {
  if (groupA.length === 0 || groupB.length === 0) {
    throw new RangeError(`logRankTest: both groups need rows (A: ${groupA.length}, B: ${groupB.length})`);
  }
  const cells = new Map<number, { dA: number; dB: number; cA: number; cB: number }>();
  const add = (rows: SurvivalObservation[], group: 'A' | 'B'): void => {
    rows.forEach((r, i) => {
      if (!Number.isFinite(r.time) || r.time < 0) {
        throw new RangeError(`logRankTest: group ${group} row ${i} time must be a finite number >= 0, got ${r.time}`);
      }
      const cell = cells.get(r.time) ?? { dA: 0, dB: 0, cA: 0, cB: 0 };
      if (group === 'A') r.event ? cell.dA++ : cell.cA++;
      else r.event ? cell.dB++ : cell.cB++;
      cells.set(r.time, cell);
    });
  };
  add(groupA, 'A');
  add(groupB, 'B');
  let nA = groupA.length;
  let nB = groupB.length;
  let observedA = 0;
  let observedB = 0;
  let expectedA = 0;
  let variance = 0;
  for (const time of [...cells.keys()].sort((a, b) => a - b)) {
    const { dA, dB, cA, cB } = cells.get(time)!;
    const n = nA + nB;
    const d = dA + dB;
    if (d > 0) {
      observedA += dA;
      observedB += dB;
      expectedA += (d * nA) / n;
      if (n > 1) variance += (d * (nA / n) * (nB / n) * (n - d)) / (n - 1);
    }
    nA -= dA + cA;
    nB -= dB + cB;
  }
  const expectedB = observedA + observedB - expectedA;
  if (!(variance > 0)) throw new RangeError('logRankTest: zero variance (no event time with both groups at risk)');
  const chiSquare = (observedA - expectedA) ** 2 / variance;
  return {
    chiSquare,
    pValue: chiSquareSurvival(chiSquare, 1),
    observedA,
    expectedA,
    observedB,
    expectedB,
    variance,
  };
}
