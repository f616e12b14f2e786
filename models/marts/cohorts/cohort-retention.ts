import { defineModel } from '../../../src/models/define-model.js';
import { ltvConfig } from '../ltv/config-schema.js';

/**
 * Monthly purchase retention by acquisition cohort: people grouped by the calendar month (UTC) of their first
 * purchase and by acquisition type (referred / non_referred from stg_customers), and for every month since then up
 * to the last month with data, how many of them purchased in that month and what they spent. Offsets with no
 * activity are present with zeros, so each cohort's curve is complete. Purchases are orders whose status is in
 * `ltv.purchaseStatuses` (the LTV models' definition).
 */
export const cohortRetention = defineModel({
  name: 'cohort_retention',
  grain: 'one row per acquisition type, first-purchase month and month offset (0 = the first-purchase month)',
  dependsOn: ['stg_customers', 'stg_orders'],
  columns: {
    acquisition_type: 'referred | non_referred',
    cohort_month: 'first day of the month of the first purchase (UTC)',
    month_offset: 'calendar months after cohort_month (0, 1, ...), up to the last month with purchases',
    activity_month: 'first day of the month the row measures',
    cohort_people: 'people whose first purchase fell in cohort_month',
    active_people: 'of those, people with at least one purchase in activity_month',
    retention_rate: 'active_people / cohort_people',
    net_revenue_minor: 'net of their purchases in activity_month, reporting-currency minor units',
    reporting_currency: 'currency of net_revenue_minor',
  },
  build: ({ d, ref, config }) => {
    const cfg = ltvConfig(config);
    const statuses = cfg.purchaseStatuses.map((s) => d.stringLiteral(s)).join(', ');
    const month = (expr: string) => d.dateTrunc('month', expr);
    return `
with people as (
  select customer_id, person_id, is_referred from ${ref('stg_customers')}
),
purchases as (
  select p.person_id, ${month('o.order_date')} as activity_month, o.net_reporting_minor
  from ${ref('stg_orders')} o
  join people p on p.customer_id = o.customer_id
  where o.status in (${statuses})
),
acquisition as (
  select person_id, max(case when is_referred then 1 else 0 end) as referred from people group by 1
),
cohorts as (
  select u.person_id, min(u.activity_month) as cohort_month,
    case when max(a.referred) = 1 then 'referred' else 'non_referred' end as acquisition_type
  from purchases u join acquisition a on a.person_id = u.person_id
  group by 1
),
sizes as (
  select acquisition_type, cohort_month, count(*) as cohort_people from cohorts group by 1, 2
),
activity as (
  select c.acquisition_type, c.cohort_month, u.activity_month,
    count(distinct u.person_id) as active_people, sum(u.net_reporting_minor) as net_revenue_minor
  from purchases u join cohorts c on c.person_id = u.person_id
  group by 1, 2, 3
),
bounds as (
  select max(activity_month) as last_month from purchases
),
grid as (
  select s.acquisition_type, s.cohort_month, s.cohort_people, k.i as month_offset
  from sizes s
  cross join bounds b
  cross join ${d.series(`${d.dateDiff('month', '(select min(cohort_month) from sizes)', '(select last_month from bounds)')} + 1`, 'k')}
  where k.i <= ${d.dateDiff('month', 's.cohort_month', 'b.last_month')}
)
select
  g.acquisition_type,
  g.cohort_month,
  g.month_offset,
  ${d.toDate(d.dateAdd('month', 'g.month_offset', 'g.cohort_month'))} as activity_month,
  g.cohort_people,
  coalesce(a.active_people, 0) as active_people,
  coalesce(a.active_people, 0) * 1.0 / g.cohort_people as retention_rate,
  coalesce(a.net_revenue_minor, 0) as net_revenue_minor,
  ${d.stringLiteral(config.reportingCurrency)} as reporting_currency
from grid g
left join activity a
  on a.acquisition_type = g.acquisition_type and a.cohort_month = g.cohort_month
  and a.activity_month = ${d.toDate(d.dateAdd('month', 'g.month_offset', 'g.cohort_month'))}`;
  },
});
