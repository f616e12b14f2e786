import { describe, expect, it } from 'vitest';
import { logRankTest } from '../../../models/stats/log-rank.js';
import type { SurvivalObservation } from '../../../models/stats/kaplan-meier.js';

const obs = (pairs: [number, number][]): SurvivalObservation[] => pairs.map(([time, e]) => ({ time, event: e === 1 }));

/** Freireich et al. (1963) remission data as in Kleinbaum & Klein (2012), ch. 2; (time, 1 = relapse, 0 = censored). */
const sixMp = obs([
  [6, 1],
  [6, 1],
  [6, 1],
  [6, 0],
  [7, 1],
  [9, 0],
  [10, 1],
  [10, 0],
  [11, 0],
  [13, 1],
  [16, 1],
  [17, 0],
  [19, 0],
  [20, 0],
  [22, 1],
  [23, 1],
  [25, 0],
  [32, 0],
  [32, 0],
  [34, 0],
  [35, 0],
]);
const placebo = obs(
  [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23].map((t) => [t, 1] as [number, number]),
);

describe('logRankTest', () => {
  it('reproduces the Freireich 6-MP vs placebo log-rank test', () => {
    // R: survdiff(Surv(time, cens) ~ treat, data = MASS::gehan) ->
    //   treat=6-MP N=21 Observed=9 Expected=19.3; treat=control Observed=21 Expected=10.7;
    //   Chisq= 16.8 on 1 degrees of freedom, p= 4e-05.
    // Kleinbaum & Klein (2012), ch. 2: E1 = 19.25, E2 = 10.75, Var(O2 - E2) = 6.2570, log-rank statistic 16.79.
    const res = logRankTest(sixMp, placebo);
    expect(res.observedA).toBe(9);
    expect(res.observedB).toBe(21);
    expect(res.expectedA).toBeCloseTo(19.25, 2);
    expect(res.expectedB).toBeCloseTo(10.75, 2);
    expect(res.variance).toBeCloseTo(6.257, 3);
    expect(res.chiSquare).toBeCloseTo(16.79, 2);
    // pchisq(16.79, 1, lower.tail = FALSE) = 4.17e-05 (R prints p = 4e-05).
    expect(res.pValue).toBeGreaterThan(4.0e-5);
    expect(res.pValue).toBeLessThan(4.3e-5);
  });

  it('is symmetric in the groups', () => {
    const ab = logRankTest(sixMp, placebo);
    const ba = logRankTest(placebo, sixMp);
    expect(ba.chiSquare).toBeCloseTo(ab.chiSquare, 12);
    expect(ba.expectedA).toBeCloseTo(ab.expectedB, 12);
  });

  it('gives chi-square 0 for identical groups', () => {
    // Hand calculation: with equal risk sets at every time, E_A = O_A exactly.
    const res = logRankTest(sixMp, sixMp);
    expect(res.chiSquare).toBe(0);
    expect(res.pValue).toBe(1);
  });

  it('rejects an empty group', () => {
    expect(() => logRankTest([], placebo)).toThrow(/A: 0, B: 21/);
  });
});
