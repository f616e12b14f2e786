import { describe, expect, it } from 'vitest';
import { cuped, type CupedSums } from '../../../models/stats/cuped.js';

function sums(x: number[], y: number[]): CupedSums {
  return {
    n: x.length,
    sumX: x.reduce((s, v) => s + v, 0),
    sumY: y.reduce((s, v) => s + v, 0),
    sumX2: x.reduce((s, v) => s + v * v, 0),
    sumY2: y.reduce((s, v) => s + v * v, 0),
    sumXY: x.reduce((s, v, i) => s + v * y[i]!, 0),
  };
}

describe('cuped', () => {
  it('adjusts literal data as calculated by hand', () => {
    // control   X = 1 2 3 4, Y = 2 3 5 6: mean X 2.5, mean Y 4, Sxx = 5, Sxy = 7, Syy = 10
    // treatment X = 2 3 4 5, Y = 4 4 7 8: mean X 3.5, mean Y 5.75, Sxx = 5, Sxy = 7.5, Syy = 12.75
    // theta = (7 + 7.5) / (5 + 5) = 1.45; overall mean X = 24 / 8 = 3
    // adjusted means: 4 - 1.45 (2.5 - 3) = 4.725; 5.75 - 1.45 (3.5 - 3) = 5.025
    // adjusted variances: (10 - 2 * 1.45 * 7 + 1.45^2 * 5) / 3 = 0.2125 / 3 = 0.0708333
    //                     (12.75 - 2 * 1.45 * 7.5 + 1.45^2 * 5) / 3 = 1.5125 / 3 = 0.5041667
    // variance reduction = 1 - (0.2125 + 1.5125) / (10 + 12.75) = 1 - 1.725 / 22.75 = 0.9241758
    const r = cuped([sums([1, 2, 3, 4], [2, 3, 5, 6]), sums([2, 3, 4, 5], [4, 4, 7, 8])]);
    expect(r.theta).toBeCloseTo(1.45, 12);
    const [c, t] = r.groups;
    expect(c!.mean).toBeCloseTo(4.725, 12);
    expect(t!.mean).toBeCloseTo(5.025, 12);
    expect(c!.variance).toBeCloseTo(0.2125 / 3, 12);
    expect(t!.variance).toBeCloseTo(1.5125 / 3, 12);
    expect(c!.rawVariance).toBeCloseTo(10 / 3, 12);
    expect(t!.rawMean).toBeCloseTo(5.75, 12);
    expect(r.varianceReduction).toBeCloseTo(1 - 1.725 / 22.75, 12);
  });

  it('a constant covariate leaves the metric unadjusted', () => {
    const r = cuped([sums([1, 1, 1], [1, 2, 3]), sums([1, 1, 1], [2, 2, 5])]);
    expect(r.theta).toBe(0);
    expect(r.groups[1]!.mean).toBeCloseTo(3, 12);
    expect(r.groups[1]!.variance).toBeCloseTo(3, 12); // (1 + 1 + 4) / 2
    expect(r.varianceReduction).toBe(0);
  });

  it('names the variant that is too small', () => {
    expect(() => cuped([sums([1, 2], [1, 2]), sums([1], [1])])).toThrow(/variant 1 needs n >= 2, got 1/);
  });
});
