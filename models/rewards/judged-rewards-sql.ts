/**
 * The reward each beneficiary of each qualifying referral is owed under each rule set, before holding and
 * reversals: the rule version in effect when the referral qualified, the rule's amount, and what the caps cut.
 * Used by reward_ledger; a CTE chain, so it stays one statement the engine plans as a whole.
 */
import type { RefstackConfig } from '../../src/config.js';
import type { SqlDialect } from '../../src/warehouse/dialect.js';
import { fxFactorsSql } from '../staging/fx.js';
import type { RewardRuleSet } from '../marts/rewards/config-schema.js';
import { ruleMilestonesSql, ruleRewardsSql, ruleTiersSql, ruleVersionsSql } from './rules-sql.js';

export interface JudgedRewardsInput {
  d: SqlDialect;
  config: RefstackConfig;
  ruleSets: RewardRuleSet[];
  referrals: string;
  orders: string;
  /** stg_referral_events: the 'activated' and 'trial_converted' events of referees. */
  events: string;
  /** The as-of predicate: SQL that is true when the timestamp expression was decided by the as-of cutoff. */
  decided: (timestamp: string) => string;
}

/**
 * CTEs (without the leading `with`). `capped`: one row per rule set, referral, occurrence and beneficiary
 * (occurrence 0 = the referral's own reward; k >= 1 = a recurring repeat in the k-th calendar month after
 * qualification, advocate only), with `churn_at` (when a churn rule reverses it), `cut_freq_minor` (what the
 * frequency limit removed, before the caps), and
 * `rule_amount_minor` (what the rule gives, tier multiplier included), `cut_month_minor`, `cut_year_minor` (what
 * those caps removed), `year_granted_minor` and `granted_minor` (what is left after the budget), all in
 * reporting-currency minor units. `milestones`: one row per referral whose approval makes its advocate's count
 * of approved referrals under the rule set equal to a milestone of that referral's rule version.
 *
 * Caps run in qualification order (qualified_at, then referral_id, then role: advocate before referee), month
 * first, then year, then budget. With one cap and running raw total S_i, the running granted total is
 * min(cap, S_i), so entry i gets min(cap, S_i) - min(cap, S_i - a_i): a window sum, no loop. Nesting the caps is
 * exact because a month lies inside a year and once the year cap (or budget) binds every later grant is 0. Cap
 * partitions include the rule version, so a new version starts its caps afresh. A later refund does not free
 * cap room: that would rewrite decisions already made for later referrals.
 */
