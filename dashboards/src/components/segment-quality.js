// Customer quality by acquisition channel and by advocate tier (ltv_comparison): each segment's mean with its 95%
// interval, as a dot-and-bar chart and a table. Money comparisons are in reporting-currency minor units in the mart
// and shown in major units with the currency code; shares as percentages.
import * as Plot from '@observablehq/plot';
import { currencyExponent, formatCount, formatMoneyMean, formatRate } from './format.js';
import { reportTable } from './report-table.js';
import { SERIES } from './palette.js';

/** The value formatter of a comparison's unit. */
export function unitFormat(unit, currency) {
  return unit === 'minor' ? (v) => formatMoneyMean(v, currency) : (v) => formatRate(v);
}

/**
 * @param {Array<object>} rows ltv_comparison rows of one segment type and one comparison
 * @param {string|null} currency reporting currency
 * @param {{width?: number, label: string}} options
 */
export function segmentChart(rows, currency, { width = 640, label }) {
  const unit = rows[0]?.unit;
  const scale = unit === 'minor' ? 10 ** currencyExponent(currency) : 0.01;
  const data = rows
    .filter((r) => r.mean !== null)
    .map((r) => ({
      ...r,
      m: r.mean / scale,
      lo: (r.mean_ci_low ?? r.mean) / scale,
      hi: (r.mean_ci_high ?? r.mean) / scale,
    }));
  return Plot.plot({
    width,
    height: 50 + 30 * data.length,
    marginLeft: 130,
    x: { label: unit === 'minor' ? `${label} (${currency})` : `${label} (%)`, grid: true, zero: true },
    y: { label: null, domain: data.map((d) => d.segment) },
    marks: [
      Plot.ruleY(data, { y: 'segment', x1: 'lo', x2: 'hi', stroke: SERIES[0], strokeWidth: 6, strokeOpacity: 0.35 }),
      Plot.dot(data, { y: 'segment', x: 'm', fill: SERIES[0], r: 5, tip: true }),
    ],
  });
}

/**
 * @param {Array<object>} rows ltv_comparison rows of one segment type and one comparison
 * @param {string|null} currency
 * @param {string} testid
 */
export function segmentTable(rows, currency, testid) {
  const f = unitFormat(rows[0]?.unit, currency);
  const num = (label, metric, format) => ({ label, metric, numeric: true, value: (r) => r[metric], format });
  return reportTable({
    testid,
    columns: [
      { label: 'Segment', metric: 'segment', format: (r) => r.segment },
      num('Customers', 'n', (r) => formatCount(r.n)),
      num('Mean', 'mean', (r) => f(r.mean)),
      num('95% interval', 'mean_ci_low', (r) => `${f(r.mean_ci_low)} to ${f(r.mean_ci_high)}`),
      {
        label: 'vs baseline',
        metric: 'difference',
        numeric: true,
        value: (r) => r.difference,
        format: (r) => (r.baseline_segment ? `${f(r.difference)} vs ${r.baseline_segment}` : '–'),
      },
    ],
    rows,
    rowKey: (r) => ({ 'data-segment': r.segment }),
    empty: 'No customers in any segment yet.',
  });
}
