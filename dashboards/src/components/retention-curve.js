// The average retention curve per acquisition type: for each month since first purchase, the people active
// over the people in the cohorts old enough to have reached it (summed in SQL, so large cohorts weigh more).
// Offsets reached by fewer than MIN_COHORTS cohorts are left out: one or two young cohorts make a noisy tail.
import * as Plot from '@observablehq/plot';
import { el } from './dom.js';
import { formatRate } from './format.js';
import { GROUP_COLORS, GROUP_LABELS } from './acquisition-groups.js';

export const MIN_COHORTS = 3;

/**
 * @param {Array<{acquisition_type: string, month_offset: number, cohorts: number, cohort_people: number, active_people: number, retention_rate: number | null}>} curve
 * @param {{width?: number}} [options]
 * @returns {HTMLElement}
 */
export function retentionCurve(curve, { width = 640 } = {}) {
  const data = curve
    .filter((p) => p.month_offset >= 1 && p.retention_rate !== null && p.cohorts >= MIN_COHORTS)
    .map((p) => ({ ...p, group: GROUP_LABELS[p.acquisition_type] ?? p.acquisition_type }));
  if (data.length === 0)
    return el('p', { class: 'empty-note', 'data-testid': 'retention-curve' }, 'No retention data yet.');
  const chart = Plot.plot({
    width,
    height: 260,
    marginRight: 30,
    style: { fontSize: '12px' },
    x: { label: 'Months since first purchase →', labelAnchor: 'right', ticks: 12, tickFormat: 'd' },
    y: {
      label: '↑ Share of cohort purchasing',
      grid: true,
      tickFormat: '.0%',
      domain: [0, Math.max(...data.map((d) => d.retention_rate)) * 1.1],
    },
    color: { domain: Object.values(GROUP_LABELS), range: Object.values(GROUP_COLORS), legend: true },
    marks: [
      Plot.ruleY([0]),
      Plot.line(data, { x: 'month_offset', y: 'retention_rate', stroke: 'group', strokeWidth: 2 }),
      Plot.dot(data, {
        x: 'month_offset',
        y: 'retention_rate',
        fill: 'group',
        r: 3,
        title: (p) =>
          `${p.group}, month ${p.month_offset}: ${formatRate(p.retention_rate)} of ${p.cohort_people} people in ${p.cohorts} cohorts`,
      }),
    ],
  });
  return el('figure', { class: 'wide-chart', 'data-testid': 'retention-curve' }, chart);
}
