-- Baseline for stage `rewards`: a flat reward ledger (1000 minor units USD to the advocate, 500 to the referee, on
-- the referee's first paid order), held for 30 days, then owed; and the liability per program as of the latest
-- order: held, approved unpaid, and owed aged 0-30, 31-60, 61-90 and 90+ days.
create or replace table b_reward_ledger as
with firsts as (
  select r.program_id, r.advocate_id, r.referee_id, o.order_id, o.ordered_at
  from stg_referrals r join stg_orders o on o.customer_id = r.referee_id
  where o.status = 'paid' and r.advocate_id is not null
  qualify row_number() over (partition by r.program_id, r.referee_id order by o.ordered_at, o.order_id) = 1
)
select program_id, 'advocate' as beneficiary_role, advocate_id as beneficiary_id, order_id, ordered_at as earned_at,
  1000 as amount_minor, 'USD' as currency
from firsts
union all
select program_id, 'referee', referee_id, order_id, ordered_at, 500, 'USD' from firsts;

create or replace table b_reward_liability as
with as_of as (select max(ordered_at) as as_of from stg_orders),
aged as (
  select l.*, date_diff('day', l.earned_at, a.as_of) as age_days, a.as_of
  from b_reward_ledger l cross join as_of a
)
select as_of, program_id, currency,
  sum(case when age_days < 30 then amount_minor else 0 end) as held_minor,
  sum(case when age_days >= 30 then amount_minor else 0 end) as approved_unpaid_minor,
  sum(case when age_days <= 30 then amount_minor else 0 end) as aging_0_30_minor,
  sum(case when age_days between 31 and 60 then amount_minor else 0 end) as aging_31_60_minor,
  sum(case when age_days between 61 and 90 then amount_minor else 0 end) as aging_61_90_minor,
  sum(case when age_days > 90 then amount_minor else 0 end) as aging_90_plus_minor,
  count(distinct case when amount_minor <> 0 then beneficiary_id end) as beneficiaries_owed
from aged group by 1, 2, 3;
