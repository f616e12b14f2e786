import { describe, expect, it } from 'vitest';
import { fitVolumeTrend, projectVolume } from '../../../models/stats/volume-trend.js';

describe('fitVolumeTrend', () => {
  it('fits level, log-linear growth and no overdispersion to a straight line', () => {
    // level = mean(12, 14, 16) = 14. Growth: slope of log(c + 0.5) on x = 0..3 is
    // sum((x - 1.5)(log(c + .5) - mean)) / 5 = 0.150438 (log(10.5) = 2.351375, log(12.5) = 2.525729,
    // log(14.5) = 2.674149, log(16.5) = 2.803360), so growth = exp(0.150438) - 1 = 0.162343.
    // The counts lie on a line, residual variance 0 <= mean: Poisson (size Infinity).
    const t = fitVolumeTrend([10, 12, 14, 16]);
    expect(t.level).toBe(14);
    expect(t.growth).toBeCloseTo(0.1, 12); // clamped to maxGrowth 0.1
    expect(fitVolumeTrend([10, 12, 14, 16], { maxGrowth: 1 }).growth).toBeCloseTo(0.162343, 6);
    expect(t.size).toBe(Infinity);
    expect(t.months).toBe(4);
  });

  it('estimates the negative-binomial size by moments from residuals around the line', () => {
    // y = 10, 30, 10, 30, 10, 30 on x = 0..5: Sxy = 30, Sxx = 17.5, slope b = 1.714286, a = 20 - 2.5 b = 15.714286.
    // Residuals -5.714, 12.571, -9.143, 9.143, -12.571, 5.714; sum of squares 548.571; / (6 - 2) = 137.142857.
    // size = mean^2 / (var - mean) = 400 / (137.142857 - 20) = 3.414634.
    const t = fitVolumeTrend([10, 30, 10, 30, 10, 30], { levelMonths: 2 });
    expect(t.size).toBeCloseTo(3.414634, 5);
    expect(t.level).toBe(20);
    // Growth: exp(slope of log(y + .5)) - 1 = 0.095709 (same Sxx; logs 2.351375 / 3.417727 alternate).
    expect(t.growth).toBeCloseTo(0.095709, 5);
  });

  it('uses only the last trendMonths months, and handles short and empty series', () => {
    expect(fitVolumeTrend([1000, 10, 10, 10], { trendMonths: 3 })).toEqual({
      level: 10,
      growth: 0,
      size: Infinity,
      months: 3,
    });
    expect(fitVolumeTrend([])).toEqual({ level: 0, growth: 0, size: Infinity, months: 0 });
    expect(fitVolumeTrend([4, 6])).toEqual({ level: 5, growth: 0, size: Infinity, months: 2 });
    expect(() => fitVolumeTrend([1, -1])).toThrow(/counts\[1\] must be >= 0, got -1/);
  });
});

describe('projectVolume', () => {
  const trend = { level: 100, growth: 0.1, size: Infinity, months: 12 };
  it('grows from the centre of the level window, undamped', () => {
    // levelMonths 3 -> the level sits 1 month before the last: month 1 = 100 x 1.1^2 = 121, month 2 = 133.1.
    const m = projectVolume(trend, { trend: 0.1, damping: 1, extra: 0 }, 2, 3);
    expect(m[0]).toBeCloseTo(121, 10);
    expect(m[1]).toBeCloseTo(133.1, 10);
  });

  it('damps the trend geometrically and adds the extra growth undamped', () => {
    // levelMonths 1 (centre 0), phi 0.5: month 1 exponent 0.5, month 2 0.5 + 0.25 = 0.75;
    // 100 x 1.1^0.5 = 104.880885, 100 x 1.1^0.75 = 107.409950. Extra 0.02: x 1.02 and x 1.0404.
    const m = projectVolume(trend, { trend: 0.1, damping: 0.5, extra: 0.02 }, 2, 1);
    expect(m[0]).toBeCloseTo(104.880885 * 1.02, 5);
    expect(m[1]).toBeCloseTo(107.40995 * 1.0404, 5);
    expect(() => projectVolume(trend, { trend: 0, damping: 0, extra: 0 }, 1)).toThrow(/damping must be in/);
  });
});
