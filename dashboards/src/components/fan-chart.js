// The 12-month payout forecast as a fan chart: a P10-P90 band and the P50 line per scenario, money in the
// reporting currency (major units on the axis, the code in the axis label).
import * as Plot from '@observablehq/plot';
import { currencyExponent } from './format.js';
import { SERIES } from './palette.js';

/**
 * @param {Array<{scenario: string, month: string, p10_minor: number, p50_minor: number, p90_minor: number}>} rows
 * @param {string} currency ISO 4217 code
 * @param {{width?: number, cumulative?: boolean}} [options]
 */
export function fanChart(rows, currency, { width = 900, cumulative = false } = {}) {
  const scale = 10 ** currencyExponent(currency);
  const key = (p) => (cumulative ? `cumulative_${p}_minor` : `${p}_minor`);
  const data = rows.map((r) => ({
    scenario: r.scenario,
    month: new Date(`${r.month}T00:00:00Z`),
    p10: r[key('p10')] / scale,
    p50: r[key('p50')] / scale,
    p90: r[key('p90')] / scale,
  }));
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  return Plot.plot({
    width,
    height: 300,
    marginLeft: 70,
    x: { type: 'utc', label: null },
    y: { label: `${cumulative ? 'Cumulative payouts' : 'Payouts per month'} (${currency})`, grid: true, zero: true },
    color: { domain: scenarios, range: SERIES, legend: true },
    marks: [
      Plot.areaY(data, { x: 'month', y1: 'p10', y2: 'p90', fill: 'scenario', fillOpacity: 0.18, curve: 'monotone-x' }),
      Plot.lineY(data, { x: 'month', y: 'p50', stroke: 'scenario', strokeWidth: 2, curve: 'monotone-x' }),
      Plot.dot(data, { x: 'month', y: 'p50', fill: 'scenario', r: 2.5 }),
      Plot.tip(
        data,
        Plot.pointerX({
          x: 'month',
          y: 'p50',
          title: (d) =>
            `${d.scenario}\nP10 ${currency} ${d.p10.toLocaleString('en-US')}\nP50 ${currency} ${d.p50.toLocaleString('en-US')}\nP90 ${currency} ${d.p90.toLocaleString('en-US')}`,
        }),
      ),
    ],
  });
}
