import { defineModel } from '../../../src/models/define-model.js';
import { roiConfig } from './config-schema.js';
import { monthOf, paidSpendSql, rewardCostSql } from './roi-sql.js';

/**
 * What the referral program costs and brings per month and program, against paid channels.
 *
 * - Referral revenue: the 'Referral Program' revenue credit of `roi.attributionModel` (attribution_summary,
 *   current rule version), by conversion month.
 * - Reward cost: reward_ledger amounts of accrued, capped, voided and clawed_back entries (approvals and payouts
 *   only move money between balances) by effective month; cash and non-cash (at its cash equivalent) apart.
 * - Referral CAC = reward cost / referred customers (referees whose first order fell in the month). Paid CAC =
 *   paid spend / customers acquired by the paid channel groups (`roi.paidAcquisition`, config-schema.ts).
 * - roi = (referral revenue - reward cost) / reward cost (attributed revenue, realised); ltv_roi = (predicted LTV
 *   of the month's referred customers - reward cost) / reward cost (customer_ltv: expected future value over
 *   ltv.horizon, not what they already spent). Both NULL unless the cost is positive.
 * - payback_months: months after the conversion month (0 = the same month) until the cumulative net revenue of all
 *   orders of the month's referred customers reaches the month's reward cost; NULL when not yet reached or no cost.
 * - k_factor and referral_velocity: referral_growth's values for the program's sign-up cohort of the month.
 */
