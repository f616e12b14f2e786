/**
 * The sufficient statistics of ltv_comparison: one row per segment (acquisition type, acquisition channel,
 * advocate tier) with n, sums and sums of squares of every compared value. People never leave SQL.
 */
import type { SqlDialect } from '../../../src/warehouse/dialect.js';
import { advocateTierLabels, type LtvConfig } from './config-schema.js';

export type SegmentType = 'acquisition_type' | 'channel' | 'advocate_tier';

/** One segment's sums as SQL returns them (doubles: squares of minor units overflow int64). */
export interface SegmentSums {
  segment_type: SegmentType;
  segment: string;
  customers: number;
  clv_n: number;
  clv_s: number;
  clv_ss: number;
  real_n: number;
  real_s: number;
  real_ss: number;
  rep_n: number;
  rep_s: number;
  churn_n: number;
  churn_s: number;
  /** Refund rate as a ratio over people: y = refunded orders, x = orders. */
  ref_n: number;
  ref_y: number;
  ref_y2: number;
  ref_x: number;
  ref_x2: number;
  ref_xy: number;
}

/** The acquisition channel of referred people (a channel group of models/staging/channel-grouping.ts). */
export const REFERRAL_CHANNEL = 'Referral Program';

/**
 * SQL of the per-segment sums. Per person (stitched; only people with a purchase):
 * - acquisition type: referred when any of their customer records was referred;
 * - channel: referred people 'Referral Program'; others the channel group of their last touch at or before their
 *   first sign-up ('Unassigned' without one);
 * - advocate tier (referred people): the tier of how many customers their advocate referred ('unknown' when the
 *   code matches no customer);
 * - predicted CLV and x from customer_ltv; 12-month realised net (people whose first purchase is at least 12
 *   months before the data end); churned (people whose first purchase is at least G days before the data end:
 *   no purchase in the last G days); orders and refunded orders (refunded_minor > 0).
 */
export function segmentSumsSql(
  d: SqlDialect,
  refs: { customerLtv: string; customers: string; orders: string; touches: string },
  cfg: Pick<LtvConfig, 'purchaseStatuses' | 'churnGapDays' | 'advocateTierThresholds'>,
): string {
  const inList = cfg.purchaseStatuses.map((s) => d.stringLiteral(s)).join(', ');
  const labels = advocateTierLabels(cfg.advocateTierThresholds);
  const tiers = cfg.advocateTierThresholds
    .map((lo, i) => ({ lo, label: labels[i]! }))
    .reverse()
    .map((t) => `when ac.referrals >= ${t.lo} then ${d.stringLiteral(t.label)}`)
    .join(' ');
  const f = (expr: string) => d.cast(expr, 'float64');
  const sums = (expr: string, name: string) =>
    `count(${expr}) as ${name}_n, sum(${f(expr)}) as ${name}_s, sum(${f(expr)} * ${f(expr)}) as ${name}_ss`;
  const aggregates = `count(*) as customers,
  ${sums('predicted_clv_minor', 'clv')},
  ${sums('realised_minor', 'real')},
  count(repeat_buyer) as rep_n, sum(repeat_buyer) as rep_s,
  count(churned) as churn_n, sum(churned) as churn_s,
  count(*) as ref_n, sum(${f('refunded_orders')}) as ref_y, sum(${f('refunded_orders * refunded_orders')}) as ref_y2,
  sum(${f('orders')}) as ref_x, sum(${f('orders * orders')}) as ref_x2, sum(${f('orders * refunded_orders')}) as ref_xy`;
  return `
with people as (
  select customer_id, person_id, is_referred, advocate_id, created_at from ${refs.customers}
),
purchases as (
  select p.person_id, o.order_date, o.net_reporting_minor,
    case when o.refunded_minor > 0 then 1 else 0 end as refunded
  from ${refs.orders} o join people p on p.customer_id = o.customer_id
  where o.status in (${inList})
),
acquisition as (
  select person_id, max(case when is_referred then 1 else 0 end) as referred, min(created_at) as signed_up_at,
    min(case when is_referred then advocate_id end) as advocate_id
  from people group by 1
),
firsts as (
  select person_id, min(order_date) as first_day, max(order_date) as last_day, count(*) as orders,
    sum(refunded) as refunded_orders
  from purchases group by 1
),
bounds as (
  select max(order_date) as data_end from purchases
),
realised as (
  select f.person_id, sum(u.net_reporting_minor) as value_minor
  from firsts f
  cross join bounds b
  join purchases u on u.person_id = f.person_id and u.order_date < ${d.toDate(d.dateAdd('month', '12', 'f.first_day'))}
  where f.first_day <= ${d.toDate(d.dateAdd('month', '-12', 'b.data_end'))}
  group by 1
),
advocate_counts as (
  select advocate_id, count(*) as referrals from people where is_referred and advocate_id is not null group by 1
),
last_touch as (
  select person_id, channel_group from (
    select t.person_id, t.channel_group,
      row_number() over (partition by t.person_id order by t.occurred_at desc, t.touch_id desc) as rn
    from ${refs.touches} t join acquisition a on a.person_id = t.person_id
    where a.referred = 0 and t.occurred_at <= a.signed_up_at
  ) ranked where rn = 1
),
person as (
  select f.person_id,
    case when a.referred = 1 then 'referred' else 'non_referred' end as acquisition_type,
    case when a.referred = 1 then ${d.stringLiteral(REFERRAL_CHANNEL)} else coalesce(lt.channel_group, 'Unassigned') end
      as channel,
    case when a.referred = 1 then case ${tiers} else 'unknown' end end as advocate_tier,
    l.predicted_clv_minor,
    case when l.x is null then null when l.x > 0 then 1 else 0 end as repeat_buyer,
    r.value_minor as realised_minor,
    case when ${d.dateDiff('day', 'f.first_day', 'b.data_end')} >= ${cfg.churnGapDays} then
      case when ${d.dateDiff('day', 'f.last_day', 'b.data_end')} >= ${cfg.churnGapDays} then 1 else 0 end end as churned,
    f.orders,
    f.refunded_orders
  from firsts f
  cross join bounds b
  join acquisition a on a.person_id = f.person_id
  left join ${refs.customerLtv} l on l.person_id = f.person_id
  left join realised r on r.person_id = f.person_id
  left join last_touch lt on lt.person_id = f.person_id
  left join advocate_counts ac on ac.advocate_id = a.advocate_id
)
select 'acquisition_type' as segment_type, acquisition_type as segment, ${aggregates}
from person group by 1, 2
union all
select 'channel' as segment_type, channel as segment, ${aggregates}
from person group by 1, 2
union all
select 'advocate_tier' as segment_type, advocate_tier as segment, ${aggregates}
from person where advocate_tier is not null group by 1, 2
order by 1, 2`;
}
