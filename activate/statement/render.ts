/**
 * A statement as a self-contained HTML page (no scripts, no external resources; every value HTML-escaped) or as
 * CSV (one row per statement line, money in minor units with its currency).
 */
import { csvField } from '../notifications/export.js';
import { formatMoney } from '../money.js';
import type { Statement } from './statement.js';

/** Escapes the five HTML-significant characters. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '-');

export function statementHtml(s: Statement, project: string): string {
  const m = (minor: number) => escapeHtml(formatMoney(minor, s.currency));
  const rows = s.lines
    .map(
      (
        l,
      ) => `<tr><td>${l.role === 'referee' ? 'your own sign-up' : escapeHtml(l.referee || l.referralId)}</td><td>${day(l.signedUpAt)}</td><td>${day(l.convertedAt)}</td>
<td>${escapeHtml(l.rewardLine ?? '-')}</td><td>${escapeHtml(l.status)}</td><td class="n">${m(l.earnedMinor)}</td>
<td class="n">${m(l.heldMinor)}</td><td class="n">${m(l.approvedMinor)}</td><td class="n">${m(l.paidMinor)}</td>
<td>${escapeHtml(l.latestDecision ?? '')}${l.latestDecisionAt ? ` (${day(l.latestDecisionAt)})` : ''}${
        l.payoutBatches ? `; paid in ${escapeHtml(l.payoutBatches)}` : ''
      }</td></tr>`,
    )
    .join('\n');
  const t = s.totals;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Referral statement: ${escapeHtml(s.advocateId)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}.n{text-align:right}</style>
</head><body>
<h1>Your referrals and rewards</h1>
<p>${escapeHtml(project)} referral statement for ${escapeHtml(s.advocateId)}, as of ${escapeHtml(s.asOf ?? 'today')}.</p>
<p>You earned ${m(t.earnedMinor)} in all: ${m(t.heldMinor - t.inReviewMinor)} is still in the holding period (we wait
before approving a reward in case the purchase is returned),${t.inReviewMinor > 0 ? ` ${m(t.inReviewMinor)} is held until a reviewer checks the referral,` : ''}
${m(t.approvedMinor)} is approved and waiting for the next payout, and
${m(t.paidMinor)} has been paid.${t.reversedMinor < 0 ? ` ${m(-t.reversedMinor)} was reversed (see the reasons below).` : ''}</p>
<table><thead><tr><th>Referral</th><th>Signed up</th><th>Purchased</th><th>Reward</th><th>Status</th><th>Earned</th>
<th>In holding</th><th>Approved</th><th>Paid</th><th>Latest decision</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}

const CSV_FIELDS = [
  'referral_id',
  'referee',
  'signed_up_at',
  'converted_at',
  'reward_line',
  'status',
  'earned_minor',
  'held_minor',
  'approved_minor',
  'paid_minor',
  'reversed_minor',
  'currency',
  'latest_decision',
  'latest_decision_at',
  'payout_batches',
  'role',
] as const;

export function statementCsv(s: Statement): string {
  const lines = s.lines.map((l) =>
    [
      l.referralId,
      l.referee,
      l.signedUpAt,
      l.convertedAt,
      l.rewardLine,
      l.status,
      l.earnedMinor,
      l.heldMinor,
      l.approvedMinor,
      l.paidMinor,
      l.reversedMinor,
      l.currency,
      l.latestDecision,
      l.latestDecisionAt,
      l.payoutBatches,
      l.role,
    ]
      .map(csvField)
      .join(','),
  );
  return [CSV_FIELDS.join(','), ...lines].join('\r\n') + '\r\n';
}
