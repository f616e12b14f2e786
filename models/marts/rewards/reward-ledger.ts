import { defineModel } from '../../../src/models/define-model.js';
import { judgedRewardsCtes } from '../../rewards/judged-rewards-sql.js';
import { entrySelects } from '../../rewards/ledger-entries-sql.js';
import { assertRuleReferences, moneySql } from '../../rewards/rules-sql.js';
import { rewardsConfig } from './config-schema.js';

/**
 * The reward ledger: every reward decision as an append-only entry. A referral is judged by the rule set
 * version in effect on the day it qualified (UTC): sign-up time for `signup` rules, stg_referrals.converted_at
 * otherwise. Editing rules means a new version, so decisions already made never change.
 *
 * Life of one reward (per rule set, referral and beneficiary): `accrued` at qualification for the rule's amount;
 * `capped` (negative) for what each cap removed; then, unless a refund or chargeback of the qualifying order
 * falls inside the clawback window, `approved` at qualification + holding days. A reversal inside the window
 * but before approval `voided` the held amount; after approval it is `clawed_back`. A reversal after the window
 * changes nothing. Refund or chargeback with no timestamp counts as at qualification (nothing is paid for a
 * reversed order). Approvals, voids and clawbacks are only written for a granted amount above zero.
 *
 * Tiers (rule set `tiers`) multiply the advocate's reward by the tier reached with the referral being judged;
 * milestones (rule set `milestones`) add a one-off advocate reward (`reward_line` milestone) when the advocate's
 * count of approved referrals reaches one: both are described in config-schema.ts.
 *
 * Balances: held = sum(held_delta_minor), approved (unpaid: payouts are not built yet) = sum(approved_delta_minor);
 * an approval moves money from held to approved, so the total owed is the sum of both deltas, not of amount_minor.
 *
 * As of: only what was decided before the cutoff exists. `rewards.asOf` (a date, inclusive through its end,
 * UTC), default the data's latest timestamp (orders, refunds, chargebacks, sign-ups): never the wall clock,
 * so a rerun on the same inputs gives the identical ledger.
 */
export const rewardLedger = defineModel({
  name: 'reward_ledger',
  grain: 'one row per reward decision: rule set, referral, beneficiary, reward line, entry type and reason',
  dependsOn: ['stg_referrals', 'stg_orders'],
  columns: {
    ledger_entry_id:
      'stable hash of rule set, version, referral, beneficiary role, reward line, entry type, reason code',
    program_id: 'referral program',
    rule_set_id: 'reward rule set (config rewards.ruleSets[].id)',
    rule_version: 'the version in effect when the referral qualified',
    referral_id: 'stg_referrals.referral_id',
    advocate_id: 'the referring customer',
    referee_id: 'the referred customer',
    beneficiary_id: 'who receives this reward (advocate_id or referee_id)',
    beneficiary_role: 'advocate | referee',
    reward_line: "referral (the referral's own reward) | milestone (an advocate milestone this referral reached)",
    order_id: 'the qualifying order (NULL for signup rules)',
    tier: "the advocate's tier when the referral qualified (rule set tiers), NULL without tiers or for referees",
    entry_type: 'accrued | capped | approved | voided | clawed_back',
    amount_minor: 'signed amount of the decision (capped, voided and clawed_back negative), reporting currency',
    held_delta_minor: 'change in the held (in holding period) balance',
    approved_delta_minor: 'change in the approved, unpaid balance',
    currency: 'the reporting currency',
    reward_kind: 'cash | non_cash (non-cash at its cash equivalent)',
    reason_code: 'machine-readable reason, e.g. qualified_purchase, cap_advocate_month, refund_in_window',
    reason: 'the decision in words a support agent can read to an advocate',
    decided_at: 'the instant of the event that made the decision (qualification, end of holding, refund)',
    effective_at: 'date (UTC) of decided_at: the accounting date of the entry',
    as_of: 'the date the ledger is computed as of (rewards.asOf or the date of the latest data timestamp)',
  },
  build({ d, config, ref }) {
    const rewards = rewardsConfig(config);
    assertRuleReferences(rewards.ruleSets, config);
    const cur = config.reportingCurrency;
    const bounds = `(select max(t) from (
      select max(ordered_at) as t from ${ref('stg_orders')} union all
      select max(refunded_at) from ${ref('stg_orders')} union all
      select max(chargeback_at) from ${ref('stg_orders')} union all
      select max(signed_up_at) from ${ref('stg_referrals')}) b)`;
    const asOfDate = rewards.asOf ? d.cast(d.stringLiteral(rewards.asOf), 'date') : d.toDate(bounds);
    const decided = rewards.asOf
      ? (x: string) => `${x} < ${d.dateAdd('day', '1', d.cast(d.stringLiteral(rewards.asOf!), 'timestamp'))}`
      : (x: string) => `${x} <= ${bounds}`;
    const ctes = judgedRewardsCtes({
      d,
      config,
      ruleSets: rewards.ruleSets,
      referrals: ref('stg_referrals'),
      orders: ref('stg_orders'),
      decided,
    });
    const m = (expr: string) => moneySql(d, expr, cur);
    const day = (expr: string) => d.cast(d.toDate(expr), 'string');
    const entries = entrySelects(d, m, day);
    return `
with ${ctes},
timeline as (
  select c.*,
    c.year_granted_minor - c.granted_minor as cut_budget_minor,
    ${d.dateAdd('day', 'c.holding_days', 'c.qualified_at')} as approve_at
  from capped c
),
decisions as (
  select t.*,
    coalesce(t.reversed_at <= t.window_end and ${decided('t.reversed_at')}, false) as is_reversed,
    coalesce(t.reversed_at <= t.window_end and ${decided('t.reversed_at')} and t.reversed_at <= t.approve_at, false)
      as is_reversed_in_holding
  from timeline t
),
milestone_rows as (
  select program_id, rule_set_id, rule_version, referral_id, advocate_id, referee_id, advocate_id as beneficiary_id,
    'advocate' as beneficiary_role, order_id, reward_kind, ${d.cast('null', 'string')} as tier_name,
    milestone_referrals, milestone_minor, approve_at, reward_label
  from milestones
),
entries as (
${entries.join('\nunion all\n')}
)
select
  ${d.hashId(['e.rule_set_id', 'e.rule_version', 'e.referral_id', 'e.beneficiary_role', 'e.reward_line', 'e.entry_type', 'e.reason_code'])}
    as ledger_entry_id,
  e.program_id, e.rule_set_id, e.rule_version, e.referral_id, e.advocate_id, e.referee_id, e.beneficiary_id,
  e.beneficiary_role, e.reward_line, e.order_id, e.tier, e.entry_type, e.amount_minor, e.held_delta_minor, e.approved_delta_minor,
  ${d.stringLiteral(cur)} as currency, e.reward_kind, e.reason_code, e.reason, e.decided_at,
  ${d.toDate('e.decided_at')} as effective_at, ${asOfDate} as as_of
from entries e
where ${decided('e.decided_at')}
`;
  },
});
