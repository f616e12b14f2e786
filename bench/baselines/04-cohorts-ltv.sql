-- Baseline for stage `cohorts-ltv`: monthly cohort retention by acquisition type (referred or not): cohort =
-- month of the first purchase; per month offset, active people, orders, net revenue and the running total.
create or replace table b_cohort_retention as
with purchases as (
  select c.person_id, c.is_referred, o.order_date, date_trunc('month', o.order_date) as activity_month,
    o.net_reporting_minor
  from stg_orders o join stg_customers c on c.customer_id = o.customer_id
  where o.status in ('paid', 'partially_refunded', 'refunded')
),
cohorts as (
  select person_id, case when bool_or(is_referred) then 'referred' else 'non_referred' end as acquisition_type,
    date_trunc('month', min(order_date)) as cohort_month
  from purchases group by 1
),
sizes as (select acquisition_type, cohort_month, count(*) as cohort_people from cohorts group by 1, 2),
activity as (
  select c.acquisition_type, c.cohort_month, date_diff('month', c.cohort_month, p.activity_month) as period_offset,
    count(distinct p.person_id) as active_people, count(*) as orders, sum(p.net_reporting_minor) as net_revenue_minor
  from purchases p join cohorts c on c.person_id = p.person_id
  group by 1, 2, 3
)
select a.*, s.cohort_people, a.active_people / s.cohort_people as retention_rate,
  sum(a.net_revenue_minor) over (partition by a.acquisition_type, a.cohort_month order by a.period_offset)
    as cumulative_net_revenue_minor
from activity a join sizes s using (acquisition_type, cohort_month);
