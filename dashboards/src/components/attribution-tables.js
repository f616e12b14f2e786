// Tables of the Attribution page: the channel x model matrix of credited conversions or revenue with each
// channel's share, the reconciliation of order revenue against attributed revenue per model, and the
// dark-social share per program. Cells carry data-metric / data-model / data-channel / data-program hooks.
import { badge } from './badge.js';
import { el } from './dom.js';
import { formatCount, formatMoney, formatRate } from './format.js';
import { modelLabel } from './attribution-chart.js';
import { reportTable } from './report-table.js';

/** Credited conversions are fractional (a linear split), so they show with one decimal. */
export const formatCredit = (x) =>
  x === null || x === undefined
    ? '–'
    : x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/**
 * One row per model, its total, then one column per channel: credited conversions (or revenue) with the
 * channel's share of the model's total beneath.
 * @param {Array<object>} cells one program selection's AttributionCell rows
 * @param {{models: string[], channels: string[], measure: 'conversions' | 'revenue', currency: string | null}} options
 */
export function attributionMatrix(cells, { models, channels, measure, currency }) {
  const at = new Map(cells.map((c) => [`${c.model}\u0000${c.channel}`, c]));
  const value = (c) => (measure === 'revenue' ? c?.revenue_minor : c?.conversions) ?? 0;
  const share = (c) => (measure === 'revenue' ? c?.revenue_share : c?.conversion_share) ?? null;
  const show = (v) => (measure === 'revenue' ? formatMoney(v, currency) : formatCredit(v));
  const total = (model) => cells.filter((c) => c.model === model).reduce((s, c) => s + value(c), 0);
  const columns = [
    { label: 'Model', metric: 'model', value: (model) => model, format: (model) => modelLabel(model) },
    {
      label: measure === 'revenue' && currency ? `Total (${currency})` : 'Total',
      metric: 'total',
      numeric: true,
      value: (model) => total(model),
      format: (model) => el('b', {}, show(total(model))),
    },
    ...channels.map((channel) => ({
      label: channel,
      metric: channel,
      numeric: true,
      value: (model) => value(at.get(`${model}\u0000${channel}`)),
      format: (model) => {
        const c = at.get(`${model}\u0000${channel}`);
        return el('span', {}, show(value(c)), el('span', { class: 'share' }, formatRate(share(c))));
      },
    })),
  ];
  return reportTable({
    testid: 'attribution-matrix',
    columns,
    // No cells: no model credited anything in this selection (an empty mart), so no rows of zeros.
    rows: cells.length === 0 ? [] : models,
    rowKey: (model) => ({ 'data-model': model }),
    empty: 'No credited conversions in this selection.',
  });
}

/** @param {object} data AttributionReconciliationData (src/site/attribution-data.ts) */
export function reconciliationTable(data, models) {
  const cur = data.currency;
  const money = (label, metric) => ({
    label: cur ? `${label} (${cur})` : label,
    metric,
    numeric: true,
    value: (r) => r[metric],
    format: (r) => formatMoney(r[metric], cur),
  });
  const rows = models.map((m) => data.models.find((r) => r.model === m)).filter(Boolean);
  return reportTable({
    testid: 'reconciliation-table',
    rows,
    rowKey: (r) => ({ 'data-model': r.model }),
    columns: [
      { label: 'Model', metric: 'model', value: (r) => r.model, format: (r) => modelLabel(r.model) },
      {
        label: 'Conversions',
        metric: 'conversions',
        numeric: true,
        value: (r) => r.conversions,
        format: (r) => formatCount(r.conversions),
      },
      money('Order revenue', 'order_revenue_minor'),
      money('Attributed', 'attributed_revenue_minor'),
      money('Unattributed', 'unattributed_revenue_minor'),
      money('Difference', 'difference_minor'),
      {
        label: 'Days off',
        metric: 'days_off',
        numeric: true,
        value: (r) => r.days_off,
        format: (r) => formatCount(r.days_off),
      },
      {
        label: 'Status',
        metric: 'status',
        value: (r) => (r.reconciled ? 'reconciled' : 'not reconciled'),
        format: (r) => badge(r.reconciled ? 'reconciled' : 'not reconciled'),
      },
    ],
    empty: 'No conversions to reconcile yet.',
  });
}

/** @param {Array<object>} rows DarkSocialData.rows per program (the all-programs row goes in the footer) */
export function darkSocialTable(rows) {
  const count = (label, metric) => ({
    label,
    metric,
    numeric: true,
    value: (r) => r[metric],
    format: (r) => formatCount(r[metric]),
  });
  const pct = (label, metric) => ({
    label,
    metric,
    numeric: true,
    value: (r) => r[metric] ?? '',
    format: (r) => formatRate(r[metric]),
  });
  const total = rows.find((r) => r.program_id === null);
  return reportTable({
    testid: 'dark-social-table',
    rows: rows.filter((r) => r.program_id !== null),
    rowKey: (r) => ({ 'data-program': r.program_id }),
    footer: total,
    columns: [
      {
        label: 'Program',
        metric: 'program_id',
        value: (r) => r.program_id ?? '',
        format: (r) => r.program_id ?? 'All programs',
      },
      count('Survey respondents', 'respondents'),
      count('Word of mouth', 'word_of_mouth'),
      count('Without referral evidence', 'unreferred_respondents'),
      count('Dark social', 'dark_social'),
      pct('Dark-social share', 'dark_social_share'),
      pct('Share of unreferred', 'dark_social_share_unreferred'),
    ],
    empty: 'No survey responses yet.',
  });
}
