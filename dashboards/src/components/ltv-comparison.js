// Mean predicted CLV, referred vs not referred, each with its 95% interval, and their difference: cards with
// the numbers and a dot-and-whisker chart. Means are in minor units (fractional); they are rounded to whole
// minor units for display only.
import * as Plot from '@observablehq/plot';
import { el } from './dom.js';
import { currencyExponent, formatCount, formatMoney } from './format.js';
import { GROUP_COLORS, GROUP_LABELS } from './acquisition-groups.js';

const money = (minor, currency) =>
  minor === null || minor === undefined ? '–' : formatMoney(Math.round(minor), currency);

/**
 * @param {Array<{acquisition_type: string, n: number, mean_minor: number, ci_low_minor: number | null, ci_high_minor: number | null}>} groups
 * @param {{diff_minor: number, ci_low_minor: number, ci_high_minor: number} | null} difference
 * @param {string | null} currency
 * @returns {HTMLElement}
 */
export function ltvCards(groups, difference, currency) {
  const card = (testid, label, minor, note, attrs = {}) =>
    el(
      'div',
      { class: 'kpi', 'data-testid': testid, ...attrs },
      el('div', { class: 'kpi-label' }, label),
      el('div', { class: 'kpi-value', 'data-metric': 'mean_minor', 'data-value': minor }, money(minor, currency)),
      el('div', { class: 'kpi-note' }, note),
    );
  const cards = groups.map((g) =>
    card(
      `ltv-${g.acquisition_type}`,
      `Mean CLV · ${GROUP_LABELS[g.acquisition_type] ?? g.acquisition_type}`,
      g.mean_minor,
      `95% CI ${money(g.ci_low_minor, currency)} – ${money(g.ci_high_minor, currency)} · n = ${formatCount(g.n)}`,
      { 'data-group': g.acquisition_type },
    ),
  );
  if (difference)
    cards.push(
      card(
        'ltv-difference',
        'Difference (referred − not)',
        difference.diff_minor,
        `95% CI ${money(difference.ci_low_minor, currency)} – ${money(difference.ci_high_minor, currency)}`,
      ),
    );
  return el('div', { class: 'kpi-grid kpi-grid-3', 'data-testid': 'ltv-cards' }, cards);
}

/** Dot = mean, whisker = 95% interval, in major units of `currency` (display only). */
export function ltvChart(groups, currency, { width = 640 } = {}) {
  const scale = currency ? 10 ** currencyExponent(currency) : 100;
  const data = groups
    .filter((g) => g.ci_low_minor !== null)
    .map((g) => ({
      group: GROUP_LABELS[g.acquisition_type] ?? g.acquisition_type,
      key: g.acquisition_type,
      mean: g.mean_minor / scale,
      low: g.ci_low_minor / scale,
      high: g.ci_high_minor / scale,
    }));
  if (data.length === 0) return el('p', { class: 'empty-note', 'data-testid': 'ltv-chart' }, 'No predicted CLV yet.');
  const chart = Plot.plot({
    width,
    height: 140,
    marginLeft: 100,
    marginRight: 30,
    style: { fontSize: '12px' },
    x: {
      label: `Mean predicted CLV (${currency ?? ''}) →`,
      grid: true,
      domain: [0, Math.max(...data.map((d) => d.high)) * 1.1],
    },
    y: { label: null, domain: data.map((d) => d.group) },
    marks: [
      Plot.ruleY(data, {
        x1: 'low',
        x2: 'high',
        y: 'group',
        stroke: (d) => GROUP_COLORS[d.key] ?? '#6b7280',
        strokeWidth: 3,
      }),
      Plot.tickX(data, { x: 'low', y: 'group', stroke: (d) => GROUP_COLORS[d.key] ?? '#6b7280' }),
      Plot.tickX(data, { x: 'high', y: 'group', stroke: (d) => GROUP_COLORS[d.key] ?? '#6b7280' }),
      Plot.dot(data, { x: 'mean', y: 'group', r: 6, fill: (d) => GROUP_COLORS[d.key] ?? '#6b7280', stroke: 'white' }),
    ],
  });
  return el('figure', { class: 'wide-chart', 'data-testid': 'ltv-chart' }, chart);
}
