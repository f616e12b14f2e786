import { defineModel } from '../../../src/models/define-model.js';

/**
 * The referral funnel per advocate and month: invited -> opened -> clicked -> signed up -> converted.
 * Invitations and link clicks come from referral events; opens, email clicks, sends and bounces of the
 * invitation emails from `stg_email_events` (events carrying a referral code, counted once per code and
 * recipient); sign-ups and conversions from `stg_referrals`, so a referral counts even when its earlier steps
 * were not tracked. Each stage is counted in the month it happened (a January invite converting in February
 * counts in February's `converted`), so monthly step rates are period ratios, not cohort rates.
 */
export const referralFunnel = defineModel({
  name: 'referral_funnel',
  grain: 'one row per program, advocate and calendar month with any funnel activity',
  dependsOn: ['stg_customers', 'stg_orders', 'stg_referral_events', 'stg_referrals', 'stg_email_events'],
  columns: {
    program_id: 'referral program',
    advocate_id: 'the advocate (NULL when a code matches no customer)',
    region: "the advocate's region",
    month: 'first day of the calendar month (UTC)',
    invited: 'invitations sent',
    clicked: 'referral link clicks',
    signed_up: 'referred sign-ups',
    converted: 'referred customers whose first order fell in the month',
    first_order_revenue_minor: 'net of those first orders, reporting-currency minor units',
    referred_revenue_minor: 'net of all orders placed in the month by customers this advocate referred',
    reporting_currency: 'currency of the *_minor revenue columns',
    click_rate: 'clicked / invited (can exceed 1: links are also shared outside invitations); NULL if no invites',
    signup_rate: 'signed_up / clicked; NULL if no clicks',
    conversion_rate: 'converted / signed_up; NULL if no sign-ups',
    invite_to_conversion_rate: 'converted / invited; NULL if no invites',
    invite_emails_sent: 'invitation emails sent (distinct sends of emails carrying a referral code)',
    opened:
      'invited recipients (code and recipient) whose first open of an invitation email fell in the month; a click counts as an open (blocked images hide opens)',
    email_clicked: 'invited recipients (code and recipient) whose first click in an invitation email fell in the month',
    bounced: 'invited recipients (code and recipient) whose invitation email first bounced in the month',
    open_rate: 'opened / invited; NULL if no invites',
    email_click_rate: 'email_clicked / opened; NULL if no opens',
  },
  build: ({ d, ref, config }) => {
    const month = (col: string) => d.dateTrunc('month', col);
    return `
with events as (
  select program_id, advocate_id, ${month('occurred_at')} as month,
    sum(case when event_type = 'invited' then 1 else 0 end) as invited,
    sum(case when event_type = 'clicked' then 1 else 0 end) as clicked
  from ${ref('stg_referral_events')}
  where event_type in ('invited', 'clicked')
  group by 1, 2, 3
),
email_firsts as (
  select program_id, advocate_id, referral_code, recipient_email,
    case when event_type = 'clicked' then 'opened' else event_type end as step, min(occurred_at) as first_at
  from ${ref('stg_email_events')}
  where referral_code is not null and recipient_email is not null and event_type in ('opened', 'clicked', 'bounced')
  group by 1, 2, 3, 4, 5
  union all
  select program_id, advocate_id, referral_code, recipient_email, 'email_clicked' as step, min(occurred_at) as first_at
  from ${ref('stg_email_events')}
  where referral_code is not null and recipient_email is not null and event_type = 'clicked'
  group by 1, 2, 3, 4
),
emails as (
  select program_id, advocate_id, month, sum(sent) as invite_emails_sent, sum(opened) as opened,
    sum(email_clicked) as email_clicked, sum(bounced) as bounced
  from (
    select program_id, advocate_id, ${month('first_at')} as month, 0 as sent,
      case when step = 'opened' then 1 else 0 end as opened,
      case when step = 'email_clicked' then 1 else 0 end as email_clicked,
      case when step = 'bounced' then 1 else 0 end as bounced
    from email_firsts
    union all
    select program_id, advocate_id, ${month('occurred_at')} as month, count(distinct coalesce(email_id, event_id)) as sent,
      0 as opened, 0 as email_clicked, 0 as bounced
    from ${ref('stg_email_events')}
    where referral_code is not null and event_type = 'sent'
    group by 1, 2, 3
  ) x
  group by 1, 2, 3
),
signups as (
  select program_id, advocate_id, ${month('signed_up_at')} as month, count(*) as signed_up
  from ${ref('stg_referrals')}
  group by 1, 2, 3
),
conversions as (
  select program_id, advocate_id, ${month('converted_at')} as month,
    count(*) as converted, sum(first_order_net_reporting_minor) as first_order_revenue_minor
  from ${ref('stg_referrals')}
  where is_converted
  group by 1, 2, 3
),
revenue as (
  select r.program_id, r.advocate_id, ${month('o.ordered_at')} as month, sum(o.net_reporting_minor) as referred_revenue_minor
  from ${ref('stg_referrals')} r
  join ${ref('stg_orders')} o on o.customer_id = r.referee_id and o.ordered_at >= r.signed_up_at
  group by 1, 2, 3
),
keys as (
  select program_id, advocate_id, month from events
  union distinct select program_id, advocate_id, month from signups
  union distinct select program_id, advocate_id, month from conversions
  union distinct select program_id, advocate_id, month from revenue
  union distinct select program_id, advocate_id, month from emails
),
joined as (
  select
    k.program_id,
    k.advocate_id,
    adv.region,
    k.month,
    cast(coalesce(e.invited, 0) as bigint) as invited,
    cast(coalesce(e.clicked, 0) as bigint) as clicked,
    coalesce(s.signed_up, 0) as signed_up,
    coalesce(c.converted, 0) as converted,
    cast(coalesce(c.first_order_revenue_minor, 0) as bigint) as first_order_revenue_minor,
    cast(coalesce(v.referred_revenue_minor, 0) as bigint) as referred_revenue_minor,
    cast(coalesce(m.invite_emails_sent, 0) as bigint) as invite_emails_sent,
    cast(coalesce(m.opened, 0) as bigint) as opened,
    cast(coalesce(m.email_clicked, 0) as bigint) as email_clicked,
    cast(coalesce(m.bounced, 0) as bigint) as bounced
  from keys k
  left join events e on e.program_id = k.program_id and e.advocate_id is not distinct from k.advocate_id and e.month = k.month
  left join signups s on s.program_id = k.program_id and s.advocate_id is not distinct from k.advocate_id and s.month = k.month
  left join conversions c on c.program_id = k.program_id and c.advocate_id is not distinct from k.advocate_id and c.month = k.month
  left join revenue v on v.program_id = k.program_id and v.advocate_id is not distinct from k.advocate_id and v.month = k.month
  left join emails m on m.program_id = k.program_id and m.advocate_id is not distinct from k.advocate_id and m.month = k.month
  left join ${ref('stg_customers')} adv on adv.customer_id = k.advocate_id
)
select
  program_id, advocate_id, region, month,
  invited, clicked, signed_up, converted,
  first_order_revenue_minor, referred_revenue_minor,
  ${d.stringLiteral(config.reportingCurrency)} as reporting_currency,
  ${d.safeDivide(d.cast('clicked', 'float64'), 'invited')} as click_rate,
  ${d.safeDivide(d.cast('signed_up', 'float64'), 'clicked')} as signup_rate,
  ${d.safeDivide(d.cast('converted', 'float64'), 'signed_up')} as conversion_rate,
  ${d.safeDivide(d.cast('converted', 'float64'), 'invited')} as invite_to_conversion_rate,
  invite_emails_sent, opened, email_clicked, bounced,
  ${d.safeDivide(d.cast('opened', 'float64'), 'invited')} as open_rate,
  ${d.safeDivide(d.cast('email_clicked', 'float64'), 'opened')} as email_click_rate
from joined
order by program_id, advocate_id, month
`;
  },
});
