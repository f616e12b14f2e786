import { defineModel } from '../../../src/models/define-model.js';
import type { SqlDialect } from '../../../src/warehouse/dialect.js';
import { latestPerKey } from '../../staging/latest.js';
import { ADVOCATE_COMPONENTS, advocatesConfig, type AdvocatesConfig } from './config-schema.js';

/** SQL: `n / cap` capped at 1, as a float. */
const capped = (d: SqlDialect, n: string, cap: number) => `least(1.0, ${d.cast(n, 'float64')} / ${cap})`;

/**
 * Who to ask for referrals: a 0-100 score per customer from six components, each in [0, 1] and shown as points:
 * points = 100 x weight x component / sum(weights) (config `advocates`, models/marts/advocates/config-schema.ts),
 * score = the sum of the unrounded points. Components:
 * - nps: latest NPS answer (survey_responses, by customer id, else by normalized email): promoter 1, passive
 *   npsPassiveShare, detractor or none 0;
 * - repeat: min(1, paid repeat orders / caps.repeatOrders) (order_seq > 1, not refunded, not charged back);
 * - support: min(1, resolved interactions rated 4-5 / caps.positiveSupport);
 * - engagement: min(1, (identified touches + email opens and clicks in the last engagementDays) / cap);
 * - tenure: min(1, days since sign-up / caps.tenureDays);
 * - referral: min(1, converted referrals not flagged by fraud_scores / caps.referrals).
 * Everything is counted up to the as-of time (config advocates.asOf, else the data's latest sign-up, order or
 * touch), never the wall clock, so reruns agree.
 */
