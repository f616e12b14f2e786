-- Baseline for stage `referrals`: the funnel per program, advocate and month: invited, clicked, signed up, and
-- converted (referred customers whose first order fell in the month) with that first order's net.
create or replace table b_referral_funnel as
with events as (
  select program_id, advocate_id, date_trunc('month', occurred_at) as month,
    sum(case when event_type = 'invited' then 1 else 0 end) as invited,
    sum(case when event_type = 'clicked' then 1 else 0 end) as clicked
  from stg_referral_events where event_type in ('invited', 'clicked') group by 1, 2, 3
),
signups as (
  select program_id, advocate_id, date_trunc('month', signed_up_at) as month, count(*) as signed_up
  from stg_referrals group by 1, 2, 3
),
firsts as (
  select r.program_id, r.advocate_id, o.ordered_at, o.net_reporting_minor
  from stg_referrals r join stg_orders o on o.customer_id = r.referee_id
  where o.status in ('paid', 'partially_refunded', 'refunded', 'chargeback')
  qualify row_number() over (partition by r.program_id, r.referee_id order by o.ordered_at, o.order_id) = 1
),
conversions as (
  select program_id, advocate_id, date_trunc('month', ordered_at) as month, count(*) as converted,
    sum(net_reporting_minor) as first_order_revenue_minor
  from firsts group by 1, 2, 3
)
select program_id, advocate_id, month, coalesce(e.invited, 0) as invited, coalesce(e.clicked, 0) as clicked,
  coalesce(s.signed_up, 0) as signed_up, coalesce(c.converted, 0) as converted,
  coalesce(c.first_order_revenue_minor, 0) as first_order_revenue_minor
from events e
full join signups s using (program_id, advocate_id, month)
full join conversions c using (program_id, advocate_id, month);
