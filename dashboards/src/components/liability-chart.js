// Reward liability: KPI cards per status (held, approved and unpaid, total owed) and a bar chart per program
// stacked by status. Amounts arrive as integer minor units summed in SQL; the chart converts to major units
// for its axis only, the cards and labels show the exact amounts.
import * as Plot from '@observablehq/plot';
import { el } from './dom.js';
import { currencyExponent, formatCount, formatMoney } from './format.js';

export const STATUS_LABELS = { held: 'Held (in holding period)', approved_unpaid: 'Approved, unpaid' };
export const STATUS_COLORS = { held: '#f59e0b', approved_unpaid: '#3b5bdb' };

/**
 * @param {Array<{status: string, rewards: number, amount_minor: number}>} totals one row per status
 * @param {string | null} currency
 * @returns {HTMLElement}
 */
export function liabilityCards(totals, currency) {
  const get = (status) => totals.find((t) => t.status === status) ?? { status, rewards: 0, amount_minor: 0 };
  const held = get('held');
  const approved = get('approved_unpaid');
  const card = (metric, label, minor, note) =>
    el(
      'div',
      { class: 'kpi', 'data-testid': `liability-${metric}` },
      el('div', { class: 'kpi-label' }, label),
      el('div', { class: 'kpi-value', 'data-metric': metric, 'data-value': minor }, formatMoney(minor, currency)),
      el('div', { class: 'kpi-note' }, note),
    );
  return el(
    'div',
    { class: 'kpi-grid kpi-grid-3', 'data-testid': 'liability-cards' },
    card('total', 'Total owed', held.amount_minor + approved.amount_minor, 'held + approved, not yet paid'),
    card(
      'approved_unpaid',
      'Approved, unpaid',
      approved.amount_minor,
      // The balances shape of reward_liability has no reward counts (rewards is null).
      approved.rewards === null
        ? 'past holding, not yet paid'
        : `${formatCount(approved.rewards)} rewards past holding`,
    ),
    card(
      'held',
      'Held',
      held.amount_minor,
      held.rewards === null
        ? 'in the holding period or in review'
        : `${formatCount(held.rewards)} rewards still in their holding period`,
    ),
  );
}

/**
 * @param {Array<{program_id: string, status: string, reward_kind: string, amount_minor: number}>} rows
 * @param {string | null} currency
 * @param {{width?: number}} [options]
 * @returns {HTMLElement}
 */
export function liabilityChart(rows, currency, { width = 640 } = {}) {
  if (rows.length === 0) return el('p', { class: 'empty-note', 'data-testid': 'liability-chart' }, 'Nothing owed.');
  const scale = currency ? 10 ** currencyExponent(currency) : 100;
  const sums = new Map();
  for (const r of rows) {
    const key = `${r.program_id}|${r.status}`;
    sums.set(key, {
      program_id: r.program_id,
      status: r.status,
      amount_minor: (sums.get(key)?.amount_minor ?? 0) + r.amount_minor,
    });
  }
  const data = [...sums.values()].map((r) => ({
    ...r,
    amount: r.amount_minor / scale,
    label: STATUS_LABELS[r.status] ?? r.status,
  }));
  const totals = new Map();
  for (const r of data) totals.set(r.program_id, (totals.get(r.program_id) ?? 0) + r.amount_minor);
  const programs = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a));
  const max = Math.max(...[...totals.values()].map((v) => v / scale));
  const chart = Plot.plot({
    width,
    height: 50 + programs.length * 44,
    marginLeft: 110,
    marginRight: 20,
    style: { fontSize: '12px' },
    x: { label: `Owed (${currency ?? ''}) →`, grid: true, domain: [0, max * 1.3] },
    y: { domain: programs, label: null },
    color: { domain: Object.values(STATUS_LABELS), range: Object.values(STATUS_COLORS), legend: true },
    marks: [
      Plot.barX(data, { x: 'amount', y: 'program_id', fill: 'label', order: Object.values(STATUS_LABELS) }),
      Plot.text(programs, {
        x: (p) => totals.get(p) / scale,
        y: (p) => p,
        text: (p) => formatMoney(totals.get(p), currency),
        textAnchor: 'start',
        dx: 6,
      }),
      Plot.ruleX([0]),
    ],
  });
  return el('figure', { class: 'wide-chart', 'data-testid': 'liability-chart' }, chart);
}
