// The monthly funnel table: one row per month with stage counts, step rates and referred revenue (with its
// currency code), and a total row that matches the KPI cards.
import { formatCount, formatMoney, formatMonth, formatRate } from './format.js';
import { reportTable } from './report-table.js';

const count = (label, metric) => ({
  label,
  metric,
  numeric: true,
  value: (r) => r[metric],
  format: (r) => formatCount(r[metric]),
});
// Rates come from the loader (computed in SQL from the summed counts; null when the denominator is 0).
const ratio = (label, metric) => ({
  label,
  metric,
  numeric: true,
  value: (r) => r[metric] ?? '',
  format: (r) => formatRate(r[metric]),
});

/**
 * @param {Array<{month: string, invited: number, clicked: number, signed_up: number, converted: number, click_rate: number | null, signup_rate: number | null, conversion_rate: number | null, invite_to_conversion_rate: number | null, referred_revenue_minor: number}>} rows
 *   one program's (or all programs') monthly rows, any order; shown oldest first
 * @param {string} currency ISO 4217 code of referred_revenue_minor
 * @param {object} [total] the same program's totals, shown as a footer row
 * @returns {HTMLElement}
 */
export function monthlyTable(rows, currency, total) {
  const columns = [
    {
      label: 'Month',
      metric: 'month',
      value: (r) => r.month ?? '',
      format: (r) => (r.month ? formatMonth(r.month) : 'Total'),
    },
    count('Invited', 'invited'),
    count('Clicked', 'clicked'),
    count('Signed up', 'signed_up'),
    count('Converted', 'converted'),
    ratio('Click rate', 'click_rate'),
    ratio('Sign-up rate', 'signup_rate'),
    ratio('Conv. rate', 'conversion_rate'),
    ratio('Invite → conv.', 'invite_to_conversion_rate'),
    {
      label: currency ? `Referred revenue (${currency})` : 'Referred revenue',
      metric: 'referred_revenue_minor',
      numeric: true,
      value: (r) => r.referred_revenue_minor,
      format: (r) => formatMoney(r.referred_revenue_minor, currency),
    },
  ];
  const sorted = [...rows].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  return reportTable({
    testid: 'monthly-table',
    columns,
    rows: sorted,
    rowKey: (r) => ({ 'data-month': r.month.slice(0, 7) }),
    footer: total ? { ...total, month: null } : undefined,
    empty: 'No referral activity in this selection.',
  });
}
