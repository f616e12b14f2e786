/**
 * SQL building blocks of the ROI marts, each a `select` with (program_id, month, ...) keys. Months are dates
 * (first of the month, UTC). Money is summed as integers; ratios are computed once, in the mart.
 */
import type { ModelContext } from '../../../src/models/define-model.js';
import { attributionConfig, ruleVersion } from '../attribution/config-schema.js';
import type { RoiConfig } from './config-schema.js';

/** Ledger entry types that change what a reward costs (approvals and payouts only move it between balances). */
export const COST_ENTRY_TYPES = ['accrued', 'capped', 'voided', 'clawed_back'] as const;

export const monthOf = (ctx: ModelContext, expr: string): string => ctx.d.cast(ctx.d.dateTrunc('month', expr), 'date');

/** The current attribution rule version, as a SQL literal. */
export const currentRuleVersionSql = (ctx: ModelContext): string =>
  ctx.d.stringLiteral(ruleVersion(attributionConfig(ctx.config).ruleSet));

const costTypes = (ctx: ModelContext) => COST_ENTRY_TYPES.map((t) => ctx.d.stringLiteral(t)).join(', ');

/** program_id, month, cost_cash_minor, cost_non_cash_minor: reward cost by effective month (accrued - capped - voided - clawed back). */
export function rewardCostSql(ctx: ModelContext): string {
  return `select program_id, ${monthOf(ctx, 'effective_at')} as month,
    cast(sum(case when reward_kind = 'cash' then amount_minor else 0 end) as bigint) as cost_cash_minor,
    cast(sum(case when reward_kind = 'cash' then 0 else amount_minor end) as bigint) as cost_non_cash_minor
  from ${ctx.ref('reward_ledger')}
  where entry_type in (${costTypes(ctx)})
  group by 1, 2`;
}

/** program_id, advocate_id, cost_cash_minor, cost_non_cash_minor: all reward cost caused by an advocate's referrals. */
export function advocateCostSql(ctx: ModelContext): string {
  return `select program_id, advocate_id,
    cast(sum(case when reward_kind = 'cash' then amount_minor else 0 end) as bigint) as cost_cash_minor,
    cast(sum(case when reward_kind = 'cash' then 0 else amount_minor end) as bigint) as cost_non_cash_minor
  from ${ctx.ref('reward_ledger')}
  where entry_type in (${costTypes(ctx)}) and advocate_id is not null
  group by 1, 2`;
}

/**
 * program_id, month, channel_group, customers: customers acquired by each channel group (roi.paidAcquisition).
 * `customers` is fractional under an attribution model (its credit on first orders).
 */
export function acquisitionSql(ctx: ModelContext, cfg: RoiConfig): string {
  const { d, ref } = ctx;
  if (cfg.paidAcquisition === 'signup_last_touch') {
    return `select program_id, month, channel_group, ${d.cast('count(*)', 'float64')} as customers from (
      select c.program_id, ${monthOf(ctx, 'c.created_at')} as month, t.channel_group,
        row_number() over (partition by c.customer_id order by t.occurred_at desc, t.touch_id desc) as rn
      from ${ref('stg_customers')} c
      join ${ref('stg_touches')} t on t.person_id = c.person_id and t.occurred_at <= c.created_at
      where not c.is_referred
    ) x where rn = 1 group by 1, 2, 3`;
  }
  return `select ac.program_id, ${monthOf(ctx, 'ac.conversion_date')} as month, ac.channel as channel_group,
      sum(ac.credit) as customers
    from ${ref('attribution_credit')} ac
    join ${ref('attribution_conversions')} cv on cv.order_id = ac.order_id and cv.person_order_seq = 1
    where ac.rule_version = ${currentRuleVersionSql(ctx)} and ac.model = ${d.stringLiteral(cfg.paidAcquisition)}
    group by 1, 2, 3`;
}

/**
 * program_id, month, channel_group, spend_minor, customers: per paid channel group (every channel group in
 * stg_marketing_spend but the referral channel) its spend and the customers it acquired (acquisitionSql). Spend
 * landed for program 'all' is shared among programs in proportion to the customers each acquired through that
 * channel group that month, rounded per cell (such spend in a month where the group acquired nobody has no
 * program to go to and is left out).
 */
export function paidChannelSql(ctx: ModelContext, cfg: RoiConfig): string {
  const { d } = ctx;
  const referral = d.stringLiteral(cfg.referralChannel);
  return `with spend as (
    select program_id, month, channel_group, sum(spend_minor) as spend_minor
    from ${ctx.ref('stg_marketing_spend')} where channel_group <> ${referral} group by 1, 2, 3
  ),
  acquired as (${acquisitionSql(ctx, cfg)}),
  acquired_total as (select month, channel_group, sum(customers) as customers from acquired group by 1, 2),
  cells as (
    select program_id, month, channel_group from spend where program_id <> 'all'
    union distinct
    select program_id, month, channel_group from acquired
    where channel_group in (select channel_group from spend)
  )
  select k.program_id, k.month, k.channel_group,
    -- Program spend stays an integer; only the allocated share of 'all' spend is a (rounded) estimate.
    ${d.cast('coalesce(sp.spend_minor, 0)', 'int64')}
      + ${d.cast('round(coalesce(sa.spend_minor * a.customers / t.customers, 0))', 'int64')} as spend_minor,
    coalesce(a.customers, 0) as customers
  from cells k
  left join acquired a on a.program_id = k.program_id and a.month = k.month and a.channel_group = k.channel_group
  left join acquired_total t on t.customers > 0 and t.month = k.month and t.channel_group = k.channel_group
  left join spend sp on sp.program_id = k.program_id and sp.month = k.month and sp.channel_group = k.channel_group
  left join spend sa on sa.program_id = 'all' and sa.month = k.month and sa.channel_group = k.channel_group`;
}

/** program_id, month, paid_spend_minor, paid_customers: paidChannelSql summed over the paid channel groups. */
export function paidSpendSql(ctx: ModelContext, cfg: RoiConfig): string {
  return `select program_id, month, ${ctx.d.cast('sum(spend_minor)', 'int64')} as paid_spend_minor,
    sum(customers) as paid_customers
  from (${paidChannelSql(ctx, cfg)}) c group by 1, 2`;
}
