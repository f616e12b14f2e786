// Attribution models side by side: for each channel a group of bars, one per model, each the channel's share
// of that model's credited conversions (or revenue). Shares (not counts) make models comparable at a glance;
// the exact counts and money are in the table below the chart and in each bar's tooltip.
import * as Plot from '@observablehq/plot';
import { el } from './dom.js';
import { formatMoney, formatRate } from './format.js';

/** Readable names of the attribution models of the attribution marts (unknown ones show as stored). */
export const MODEL_LABELS = {
  last_touch: 'Last touch',
  last_non_direct: 'Last non-direct',
  first_touch: 'First touch',
  linear: 'Linear',
  position_based: 'Position-based',
  time_decay: 'Time decay',
  markov: 'Markov',
  shapley: 'Shapley',
};
export const modelLabel = (m) => MODEL_LABELS[m] ?? m;

/** The order models are shown in: rule-based single touch, rule-based multi touch, data-driven. */
export const MODEL_ORDER = Object.keys(MODEL_LABELS);
export const sortModels = (models) =>
  [...models].sort((a, b) => {
    const [i, j] = [MODEL_ORDER.indexOf(a), MODEL_ORDER.indexOf(b)];
    return (i < 0 ? 99 : i) - (j < 0 ? 99 : j) || a.localeCompare(b);
  });

/**
 * @param {Array<{model: string, channel: string, conversions: number, revenue_minor: number, conversion_share: number | null, revenue_share: number | null}>} cells
 *   one program selection's cells
 * @param {{models: string[], channels: string[], measure: 'conversions' | 'revenue', currency: string | null, width?: number}} options
 * @returns {HTMLElement}
 */
export function attributionChart(cells, { models, channels, measure, currency, width = 640 }) {
  const key = measure === 'revenue' ? 'revenue_share' : 'conversion_share';
  const shown = cells.filter((c) => models.includes(c.model) && c[key] !== null);
  if (shown.length === 0)
    return el('p', { class: 'empty-note', 'data-testid': 'attribution-chart' }, 'No credited conversions to compare.');
  const chart = Plot.plot({
    width,
    height: 380,
    marginTop: 30,
    marginBottom: 40,
    marginLeft: 50,
    style: { fontSize: '12px' },
    fx: { domain: channels, label: null, padding: 0.12 },
    x: { domain: models, axis: null, paddingInner: 0.08 },
    y: {
      label:
        measure === 'revenue'
          ? `↑ Share of the model's credited revenue (%)`
          : `↑ Share of the model's credited conversions (%)`,
      tickFormat: (d) => `${Math.round(d * 100)}%`,
      grid: true,
    },
    color: { domain: models, range: models.map(colorOf), legend: true, tickFormat: modelLabel },
    marks: [
      Plot.barY(shown, {
        fx: 'channel',
        x: 'model',
        y: key,
        fill: 'model',
        title: (c) =>
          `${modelLabel(c.model)} · ${c.channel}\n${formatRate(c[key])} of the model's ${measure}\n` +
          `${c.conversions.toFixed(1)} conversions · ${formatMoney(c.revenue_minor, currency)}`,
      }),
      Plot.ruleY([0]),
    ],
  });
  return el(
    'figure',
    { class: 'attribution-chart', 'data-testid': 'attribution-chart', 'data-measure': measure },
    chart,
  );
}

/** A fixed colour per model, so a model keeps its colour whichever models are selected. */
const PALETTE = ['#4e79a7', '#a0cbe8', '#f28e2b', '#59a14f', '#8cd17d', '#b6992d', '#e15759', '#b07aa1', '#79706e'];
export function colorOf(model) {
  const i = MODEL_ORDER.indexOf(model);
  return PALETTE[i < 0 ? PALETTE.length - 1 : i];
}
