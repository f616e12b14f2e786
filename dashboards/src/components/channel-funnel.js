// The funnel by share channel: sums of the loader's (program, channel, month) rows over a program and month range,
// a table per channel and a monthly chart of conversions by channel. Sums are of integer counts (no money).
import * as Plot from '@observablehq/plot';
import { formatCount, formatMonth, formatRate, rate } from './format.js';
import { reportTable } from './report-table.js';

const STAGES = ['invited', 'clicked', 'signed_up', 'converted'];

/**
 * Rows whose month (YYYY-MM-DD) lies in [from, to] (YYYY-MM-DD, either may be null for an open end).
 * @template {{month: string}} T
 * @param {T[]} rows
 * @param {string | null} from
 * @param {string | null} to
 * @returns {T[]}
 */
export function inMonthRange(rows, from, to) {
  return rows.filter((r) => (from == null || r.month >= from) && (to == null || r.month <= to));
}

/**
 * Stage counts summed per channel, with step rates from the sums (null when the denominator is 0).
 * @param {Array<{share_channel: string, invited: number, clicked: number, signed_up: number, converted: number}>} rows
 * @returns {Array<{share_channel: string, invited: number, clicked: number, signed_up: number, converted: number, signup_rate: number | null, conversion_rate: number | null}>}
 */
export function channelTotals(rows) {
  const by = new Map();
  for (const r of rows) {
    const t = by.get(r.share_channel) ?? {
      share_channel: r.share_channel,
      invited: 0,
      clicked: 0,
      signed_up: 0,
      converted: 0,
    };
    for (const s of STAGES) t[s] += r[s];
    by.set(r.share_channel, t);
  }
  return [...by.values()]
    .map((t) => ({ ...t, signup_rate: rate(t.signed_up, t.clicked), conversion_rate: rate(t.converted, t.signed_up) }))
    .sort((a, b) => b.converted - a.converted || a.share_channel.localeCompare(b.share_channel));
}

const count = (label, metric) => ({
  label,
  metric,
  numeric: true,
  value: (r) => r[metric],
  format: (r) => formatCount(r[metric]),
});

/** @param {ReturnType<typeof channelTotals>} totals @returns {HTMLElement} */
export function channelTable(totals) {
  return reportTable({
    testid: 'channel-table',
    columns: [
      {
        label: 'Share channel',
        metric: 'share_channel',
        value: (r) => r.share_channel,
        format: (r) => r.share_channel,
      },
      count('Invited', 'invited'),
      count('Clicked', 'clicked'),
      count('Signed up', 'signed_up'),
      count('Converted', 'converted'),
      { label: 'Sign-up rate', metric: 'signup_rate', numeric: true, format: (r) => formatRate(r.signup_rate) },
      { label: 'Conv. rate', metric: 'conversion_rate', numeric: true, format: (r) => formatRate(r.conversion_rate) },
    ],
    rows: totals,
    rowKey: (r) => ({ 'data-channel': r.share_channel }),
    empty: 'No referral activity in this selection.',
  });
}

/**
 * Converted referrals per month, stacked by share channel.
 * @param {Array<{month: string, share_channel: string, converted: number}>} rows
 * @param {{width: number}} options
 */
export function channelChart(rows, { width }) {
  return Plot.plot({
    width,
    height: 260,
    marginLeft: 50,
    x: { type: 'utc', label: null },
    y: { grid: true, label: 'Converted referrals (count)' },
    color: { legend: true, scheme: 'tableau10' },
    marks: [
      Plot.rectY(rows, {
        x: (r) => new Date(`${r.month}T00:00:00Z`),
        interval: 'month',
        y: 'converted',
        fill: 'share_channel',
        title: (r) => `${formatMonth(r.month)} · ${r.share_channel}: ${formatCount(r.converted)} converted`,
      }),
      Plot.ruleY([0], { stroke: 'currentColor' }),
    ],
  });
}
