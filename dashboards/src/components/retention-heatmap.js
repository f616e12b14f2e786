// Retention heat maps: one per acquisition type, side by side, rows = cohort month, columns = months since the
// first purchase, colour = share of the cohort that purchased in that month. Month 0 is 100% by definition
// (the cohort is defined by purchasing in it), so it is left out: it would flatten the colour scale.
import * as Plot from '@observablehq/plot';
import { el } from './dom.js';
import { formatMonth, formatQuarter, formatRate } from './format.js';

import { GROUP_LABELS } from './acquisition-groups.js';

/**
 * @param {Array<{acquisition_type: string, cohort_month: string, month_offset: number, cohort_people: number, active_people: number, retention_rate: number}>} cells
 * @param {{width?: number, grain?: 'month' | 'quarter'}} [options] width of the whole block (both maps); the cohort
 *   grain labels the rows (cohort_month is the first day of the cohort's month or quarter)
 * @returns {HTMLElement}
 */
export function retentionHeatmaps(cells, { width = 960, grain = 'month' } = {}) {
  const formatCohort = grain === 'quarter' ? formatQuarter : formatMonth;
  const shown = cells.filter((c) => c.month_offset >= 1);
  if (shown.length === 0)
    return el(
      'p',
      { class: 'empty-note', 'data-testid': 'retention-heatmap' },
      'No cohort has a month after its first yet.',
    );
  const months = [...new Set(cells.map((c) => c.cohort_month))].sort();
  const offsets = [...new Set(shown.map((c) => c.month_offset))].sort((a, b) => a - b);
  const max = Math.max(0.05, ...shown.map((c) => c.retention_rate));
  const groups = ['referred', 'non_referred'].filter((g) => cells.some((c) => c.acquisition_type === g));
  const each = groups.length > 1 && width >= 760 ? Math.floor((width - 24) / 2) : width;
  const sizes = new Map(
    cells.filter((c) => c.month_offset === 0).map((c) => [`${c.acquisition_type}|${c.cohort_month}`, c.cohort_people]),
  );
  const maps = groups.map((group) => {
    const data = shown.filter((c) => c.acquisition_type === group);
    const chart = Plot.plot({
      width: each,
      height: 40 + months.length * 22,
      marginLeft: 70,
      marginRight: 44,
      style: { fontSize: '11px' },
      x: { domain: offsets, label: 'Months since first purchase →', labelAnchor: 'left', tickSize: 0 },
      y: { domain: months, tickFormat: formatCohort, label: null, tickSize: 0 },
      color: { type: 'linear', domain: [0, max], range: ['#f1f5ff', '#1e3a8a'], legend: false },
      marks: [
        Plot.cell(data, {
          x: 'month_offset',
          y: 'cohort_month',
          fill: 'retention_rate',
          inset: 0.5,
          title: (c) =>
            `${formatCohort(c.cohort_month)} cohort, month ${c.month_offset}: ${c.active_people} of ${c.cohort_people} (${formatRate(c.retention_rate)})`,
        }),
        Plot.text(data, {
          x: 'month_offset',
          y: 'cohort_month',
          text: (c) => (c.retention_rate > 0 ? Math.round(c.retention_rate * 100) : ''),
          fill: (c) => (c.retention_rate > max * 0.55 ? 'white' : '#1f2937'),
          fontSize: 9,
        }),
        Plot.text(months, {
          x: offsets.at(-1),
          y: (m) => m,
          text: (m) => `n=${sizes.get(`${group}|${m}`) ?? 0}`,
          dx: 22,
          textAnchor: 'start',
          fill: '#6b7280',
          fontSize: 9,
        }),
      ],
    });
    return el(
      'figure',
      { class: 'heatmap', 'data-group': group },
      el('figcaption', {}, `${GROUP_LABELS[group] ?? group} customers · % of cohort purchasing`),
      chart,
    );
  });
  return el('div', { class: 'heatmap-pair', 'data-testid': 'retention-heatmap' }, maps);
}
