-- Baseline for stage `attribution`: conversions (each person's first paid, refunded or chargeback order), eligible
-- touches (same person, before the conversion, 30 days for clicks and visits, 1 day for views), then last-touch
-- and linear credit with revenue split in integer minor units that sum to the order's net.
create or replace table b_conversions as
select o.order_id, c.person_id, o.ordered_at as converted_at, o.net_reporting_minor as revenue_minor
from stg_orders o join stg_customers c on c.customer_id = o.customer_id
where o.status in ('paid', 'partially_refunded', 'refunded', 'chargeback')
qualify row_number() over (partition by c.person_id order by o.ordered_at, o.order_id) = 1;

create or replace table b_eligible as
select c.order_id, t.touch_id, t.channel_group as channel, c.revenue_minor,
  row_number() over (partition by c.order_id order by t.occurred_at desc, t.touch_id desc) as rn,
  count(*) over (partition by c.order_id) as n
from b_conversions c
join stg_touches t
  on t.person_id = c.person_id and t.occurred_at < c.converted_at
  and t.occurred_at >= c.converted_at - (case when t.touch_type = 'view' then interval 1 day else interval 30 day end);

create or replace table b_last_touch as
select order_id, touch_id, channel, 1.0 as credit, revenue_minor as revenue_credit_minor from b_eligible where rn = 1;

create or replace table b_linear as
select order_id, touch_id, channel, 1.0 / n as credit,
  (revenue_minor * rn) // n - (revenue_minor * (rn - 1)) // n as revenue_credit_minor
from b_eligible;

create or replace table b_attribution_summary as
select 'last_touch' as model, channel, sum(credit) as conversions, sum(revenue_credit_minor) as revenue_minor
from b_last_touch group by 1, 2
union all
select 'linear', channel, sum(credit), sum(revenue_credit_minor) from b_linear group by 1, 2;