export const advocateScores = defineModel({
  name: 'advocate_scores',
  grain: 'one row per customer (stg_customers)',
  dependsOn: ['stg_customers', 'stg_orders', 'stg_touches', 'stg_referrals', 'fraud_scores'],
  columns: {
    customer_id: 'stg_customers.customer_id',
    person_id: 'the stitched person',
    program_id: 'referral program',
    score: '0-100: the sum of the six *_points (rounded to 2 decimals)',
    tier: 'the first config tier whose minScore the score reaches (default champion 70, advocate 45, potential 20, low)',
    ready_to_invite:
      'score >= readyToInvite.minScore, not a detractor and not in a flagged referral (each exclusion configurable)',
    nps_points: 'points from the latest NPS answer (promoter full, passive a share)',
    repeat_points: 'points from paid repeat orders',
    support_points: 'points from positive (resolved, rated 4-5) support interactions',
    engagement_points: 'points from identified touches and email opens/clicks in the last engagementDays',
    tenure_points: 'points from days since sign-up',
    referral_points: 'points from converted referrals that fraud_scores does not flag',
    nps_score: 'latest NPS answer 0-10 (NULL when none)',
    repeat_orders: 'paid repeat orders counted',
    positive_support: 'positive support interactions counted',
    engagement_events: 'engagement events counted',
    tenure_days: 'whole days from sign-up to scored_at',
    successful_referrals: 'converted, unflagged referrals made by the customer',
    fraud_flagged: 'the customer is advocate or referee of a referral fraud_scores flags',
    scored_at: 'the as-of time the score is computed at (UTC)',
  },
  build: (ctx) => {
    const { d, ref, source, config } = ctx;
    const cfg = advocatesConfig(config);
    const w = cfg.weights;
    const total = ADVOCATE_COMPONENTS.reduce((s, k) => s + w[k], 0);
    const points = (k: keyof AdvocatesConfig['weights'], component: string) => `${(100 * w[k]) / total} * ${component}`;
    const asOf = cfg.asOf
      ? `select ${d.cast(d.stringLiteral(cfg.asOf), 'timestamp')} as asof_ts`
      : `select max(t0) as asof_ts from (
    select max(created_at) as t0 from ${ref('stg_customers')}
    union all select max(ordered_at) as t0 from ${ref('stg_orders')}
    union all select max(occurred_at) as t0 from ${ref('stg_touches')}
  ) x`;
    const since = d.dateAdd('day', String(-cfg.engagementDays), 'a.asof_ts');
    const byEmail = (table: string, idCol: string, emailCol: string, alias: string) => `
    left join ${ref('stg_customers')} ${alias}1 on ${alias}1.customer_id = ${table}.${idCol}
    left join ${ref('stg_customers')} ${alias}2
      on ${alias}2.email_normalized = case when ${table}.${idCol} is null then ${d.normalizeText(`${table}.${emailCol}`)} end`;
    const tiers = cfg.tiers.map((t) => `when s.score >= ${t.minScore} then ${d.stringLiteral(t.name)}`).join(' ');
    const inv = cfg.readyToInvite;
    const components = {
      nps: `case when n.nps_score >= 9 then 1.0 when n.nps_score >= 7 then ${cfg.npsPassiveShare} else 0.0 end`,
      repeat: capped(d, 'coalesce(o.repeat_orders, 0)', cfg.caps.repeatOrders),
      support: capped(d, 'coalesce(sp.positive_support, 0)', cfg.caps.positiveSupport),
      engagement: capped(d, 'coalesce(t.touches, 0) + coalesce(e.emails, 0)', cfg.caps.engagementEvents),
      tenure: capped(d, `greatest(${d.dateDiff('day', 'c.created_at', 'a.asof_ts')}, 0)`, cfg.caps.tenureDays),
      referral: capped(d, 'coalesce(r.successful_referrals, 0)', cfg.caps.referrals),
    };
    return `
with a as (
  ${asOf}
),
survey as (
  select * from ${source('survey_responses')}
  ${latestPerKey(d, 'response_id')}
),
nps as (
  select customer_id, nps_score from (
    select coalesce(s1.customer_id, s2.customer_id) as customer_id, survey.nps_score, survey.submitted_at,
      survey.response_id
    from survey ${byEmail('survey', 'customer_id', 'respondent_email', 's')}
    cross join a
    where survey.nps_score is not null and survey.submitted_at <= a.asof_ts
  ) x
  where customer_id is not null
  ${d.qualify('row_number() over (partition by customer_id order by submitted_at desc, response_id desc) = 1', true)}
),
o as (
  select o.customer_id, sum(case when o.order_seq > 1 then 1 else 0 end) as repeat_orders
  from ${ref('stg_orders')} o cross join a
  where o.ordered_at <= a.asof_ts and o.status in ('paid') and o.refunded_minor = 0 and not o.is_chargeback
  group by o.customer_id
),
support as (
  select * from ${source('support_interactions')}
  ${latestPerKey(d, 'interaction_id')}
),
sp as (
  select support.customer_id, count(*) as positive_support
  from support cross join a
  where support.occurred_at <= a.asof_ts and support.resolved and support.satisfaction >= 4
  group by support.customer_id
),
t as (
  select tc.customer_id, count(*) as touches
  from ${ref('stg_touches')} tc cross join a
  where tc.customer_id is not null and tc.occurred_at > ${since} and tc.occurred_at <= a.asof_ts
  group by tc.customer_id
),
email as (
  select * from ${source('email_events')}
  ${latestPerKey(d, 'event_id')}
),
e as (
  select coalesce(m1.customer_id, m2.customer_id) as customer_id, count(*) as emails
  from email ${byEmail('email', 'customer_id', 'recipient_email', 'm')}
  cross join a
  where email.event_type in ('opened', 'clicked') and email.occurred_at > ${since} and email.occurred_at <= a.asof_ts
  group by 1
),
r as (
  select rf.advocate_id as customer_id, count(*) as successful_referrals
  from ${ref('stg_referrals')} rf
  join ${ref('fraud_scores')} fs on fs.referral_id = rf.referral_id
  cross join a
  where rf.is_converted and rf.converted_at <= a.asof_ts and not fs.flagged and rf.advocate_id <> rf.referee_id
  group by 1
),
fraud as (
  select advocate_id as customer_id from ${ref('fraud_scores')} where flagged and advocate_id is not null
  union distinct
  select referee_id as customer_id from ${ref('fraud_scores')} where flagged
),
p as (
  select
    c.customer_id, c.person_id, c.program_id, a.asof_ts as scored_at,
    ${ADVOCATE_COMPONENTS.map((k) => `${points(k, components[k])} as ${k}_raw`).join(',\n    ')},
    n.nps_score,
    coalesce(o.repeat_orders, 0) as repeat_orders,
    coalesce(sp.positive_support, 0) as positive_support,
    coalesce(t.touches, 0) + coalesce(e.emails, 0) as engagement_events,
    greatest(${d.dateDiff('day', 'c.created_at', 'a.asof_ts')}, 0) as tenure_days,
    coalesce(r.successful_referrals, 0) as successful_referrals,
    f.customer_id is not null as fraud_flagged
  from ${ref('stg_customers')} c
  cross join a
  left join nps n on n.customer_id = c.customer_id
  left join o on o.customer_id = c.customer_id
  left join sp on sp.customer_id = c.customer_id
  left join t on t.customer_id = c.customer_id
  left join e on e.customer_id = c.customer_id
  left join r on r.customer_id = c.customer_id
  left join (select distinct customer_id from fraud) f on f.customer_id = c.customer_id
  where c.created_at <= a.asof_ts
),
s as (
  select p.*, round(${ADVOCATE_COMPONENTS.map((k) => `${k}_raw`).join(' + ')}, 2) as score from p
)
select
  s.customer_id, s.person_id, s.program_id,
  ${d.cast('s.score', 'float64')} as score,
  case ${tiers} end as tier,
  s.score >= ${inv.minScore}
    ${inv.excludeDetractors ? 'and coalesce(s.nps_score >= 7, true)' : ''}
    ${inv.excludeFraudFlagged ? 'and not s.fraud_flagged' : ''} as ready_to_invite,
  ${ADVOCATE_COMPONENTS.map((k) => `${d.cast(`round(s.${k}_raw, 2)`, 'float64')} as ${k}_points`).join(',\n  ')},
  s.nps_score, s.repeat_orders, s.positive_support, s.engagement_events, s.tenure_days, s.successful_referrals,
  s.fraud_flagged,
  s.scored_at
from s
order by s.customer_id`;
  },
});
