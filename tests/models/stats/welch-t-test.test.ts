import { describe, expect, it } from 'vitest';
import { fromSums, summarize, welchTTest } from '../../../models/stats/welch-t-test.js';

// R's `sleep` data set (datasets package): extra hours of sleep under two drugs.
const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe('welchTTest', () => {
  it('matches R t.test(extra ~ group, data = sleep)', () => {
    // R 4.x output: t = -1.8608, df = 17.776, p-value = 0.07939;
    // 95 percent confidence interval: -3.3654832 0.2054832; means 0.75 and 2.33 (group 1 minus group 2).
    const r = welchTTest(summarize(group2), summarize(group1));
    expect(r.estimate).toBeCloseTo(0.75 - 2.33, 12);
    expect(r.statistic).toBeCloseTo(-1.8608, 4);
    expect(r.df).toBeCloseTo(17.776, 3);
    expect(r.pValue).toBeCloseTo(0.07939, 5);
    expect(r.ciLow).toBeCloseTo(-3.3654832, 7);
    expect(r.ciHigh).toBeCloseTo(0.2054832, 7);
  });

  it('reads the same from SQL-style sums', () => {
    // fromSums(3, 1 + 2 + 3, 1 + 4 + 9): mean 2, variance ((1-2)^2 + 0 + (3-2)^2) / 2 = 1
    expect(fromSums(3, 6, 14)).toEqual({ n: 3, mean: 2, variance: 1 });
    const sum = group1.reduce((s, v) => s + v, 0);
    const ss = group1.reduce((s, v) => s + v * v, 0);
    const g = fromSums(10, sum, ss);
    expect(g.mean).toBeCloseTo(0.75, 12);
    expect(g.variance).toBeCloseTo(summarize(group1).variance, 12);
  });

  it('relative lift uses the delta method', () => {
    // Hand calculation: control n=100 mean 10 var 4; treatment n=100 mean 11 var 9.
    // lift = 11/10 - 1 = 0.1; Var = 9/(100*100) + 121*4/(100*10^4) = 0.0009 + 0.000484 = 0.001384; se = 0.0372022
    // Welch df = (0.04 + 0.09)^2 / (0.04^2/99 + 0.09^2/99) = 0.0169 / (0.0097/99) = 172.4845
    const r = welchTTest({ n: 100, mean: 10, variance: 4 }, { n: 100, mean: 11, variance: 9 }, { relative: true });
    expect(r.estimate).toBeCloseTo(0.1, 12);
    expect(r.se).toBeCloseTo(Math.sqrt(0.001384), 12);
    expect(r.df).toBeCloseTo(172.4845, 4);
    expect(r.statistic).toBeCloseTo(0.1 / Math.sqrt(0.001384), 10);
    // the interval and the p-value agree: it excludes 0 and p < 0.05 (t = 2.688)
    expect(r.ciLow).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(0.05);
  });

  it('names the bad input', () => {
    expect(() => welchTTest({ n: 1, mean: 0, variance: 1 }, { n: 5, mean: 0, variance: 1 })).toThrow(
      /control.n .* got 1/,
    );
    expect(() =>
      welchTTest({ n: 5, mean: 0, variance: 1 }, { n: 5, mean: 0, variance: 1 }, { relative: true }),
    ).toThrow(/non-zero control mean/);
  });
});
