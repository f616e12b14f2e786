// Point-and-bar chart of relative lifts: one row per metric, the dot at the lift and the bar across its
// confidence interval, against a rule at zero (no difference). Intervals reaching beyond the drawn range
// (−100% .. +200%) are cut at its edge and marked with an arrow; the exact numbers are in the text at right.
import * as Plot from '@observablehq/plot';
import { el } from './dom.js';
import { formatInterval, formatLift } from './stat-format.js';

/** Colour of each metric role; the page's legend uses the same. */
export const ROLE_COLORS = { primary: '#3b5bdb', secondary: '#6b7280', guardrail: '#c2410c' };
const LIMITS = [-1, 2];

const clamp = (x) => Math.min(LIMITS[1], Math.max(LIMITS[0], x));

/**
 * @param {Array<{metric: string, role: string, rel_lift: number | null, ci_low: number | null, ci_high: number | null}>} metrics
 * @param {{width?: number}} [options]
 * @returns {HTMLElement} a figure with the chart, or a note when no metric has a relative lift
 */
export function liftChart(metrics, { width = 640 } = {}) {
  const rows = metrics
    .filter((m) => m.rel_lift !== null && m.rel_lift !== undefined)
    .map((m) => ({
      ...m,
      label:
        m.role === 'primary' ? `${m.metric} (primary)` : m.role === 'guardrail' ? `${m.metric} (guardrail)` : m.metric,
      low: m.ci_low ?? m.rel_lift,
      high: m.ci_high ?? m.rel_lift,
    }));
  if (rows.length === 0)
    return el('p', { class: 'empty-note', 'data-testid': 'lift-chart' }, 'No metric has a relative lift to draw yet.');
  const lo = Math.max(LIMITS[0], Math.min(-0.1, ...rows.map((r) => r.low)));
  const hi = Math.min(LIMITS[1], Math.max(0.1, ...rows.map((r) => r.high)));
  const pad = (hi - lo) * 0.04;
  const cutLow = rows.filter((r) => r.low < lo);
  const cutHigh = rows.filter((r) => r.high > hi);
  const chart = Plot.plot({
    width,
    height: 46 + rows.length * 36,
    // Room for the longest metric name (about 7 px a character at 12 px) and the lift text at right.
    marginLeft: Math.max(80, 12 + 7 * Math.max(...rows.map((r) => r.label.length))),
    marginRight: 215,
    style: { fontSize: '12px' },
    x: {
      domain: [lo - pad, hi + pad],
      label: 'Relative lift vs control (%) →',
      grid: true,
      tickFormat: (d) => formatLift(d),
      ticks: 6,
    },
    y: { domain: rows.map((r) => r.label), label: null },
    marks: [
      Plot.ruleX([0], { stroke: 'currentColor', strokeWidth: 1.2 }),
      Plot.ruleY(rows, {
        y: 'label',
        x1: (r) => clamp(Math.max(r.low, lo)),
        x2: (r) => clamp(Math.min(r.high, hi)),
        stroke: (r) => ROLE_COLORS[r.role] ?? ROLE_COLORS.secondary,
        strokeWidth: 8,
        strokeOpacity: 0.3,
        strokeLinecap: 'round',
      }),
      Plot.text(cutLow, { y: 'label', x: lo, text: () => '◀', fill: 'currentColor', textAnchor: 'end' }),
      Plot.text(cutHigh, { y: 'label', x: hi, text: () => '▶', fill: 'currentColor', textAnchor: 'start' }),
      Plot.dot(rows, {
        y: 'label',
        x: (r) => clamp(r.rel_lift),
        r: 5,
        fill: (r) => ROLE_COLORS[r.role] ?? ROLE_COLORS.secondary,
        stroke: 'white',
      }),
      Plot.text(rows, {
        y: 'label',
        frameAnchor: 'right',
        textAnchor: 'start',
        dx: 14,
        text: (r) => `${formatLift(r.rel_lift)}  [${formatInterval(r.ci_low, r.ci_high)}]`,
        fill: 'currentColor',
      }),
    ],
  });
  return el('figure', { class: 'lift-chart', 'data-testid': 'lift-chart' }, chart);
}

/** A one-line legend of the roles' colours, matching the chart. */
export function roleLegend() {
  const item = (role, text) =>
    el('span', {}, el('span', { class: 'legend-swatch', style: `background:${ROLE_COLORS[role]}` }), text);
  return el(
    'p',
    { class: 'legend-note' },
    'Dot: relative lift; bar: its confidence interval.',
    item('primary', 'primary metric'),
    item('secondary', 'secondary metric'),
    item('guardrail', 'guardrail'),
  );
}
