// The Rewards page's tables: liability per program, status and kind; rule versions with their decisions; and
// clawbacks and voids per program and reason code. Ids and reason codes only (no PII).
import { formatCount, formatMoney } from './format.js';
import { reportTable } from './report-table.js';
import { STATUS_LABELS } from './liability-chart.js';

const count = (label, metric) => ({
  label,
  metric,
  numeric: true,
  value: (r) => r[metric],
  format: (r) => formatCount(r[metric]),
});
const money = (label, metric, currency) => ({
  label: currency ? `${label} (${currency})` : label,
  metric,
  numeric: true,
  value: (r) => r[metric],
  format: (r) => formatMoney(r[metric], currency),
});
const text = (label, metric, format = (r) => r[metric]) => ({ label, metric, value: (r) => r[metric], format });

export function liabilityTable(rows, currency) {
  const sorted = [...rows].sort((a, b) => a.program_id.localeCompare(b.program_id) || b.status.localeCompare(a.status));
  // The balances shape of reward_liability (kind 'all', no counts) has no kind or count columns to show.
  const byKind = rows.some((r) => r.rewards !== null);
  return reportTable({
    testid: 'liability-table',
    columns: [
      text('Program', 'program_id'),
      text('Status', 'status', (r) => STATUS_LABELS[r.status] ?? r.status),
      ...(byKind
        ? [
            text('Kind', 'reward_kind', (r) =>
              r.reward_kind === 'non_cash' ? 'non-cash (cash equivalent)' : r.reward_kind,
            ),
            count('Rewards', 'rewards'),
            count('Beneficiaries', 'beneficiaries'),
          ]
        : []),
      money('Owed', 'amount_minor', currency),
    ],
    rows: sorted,
    rowKey: (r) => ({ 'data-program': r.program_id, 'data-status': r.status, 'data-kind': r.reward_kind }),
    empty: 'Nothing owed.',
  });
}

export function ruleVersionsTable(versions, currency) {
  return reportTable({
    testid: 'rule-versions',
    columns: [
      text('Rule set', 'rule_set_id'),
      { ...text('Version', 'rule_version', (r) => `v${r.rule_version}${r.latest ? ' (latest)' : ''}`), numeric: false },
      text('Programs', 'programs', (r) => r.programs.join(', ')),
      count('Decisions', 'decisions'),
      count('Referrals judged', 'referrals'),
      money('Accrued', 'accrued_minor', currency),
      text('First decision', 'first_decision'),
      text('Last decision', 'last_decision'),
    ],
    rows: versions,
    rowKey: (r) => ({ 'data-rule-set': r.rule_set_id, 'data-version': String(r.rule_version) }),
    empty: 'No rule set has made a decision yet.',
  });
}

const REASONS = {
  refund_in_holding: 'refund during holding',
  chargeback_in_holding: 'chargeback during holding',
  refund_in_window: 'refund after approval',
  chargeback_in_window: 'chargeback after approval',
};

export function clawbacksTable(rows, currency) {
  return reportTable({
    testid: 'clawbacks-table',
    columns: [
      text('Program', 'program_id'),
      text('Entry', 'entry_type', (r) => (r.entry_type === 'clawed_back' ? 'Clawed back' : 'Voided (held)')),
      text('Reason', 'reason_code', (r) => `${REASONS[r.reason_code] ?? r.reason_code}`),
      count('Entries', 'entries'),
      money('Amount', 'amount_minor', currency),
    ],
    rows,
    rowKey: (r) => ({ 'data-program': r.program_id, 'data-entry': r.entry_type, 'data-reason': r.reason_code }),
    empty: 'No clawbacks or voids.',
  });
}
