/**
 * Observed-information standard errors of a BG/NBD fit for the recovery tests: the Hessian of the total
 * log-likelihood in (r, alpha, a, b) by central differences (step 0.1% of each parameter), inverted by
 * Gauss-Jordan elimination; SE_i = sqrt([(-H)^-1]_ii). The MLE is asymptotically normal with this covariance.
 */

import { bgNbdTotalLogLikelihood, type BgNbdParams, type BgNbdRow } from '../../../models/stats/bg-nbd.js';

export function bgNbdStandardErrors(p: BgNbdParams, rows: BgNbdRow[]): BgNbdParams {
  const keys = ['r', 'alpha', 'a', 'b'] as const;
  const ll = (v: number[]): number => bgNbdTotalLogLikelihood({ r: v[0]!, alpha: v[1]!, a: v[2]!, b: v[3]! }, rows);
  const x0 = keys.map((k) => p[k]);
  const h = x0.map((v) => v * 1e-3);
  const n = keys.length;
  const m: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      const f = (si: number, sj: number): number => {
        const v = x0.slice();
        v[i]! += si * h[i]!;
        v[j]! += sj * h[j]!;
        return ll(v);
      };
      row.push(-(f(1, 1) - f(1, -1) - f(-1, 1) + f(-1, -1)) / (4 * h[i]! * h[j]!));
    }
    m.push([...row, ...keys.map((_, j) => (i === j ? 1 : 0))]);
  }
  for (let c = 0; c < n; c++) {
    const piv = m[c]![c]!;
    for (let k = 0; k < 2 * n; k++) m[c]![k]! /= piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let k = 0; k < 2 * n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const se = keys.map((_, i) => Math.sqrt(m[i]![n + i]!));
  return { r: se[0]!, alpha: se[1]!, a: se[2]!, b: se[3]! };
}
