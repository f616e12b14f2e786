import { describe, expect, it } from 'vitest';
import { ratioSummary } from '../../../models/stats/ratio-metric.js';

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
