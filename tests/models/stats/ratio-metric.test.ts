import { describe, expect, it } from 'vitest';
import { ratioPooledTest, ratioSummary } from '../../../models/stats/ratio-metric.js';

describe('ratioSummary', () => {
  it('delta method on literal units, by hand', () => {
    // units (x, y) = (1, 1), (2, 0), (3, 2): R = 3 / 6 = 0.5; mean x = 2, mean y = 1
    // s_x^2 = (1 + 0 + 1) / 2 = 1; s_y^2 = (0 + 1 + 1) / 2 = 1; s_xy = ((-1)(0) + (0)(-1) + (1)(1)) / 2 = 0.5
    // n Var(R) = (1 - 2 * 0.5 * 0.5 + 0.25 * 1) / 2^2 = 0.75 / 4 = 0.1875
    const s = ratioSummary({ n: 3, sumY: 3, sumY2: 5, sumX: 6, sumX2: 14, sumXY: 7 });
    expect(s.n).toBe(3);
    expect(s.mean).toBeCloseTo(0.5, 14);
    expect(s.variance).toBeCloseTo(0.1875, 14);
  });

  it('with x = 1 for every unit it is the plain mean and sample variance', () => {
    // y = 1, 2, 6: mean 3, variance (4 + 1 + 9) / 2 = 7
    const s = ratioSummary({ n: 3, sumY: 9, sumY2: 41, sumX: 3, sumX2: 3, sumXY: 9 });
    expect(s.mean).toBeCloseTo(3, 14);
    expect(s.variance).toBeCloseTo(7, 12);
  });

  it('names an empty denominator', () => {
    expect(() => ratioSummary({ n: 3, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 })).toThrow(/got 0/);
  });
});

describe('ratioPooledTest', () => {
  const units = (n: number, y: number) => ({ n, sumY: y, sumY2: y, sumX: n, sumX2: n, sumXY: y });

  it('with one trial per unit is the pooled two-proportion z test', () => {
    // R: prop.test(c(100, 130), c(1000, 1000), correct = FALSE)  ->  X-squared = 4.4215, df = 1, p-value = 0.03549
    const t = ratioPooledTest(units(1000, 100), units(1000, 130));
    expect(t.estimate).toBeCloseTo(0.03, 14);
    expect(t.z * t.z).toBeCloseTo(4.4215, 4);
    expect(t.pValue).toBeCloseTo(0.03549, 5);
  });

  it('stays honest when control has no events (where the unpooled delta method is degenerate)', () => {
    // 0 of 500 vs 5 of 570, by hand (the pooled chi-square prop.test(correct = FALSE) computes):
    // p0 = 5/1070, z^2 = (5/570)^2 / (p0 (1 - p0) (1/500 + 1/570)) = 4.40656, p = erfc(sqrt(z^2 / 2)) = 0.035801.
    // The unpooled delta method would use only the treatment's variance: z^2 = (5/570)^2 / ((5/570)(565/570)/570)
    // = 5.0442, p = 0.0247 -- the kind of false guardrail alarm the pooled test avoids.
    const t = ratioPooledTest(units(500, 0), units(570, 5));
    expect(t.z * t.z).toBeCloseTo(4.40656, 4);
    expect(t.pValue).toBeCloseTo(0.035801, 5);
  });

  it('pools clustered units, by hand', () => {
    // control units (x, y) = (1, 0), (2, 1); treatment (1, 1), (3, 2). R0 = 4 / 7.
    // residuals y - R0 x: -4/7, -1/7 | 3/7, 2/7; sum of squares = (16 + 1 + 9 + 4) / 49 = 30/49; sigma^2 = 30/196.
    // Var = sigma^2 (2 / 3^2 + 2 / 4^2) = (30/196) (2/9 + 1/8) = (30/196)(25/72) = 750 / 14112.
    // estimate = 3/4 - 1/3 = 5/12; z = (5/12) / sqrt(750/14112) = 1.80739...
    const t = ratioPooledTest(
      { n: 2, sumY: 1, sumY2: 1, sumX: 3, sumX2: 5, sumXY: 2 },
      { n: 2, sumY: 3, sumY2: 5, sumX: 4, sumX2: 10, sumXY: 7 },
    );
    expect(t.estimate).toBeCloseTo(5 / 12, 14);
    expect(t.z).toBeCloseTo(5 / 12 / Math.sqrt(750 / 14112), 12);
  });

  it('names an empty denominator', () => {
    expect(() => ratioPooledTest(units(3, 0), { ...units(3, 0), sumX: 0 })).toThrow(
      "ratioPooledTest: treatment's denominator sum must be > 0, got 0",
    );
  });
});
