import { defineModel } from '../../../src/models/define-model.js';
import { roiConfig } from './config-schema.js';
import { monthOf, paidChannelSql, rewardCostSql } from './roi-sql.js';

/**
 * Customer acquisition cost per channel group, the referral program beside the paid channels, per month and
 * program: paid rows are spend / customers acquired (`roi.paidAcquisition`, see config-schema.ts; spend landed
 * for 'all' programs shared by acquired customers); the referral row is the reward cost booked in the month
 * (reward_ledger: accrued, capped, voided, clawed back; cash and non-cash) over the referees whose first order
 * fell in it. Paid rows summed per month and program give program_roi's paid_spend_minor and paid_customers.
 */
export const channelCac = defineModel({
  name: 'channel_cac',
  grain: 'one row per month, program and channel group (the referral channel and each paid channel group)',
  dependsOn: [
    'stg_marketing_spend',
    'stg_customers',
    'stg_touches',
    'attribution_credit',
    'attribution_conversions',
    'reward_ledger',
    'stg_referrals',
  ],
  columns: {
    month: 'first day of the calendar month (UTC)',
    program_id: 'referral program',
    channel_group: 'a paid channel group of stg_marketing_spend, or the referral channel (roi.referralChannel)',
    kind: 'paid | referral',
    cost_minor: 'paid: spend (with the share of spend landed for all programs); referral: reward cost',
    customers:
      'paid: customers the group acquired (fractional under an attribution model); referral: referred customers',
    cac_minor: 'cost_minor / customers, rounded; NULL without customers, and for paid rows without spend',
    currency: 'reporting currency of the *_minor columns',
    paid_acquisition: 'roi.paidAcquisition used for paid customers',
  },
  build(ctx) {
    const { d, ref, config } = ctx;
    const cfg = roiConfig(config);
    const lit = d.stringLiteral;
    return `
with paid as (${paidChannelSql(ctx, cfg)}),
reward_cost as (${rewardCostSql(ctx)}),
referred as (
  select program_id, ${monthOf(ctx, 'converted_at')} as month, count(*) as customers
  from ${ref('stg_referrals')} where is_converted and not coalesce(is_self_referral, false) group by 1, 2
),
referral as (
  select coalesce(c.program_id, r.program_id) as program_id, coalesce(c.month, r.month) as month,
    coalesce(c.cost_cash_minor, 0) + coalesce(c.cost_non_cash_minor, 0) as cost_minor,
    ${d.cast('coalesce(r.customers, 0)', 'float64')} as customers
  from reward_cost c full outer join referred r on r.program_id = c.program_id and r.month = c.month
),
rows_ as (
  select program_id, month, channel_group, 'paid' as kind, spend_minor as cost_minor, customers from paid
  union all
  select program_id, month, ${lit(cfg.referralChannel)} as channel_group, 'referral' as kind, cost_minor, customers
  from referral
)
select month, program_id, channel_group, kind, cost_minor, customers,
  case when customers > 0 and (kind = 'referral' or cost_minor > 0) then ${d.cast('round(cost_minor / customers)', 'int64')} end as cac_minor,
  ${lit(config.reportingCurrency)} as currency, ${lit(cfg.paidAcquisition)} as paid_acquisition
from rows_
`;
  },
});
