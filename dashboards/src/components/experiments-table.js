// The list of experiments: one row per experiment and variant with its status, sample sizes, the primary
// metric's lift and p-value, and the decision. Rows carry data-experiment and data-variant for tests.
import { badge } from './badge.js';
import { el } from './dom.js';
import { formatCount, formatRate } from './format.js';
import { reportTable } from './report-table.js';
import { formatLift, formatP } from './stat-format.js';

const primaryOf = (v) => v.metrics.find((m) => m.role === 'primary') ?? v.metrics[0] ?? {};

/** @param {Array<object>} experiments ExperimentsData.experiments @returns {HTMLElement} */
export function experimentsTable(experiments) {
  const rows = experiments.flatMap((e) => e.variants.map((v) => ({ e, v, p: primaryOf(v) })));
  return reportTable({
    testid: 'experiments-table',
    rows,
    rowKey: (r) => ({ 'data-experiment': r.e.experiment, 'data-variant': r.v.variant }),
    columns: [
      {
        label: 'Experiment',
        metric: 'experiment',
        value: (r) => r.e.experiment,
        format: (r) =>
          el('span', {}, r.e.experiment, el('span', { class: 'unit' }, `${r.v.variant} vs ${r.e.control_variant}`)),
      },
      { label: 'Status', metric: 'status', value: (r) => r.e.status, format: (r) => badge(r.e.status) },
      { label: 'Primary metric', metric: 'primary_metric', format: (r) => r.p.metric ?? '–' },
      {
        label: 'Relative lift',
        metric: 'rel_lift',
        numeric: true,
        value: (r) => r.p.rel_lift ?? '',
        format: (r) => formatLift(r.p.rel_lift),
      },
      {
        label: 'p-value',
        metric: 'p_value',
        numeric: true,
        value: (r) => r.p.p_value ?? '',
        format: (r) => formatP(r.p.p_value),
      },
      {
        label: 'Chance to win',
        metric: 'chance_to_win',
        numeric: true,
        value: (r) => r.p.chance_to_win ?? '',
        format: (r) => formatRate(r.p.chance_to_win),
      },
      { label: 'Decision', metric: 'decision', value: (r) => r.v.decision, format: (r) => badge(r.v.decision) },
    ],
    empty: 'No experiments in this selection.',
  });
}
