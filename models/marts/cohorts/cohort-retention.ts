import { defineModel } from '../../../src/models/define-model.js';
import type { SqlDialect } from '../../../src/warehouse/dialect.js';
import { ltvConfig, type LtvConfig } from '../ltv/config-schema.js';
import { REFERRAL_CHANNEL } from '../ltv/ltv-comparison-sql.js';

/** SQL helpers for the cohort grain: period starts, whole periods between two starts, and start + k periods. */
function periods(d: SqlDialect, grain: LtvConfig['cohortGrain']) {
  return {
    start: (expr: string) => d.dateTrunc(grain, expr),
    between: (a: string, b: string) =>
      grain === 'month' ? d.dateDiff('month', a, b) : d.floorDiv(d.dateDiff('day', a, b), '7'),
    add: (k: string, start: string) =>
      d.toDate(grain === 'month' ? d.dateAdd('month', k, start) : d.dateAdd('day', `7 * (${k})`, start)),
  };
}

/**
 * Purchase retention by acquisition cohort: people grouped by the period (config `ltv.cohortGrain`: ISO week
 * from Monday, or calendar month; UTC) of their first purchase and by segment, and for every period since then up to the last period with purchases: how many bought,
 * how many orders and how much net revenue, the cumulative net revenue per cohort member, and the share who had
 * made a repeat purchase (on a later day than their first) by the end of the period. Periods with no activity
 * are present with zeros, so each cohort's curve is complete. Purchases are orders whose status is in
 * `ltv.purchaseStatuses` (the LTV models' definition).
 *
 * Two segmentations, each complete on its own (sum within one `segment_type`, never across):
 * - `acquisition_type`: referred / non_referred (any of the person's customer records referred, from stg_customers);
 * - `channel`: 'Referral Program' for referred people, else the GA4 channel group of their last touch at or before
 *   their first sign-up ('Unassigned' without one), the same rule as ltv_comparison's channel segments.
 */
