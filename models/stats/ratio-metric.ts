/**
 * Ratio metrics (sum of y over sum of x across randomisation units, e.g. converted referees per referee when
 * the unit is the advocate) by the delta method, returned as a {@link MeanSummary} so the usual two-sample tests
 * apply unchanged.
 *
 * Reference: A. Deng, U. Knoblich, J. Lu (2018), "Applying the Delta Method in Metric Analytics: A Practical
 * Guide with Novel Ideas", KDD '18, section 3 (ratio of two means; units, not events, are independent).
 */
import type { MeanSummary } from './welch-t-test.js';

/** Per-group sums over units: n units, sum(y), sum(y^2), sum(x), sum(x^2), sum(x y). */
export interface RatioSums {
  n: number;
  sumY: number;
  sumY2: number;
  sumX: number;
  sumX2: number;
  sumXY: number;
}

/**
 * R = sum(y) / sum(x) with Var(R) ~ (s_y^2 - 2 R s_xy + R^2 s_x^2) / (n mean(x)^2), sample (co)variances with
 * denominator n - 1. Returned as `{ n, mean: R, variance: n Var(R) }`, the per-unit variance that
 * {@link welchTTest} divides by n again.
 *
 * @example ratioSummary({ n: 3, sumY: 3, sumY2: 5, sumX: 6, sumX2: 14, sumXY: 7 }) // { n: 3, mean: 0.5, variance: 0.1875 }
 */
export function ratioSummary(s: RatioSums): MeanSummary {
  if (!(s.n >= 2)) throw new RangeError(`ratioSummary: need n >= 2 units, got ${s.n}`);
  if (!(s.sumX > 0)) throw new RangeError(`ratioSummary: the denominator sum must be > 0, got ${s.sumX}`);
  const mx = s.sumX / s.n;
  const my = s.sumY / s.n;
  const r = s.sumY / s.sumX;
  const vx = (s.sumX2 - s.n * mx * mx) / (s.n - 1);
  const vy = (s.sumY2 - s.n * my * my) / (s.n - 1);
  const cxy = (s.sumXY - s.n * mx * my) / (s.n - 1);
  const variance = Math.max(0, (vy - 2 * r * cxy + r * r * vx) / (mx * mx));
  return { n: s.n, mean: r, variance };
}
