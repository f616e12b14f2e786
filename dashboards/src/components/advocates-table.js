// The top advocates table: advocates ranked by referred revenue (then conversions), at most 20 rows.
// Shows advocate ids only: names and emails are PII and stay off the published site.
import { formatCount, formatMoney } from './format.js';
import { reportTable } from './report-table.js';

/** The most rows the table shows; the loader ranks and cuts to the same number per program. */
export const TOP_ADVOCATES = 20;

const count = (label, metric) => ({
  label,
  metric,
  numeric: true,
  value: (r) => r[metric],
  format: (r) => formatCount(r[metric]),
});

/**
 * @param {Array<{advocate_id: string, rank: number, invited: number, clicked: number, signed_up: number, converted: number, referred_revenue_minor: number}>} rows
 * @param {string} currency ISO 4217 code of referred_revenue_minor
 * @returns {HTMLElement}
 */
export function advocatesTable(rows, currency) {
  const columns = [
    { label: '#', metric: 'rank', numeric: true, value: (r) => r.rank, format: (r) => String(r.rank) },
    {
      label: 'Advocate',
      metric: 'advocate_id',
      value: (r) => r.advocate_id ?? '',
      // The mart's advocate_id is NULL when a referral code matched no customer.
      format: (r) => r.advocate_id ?? '(unmatched code)',
    },
    count('Invited', 'invited'),
    count('Clicked', 'clicked'),
    count('Signed up', 'signed_up'),
    count('Converted', 'converted'),
    {
      label: currency ? `Referred revenue (${currency})` : 'Referred revenue',
      metric: 'referred_revenue_minor',
      numeric: true,
      value: (r) => r.referred_revenue_minor,
      format: (r) => formatMoney(r.referred_revenue_minor, currency),
    },
  ];
  const top = [...rows].sort((a, b) => a.rank - b.rank).slice(0, TOP_ADVOCATES);
  return reportTable({
    testid: 'advocates-table',
    columns,
    rows: top,
    rowKey: (r) => ({ 'data-advocate': r.advocate_id ?? '' }),
    empty: 'No advocates in this selection.',
  });
}
