import { defineModel } from '../../../src/models/define-model.js';
import { judgedRewardsCtes } from '../../rewards/judged-rewards-sql.js';
import { entrySelects } from '../../rewards/ledger-entries-sql.js';
import { appendPayoutEntries } from '../../rewards/payout-entries.js';
import { readRuleSets } from '../../rewards/rule-versions.js';
import { assertRuleReferences, moneySql } from '../../rewards/rules-sql.js';
import { rewardsConfig } from './config-schema.js';

export const REWARD_LEDGER_TABLE = 'reward_ledger';

/**
 * The reward ledger: every reward decision as an append-only entry. A referral is judged by the rule set
 * version in effect on the day it qualified (UTC): sign-up time for `signup` rules, stg_referrals.converted_at
 * otherwise. Rule sets are config `rewards.ruleSets` plus versions promoted into the operational table
 * reward_rule_versions (models/rewards/rule-versions.ts): a promoted version applies from its effectiveFrom and
 * never changes the decisions for referrals that qualified earlier.
 *
 * Entry types and the names: `accrued` = accrual; `capped` = adjustment (what a cap removed);
 * `approved` = approval; `held` = a zero-amount note that the approval waits for review; `voided` = void;
 * `clawed_back` = clawback; `payout` = payout.
 *
 * Life of one reward (per rule set, referral and beneficiary): `accrued` at qualification for the rule's amount;
 * `capped` (negative) for what each cap removed; then `approved` at qualification + holding days. Review
 * (review_queue): a referral queued by the end of its holding period is approved only when a reviewer approves it
 * (`held` / held_for_review at the end of holding, then `approved` / review_approved at the decision); a pending
 * referral stays held. The first of a refund or chargeback inside the clawback window and a reviewer's rejection
 * (reason fraud_rejected, any time) ends the reward: before approval it is `voided`, after it `clawed_back`. A
 * referral queued after its approval keeps it (a later rejection claws it back). Churn (rule set
 * churnClawbackDays: no other paid order of the referee within N days) reverses it on day N. The first of these
 * events decides; a partial refund under partialRefunds 'proportional' reverses only the refunded share (the
 * rest is approved or kept). A reversal after the window changes nothing. Refund or chargeback with no timestamp
 * counts as at qualification. Approvals, voids and clawbacks are only written for an amount above zero.
 *
 * Qualification: purchase / purchase_min (first paid order), signup, activation and trial_converted
 * (stg_referral_events event_type 'activated' / 'trial_converted'). Recurring rule sets add a `recurring` reward
 * line per later paid month of the referee; frequencyLimit cuts whole advocate rewards beyond K per calendar
 * month or year (`capped`, reason frequency_limit) before the caps.
 *
 * Tiers (rule set `tiers`) multiply the advocate's reward by the tier reached with the referral being judged;
 * milestones (rule set `milestones`) add a one-off advocate reward (`reward_line` milestone) when the advocate's
 * count of approved referrals reaches one: both are described in config-schema.ts.
 *
 * Payouts (rule set `payoutSchedule`, `minPayoutMinor`; models/rewards/payout-schedule.ts): on each payout date up
 * to as-of, one `payout` entry (reward_line payout, no referral) per beneficiary and rule set whose approved
 * unpaid cash balance is at least the threshold, paying all of it; batch = program, currency and date. A
 * clawback after a payout makes the balance negative and is deducted from the next payout. Non-cash rewards are
 * never paid out: they stay approved at their cash equivalent.
 *
 * Balances: held = sum(held_delta_minor), approved unpaid = sum(approved_delta_minor), paid = sum(paid_delta_minor);
 * an approval moves money from held to approved and a payout from approved to paid, so the total owed is held
 * plus approved, and held + approved + paid = sum(amount_minor) over accruals, caps, voids and clawbacks.
 *
 * As of: only what was decided before the cutoff exists: `rewards.asOf` (a date, inclusive through its end, UTC),
 * default the data's latest timestamp (orders, refunds, chargebacks, sign-ups, activation and trial events), never
 * the wall clock, so a rerun on the same inputs gives the identical ledger. Review decisions: with an explicit
 * `rewards.asOf` one after it is pending; with the default as-of one recorded later takes effect at the data's end.
 */
