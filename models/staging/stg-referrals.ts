import { defineModel } from '../../src/models/define-model.js';

/**
 * Referrals: each referred person, who referred them, and whether and when they converted. A referral is
 * known from the customer record (`referred_by_code`) or from a `signed_up` event; either suffices, so a
 * sign-up whose click was never tracked still counts, and an event for a customer not yet landed is kept.
 * Conversion is the referee's first order at or after sign-up.
 */
export const stgReferrals = defineModel({
  name: 'stg_referrals',
  grain: 'one row per program and referred customer (referee)',
  dependsOn: ['stg_customers', 'stg_orders', 'stg_referral_events'],
  columns: {
    referral_id: 'stable hash of program_id and referee_id',
    program_id: 'referral program',
    referee_id: 'the referred customer',
    advocate_id: 'the referring customer (from the sign-up event, else the code owner)',
    referral_code: 'the code used',
    signed_up_at: 'customer created_at, else the first signed_up event',
    first_order_id: "the referee's first order at or after sign-up",
    converted_at: 'time of that order',
    first_order_net_reporting_minor: "that order's net, reporting-currency minor units",
    is_converted: 'first_order_id is set',
    is_self_referral: 'advocate_id = referee_id',
  },
  build: ({ d, ref }) => `
with from_customers as (
  select program_id, customer_id as referee_id, advocate_id, referred_by_code as referral_code, created_at
  from ${ref('stg_customers')}
  where is_referred
),
from_events as (
  select program_id, referee_id, advocate_id, referral_code, occurred_at
  from ${ref('stg_referral_events')}
  where event_type = 'signed_up' and referee_id is not null
  ${d.qualify('row_number() over (partition by program_id, referee_id order by occurred_at, event_id) = 1', true)}
),
referrals as (
  select
    coalesce(c.program_id, e.program_id) as program_id,
    coalesce(c.referee_id, e.referee_id) as referee_id,
    coalesce(e.advocate_id, c.advocate_id) as advocate_id,
    coalesce(c.referral_code, e.referral_code) as referral_code,
    coalesce(c.created_at, e.occurred_at) as signed_up_at
  from from_customers c
  full outer join from_events e on e.program_id = c.program_id and e.referee_id = c.referee_id
),
first_orders as (
  select r.program_id, r.referee_id, o.order_id, o.ordered_at, o.net_reporting_minor
  from referrals r
  join ${ref('stg_orders')} o on o.customer_id = r.referee_id and o.ordered_at >= r.signed_up_at
  ${d.qualify('row_number() over (partition by r.program_id, r.referee_id order by o.ordered_at, o.order_id) = 1', false)}
)
select
  ${d.hashId(['r.program_id', 'r.referee_id'])} as referral_id,
  r.program_id,
  r.referee_id,
  r.advocate_id,
  r.referral_code,
  r.signed_up_at,
  f.order_id as first_order_id,
  f.ordered_at as converted_at,
  f.net_reporting_minor as first_order_net_reporting_minor,
  f.order_id is not null as is_converted,
  coalesce(r.advocate_id = r.referee_id, false) as is_self_referral
from referrals r
left join first_orders f on f.program_id = r.program_id and f.referee_id = r.referee_id
`,
});