export const cohortRetention = defineModel({
  name: 'cohort_retention',
  grain:
    'one row per segment (acquisition type or acquisition channel), cohort period (of the first purchase) and period offset (0 = that period)',
  dependsOn: ['stg_customers', 'stg_orders', 'stg_touches'],
  columns: {
    segment_type: "'acquisition_type' or 'channel': sum rows within one segment type only",
    segment:
      "the acquisition type (referred | non_referred) or the channel group (e.g. 'Paid Search', 'Referral Program')",
    acquisition_type: 'referred | non_referred (for channel rows: the acquisition type of the channel)',
    cohort_grain: "'week' (ISO weeks from Monday) or 'month' (calendar months), config ltv.cohortGrain",
    cohort_start: 'first day of the period of the first purchase (UTC)',
    period_offset: 'whole periods after cohort_start (0, 1, ...), up to the last period with purchases',
    activity_start: 'first day of the period the row measures',
    cohort_month: "alias of cohort_start (named for the default grain 'month'; read by the site)",
    month_offset: 'alias of period_offset (read by the site)',
    activity_month: 'alias of activity_start',
    cohort_people: 'people whose first purchase fell in the cohort period',
    active_people: 'of those, people with at least one purchase in the period',
    retention_rate: 'active_people / cohort_people',
    orders: "the cohort's purchase orders in the period",
    net_revenue_minor: 'net of their purchases in the period, reporting-currency minor units',
    cumulative_net_revenue_minor: 'net revenue from period 0 through this period, reporting-currency minor units',
    cumulative_net_revenue_per_customer:
      'cumulative_net_revenue_minor / cohort_people: realised LTV per acquired customer so far (minor units, a mean)',
    repeat_purchasers: 'cohort people whose second purchase day falls in or before this period',
    repeat_purchase_rate: 'repeat_purchasers / cohort_people',
    reporting_currency: 'currency of the *_minor columns',
  },
  build: ({ d, ref, config }) => {
    const cfg = ltvConfig(config);
    const p = periods(d, cfg.cohortGrain);
    const statuses = cfg.purchaseStatuses.map((s) => d.stringLiteral(s)).join(', ');
    const cohortKey = 'partition by g.segment_type, g.segment, g.cohort_start order by g.period_offset';
    const running = (expr: string) =>
      `sum(${expr}) over (${cohortKey} rows between unbounded preceding and current row)`;
    return `
with people as (
  select customer_id, person_id, is_referred, created_at from ${ref('stg_customers')}
),
purchases as (
  select p.person_id, o.order_date, ${p.start('o.order_date')} as activity_start, o.net_reporting_minor
  from ${ref('stg_orders')} o
  join people p on p.customer_id = o.customer_id
  where o.status in (${statuses})
),
acquisition as (
  select person_id, max(case when is_referred then 1 else 0 end) as referred, min(created_at) as signed_up_at
  from people group by 1
),
last_touch as (
  select person_id, channel_group from (
    select t.person_id, t.channel_group,
      row_number() over (partition by t.person_id order by t.occurred_at desc, t.touch_id desc) as rn
    from ${ref('stg_touches')} t join acquisition a on a.person_id = t.person_id
    where a.referred = 0 and t.occurred_at <= a.signed_up_at
  ) ranked where rn = 1
),
firsts as (
  select person_id, min(order_date) as first_day from purchases group by 1
),
seconds as (
  select u.person_id, min(u.order_date) as second_day
  from purchases u join firsts f on f.person_id = u.person_id
  where u.order_date > f.first_day
  group by 1
),
person as (
  select f.person_id, ${p.start('f.first_day')} as cohort_start, s.second_day,
    case when a.referred = 1 then 'referred' else 'non_referred' end as acquisition_type,
    case when a.referred = 1 then ${d.stringLiteral(REFERRAL_CHANNEL)} else coalesce(lt.channel_group, 'Unassigned') end
      as channel
  from firsts f
  join acquisition a on a.person_id = f.person_id
  left join seconds s on s.person_id = f.person_id
  left join last_touch lt on lt.person_id = f.person_id
),
cohorts as (
  select person_id, cohort_start, second_day, 'acquisition_type' as segment_type, acquisition_type as segment,
    acquisition_type
  from person
  union all
  select person_id, cohort_start, second_day, 'channel' as segment_type, channel as segment, acquisition_type
  from person
),
sizes as (
  select segment_type, segment, cohort_start, min(acquisition_type) as acquisition_type, count(*) as cohort_people
  from cohorts group by 1, 2, 3
),
activity as (
  select c.segment_type, c.segment, c.cohort_start, u.activity_start,
    count(distinct u.person_id) as active_people, count(*) as orders, sum(u.net_reporting_minor) as net_revenue_minor
  from purchases u join cohorts c on c.person_id = u.person_id
  group by 1, 2, 3, 4
),
repeats as (
  select segment_type, segment, cohort_start, ${p.start('second_day')} as activity_start, count(*) as new_repeaters
  from cohorts where second_day is not null
  group by 1, 2, 3, 4
),
bounds as (
  select max(activity_start) as last_start from purchases
),
grid as (
  select s.segment_type, s.segment, s.acquisition_type, s.cohort_start, s.cohort_people, k.i as period_offset,
    ${p.add('k.i', 's.cohort_start')} as activity_start
  from sizes s
  cross join bounds b
  cross join ${d.series(`${p.between('(select min(cohort_start) from sizes)', '(select last_start from bounds)')} + 1`, 'k')}
  where k.i <= ${p.between('s.cohort_start', 'b.last_start')}
),
filled as (
  select g.segment_type, g.segment, g.acquisition_type, g.cohort_start, g.period_offset, g.activity_start,
    g.cohort_people,
    coalesce(a.active_people, 0) as active_people, coalesce(a.orders, 0) as orders,
    coalesce(a.net_revenue_minor, 0) as net_revenue_minor,
    ${running('coalesce(a.net_revenue_minor, 0)')} as cumulative_net_revenue_minor,
    ${running('coalesce(r.new_repeaters, 0)')} as repeat_purchasers
  from grid g
  left join activity a
    on a.segment_type = g.segment_type and a.segment = g.segment and a.cohort_start = g.cohort_start
    and a.activity_start = g.activity_start
  left join repeats r
    on r.segment_type = g.segment_type and r.segment = g.segment and r.cohort_start = g.cohort_start
    and r.activity_start = g.activity_start
)
select
  segment_type,
  segment,
  acquisition_type,
  ${d.stringLiteral(cfg.cohortGrain)} as cohort_grain,
  cohort_start,
  period_offset,
  activity_start,
  cohort_start as cohort_month,
  period_offset as month_offset,
  activity_start as activity_month,
  cohort_people,
  active_people,
  active_people * 1.0 / cohort_people as retention_rate,
  orders,
  net_revenue_minor,
  ${d.cast('cumulative_net_revenue_minor', 'int64')} as cumulative_net_revenue_minor,
  cumulative_net_revenue_minor * 1.0 / cohort_people as cumulative_net_revenue_per_customer,
  ${d.cast('repeat_purchasers', 'int64')} as repeat_purchasers,
  repeat_purchasers * 1.0 / cohort_people as repeat_purchase_rate,
  ${d.stringLiteral(config.reportingCurrency)} as reporting_currency
from filled`;
  },
});
