// Formatting for experiment statistics (lifts, intervals, p-values, metric values with their unit), fixed to
// en-US like format.js so tests can read the numbers back.
import { formatRate } from './format.js';

const MINUS = '\u2212';

/** A relative lift with its sign: 0.3467 -> "+34.7%", -0.045 -> "−4.5%"; null -> "–". */
export function formatLift(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  const text = `${Math.abs(x * 100).toFixed(1)}%`;
  return x > 0 ? `+${text}` : x < 0 ? `${MINUS}${text}` : '0.0%';
}

/** An interval of relative lifts: "−10.5% to +79.9%"; "–" when either end is missing. */
export function formatInterval(low, high) {
  if (low === null || low === undefined || high === null || high === undefined) return '–';
  return `${formatLift(low)} to ${formatLift(high)}`;
}

/** A p-value (a probability, no unit): three decimals, "< 0.001" below that, "–" when not testable. */
export function formatP(p) {
  if (p === null || p === undefined || Number.isNaN(p)) return '–';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** A metric's value in its unit: rates as percentages ("75.7%"), means with two decimals ("1.46"). */
export function formatMetricValue(value, valueType) {
  if (value === null || value === undefined) return '–';
  return valueType === 'rate' ? formatRate(value) : value.toFixed(2);
}
