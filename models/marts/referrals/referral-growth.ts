import { defineModel } from '../../../src/models/define-model.js';

/**
 * Viral growth per sign-up cohort. A cohort is the customers of a program who signed up in one calendar month;
 * everything else in a row is what those customers did as advocates, at any time up to the program's `as_of`
 * (the latest customer sign-up, referral sign-up or referral event seen in the program). So recent cohorts are
 * still accruing: compare cohorts at equal age, or read `observed_weeks`.
 *
 * Only activity in the customer's own program counts (a customer belongs to one program). Self-referrals are
 * not growth and are left out of every count. K-factor is the classic viral coefficient: new customers that
 * one cohort customer brings in through invitations (Skok, "Lessons Learned - Viral Marketing", 2009:
 * K = invites per customer x invite conversion rate).
 */
export const referralGrowth = defineModel({
  name: 'referral_growth',
  grain: 'one row per program and sign-up cohort month with at least one customer acquired',
  dependsOn: ['stg_customers', 'stg_referral_events', 'stg_referrals'],
  columns: {
    program_id: 'referral program',
    cohort_month: 'first day of the calendar month (UTC) in which the cohort signed up',
    customers_acquired: 'customers of the program who signed up in the cohort month',
    active_advocates: 'cohort customers who sent at least one invite or referred at least one (non-self) sign-up',
    invites_sent: "'invited' referral events sent by cohort customers",
    referred_signups: 'referees (not self-referrals) who signed up with a cohort customer as advocate',
    invites_per_customer: 'invites_sent / customers_acquired',
    invite_conversion_rate:
      'referred_signups / invites_sent; NULL without invites; can exceed 1 when links are shared outside tracked invites',
    k_factor:
      'invites_per_customer x invite_conversion_rate (= referred_signups / customers_acquired); NULL without invites',
    median_viral_cycle_days:
      "median over the cohort's referred sign-ups of days from the advocate's sign-up to the referee's sign-up " +
      '(fractional days; the mean of the two middle values when their number is even); NULL without referrals',
    as_of: "the program's latest sign-up or referral event: the end of the observation window",
    observed_weeks: 'weeks from the first day of the cohort month to as_of',
    referral_velocity: 'referred_signups / active_advocates / observed_weeks; NULL without active advocates',
  },
  build: ({ d, ref }) => {
    // Rates divide as float64; counts are int64 (engine type names come from the dialect).
    const seconds = (start: string, end: string) => `(${d.epochSeconds(end)} - ${d.epochSeconds(start)})`;
    return `
with cohort as (
  select program_id, customer_id, created_at, ${d.dateTrunc('month', 'created_at')} as cohort_month
  from ${ref('stg_customers')}
),
invites as (
  select c.program_id, c.cohort_month, c.customer_id, count(*) as invites
  from ${ref('stg_referral_events')} e
  join cohort c on c.customer_id = e.advocate_id and c.program_id = e.program_id
  where e.event_type = 'invited'
  group by 1, 2, 3
),
referred as (
  select c.program_id, c.cohort_month, c.customer_id,
    ${seconds('c.created_at', 'r.signed_up_at')} / 86400.0 as cycle_days
  from ${ref('stg_referrals')} r
  join cohort c on c.customer_id = r.advocate_id and c.program_id = r.program_id
  where not r.is_self_referral
),
advocates as (
  select program_id, cohort_month, customer_id from invites
  union distinct select program_id, cohort_month, customer_id from referred
),
ranked as (
  select program_id, cohort_month, cycle_days,
    row_number() over (partition by program_id, cohort_month order by cycle_days) as rn,
    count(*) over (partition by program_id, cohort_month) as n
  from referred
),
medians as (
  select program_id, cohort_month, avg(cycle_days) as median_viral_cycle_days
  from ranked
  where rn = ${d.floorDiv('n + 1', '2')} or rn = ${d.floorDiv('n + 2', '2')}
  group by 1, 2
),
as_of as (
  select program_id, max(t) as as_of
  from (
    select program_id, created_at as t from ${ref('stg_customers')}
    union all select program_id, signed_up_at as t from ${ref('stg_referrals')}
    union all select program_id, occurred_at as t from ${ref('stg_referral_events')}
  ) times
  group by 1
),
cohorts as (
  select program_id, cohort_month, count(*) as customers_acquired
  from cohort
  group by 1, 2
),
advocate_counts as (
  select program_id, cohort_month, count(*) as active_advocates from advocates group by 1, 2
),
invite_counts as (
  select program_id, cohort_month, sum(invites) as invites_sent from invites group by 1, 2
),
referred_counts as (
  select program_id, cohort_month, count(*) as referred_signups from referred group by 1, 2
),
joined as (
  select
    k.program_id,
    k.cohort_month,
    k.customers_acquired,
    coalesce(a.active_advocates, 0) as active_advocates,
    coalesce(i.invites_sent, 0) as invites_sent,
    coalesce(r.referred_signups, 0) as referred_signups,
    m.median_viral_cycle_days,
    o.as_of,
    ${seconds(d.cast('k.cohort_month', 'timestamp'), 'o.as_of')} / 604800.0 as observed_weeks
  from cohorts k
  left join advocate_counts a on a.program_id = k.program_id and a.cohort_month = k.cohort_month
  left join invite_counts i on i.program_id = k.program_id and i.cohort_month = k.cohort_month
  left join referred_counts r on r.program_id = k.program_id and r.cohort_month = k.cohort_month
  left join medians m on m.program_id = k.program_id and m.cohort_month = k.cohort_month
  left join as_of o on o.program_id = k.program_id
)
select
  program_id,
  cohort_month,
  customers_acquired,
  ${d.cast('active_advocates', 'int64')} as active_advocates,
  ${d.cast('invites_sent', 'int64')} as invites_sent,
  ${d.cast('referred_signups', 'int64')} as referred_signups,
  ${d.cast('invites_sent', 'float64')} / customers_acquired as invites_per_customer,
  ${d.safeDivide(d.cast('referred_signups', 'float64'), 'invites_sent')} as invite_conversion_rate,
  (${d.cast('invites_sent', 'float64')} / customers_acquired) * ${d.safeDivide(d.cast('referred_signups', 'float64'), 'invites_sent')}
    as k_factor,
  median_viral_cycle_days,
  as_of,
  observed_weeks,
  ${d.safeDivide(d.safeDivide(d.cast('referred_signups', 'float64'), 'active_advocates'), 'observed_weeks')}
    as referral_velocity
from joined
order by program_id, cohort_month
`;
  },
});
