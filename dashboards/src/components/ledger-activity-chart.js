// Ledger activity per month: the signed amounts of each entry type stacked (accrued and approved above zero;
// capped, voided and clawed back below). Minor units are converted to major units for the axis only.
import * as Plot from '@observablehq/plot';
import { el } from './dom.js';
import { currencyExponent, formatMoney, formatMonth } from './format.js';

export const ENTRY_LABELS = {
  accrued: 'Accrued',
  approved: 'Approved',
  capped: 'Capped',
  voided: 'Voided',
  clawed_back: 'Clawed back',
};
// Accrued and approved in the accent blues; reductions in grey (capped), violet (voided while held), red (clawed back).
const ENTRY_COLORS = ['#93c5fd', '#3b5bdb', '#a3a3a3', '#a78bfa', '#dc2626'];

/**
 * @param {Array<{month: string, entry_type: string, entries: number, amount_minor: number}>} monthly
 * @param {string | null} currency
 * @param {{width?: number}} [options]
 * @returns {HTMLElement}
 */
export function ledgerActivityChart(monthly, currency, { width = 640 } = {}) {
  if (monthly.length === 0)
    return el('p', { class: 'empty-note', 'data-testid': 'ledger-chart' }, 'No ledger entries yet.');
  const scale = currency ? 10 ** currencyExponent(currency) : 100;
  const data = monthly.map((m) => ({
    ...m,
    date: new Date(`${m.month}T00:00:00Z`),
    amount: m.amount_minor / scale,
    label: ENTRY_LABELS[m.entry_type] ?? m.entry_type,
  }));
  const chart = Plot.plot({
    width,
    height: 320,
    marginLeft: 60,
    style: { fontSize: '12px' },
    x: { type: 'band', label: null, tickFormat: (d) => formatMonth(d.toISOString()), tickRotate: -40 },
    y: { label: `↑ Amount (${currency ?? ''})`, grid: true },
    color: { domain: Object.values(ENTRY_LABELS), range: ENTRY_COLORS, legend: true },
    marginBottom: 50,
    marks: [
      Plot.barY(data, {
        x: 'date',
        y: 'amount',
        fill: 'label',
        order: Object.values(ENTRY_LABELS),
        title: (m) =>
          `${formatMonth(m.month)} · ${m.label}: ${formatMoney(m.amount_minor, currency)} in ${m.entries} entries`,
      }),
      Plot.ruleY([0]),
    ],
  });
  return el('figure', { class: 'wide-chart', 'data-testid': 'ledger-chart' }, chart);
}
