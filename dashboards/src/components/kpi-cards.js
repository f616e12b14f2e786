// KPI cards for the referral funnel: one card a stage plus referred revenue. Each value carries
// data-metric (the mart column) and data-value (the raw number; money in minor units) for tests and scrapers.
import { el } from './dom.js';
import { formatCount, formatMoney, formatRate, rate } from './format.js';

/**
 * @param {{invited: number, clicked: number, signed_up: number, converted: number, referred_revenue_minor: number}} total
 *   one program's (or all programs') totals from the referral_funnel loader
 * @param {string} currency ISO 4217 reporting currency of the money columns
 * @returns {HTMLElement}
 */
export function kpiCards(total, currency) {
  const card = (label, metric, value, text, note) =>
    el(
      'div',
      { class: 'kpi', 'data-testid': `kpi-${metric}` },
      el('div', { class: 'kpi-label' }, label),
      el('div', { class: 'kpi-value', 'data-metric': metric, 'data-value': value }, text),
      el('div', { class: 'kpi-note' }, note),
    );
  return el(
    'div',
    { class: 'kpi-grid', 'data-testid': 'kpis' },
    card('Invited', 'invited', total.invited, formatCount(total.invited), 'invitations sent'),
    card(
      'Clicked',
      'clicked',
      total.clicked,
      formatCount(total.clicked),
      `${formatRate(rate(total.clicked, total.invited))} of invited`,
    ),
    card(
      'Signed up',
      'signed_up',
      total.signed_up,
      formatCount(total.signed_up),
      `${formatRate(rate(total.signed_up, total.clicked))} of clicked`,
    ),
    card(
      'Converted',
      'converted',
      total.converted,
      formatCount(total.converted),
      `${formatRate(rate(total.converted, total.signed_up))} of signed up`,
    ),
    card(
      currency ? `Referred revenue (${currency})` : 'Referred revenue',
      'referred_revenue_minor',
      total.referred_revenue_minor,
      formatMoney(total.referred_revenue_minor, currency),
      'net revenue from referred customers',
    ),
  );
}
