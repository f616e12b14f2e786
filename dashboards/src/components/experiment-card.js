// One experiment as a card: its status, the sample-ratio check (a red warning when the decision is
// 'check assignment'), and per non-control variant the decision with its reason in words, the primary metric's
// lift, interval, p-value and chance to win, a lift chart of every metric, and a table of all metrics.
// Hooks for tests: data-experiment on the card, data-variant on each variant, data-metric on each number.
import { badge } from './badge.js';
import { el } from './dom.js';
import { formatCount, formatRate } from './format.js';
import { liftChart } from './lift-chart.js';
import { reportTable } from './report-table.js';
import { formatInterval, formatLift, formatMetricValue, formatP } from './stat-format.js';

const stat = (label, metric, value, text, note, size) =>
  el(
    'div',
    { class: size === 'wide' ? 'stat stat-wide' : 'stat' },
    el('div', { class: 'stat-label' }, label),
    el('div', { class: 'stat-value', 'data-metric': metric, 'data-value': value ?? '' }, text),
    note ? el('div', { class: 'stat-note' }, note) : null,
  );

function srmBlock(experiment, decisions) {
  const p = experiment.srm_p_value;
  if (decisions.includes('check assignment'))
    return el(
      'div',
      { class: 'callout callout-bad', role: 'alert', 'data-testid': 'srm-warning' },
      el('strong', {}, 'Sample ratio mismatch. '),
      `The split of units between variants is not the planned one (SRM p-value ${formatP(p)}). `,
      'Assignment may be broken (bots, redirects, a variant that crashes), so none of the results below can be trusted until it is fixed or explained.',
    );
  return el(
    'p',
    { class: 'srm-ok', 'data-testid': 'srm-ok' },
    `Sample ratio check passed: SRM p-value ${formatP(p)}, the split between variants matches the plan.`,
  );
}

const metricColumns = [
  {
    label: 'Metric',
    metric: 'metric',
    value: (m) => m.metric,
    format: (m) =>
      el(
        'span',
        { 'data-role': m.role },
        m.metric,
        el('span', { class: 'unit' }, `${m.role} · ${m.value_type === 'rate' ? `% ${m.unit}` : m.unit}`),
      ),
  },
  {
    label: 'Control',
    metric: 'baseline_mean',
    numeric: true,
    value: (m) => m.baseline_mean ?? '',
    format: (m) => formatMetricValue(m.baseline_mean, m.value_type),
  },
  {
    label: 'Variant',
    metric: 'mean',
    numeric: true,
    value: (m) => m.mean ?? '',
    format: (m) => formatMetricValue(m.mean, m.value_type),
  },
  {
    label: 'Relative lift [interval]',
    metric: 'rel_lift',
    numeric: true,
    value: (m) => m.rel_lift ?? '',
    format: (m) =>
      el(
        'span',
        {},
        formatLift(m.rel_lift),
        m.ci_low === null ? null : el('span', { class: 'unit' }, `[${formatInterval(m.ci_low, m.ci_high)}]`),
      ),
  },
  {
    label: 'p-value',
    metric: 'p_value',
    numeric: true,
    value: (m) => m.p_value ?? '',
    format: (m) => formatP(m.p_value),
  },
  {
    label: 'Holm p',
    metric: 'p_value_holm',
    numeric: true,
    value: (m) => m.p_value_holm ?? '',
    format: (m) => formatP(m.p_value_holm),
  },
  {
    label: 'Chance to win',
    metric: 'chance_to_win',
    numeric: true,
    value: (m) => m.chance_to_win ?? '',
    format: (m) => formatRate(m.chance_to_win),
  },
];

function variantBlock(experiment, v, width) {
  const primary = v.metrics.find((m) => m.role === 'primary') ?? v.metrics[0];
  // A suspect split withholds every result: the numbers stay visible for diagnosis but are greyed out.
  const withheld = v.decision === 'check assignment';
  return el(
    'section',
    { class: withheld ? 'exp-variant withheld' : 'exp-variant', 'data-variant': v.variant },
    el(
      'div',
      { class: 'decision-line' },
      el('span', { class: 'decision-label' }, `${v.variant} vs ${experiment.control_variant}: `),
      badge(v.decision, { 'data-metric': 'decision' }),
    ),
    el('p', { class: 'reason', 'data-metric': 'reason' }, v.reason.charAt(0).toUpperCase() + v.reason.slice(1) + '.'),
    withheld
      ? el(
          'p',
          { class: 'withheld-note' },
          'Results withheld until the assignment is fixed or explained; shown greyed for diagnosis only.',
        )
      : null,
    primary
      ? el(
          'div',
          { class: 'stat-grid', 'data-testid': 'primary-stats' },
          stat(
            'Relative lift',
            'rel_lift',
            primary.rel_lift,
            formatLift(primary.rel_lift),
            `${formatMetricValue(primary.mean, primary.value_type)} vs ${formatMetricValue(primary.baseline_mean, primary.value_type)} in control${primary.value_type === 'rate' ? '' : ` (${primary.unit})`}`,
          ),
          stat(
            'Confidence interval',
            'interval',
            null,
            formatInterval(primary.ci_low, primary.ci_high),
            'of the relative lift',
            'wide',
          ),
          stat('p-value', 'p_value', primary.p_value, formatP(primary.p_value), 'two-sided, of no difference'),
          stat(
            'Chance to win',
            'chance_to_win',
            primary.chance_to_win,
            formatRate(primary.chance_to_win),
            'variant better than control',
          ),
          stat(
            'Units',
            'n',
            v.n,
            `${formatCount(v.n)} / ${formatCount(v.baseline_n)}`,
            `advocates in ${v.variant} / ${experiment.control_variant}`,
            // Two counts side by side need two cells' width, like the interval.
            'wide',
          ),
        )
      : null,
    liftChart(v.metrics, { width }),
    reportTable({
      testid: 'metrics-table',
      columns: metricColumns,
      rows: v.metrics,
      rowKey: (m) => ({ 'data-metric-name': m.metric }),
    }),
    el('p', { class: 'method' }, `Method (${primary?.metric ?? 'primary'}): ${primary?.method ?? '–'}.`),
  );
}

/**
 * @param {object} experiment one entry of ExperimentsData.experiments (src/site/experiments-data.ts)
 * @param {{width?: number}} [options] width of the lift charts
 * @returns {HTMLElement}
 */
export function experimentCard(experiment, { width = 640 } = {}) {
  const decisions = experiment.variants.map((v) => v.decision);
  const excluded =
    experiment.excluded_units > 0
      ? ` · ${formatCount(experiment.excluded_units)} unit(s) assigned to several variants excluded`
      : '';
  return el(
    'article',
    { class: 'exp-card', 'data-testid': 'experiment-card', 'data-experiment': experiment.experiment },
    el(
      'header',
      { class: 'exp-head' },
      el('h3', {}, experiment.experiment),
      badge(experiment.status, { 'data-metric': 'status' }),
    ),
    el(
      'p',
      { class: 'exp-meta' },
      `Control: ${experiment.control_variant} · results as of ${experiment.computed_at ? experiment.computed_at.slice(0, 10) : '–'}${excluded}`,
    ),
    srmBlock(experiment, decisions),
    experiment.variants.map((v) => variantBlock(experiment, v, width - 40)),
  );
}
