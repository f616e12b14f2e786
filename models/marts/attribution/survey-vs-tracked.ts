import { defineModel } from '../../../src/models/define-model.js';
import { attributionConfig, ruleVersion } from './config-schema.js';
import { respondentsSql } from './survey-answers.js';

/**
 * Self-reported source ("how did you hear about us", mapped to a class) against the tracked acquisition channel,
 * per program (definitions in `survey-answers.ts`). `dark_social` counts word-of-mouth answers with no tracked
 * referral touch and no referral code: referrals the tracking cannot see.
 */
export const surveyVsTracked = defineModel({
  name: 'survey_vs_tracked',
  grain: 'one row per program, self-reported source class and tracked acquisition channel',
  dependsOn: ['stg_customers', 'stg_touches', 'stg_orders'],
  columns: {
    program_id: "the customer's program",
    hdyhau_class: 'word_of_mouth | search | social | podcast | email | video | broadcast | other',
    tracked_channel: "last touch at or before sign-up; 'Referral Program' for a code at sign-up; else 'Unattributed'",
    respondents: 'customers who answered',
    with_referral_evidence: 'of them, with a Referral Program touch before sign-up or a referral code',
    dark_social: 'word_of_mouth answers without referral evidence',
    rule_version: 'attribution rule version (lookback windows and the referral-code rule)',
  },
  build: (ctx) => `
with ${respondentsSql(ctx)}
select program_id, hdyhau_class, tracked_channel, count(*) as respondents,
  sum(case when has_referral_touch or has_referral_code then 1 else 0 end) as with_referral_evidence,
  sum(case when hdyhau_class = 'word_of_mouth' and not has_referral_touch and not has_referral_code then 1 else 0 end)
    as dark_social,
  ${ctx.d.stringLiteral(ruleVersion(attributionConfig(ctx.config).ruleSet))} as rule_version
from tracked
group by program_id, hdyhau_class, tracked_channel
`,
});

/**
 * The dark-social share per program: customers who say a friend told them but have no tracked referral touch and
 * no referral code, over all who answered; and over those without referral evidence (the share of unreferred
 * customers who came by word of mouth, which the synthetic demo plants at 0.18).
 */
export const darkSocialShare = defineModel({
  name: 'dark_social_share',
  grain: 'one row per program with survey respondents',
  dependsOn: ['survey_vs_tracked'],
  columns: {
    program_id: 'referral program',
    respondents: 'customers who answered',
    word_of_mouth: 'of them, answering a friend / word of mouth',
    unreferred_respondents: 'respondents without referral evidence',
    dark_social: 'word-of-mouth respondents without referral evidence',
    dark_social_share: 'dark_social / respondents',
    dark_social_share_unreferred: 'dark_social / unreferred_respondents',
  },
  build: ({ d, ref }) => `
with t as (
  select program_id, sum(respondents) as respondents,
    sum(case when hdyhau_class = 'word_of_mouth' then respondents else 0 end) as word_of_mouth,
    sum(respondents - with_referral_evidence) as unreferred_respondents, sum(dark_social) as dark_social
  from ${ref('survey_vs_tracked')}
  group by program_id
)
select program_id, respondents, word_of_mouth, unreferred_respondents, dark_social,
  ${d.safeDivide(d.cast('dark_social', 'float64'), 'respondents')} as dark_social_share,
  ${d.safeDivide(d.cast('dark_social', 'float64'), 'unreferred_respondents')} as dark_social_share_unreferred
from t
`,
});
