import { describe, expect, it } from 'vitest';
import { kaplanMeier, type SurvivalObservation } from '../../../models/stats/kaplan-meier.js';

/** Freireich et al. (1963), 6-MP arm: weeks in remission, '+' = censored (Kleinbaum & Klein 2012, ch. 2). */
const sixMp: SurvivalObservation[] = [
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
].map(([time, e]) => ({ time: time!, event: e === 1 }));

describe('kaplanMeier', () => {
  it('reproduces the 6-MP product-limit table with Greenwood SEs and the log band', () => {
    // Expected: R 4.x, `summary(survfit(Surv(time, cens) ~ 1, data = subset(MASS::gehan, treat == "6-MP")))`,
    // conf.type = "log" (R's default); survival also printed in Kleinbaum & Klein (2012), ch. 2:
    // time n.risk n.event survival std.err lower 95% CI upper 95% CI
    //    6     21       3    0.857  0.0764        0.720        1.000
    //    7     17       1    0.807  0.0869        0.653        0.996
    //   10     15       1    0.753  0.0963        0.586        0.968
    //   13     12       1    0.690  0.1068        0.510        0.935
    //   16     11       1    0.627  0.1141        0.439        0.896
    //   22      7       1    0.538  0.1282        0.337        0.858
    //   23      6       1    0.448  0.1346        0.249        0.807
    const expected = [
      [6, 21, 3, 0.857, 0.0764, 0.72, 1.0],
      [7, 17, 1, 0.807, 0.0869, 0.653, 0.996],
      [10, 15, 1, 0.753, 0.0963, 0.586, 0.968],
      [13, 12, 1, 0.69, 0.1068, 0.51, 0.935],
      [16, 11, 1, 0.627, 0.1141, 0.439, 0.896],
      [22, 7, 1, 0.538, 0.1282, 0.337, 0.858],
      [23, 6, 1, 0.448, 0.1346, 0.249, 0.807],
    ];
    const km = kaplanMeier(sixMp);
    expect(km).toHaveLength(expected.length);
    km.forEach((pt, i) => {
      const [time, atRisk, events, s, se, lo, hi] = expected[i]!;
      expect(pt.time).toBe(time);
      expect(pt.atRisk).toBe(atRisk);
      expect(pt.events).toBe(events);
      expect(pt.survival).toBeCloseTo(s!, 3);
      expect(pt.stdErr).toBeCloseTo(se!, 4);
      expect(pt.lower).toBeCloseTo(lo!, 3);
      expect(pt.upper).toBeCloseTo(hi!, 3);
    });
  });

  it('computes the log-log band', () => {
    // Hand calculation at t = 6 (S = 18/21): Greenwood sum = 3 / (21 * 18) = 0.0079365, se(log S) = 0.089087;
    // log S = -0.154151; w = 1.959964 * 0.089087 / 0.154151 = 1.132700;
    // lower = S^exp(w) = 0.857143^3.104 = 0.6197, upper = S^exp(-w) = 0.857143^0.32216 = 0.9515.
    // (Kalbfleisch & Prentice 1980, section 1.3; the transform R uses for conf.type = "log-log".)
    const [first] = kaplanMeier(sixMp, { confType: 'log-log' });
    expect(first!.lower).toBeCloseTo(0.6197, 3);
    expect(first!.upper).toBeCloseTo(0.9515, 3);
  });

  it('counts censorings tied with events as at risk, and reaches 0 with an empty band', () => {
    // Hand calculation: n = 3; t = 1 event -> S = 2/3; t = 2 censored; t = 3 event with 1 at risk -> S = 0.
    const km = kaplanMeier([
      { time: 1, event: true },
      { time: 2, event: false },
      { time: 3, event: true },
    ]);
    expect(km.map((p) => [p.time, p.atRisk])).toEqual([
      [1, 3],
      [3, 1],
    ]);
    expect(km[0]!.survival).toBeCloseTo(2 / 3, 15);
    expect(km[1]!.survival).toBe(0);
    expect([km[1]!.lower, km[1]!.upper]).toEqual([0, 0]);
  });

  it('names a bad time', () => {
    expect(() => kaplanMeier([{ time: -1, event: true }])).toThrow(/row 0 time .* got -1/);
  });
});