export const programRoi = defineModel({
  name: 'program_roi',
  grain: 'one row per month and program with referral, reward or paid-channel activity',
  dependsOn: [
    'attribution_summary',
    'attribution_credit',
    'attribution_conversions',
    'reward_ledger',
    'stg_referrals',
    'stg_referral_events',
    'stg_customers',
    'stg_touches',
    'stg_orders',
    'stg_marketing_spend',
    'customer_ltv',
    'referral_growth',
  ],
  columns: {
    month: 'first day of the calendar month (UTC)',
    program_id: 'referral program',
    currency: 'reporting currency of the *_minor columns',
    referred_customers: 'referees (not self-referrals) whose first order fell in the month',
    conversions: 'referred sign-ups in the month (invitations that converted into customers signing up)',
    invites: "'invited' referral events in the month",
    referral_revenue_minor: 'revenue credited to the referral channel by roi.attributionModel (conversion month)',
    predicted_ltv_minor: "sum of customer_ltv.predicted_clv_minor of the month's referred customers",
    reward_cost_cash_minor: 'cash reward cost booked in the month (accrued - capped - voided - clawed back)',
    reward_cost_non_cash_minor: 'non-cash reward cost booked in the month, at cash equivalent',
    reward_cost_minor: 'cash + non-cash reward cost',
    referral_cac_minor: 'reward_cost_minor / referred_customers, rounded; NULL without referred customers',
    paid_spend_minor: "spend on paid channel groups (incl. the program's share of spend landed for 'all')",
    paid_customers: 'customers acquired by those channel groups (roi.paidAcquisition; fractional under a model)',
    paid_cac_minor: 'paid_spend_minor / paid_customers, rounded; NULL without spend or without paid customers',
    roi: '(referral_revenue_minor - reward_cost_minor) / reward_cost_minor; NULL unless the cost is positive',
    ltv_roi: '(predicted_ltv_minor - reward_cost_minor) / reward_cost_minor; NULL unless the cost is positive',
    payback_months: "months from the conversion month until the referred customers' revenue covers the cost",
    k_factor: "referral_growth.k_factor of the month's sign-up cohort",
    referral_velocity: "referral_growth.referral_velocity of the month's sign-up cohort",
    attribution_model: 'roi.attributionModel used for referral_revenue_minor',
    paid_acquisition: 'roi.paidAcquisition used for paid_customers',
  },
  build(ctx) {
    const { d, ref, config } = ctx;
    const cfg = roiConfig(config);
    const lit = d.stringLiteral;
    const referred = `select r.*, ${monthOf(ctx, 'r.converted_at')} as conv_month
      from ${ref('stg_referrals')} r where r.is_converted and not coalesce(r.is_self_referral, false)`;
    const paidOrders = `select customer_id, ordered_at, net_reporting_minor from ${ref('stg_orders')}
      where status not in ('unpaid', 'canceled')`;
    return `
with reward_cost as (${rewardCostSql(ctx)}),
customers as (select program_id, conv_month as month, count(*) as referred_customers from (${referred}) r group by 1, 2),
signups as (
  select program_id, ${monthOf(ctx, 'signed_up_at')} as month, count(*) as conversions
  from ${ref('stg_referrals')} where signed_up_at is not null and not coalesce(is_self_referral, false) group by 1, 2
),
invites as (
  select program_id, ${monthOf(ctx, 'occurred_at')} as month, count(*) as invites
  from ${ref('stg_referral_events')} where event_type = 'invited' group by 1, 2
),
revenue as (
  select program_id, ${d.cast('month', 'date')} as month, cast(sum(revenue_minor) as bigint) as referral_revenue_minor
  from ${ref('attribution_summary')}
  where model = ${lit(cfg.attributionModel)} and channel = ${lit(cfg.referralChannel)} group by 1, 2
),
ltv as (
  select r.program_id, r.conv_month as month, cast(sum(l.predicted_clv_minor) as bigint) as predicted_ltv_minor
  from (${referred}) r
  join ${ref('stg_customers')} c on c.customer_id = r.referee_id
  join ${ref('customer_ltv')} l on l.person_id = c.person_id
  group by 1, 2
),
paid as (${paidSpendSql(ctx, cfg)}),
growth as (
  select program_id, ${d.cast('cohort_month', 'date')} as month, k_factor, referral_velocity from ${ref('referral_growth')}
),
cohort_revenue as (
  select r.program_id, r.conv_month as month,
    ${d.dateDiff('month', 'r.conv_month', monthOf(ctx, 'o.ordered_at'))} as offset_months,
    sum(o.net_reporting_minor) as revenue_minor
  from (${referred}) r join (${paidOrders}) o on o.customer_id = r.referee_id and o.ordered_at >= r.converted_at
  group by 1, 2, 3
),
payback as (
  select c.program_id, c.month, min(c.offset_months) as payback_months
  from (
    select program_id, month, offset_months,
      sum(revenue_minor) over (partition by program_id, month order by offset_months rows between unbounded preceding and current row) as cumulative_minor
    from cohort_revenue
  ) c
  join reward_cost k on k.program_id = c.program_id and k.month = c.month
  where k.cost_cash_minor + k.cost_non_cash_minor > 0 and c.cumulative_minor >= k.cost_cash_minor + k.cost_non_cash_minor
  group by 1, 2
),
keys as (
  select program_id, month from reward_cost union distinct select program_id, month from customers
  union distinct select program_id, month from signups union distinct select program_id, month from invites
  union distinct select program_id, month from revenue union distinct select program_id, month from paid
),
joined as (
  select k.month, k.program_id,
    coalesce(cu.referred_customers, 0) as referred_customers,
    coalesce(s.conversions, 0) as conversions,
    coalesce(i.invites, 0) as invites,
    coalesce(rv.referral_revenue_minor, 0) as referral_revenue_minor,
    coalesce(l.predicted_ltv_minor, 0) as predicted_ltv_minor,
    coalesce(c.cost_cash_minor, 0) as reward_cost_cash_minor,
    coalesce(c.cost_non_cash_minor, 0) as reward_cost_non_cash_minor,
    coalesce(c.cost_cash_minor, 0) + coalesce(c.cost_non_cash_minor, 0) as reward_cost_minor,
    coalesce(p.paid_spend_minor, 0) as paid_spend_minor,
    coalesce(p.paid_customers, 0) as paid_customers,
    pb.payback_months, g.k_factor, g.referral_velocity
  from keys k
  left join reward_cost c on c.program_id = k.program_id and c.month = k.month
  left join customers cu on cu.program_id = k.program_id and cu.month = k.month
  left join signups s on s.program_id = k.program_id and s.month = k.month
  left join invites i on i.program_id = k.program_id and i.month = k.month
  left join revenue rv on rv.program_id = k.program_id and rv.month = k.month
  left join ltv l on l.program_id = k.program_id and l.month = k.month
  left join paid p on p.program_id = k.program_id and p.month = k.month
  left join payback pb on pb.program_id = k.program_id and pb.month = k.month
  left join growth g on g.program_id = k.program_id and g.month = k.month
)
select month, program_id, ${lit(config.reportingCurrency)} as currency,
  referred_customers, conversions, invites, referral_revenue_minor, predicted_ltv_minor,
  reward_cost_cash_minor, reward_cost_non_cash_minor, reward_cost_minor,
  case when referred_customers > 0 then ${d.cast(`round(${d.cast('reward_cost_minor', 'float64')} / referred_customers)`, 'int64')} end
    as referral_cac_minor,
  paid_spend_minor, paid_customers,
  case when paid_spend_minor > 0 and paid_customers > 0 then cast(round(paid_spend_minor / paid_customers) as bigint) end
    as paid_cac_minor,
  case when reward_cost_minor > 0 then ${d.cast('referral_revenue_minor - reward_cost_minor', 'float64')} / reward_cost_minor end
    as roi,
  case when reward_cost_minor > 0 then ${d.cast('predicted_ltv_minor - reward_cost_minor', 'float64')} / reward_cost_minor end
    as ltv_roi,
  payback_months, k_factor, referral_velocity,
  ${lit(cfg.attributionModel)} as attribution_model, ${lit(cfg.paidAcquisition)} as paid_acquisition
from joined
`;
  },
});
