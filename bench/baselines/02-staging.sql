-- Baseline for stage `staging`: the core staging tables by hand. Latest row per key, lower-cased UTM fields,
-- hosts and ?ref= codes parsed from URLs, a CASE channel grouping, identity stitching (anonymous and device ids
-- to the customer seen with them), and order net amounts converted to USD at the month's EUR rate.
create or replace table stg_customers as
select customer_id, program_id, cast(created_at as timestamp) as created_at, country, region,
  upper(referral_code) as referral_code, upper(nullif(trim(referred_by_code), '')) as referred_by_code,
  nullif(trim(referred_by_code), '') is not null as is_referred, customer_id as person_id
from customers
qualify row_number() over (partition by customer_id order by created_at desc) = 1;

create or replace table stg_identity_map as
with seen as (
  select 'anonymous_id' as identifier_type, anonymous_id as identifier, customer_id, min(occurred_at) as first_at
  from touches where customer_id is not null and anonymous_id is not null group by 1, 2, 3
  union all
  select 'device_id', device_id, customer_id, min(occurred_at)
  from touches where customer_id is not null and device_id is not null group by 1, 2, 3
)
select identifier_type, identifier, customer_id as person_id from seen
qualify row_number() over (partition by identifier_type, identifier order by first_at, customer_id) = 1
union all
select 'customer_id', customer_id, customer_id from stg_customers;

create or replace table stg_touches as
with latest as (
  select * from touches qualify row_number() over (partition by touch_id order by occurred_at desc) = 1
),
cleaned as (
  select touch_id, program_id, anonymous_id, customer_id, device_id, cast(occurred_at as timestamp) as occurred_at,
    lower(touch_type) as touch_type,
    lower(nullif(trim(utm_source), '')) as utm_source, lower(nullif(trim(utm_medium), '')) as utm_medium,
    lower(nullif(trim(utm_campaign), '')) as utm_campaign,
    regexp_replace(lower(regexp_extract(referrer_url, '^[a-z]+://([^/:?#]+)', 1)), '^www\.', '') as referrer_host,
    regexp_replace(lower(regexp_extract(page_url, '^[a-z]+://([^/:?#]+)', 1)), '^www\.', '') as page_host,
    upper(regexp_extract(lower(page_url), '[?&]ref=([^&#]+)', 1)) as referral_code
  from latest
)
select c.*,
  case
    when c.referral_code <> '' or c.utm_medium = 'referral' then 'Referral Program'
    when c.utm_medium in ('cpc', 'ppc', 'paidsearch') and c.utm_source in ('google', 'bing') then 'Paid Search'
    when c.utm_medium in ('paid_social', 'cpc', 'paidsocial') then 'Paid Social'
    when c.utm_medium = 'email' then 'Email'
    when c.utm_source is null and c.referrer_host similar to '.*(google|bing|duckduckgo).*' then 'Organic Search'
    when c.utm_source is null and c.referrer_host <> '' and c.referrer_host <> c.page_host then 'Referral'
    else 'Direct'
  end as channel_group,
  coalesce(cu.person_id, a.person_id, v.person_id, 'anon|' || c.anonymous_id) as person_id
from cleaned c
left join stg_identity_map cu on cu.identifier_type = 'customer_id' and cu.identifier = c.customer_id
left join stg_identity_map a on a.identifier_type = 'anonymous_id' and a.identifier = c.anonymous_id
left join stg_identity_map v on v.identifier_type = 'device_id' and v.identifier = c.device_id;

create or replace table stg_orders as
with latest as (
  select * from orders qualify row_number() over (partition by order_id order by ordered_at desc) = 1
),
rates as (
  select cast(rate_date as date) as rate_date, currency, cast(rate as double) as rate from fx_rates
  union all
  select date '1970-01-01', 'USD', 1.0
)
select o.order_id, o.customer_id, o.program_id, cast(o.ordered_at as timestamp) as ordered_at,
  cast(o.ordered_at as date) as order_date, lower(o.status) as status, o.currency,
  greatest(o.gross_minor - o.discount_minor - o.refunded_minor, 0) as net_minor,
  cast(round(greatest(o.gross_minor - o.discount_minor - o.refunded_minor, 0) * r.rate) as bigint) as net_reporting_minor,
  upper(nullif(trim(o.referral_code), '')) as referral_code
from latest o
asof left join rates r on r.currency = o.currency and cast(o.ordered_at as date) >= r.rate_date;

create or replace table stg_referral_events as
select event_id, program_id, lower(event_type) as event_type, cast(occurred_at as timestamp) as occurred_at,
  upper(referral_code) as referral_code, advocate_id, referee_id, order_id
from referral_events
qualify row_number() over (partition by event_id order by occurred_at desc) = 1;

create or replace table stg_referrals as
select program_id, referee_id, arg_min(advocate_id, occurred_at) as advocate_id,
  arg_min(referral_code, occurred_at) as referral_code, min(occurred_at) as signed_up_at
from stg_referral_events
where event_type = 'signed_up' and referee_id is not null
group by 1, 2;