export const rewardLedger = defineModel({
  name: REWARD_LEDGER_TABLE,
  grain: 'one row per reward decision (rule set, referral, beneficiary, reward line, entry type, reason) or payout',
  dependsOn: ['stg_referrals', 'stg_orders', 'stg_referral_events', 'review_queue'],
  columns: {
    ledger_entry_id:
      'stable hash of rule set, version, referral, beneficiary role, reward line, order, entry type, reason code (payouts: batch, rule set, beneficiary)',
    program_id: 'referral program',
    rule_set_id: 'reward rule set (config rewards.ruleSets[].id)',
    rule_version: 'the version in effect when the referral qualified (payouts: the version governing the payout date)',
    referral_id: 'stg_referrals.referral_id (NULL for payouts)',
    advocate_id: 'the referring customer',
    referee_id: 'the referred customer',
    beneficiary_id: 'who receives this reward (advocate_id or referee_id)',
    beneficiary_role: 'advocate | referee',
    reward_line:
      "referral (the referral's own reward) | recurring (a later paid month of the referee) | milestone (an advocate milestone this referral reached) | payout",
    order_id: 'the qualifying order (recurring: the order of that month; NULL for signup/activation rules and payouts)',
    tier: "the advocate's tier when the referral qualified (rule set tiers), NULL without tiers or for referees",
    entry_type: 'accrued | capped | held | approved | voided | clawed_back | payout',
    amount_minor:
      'signed amount of the decision (capped, voided and clawed_back negative; held 0; payout positive), reporting currency',
    held_delta_minor: 'change in the held (in holding period or in review) balance',
    approved_delta_minor: 'change in the approved, unpaid balance (a payout lowers it)',
    paid_delta_minor: 'change in the paid balance (payout entries only)',
    currency: 'the reporting currency',
    reward_kind: 'cash | non_cash (non-cash at its cash equivalent; never paid out)',
    reason_code:
      'machine-readable reason, e.g. qualified_purchase, recurring_payment, cap_advocate_month, frequency_limit, refund_in_window, partial_refund_in_window, churn, held_for_review, review_approved, fraud_rejected, scheduled_payout',
    reason: 'the decision in words a support agent can read to an advocate',
    decided_at: 'the instant of the event that made the decision (qualification, end of holding, refund, payout date)',
    effective_at: 'date (UTC) of decided_at: the accounting date of the entry',
    as_of: 'the date the ledger is computed as of (rewards.asOf or the date of the latest data timestamp)',
    payout_batch_id: 'payout-<program>-<currency>-<date> for payout entries, else NULL',
    commission_base_minor:
      "the qualifying order's commission base (gross - discount - tax, reporting currency) used by the rule; NULL without an order",
    tier_referrals: "successful referrals in the tier window that set the advocate's tier (advocate rows with tiers)",
    qualified_at: 'when the referral qualified (NULL for payouts)',
    clawback_window_end: 'qualified_at + clawback days: a refund or chargeback until then claws back (referral lines)',
    review_status: 'review_queue status as of the ledger (pending | approved | rejected), NULL when not queued',
  },
  async build({ wh, d, config, ref, self }) {
    const rewards = rewardsConfig(config);
    const ruleSets = await readRuleSets(wh, config);
    assertRuleReferences(ruleSets, config);
    const cur = config.reportingCurrency;
    const bounds = `(select max(t) from (
      select max(ordered_at) as t from ${ref('stg_orders')} union all
      select max(refunded_at) from ${ref('stg_orders')} union all
      select max(chargeback_at) from ${ref('stg_orders')} union all
      select max(signed_up_at) from ${ref('stg_referrals')} union all
      select max(occurred_at) from ${ref('stg_referral_events')}
        where event_type in ('activated', 'trial_converted')) b)`;
    const asOfDate = rewards.asOf ? d.cast(d.stringLiteral(rewards.asOf), 'date') : d.toDate(bounds);
    const decided = rewards.asOf
      ? (x: string) => `${x} < ${d.dateAdd('day', '1', d.cast(d.stringLiteral(rewards.asOf!), 'timestamp'))}`
      : (x: string) => `${x} <= ${bounds}`;
    const ctes = judgedRewardsCtes({
      d,
      config,
      ruleSets,
      referrals: ref('stg_referrals'),
      orders: ref('stg_orders'),
      events: ref('stg_referral_events'),
      decided,
    });
    const m = (expr: string) => moneySql(d, expr, cur);
    const day = (expr: string) => d.cast(d.toDate(expr), 'string');
    const entries = entrySelects(d, m, day);
    // Review decisions are recorded in real time, usually after the data's latest timestamp: with the default
    // as-of (the data's end) a decision recorded later takes effect at that end, so deciding a review and
    // rerunning changes the ledger. With an explicit rewards.asOf the cutoff is strict: a later decision is pending.
    const reviewAt = rewards.asOf
      ? 'q.decided_at'
      : `case when q.decided_at > ${bounds} then ${bounds} else q.decided_at end`;
    const earliest = (a: string, b: string) => `case when ${a} is null then ${b} when ${b} is null then ${a}
      when ${b} < ${a} then ${b} else ${a} end`;
    await wh.exec(
      d.createTableAs(
        self,
        `
with ${ctes},
timeline as (
  select c.*,
    c.year_granted_minor - c.granted_minor as cut_budget_minor,
    c.base_reporting_minor as commission_base_minor,
    ${d.dateAdd('day', 'c.holding_days', 'c.qualified_at')} as approve_at
  from capped c
),
reviewed as (
  select t.*, q.queue_reasons, q.queued_at, ${reviewAt} as review_at,
    case when q.referral_id is null or q.queued_at is null or not (${decided('q.queued_at')}) then null
      when q.status in ('approved', 'rejected') and q.decided_at is not null and ${decided(reviewAt)}
        then q.status
      else 'pending' end as review_status
  from timeline t
  left join ${ref('review_queue')} q on q.referral_id = t.referral_id
),
gated as (
  select r.*,
    coalesce(r.review_status is not null and r.queued_at <= r.approve_at, false) as is_gated,
    case when r.reversed_at <= r.window_end then r.reversed_at end as reversal_at,
    case when r.review_status = 'rejected' then r.review_at end as reject_at
  from reviewed r
),
timed as (
  select g.*,
    case when not g.is_gated then g.approve_at
      when g.review_status = 'approved' then greatest(g.approve_at, g.review_at) end as approval_at,
    ${earliest(earliest('g.reversal_at', 'g.reject_at'), 'g.churn_at')} as kill_at,
    case when g.reversal_at is null and g.reject_at is null and g.churn_at is null then null
      when g.reject_at is not null and (g.reversal_at is null or g.reject_at < g.reversal_at)
        and (g.churn_at is null or g.reject_at <= g.churn_at) then 'fraud_rejected'
      when g.reversal_at is not null and (g.churn_at is null or g.reversal_at <= g.churn_at) then g.reversal_kind
      else 'churn' end as kill_kind
  from gated g
),
killed as (
  select t.*,
    case when t.kill_at is null then 0
      when t.kill_kind = 'refund' and t.partial_refunds = 'proportional' and t.refunded_minor < t.paid_minor
        then ${d.cast(d.floorDiv('2 * t.granted_minor * t.refunded_minor + t.paid_minor', '2 * t.paid_minor'), 'int64')}
      else t.granted_minor end as kill_minor
  from timed t
),
decisions as (
  select k.*,
    coalesce(k.is_gated and k.review_status = 'approved' and k.review_at > k.approve_at, false) as released_by_review,
    coalesce(k.kill_at is not null and (k.approval_at is null or k.kill_at <= k.approval_at), false) as is_voided,
    coalesce(k.approval_at is not null and k.kill_at > k.approval_at, false) as is_clawed_back,
    k.granted_minor - case when k.kill_at is not null and (k.approval_at is null or k.kill_at <= k.approval_at)
      then k.kill_minor else 0 end as approved_minor,
    coalesce(k.is_gated and (k.review_status = 'pending' or k.review_at > k.approve_at)
      and (k.kill_at is null or k.kill_at > k.approve_at or k.kill_minor < k.granted_minor), false) as is_held_for_review
  from killed k
),
milestone_rows as (
  select program_id, rule_set_id, rule_version, referral_id, advocate_id, referee_id, advocate_id as beneficiary_id,
    'advocate' as beneficiary_role, order_id, reward_kind, ${d.cast('null', 'string')} as tier_name,
    milestone_referrals, milestone_minor, approve_at, reward_label,
    ${d.cast('null', 'int64')} as commission_base_minor, ${d.cast('null', 'int64')} as tier_referrals, qualified_at,
    ${d.cast('null', 'timestamp')} as window_end, ${d.cast('null', 'string')} as review_status, 0 as occurrence
  from milestones
),
entries as (
${entries.join('\nunion all\n')}
)
select
  ${d.hashId(['e.rule_set_id', 'e.rule_version', 'e.referral_id', 'e.beneficiary_role', 'e.reward_line', 'e.order_id', 'e.entry_type', 'e.reason_code'])}
    as ledger_entry_id,
  e.program_id, e.rule_set_id, e.rule_version, e.referral_id, e.advocate_id, e.referee_id, e.beneficiary_id,
  e.beneficiary_role, e.reward_line, e.order_id, e.tier, e.entry_type, e.amount_minor, e.held_delta_minor, e.approved_delta_minor,
  ${d.cast('0', 'int64')} as paid_delta_minor,
  ${d.stringLiteral(cur)} as currency, e.reward_kind, e.reason_code, e.reason, e.decided_at,
  ${d.toDate('e.decided_at')} as effective_at, ${asOfDate} as as_of, ${d.cast('null', 'string')} as payout_batch_id,
  ${d.cast('e.commission_base_minor', 'int64')} as commission_base_minor,
  ${d.cast('e.tier_referrals', 'int64')} as tier_referrals, e.qualified_at, e.clawback_window_end, e.review_status
from entries e
where ${decided('e.decided_at')}
`,
      ),
    );
    await appendPayoutEntries({
      wh,
      schema: config.schemas.analytics,
      table: REWARD_LEDGER_TABLE,
      ruleSets,
      currency: cur,
    });
  },
});
