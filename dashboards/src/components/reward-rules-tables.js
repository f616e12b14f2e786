// The Rewards page's tier distribution (advocates per tier of their latest referral, per program) and the rule
// versions in force (operational table reward_rule_versions + versions seen in reward_ledger). Ids only, no PII.
import * as Plot from '@observablehq/plot';
import { formatCount } from './format.js';
import { reportTable } from './report-table.js';

/**
 * @param {Array<{program_id: string, tier: string, advocates: number, min_referrals: number | null}>} rows
 * @returns {HTMLElement}
 */
export function tierTable(rows) {
  return reportTable({
    testid: 'tier-distribution',
    columns: [
      { label: 'Program', metric: 'program_id', value: (r) => r.program_id, format: (r) => r.program_id },
      { label: 'Tier', metric: 'tier', value: (r) => r.tier, format: (r) => r.tier },
      {
        label: 'From (referrals)',
        metric: 'min_referrals',
        numeric: true,
        value: (r) => r.min_referrals ?? '',
        format: (r) => (r.min_referrals == null ? '–' : `${formatCount(r.min_referrals)}+`),
      },
      {
        label: 'Advocates (count)',
        metric: 'advocates',
        numeric: true,
        value: (r) => r.advocates,
        format: (r) => formatCount(r.advocates),
      },
    ],
    rows,
    rowKey: (r) => ({ 'data-program': r.program_id, 'data-tier': r.tier }),
    empty: 'No advocate rewards yet.',
  });
}

/** Advocates per tier, one row of bars per program, tiers in the loader's order (fewest referrals first). */
export function tierChart(rows, { width }) {
  return Plot.plot({
    width,
    height: 60 + 40 * new Set(rows.map((r) => r.program_id)).size,
    marginLeft: 110,
    x: { grid: true, label: 'Advocates (count)' },
    y: { label: null },
    color: { legend: true, domain: [...new Set(rows.map((r) => r.tier))], scheme: 'tableau10' },
    marks: [
      Plot.barX(rows, { y: 'program_id', x: 'advocates', fill: 'tier', title: (r) => `${r.tier}: ${r.advocates}` }),
      Plot.ruleX([0], { stroke: 'currentColor' }),
    ],
  });
}

/**
 * @param {Array<{rule_set_id: string, version: number, effective_from: string, effective_to: string | null, origin: string, from_source: string, ledger_entries: number, in_force: boolean}>} rows
 * @returns {HTMLElement}
 */
export function versionsInForceTable(rows) {
  return reportTable({
    testid: 'rule-versions-in-force',
    columns: [
      { label: 'Rule set', metric: 'rule_set_id', value: (r) => r.rule_set_id, format: (r) => r.rule_set_id },
      { label: 'Version', metric: 'version', numeric: true, value: (r) => r.version, format: (r) => `v${r.version}` },
      {
        label: 'Effective from',
        metric: 'effective_from',
        value: (r) => r.effective_from,
        format: (r) => `${r.effective_from}${r.from_source === 'reward_ledger' ? ' *' : ''}`,
      },
      {
        label: 'Effective to',
        metric: 'effective_to',
        value: (r) => r.effective_to ?? '',
        format: (r) => r.effective_to ?? 'in force',
      },
      {
        label: 'Origin',
        metric: 'origin',
        value: (r) => r.origin,
        format: (r) => (r.origin === 'config' ? 'config' : `promoted (${r.origin})`),
      },
      {
        label: 'Ledger entries (count)',
        metric: 'ledger_entries',
        numeric: true,
        value: (r) => r.ledger_entries,
        format: (r) => formatCount(r.ledger_entries),
      },
    ],
    rows,
    rowKey: (r) => ({
      'data-rule-set': r.rule_set_id,
      'data-version': String(r.version),
      'data-in-force': String(r.in_force),
    }),
    empty: 'No rule versions yet.',
  });
}
