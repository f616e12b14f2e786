/**
 * The trend and noise of a monthly count series (e.g. referred sign-ups), for projecting it forward:
 * - level: the mean of the last `levelMonths` counts (centred (levelMonths - 1) / 2 months before the last one);
 * - growth: exp(slope) - 1 of an ordinary least-squares line through log(count + 0.5) over the last
 *   `trendMonths` months (0.5 keeps empty months finite), clamped to [-maxGrowth, maxGrowth];
 * - size: the negative-binomial dispersion by the method of moments, mean^2 / (residual variance - mean), from
 *   the residuals of a least-squares line through the counts themselves over the same months; Infinity (Poisson)
 *   when the residual variance does not exceed the mean.
 *
 * References: NB moment estimator, e.g. A. C. Cameron & P. K. Trivedi (2013), "Regression Analysis of Count
 * Data", 2nd ed., section 3.2; least squares, any regression text (slope = Sxy / Sxx).
 */

export interface VolumeTrend {
  level: number;
  growth: number;
  size: number;
  /** Months the trend was fitted on. */
  months: number;
}

export interface VolumeTrendOptions {
  levelMonths?: number;
  trendMonths?: number;
  maxGrowth?: number;
}

/** Slope and intercept of the least-squares line y = a + b x over x = 0..n-1. */
function line(ys: readonly number[]): { a: number; b: number } {
  const n = ys.length;
  const xbar = (n - 1) / 2;
  const ybar = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, x) => {
    sxy += (x - xbar) * (y - ybar);
    sxx += (x - xbar) ** 2;
  });
  const b = sxx > 0 ? sxy / sxx : 0;
  return { a: ybar - b * xbar, b };
}

/**
 * Fits level, growth and dispersion to counts, oldest first. An empty series gives level 0.
 *
 * @example fitVolumeTrend([10, 10, 10, 10]) // { level: 10, growth: 0, size: Infinity, months: 4 }
 */
export function fitVolumeTrend(counts: readonly number[], options: VolumeTrendOptions = {}): VolumeTrend {
  const { levelMonths = 3, trendMonths = 12, maxGrowth = 0.1 } = options;
  counts.forEach((c, i) => {
    if (!(c >= 0) || !Number.isFinite(c)) throw new RangeError(`fitVolumeTrend: counts[${i}] must be >= 0, got ${c}`);
  });
  if (counts.length === 0) return { level: 0, growth: 0, size: Infinity, months: 0 };
  const recent = counts.slice(-levelMonths);
  const level = recent.reduce((s, c) => s + c, 0) / recent.length;
  const window = counts.slice(-trendMonths);
  const n = window.length;
  if (n < 3) return { level, growth: 0, size: Infinity, months: n };
  const slope = line(window.map((c) => Math.log(c + 0.5))).b;
  const growth = Math.min(maxGrowth, Math.max(-maxGrowth, Math.exp(slope) - 1));
  const { a, b } = line(window);
  const residualVariance = window.reduce((s, y, x) => s + (y - (a + b * x)) ** 2, 0) / (n - 2);
  const mean = window.reduce((s, y) => s + y, 0) / n;
  const size = residualVariance > mean && mean > 0 ? (mean * mean) / (residualVariance - mean) : Infinity;
  return { level, growth, size, months: n };
}

/** How the projection grows: a trend damped by phi per month, and an undamped growth on top. */
export interface ProjectionGrowth {
  /** Monthly trend growth (e.g. VolumeTrend.growth). */
  trend: number;
  /** Damping factor phi in (0, 1]: the trend's effect after h months is (1 + trend)^(phi + ... + phi^h). 1 = none. */
  damping: number;
  /** Undamped monthly growth multiplied on top (a scenario's adjustment): (1 + extra)^h. */
  extra: number;
}

/**
 * Expected counts for the next `horizon` months. The level is the mean of the last `levelMonths` months, so it
 * sits c = (levelMonths - 1) / 2 months before the last one; month h (1-based) is
 * level x (1 + trend)^(phi + phi^2 + ... + phi^(h + c)) x (1 + extra)^(h + c).
 * A damped trend keeps a recent rise from compounding for ever (Gardner & McKenzie 1985, "Forecasting trends
 * in time series", Management Science 31(10) 1237-1246; multiplicative form as in Taylor 2003, IJF 19, 715-725).
 *
 * @example projectVolume({ level: 100, growth: 0.1, size: Infinity, months: 3 }, { trend: 0.1, damping: 1, extra: 0 }, 1, 1) // [110]
 */
export function projectVolume(
  trend: VolumeTrend,
  growth: ProjectionGrowth,
  horizon: number,
  levelMonths = 3,
): number[] {
  const { damping: phi } = growth;
  if (!(phi > 0 && phi <= 1)) throw new RangeError(`projectVolume: damping must be in (0, 1], got ${phi}`);
  const centre = (Math.min(levelMonths, Math.max(trend.months, 1)) - 1) / 2;
  return Array.from({ length: horizon }, (_, i) => {
    const steps = i + 1 + centre;
    // phi + ... + phi^steps for a possibly fractional number of steps (the geometric sum's closed form).
    const dampedSteps = phi === 1 ? steps : (phi * (1 - Math.pow(phi, steps))) / (1 - phi);
    return trend.level * Math.pow(1 + growth.trend, dampedSteps) * Math.pow(1 + growth.extra, steps);
  });
}