export function judgedRewardsCtes(input: JudgedRewardsInput): string {
  const { d, config, ruleSets, referrals, orders, events, decided } = input;
  const toReporting = (amount: string, factor: string) =>
    d.cast(`round(${d.cast(amount, 'decimal')} * ${factor})`, 'int64');
  const capped = (cap: string, amount: string, partition: string, order: string) => `
    case when ${cap} is null then ${amount} else ${d.cast(
      `
      least(${cap}, sum(${amount}) over (partition by ${partition} order by ${order} rows between unbounded preceding and current row))
      - least(${cap}, sum(${amount}) over (partition by ${partition} order by ${order} rows between unbounded preceding and current row) - ${amount})`,
      'int64',
    )} end`;
  const seq = 'qualified_at, referral_id, occurrence, beneficiary_role';
  const paid = (o: string) => `${o}.status not in ('unpaid', 'canceled')`;
  // Columns of one judged reward occurrence; a recurring repeat replaces the order-specific ones (see repeats).
  const common = [
    'referral_id',
    'program_id',
    'advocate_id',
    'referee_id',
    'rule_set_id',
    'rule_version',
    'event_type',
    'effective_from',
    'effective_to',
    'min_reporting_minor',
    'holding_days',
    'clawback_days',
    'cap_month_minor',
    'cap_year_minor',
    'budget_minor',
    'tier_window_days',
    'partial_refunds',
    'churn_days',
    'freq_max',
    'freq_per',
    'recurring_months',
  ];
  const perOrder = [
    'qualified_at',
    'order_id',
    'order_status',
    'base_reporting_minor',
    'is_refunded',
    'refunded_at',
    'is_chargeback',
    'chargeback_at',
    'refunded_minor',
    'paid_minor',
  ];
  const approveAt = d.dateAdd('day', 'j.holding_days', 'j.qualified_at');
  // A refund and a chargeback on one order: the earlier decides (the refund on a tie); no time = at qualification.
  const refundFirst = `j.is_refunded and (not j.is_chargeback
    or coalesce(j.refunded_at, j.qualified_at) <= coalesce(j.chargeback_at, j.qualified_at))`;
  const perAdvocate = `rule_set_id, rule_version, beneficiary_role, beneficiary_id`;
  return `
fx as (${fxFactorsSql(d, config)}),
rule_versions as (
  select v.*, ${toReporting('v.min_minor', 'fx.factor')} as min_reporting_minor
  from (${ruleVersionsSql(d, ruleSets)}) v
  left join fx on fx.currency = v.min_currency
),
rule_rewards as (
  select w.*, ${toReporting('w.amount_minor', 'fx.factor')} as amount_reporting_minor
  from (${ruleRewardsSql(d, ruleSets)}) w
  left join fx on fx.currency = w.amount_currency
),
orders as (
  select o.order_id, o.customer_id, o.ordered_at, o.status, o.is_refunded, o.refunded_at, o.is_chargeback,
    o.chargeback_at, o.refunded_minor, o.gross_minor - o.discount_minor as paid_minor,
    -- The commission base as stg_orders converts it (the dated raw.fx_rates rate, else config fxRates), so an
    -- order in a currency with only landed rates is rewarded like any other, never silently left out.
    o.base_reporting_minor
  from ${orders} o
),
referee_events as (
  select e.referee_id, e.program_id, e.event_type, e.occurred_at, e.order_id
  from ${events} e
  where e.event_type in ('activated', 'trial_converted') and e.referee_id is not null
  ${d.qualify('row_number() over (partition by e.referee_id, e.program_id, e.event_type order by e.occurred_at, e.event_id) = 1', true)}
),
referral_inputs as (
  select r.*, act.occurred_at as activated_at, tr.occurred_at as trial_converted_at, tr.order_id as trial_order_id
  from ${referrals} r
  left join referee_events act on act.referee_id = r.referee_id and act.program_id = r.program_id
    and act.event_type = 'activated'
  left join referee_events tr on tr.referee_id = r.referee_id and tr.program_id = r.program_id
    and tr.event_type = 'trial_converted'
),
candidates as (
  select r.referral_id, r.program_id, r.advocate_id, r.referee_id, v.rule_set_id, v.rule_version, v.event_type,
    v.effective_from, v.effective_to, v.min_reporting_minor, v.holding_days, v.clawback_days, v.cap_month_minor, v.cap_year_minor, v.budget_minor,
    v.tier_window_days, v.partial_refunds, v.churn_days, v.freq_max, v.freq_per, v.recurring_months,
    case v.event_type when 'signup' then r.signed_up_at when 'activation' then r.activated_at
      when 'trial_converted' then r.trial_converted_at else r.converted_at end as qualified_at,
    case when v.event_type in ('signup', 'activation') then null
      when v.event_type = 'trial_converted' then coalesce(r.trial_order_id, r.first_order_id)
      else r.first_order_id end as order_id
  from referral_inputs r
  join rule_versions v on v.program_id = r.program_id
  where not r.is_self_referral
),
candidate_orders as (
  select c.*, o.status as order_status, o.base_reporting_minor, o.is_refunded, o.refunded_at, o.is_chargeback,
    o.chargeback_at, o.refunded_minor, o.paid_minor
  from candidates c
  left join orders o on o.order_id = c.order_id
),
judged_once as (
  select c.*, 0 as occurrence from candidate_orders c
  where c.qualified_at is not null
    and ${decided('c.qualified_at')}
    and ${d.toDate('c.qualified_at')} >= c.effective_from
    and (c.effective_to is null or ${d.toDate('c.qualified_at')} < c.effective_to)
    and (c.event_type in ('signup', 'activation') or (c.order_id is not null and c.order_status not in ('unpaid', 'canceled')))
    and (c.event_type <> 'purchase_min' or c.base_reporting_minor >= c.min_reporting_minor)
  ${d.qualify('row_number() over (partition by c.referral_id, c.rule_set_id order by c.qualified_at, c.rule_version) = 1', true)}
),
repeats as (
  select ${common.map((x) => `j.${x}`).join(', ')}, o.ordered_at as qualified_at, o.order_id, o.status as order_status,
    o.base_reporting_minor, o.is_refunded, o.refunded_at, o.is_chargeback, o.chargeback_at, o.refunded_minor,
    o.paid_minor, ${d.dateDiff('month', 'j.qualified_at', 'o.ordered_at')} as occurrence
  from judged_once j
  join orders o on o.customer_id = j.referee_id and ${paid('o')} and o.order_id <> j.order_id
    and ${d.dateDiff('month', 'j.qualified_at', 'o.ordered_at')} between 1 and j.recurring_months - 1
  where j.recurring_months is not null and ${decided('o.ordered_at')}
  ${d.qualify(`row_number() over (partition by j.referral_id, j.rule_set_id, ${d.dateDiff('month', 'j.qualified_at', 'o.ordered_at')} order by o.ordered_at, o.order_id) = 1`, true)}
),
next_paid as (
  select j.referral_id, j.rule_set_id, min(o.ordered_at) as next_paid_at
  from judged_once j
  join orders o on o.customer_id = j.referee_id and ${paid('o')} and o.ordered_at > j.qualified_at
    and o.order_id <> coalesce(j.order_id, '')
  where j.churn_days is not null
  group by j.referral_id, j.rule_set_id
),
occurrences as (
  select ${[...common, ...perOrder, 'occurrence'].join(', ')} from judged_once
  union all
  select ${[...common, ...perOrder, 'occurrence'].join(', ')} from repeats
),
judged_all as (
  select j.*, ${d.dateAdd('day', 'j.clawback_days', 'j.qualified_at')} as window_end,
    case when j.order_id is null then null
      when ${refundFirst} then greatest(j.qualified_at, coalesce(j.refunded_at, j.qualified_at))
      when j.is_chargeback then greatest(j.qualified_at, coalesce(j.chargeback_at, j.qualified_at)) end as reversed_at,
    case when j.order_id is null then null when ${refundFirst} then 'refund'
      when j.is_chargeback then 'chargeback' end as reversal_kind,
    case when j.occurrence = 0 and j.churn_days is not null
      and (n.next_paid_at is null or n.next_paid_at > ${d.dateAdd('day', 'j.churn_days', 'j.qualified_at')})
      then ${d.dateAdd('day', 'j.churn_days', 'j.qualified_at')} end as churn_at
  from occurrences j
  left join next_paid n on n.referral_id = j.referral_id and n.rule_set_id = j.rule_set_id
),
judged as (select * from judged_all where occurrence = 0),
tiers as (${ruleTiersSql(d, ruleSets)}),
tier_counts as (
  select j.rule_set_id, j.referral_id, count(*) as tier_referrals
  from judged j
  join judged p on p.rule_set_id = j.rule_set_id and p.advocate_id = j.advocate_id
    and p.qualified_at > ${d.dateAdd('day', '-j.tier_window_days', 'j.qualified_at')}
    and (p.qualified_at < j.qualified_at or (p.qualified_at = j.qualified_at and p.referral_id <= j.referral_id))
    and not coalesce(p.reversed_at <= p.window_end and p.reversed_at <= j.qualified_at, false)
  where j.rule_set_id in (select rule_set_id from tiers)
  group by j.rule_set_id, j.referral_id
),
tiered as (
  select j.*, c.tier_referrals, t.tier_name, t.multiplier as tier_multiplier, t.multiplier_text as tier_multiplier_text
  from judged_all j
  left join tier_counts c on c.rule_set_id = j.rule_set_id and c.referral_id = j.referral_id
  left join tiers t on t.rule_set_id = j.rule_set_id and t.rule_version = j.rule_version
    and c.tier_referrals >= t.threshold and (t.next_threshold is null or c.tier_referrals < t.next_threshold)
),
rewarded_base as (
  select j.*, w.beneficiary_role, w.reward_type, w.reward_kind, w.reward_label,
    case when w.beneficiary_role = 'advocate' then j.advocate_id else j.referee_id end as beneficiary_id,
    case when w.reward_type = 'percent'
      then greatest(0, ${d.cast(`round(${d.cast('j.base_reporting_minor', 'decimal')} * w.percent_factor)`, 'int64')})
      else w.amount_reporting_minor end as base_amount_minor
  from tiered j
  join rule_rewards w on w.rule_set_id = j.rule_set_id and w.rule_version = j.rule_version
    and (j.occurrence = 0 or w.beneficiary_role = 'advocate')
),
rewarded as (
  select r.*, case when r.beneficiary_role = 'advocate' and r.tier_multiplier is not null
      then ${d.cast(`round(${d.cast('r.base_amount_minor', 'decimal')} * r.tier_multiplier)`, 'int64')}
      else r.base_amount_minor end as rule_amount_minor
  from rewarded_base r
),
eligible as (
  select r.*, ${d.dateTrunc('month', 'r.qualified_at')} as cap_month, ${d.dateTrunc('year', 'r.qualified_at')} as cap_year,
    case when r.freq_per = 'month' then ${d.dateTrunc('month', 'r.qualified_at')}
      else ${d.dateTrunc('year', 'r.qualified_at')} end as freq_period
  from rewarded r where r.beneficiary_id is not null
),
limited as (
  select e.*, case when e.beneficiary_role = 'advocate' and e.occurrence = 0 and e.freq_max is not null
      and row_number() over (partition by rule_set_id, rule_version, beneficiary_role, beneficiary_id, occurrence, freq_period
        order by ${seq}) > e.freq_max
    then e.rule_amount_minor else 0 end as cut_freq_minor
  from eligible e
),
after_month as (
  select e.*, case when e.beneficiary_role = 'advocate' then ${capped('e.cap_month_minor', '(e.rule_amount_minor - e.cut_freq_minor)', `${perAdvocate}, cap_month`, seq)}
    else e.rule_amount_minor end as month_granted_minor
  from limited e
),
after_year as (
  select m.*, case when m.beneficiary_role = 'advocate' then ${capped('m.cap_year_minor', 'm.month_granted_minor', `${perAdvocate}, cap_year`, seq)}
    else m.month_granted_minor end as year_granted_minor
  from after_month m
),
capped as (
  select y.*,
    ${capped('y.budget_minor', 'y.year_granted_minor', 'rule_set_id, rule_version', seq)} as granted_minor,
    y.rule_amount_minor - y.cut_freq_minor - y.month_granted_minor as cut_month_minor,
    y.month_granted_minor - y.year_granted_minor as cut_year_minor
  from after_year y
),
rule_milestones as (
  select ms.*, ${toReporting('ms.amount_minor', 'fx.factor')} as amount_reporting_minor
  from (${ruleMilestonesSql(d, ruleSets)}) ms
  left join fx on fx.currency = ms.amount_currency
),
approved_referrals as (
  select j.*, ${approveAt} as approve_at,
    row_number() over (partition by j.rule_set_id, j.advocate_id order by ${approveAt}, j.referral_id) as approved_n
  from judged j
  where j.advocate_id is not null
    and not coalesce(j.reversed_at <= j.window_end and j.reversed_at <= ${approveAt}, false)
),
milestones as (
  select a.*, m.milestone_referrals, m.reward_kind, m.amount_reporting_minor as milestone_minor, m.reward_label
  from approved_referrals a
  join rule_milestones m on m.rule_set_id = a.rule_set_id and m.rule_version = a.rule_version
    and m.milestone_referrals = a.approved_n
)`;
}
