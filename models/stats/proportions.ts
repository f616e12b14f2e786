/**
 * Two-proportion z test: pooled standard error for the test, unpooled (Wald) interval for the difference, as
 * R's `prop.test(x, n, correct = FALSE)` reports them (its X-squared equals z^2 and its p-value is the same).
 *
 * Reference: A. Agresti (2013), Categorical Data Analysis, 3rd ed., section 3.1 (difference of proportions);
 * R documentation of `prop.test`.
 */
import { normalCdf, normalQuantile } from './distributions.js';

/** Units exposed and units that converted in one group. */
export interface ProportionSummary {
  n: number;
  conversions: number;
}

export interface TwoProportionResult {
  /** treatment rate - control rate. */
  estimate: number;
  z: number;
  pValue: number;
  ciLow: number;
  ciHigh: number;
}

function checkGroup(label: string, g: ProportionSummary): void {
  if (!Number.isInteger(g.n) || g.n < 1)
    throw new RangeError(`twoProportionZTest: ${label}.n must be a positive integer, got ${g.n}`);
  if (!(g.conversions >= 0 && g.conversions <= g.n)) {
    throw new RangeError(`twoProportionZTest: ${label}.conversions must be in [0, n=${g.n}], got ${g.conversions}`);
  }
}

/**
 * Tests whether the treatment conversion rate differs from control (two-sided).
 *
 * @example
 * // R: prop.test(c(130, 100), c(1000, 1000), correct = FALSE): X-squared = 4.4215, p-value = 0.03549
 * twoProportionZTest({ n: 1000, conversions: 100 }, { n: 1000, conversions: 130 })
 */
export function twoProportionZTest(
  control: ProportionSummary,
  treatment: ProportionSummary,
  options: { alpha?: number } = {},
): TwoProportionResult {
  const { alpha = 0.05 } = options;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`twoProportionZTest: alpha must be in (0, 1), got ${alpha}`);
  checkGroup('control', control);
  checkGroup('treatment', treatment);
  const pc = control.conversions / control.n;
  const pt = treatment.conversions / treatment.n;
  const pooled = (control.conversions + treatment.conversions) / (control.n + treatment.n);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n));
  const estimate = pt - pc;
  // All-zero or all-converted groups carry no evidence of a difference: z = 0, p = 1.
  const z = sePooled === 0 ? 0 : estimate / sePooled;
  const pValue = Math.min(1, 2 * normalCdf(-Math.abs(z)));
  const seWald = Math.sqrt((pc * (1 - pc)) / control.n + (pt * (1 - pt)) / treatment.n);
  const q = normalQuantile(1 - alpha / 2);
  return { estimate, z, pValue, ciLow: estimate - q * seWald, ciHigh: estimate + q * seWald };
}
