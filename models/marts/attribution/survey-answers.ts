import type { ModelContext } from '../../../src/models/define-model.js';
import { latestPerKey } from '../../staging/latest.js';
import { attributionConfig } from './config-schema.js';
import { lookbackSql } from './eligibility.js';

/**
 * "How did you hear about us" answers mapped to a source class, matched on the lower-cased, trimmed answer. The
 * first five are the synthetic survey's answers (ingest/synthetic/TRUTHS.md); the rest are common variants.
 * Anything else is 'other'; an empty answer is no answer.
 */
export const HDYHAU_CLASSES: Record<string, string> = {
  'a friend or colleague': 'word_of_mouth',
  google: 'search',
  'facebook/instagram': 'social',
  podcast: 'podcast',
  other: 'other',
  'a friend': 'word_of_mouth',
  friend: 'word_of_mouth',
  'word of mouth': 'word_of_mouth',
  'a colleague': 'word_of_mouth',
  'family or friends': 'word_of_mouth',
  bing: 'search',
  'search engine': 'search',
  facebook: 'social',
  instagram: 'social',
  tiktok: 'social',
  linkedin: 'social',
  'social media': 'social',
  email: 'email',
  newsletter: 'email',
  youtube: 'video',
  'tv or radio': 'broadcast',
};

/**
 * SQL: one row per customer who answered "how did you hear about us" (the latest answer of the latest landed
 * version of each response; a response without customer_id is matched by its email), with
 * - `hdyhau_class` (HDYHAU_CLASSES),
 * - `tracked_channel`: the tracked acquisition channel, i.e. the channel of the person's last touch at or before
 *   sign-up within the rule set's lookback windows (sign-up is what the question asks about; the first-order
 *   conversion's last touch is usually a later order-time visit). With `referralCode: 'override'` a referral
 *   code used at sign-up makes it 'Referral Program'; no eligible touch makes it 'Unattributed'.
 * - `has_referral_touch`: a Referral Program touch at or before sign-up; `has_referral_code`: a code at sign-up
 *   or on any of the customer's orders.
 */
export function respondentsSql(ctx: ModelContext): string {
  const { d, ref, source, config } = ctx;
  const { ruleSet } = attributionConfig(config);
  const answer = d.normalizeText('s.hdyhau_answer');
  const classes = Object.entries(HDYHAU_CLASSES)
    .map(([a, c]) => `when ${d.stringLiteral(a)} then ${d.stringLiteral(c)}`)
    .join(' ');
  const override = ruleSet.referralCode === 'override';
  return `
responses as (
  select * from ${source('survey_responses')}
  ${latestPerKey(d, 'response_id')}
),
answered as (
  select coalesce(c1.customer_id, c2.customer_id) as customer_id, s.submitted_at, s.response_id,
    case ${answer} ${classes} else 'other' end as hdyhau_class
  from responses s
  left join ${ref('stg_customers')} c1 on c1.customer_id = s.customer_id
  -- A single equality (NULL when the response has a customer id) keeps this a hash join: a left-side predicate
  -- in a left join's ON clause made DuckDB fall back to a nested-loop join (minutes at 1M customers).
  left join ${ref('stg_customers')} c2
    on c2.email_normalized = case when s.customer_id is null then ${d.normalizeText('s.respondent_email')} end
  where ${answer} is not null
),
latest_answer as (
  select * from answered where customer_id is not null
  ${d.qualify('row_number() over (partition by customer_id order by submitted_at desc, response_id desc) = 1', true)}
),
respondents as (
  select c.customer_id, c.person_id, c.program_id, c.created_at, c.referred_by_code, a.hdyhau_class
  from latest_answer a join ${ref('stg_customers')} c on c.customer_id = a.customer_id
),
signup_touches as (
  select r.customer_id, r.created_at as signup_at, t.channel_group, t.touch_id, t.occurred_at, t.touch_type
  from respondents r
  join ${ref('stg_touches')} t on t.person_id = r.person_id and t.occurred_at <= r.created_at
),
last_signup_touch as (
  select customer_id, channel_group from signup_touches t
  where ${lookbackSql(d, ruleSet, 't', 't.signup_at')}
  ${d.qualify('row_number() over (partition by customer_id order by occurred_at desc, touch_id desc) = 1', true)}
),
referral_touch as (
  select distinct customer_id from signup_touches where channel_group = 'Referral Program'
),
order_code as (
  select distinct customer_id from ${ref('stg_orders')} where referral_code is not null
),
tracked as (
  select r.program_id, r.customer_id, r.hdyhau_class,
    case
      when ${override ? 'r.referred_by_code is not null' : 'false'} then 'Referral Program'
      else coalesce(l.channel_group, 'Unattributed')
    end as tracked_channel,
    rt.customer_id is not null as has_referral_touch,
    (r.referred_by_code is not null or oc.customer_id is not null) as has_referral_code
  from respondents r
  left join last_signup_touch l on l.customer_id = r.customer_id
  left join referral_touch rt on rt.customer_id = r.customer_id
  left join order_code oc on oc.customer_id = r.customer_id
)`;
}
