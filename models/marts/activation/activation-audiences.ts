/**
 * activation_audiences: who should get which message now, as of the data's latest timestamp (deterministic; no
 * wall clock). Audiences (rules in config `activation.audiences`):
 * - moment_of_joy (template invite.<trigger>): the moments an invitation works best, see `momentsSql`;
 * - referee_converted (thanks.advocate, thanks.referee): a referee converted inside the window;
 * - reward_earned (reward.earned), reward_paid (reward.paid, once the ledger has payouts), tier_reached
 *   (tier.reached): reward news from reward_ledger inside the window;
 * - one_from_milestone (nudge.one_from_milestone) and quiet (winback.quiet): the advocate's state as of the data.
 * The frequency cap and "nobody twice" come from the notifications outbox: invitations and nudges skip advocates
 * with one in the cap window (and a nudge yields to an invitation in the same run), and `refstack notifications
 * build` adds only dedupe keys it has not seen.
 */
import { defineModel } from '../../../src/models/define-model.js';
import { activationConfig } from './config-schema.js';
import { momentsSql, nudgesSql, rewardNewsSql, thanksSql, type AudienceSqlContext } from './audiences-sql.js';
import {
  ensureNotifications,
  ensureReferralCodes,
  NOTIFICATIONS_TABLE,
  REFERRAL_CODES_TABLE,
} from './operational-tables.js';

export const activationAudiences = defineModel({
  name: 'activation_audiences',
  grain: 'one row per audience, recipient and triggering event (dedupe_key), as of the data',
  dependsOn: ['stg_customers', 'stg_orders', 'stg_referrals', 'reward_ledger'],
  columns: {
    audience:
      'moment_of_joy | referee_converted | reward_earned | reward_paid | tier_reached | one_from_milestone | quiet',
    template_key: 'message template, e.g. invite.nps_promoter, thanks.referee, reward.earned, winback.quiet',
    recipient_id: 'the customer to message',
    recipient_role: 'advocate | referee',
    program_id: 'referral program of the recipient',
    advocate_id: 'the advocate the message is about',
    trigger_type: 'support | nps_promoter | repeat_purchase | milestone | referral_converted | reward_accrued | ...',
    trigger_id: 'id of the triggering row (interaction, response, order, referral, ledger entry, count or date)',
    triggered_at: 'when the trigger happened (one_from_milestone and quiet: as_of, when the state was seen)',
    reward_minor: 'reward amount for reward news (reporting-currency minor units), else NULL',
    currency: 'currency of reward_minor',
    tier: 'the tier reached (tier_reached), else NULL',
    email: 'recipient email, normalized (PII)',
    full_name: 'recipient name from raw.customers (PII), NULL when unknown',
    referral_code: "the recipient's code from referral_codes (NULL if none assigned)",
    link: "the recipient's plain share link",
    referrals: "the recipient's converted, non-self referrals as of the data",
    next_milestone: 'smallest configured milestone above referrals (NULL past the last)',
    as_of: "the data's latest timestamp (orders, referrals, support, surveys, ledger)",
    dedupe_key: 'audience|template|recipient|trigger_id: one message per key, ever',
  },
  build: async ({ wh, d, config, ref, source }) => {
    const cfg = activationConfig(config);
    const schema = config.schemas.analytics;
    await ensureReferralCodes(wh, schema);
    await ensureNotifications(wh, schema);
    let ledgerHasPayouts = true;
    try {
      await wh.query(`select paid_delta_minor from ${ref('reward_ledger')} where 1 = 0`);
    } catch {
      ledgerHasPayouts = false;
    }
    const x: AudienceSqlContext = {
      d,
      cfg: cfg.audiences,
      t: {
        support: source('support_interactions'),
        surveys: source('survey_responses'),
        orders: ref('stg_orders'),
        ledger: ref('reward_ledger'),
        notifications: d.tableRef(schema, NOTIFICATIONS_TABLE),
      },
      paidStatuses: cfg.codes.eligibleOrderStatuses,
      ledgerHasPayouts,
    };
    const milestones = cfg.audiences.milestones.length
      ? [...new Set(cfg.audiences.milestones)].map((m) => `select ${m} as m`).join(' union all ')
      : `select ${d.cast('null', 'int64')} as m from (select 1 as one) z where 1 = 0`;
    const names = `select customer_id, full_name from ${source('customers')} where full_name is not null
      ${d.qualify('row_number() over (partition by customer_id order by _loaded_at desc, _batch_id desc, _row_number desc) = 1', true)}`;
    const key = d.concatWs(`'|'`, ['audience', 'template_key', 'recipient_id', 'trigger_id']);
    return `
with as_of as (
  select max(t) as as_of from (
    select max(ordered_at) as t from ${ref('stg_orders')}
    union all select max(signed_up_at) as t from ${ref('stg_referrals')}
    union all select max(converted_at) as t from ${ref('stg_referrals')}
    union all select max(occurred_at) as t from ${x.t.support}
    union all select max(submitted_at) as t from ${x.t.surveys}
    union all select max(decided_at) as t from ${x.t.ledger}
  ) times
),
milestones as (${milestones}),
people as (
  select c.customer_id, c.program_id, c.email_normalized, nm.full_name, rc.code, rc.link
  from ${ref('stg_customers')} c
  left join ${d.tableRef(schema, REFERRAL_CODES_TABLE)} rc on rc.customer_id = c.customer_id and rc.program_id = c.program_id
  left join (${names}) nm on nm.customer_id = c.customer_id
),
conv as (
  select referral_id, program_id, advocate_id, referee_id, converted_at,
    row_number() over (partition by advocate_id order by converted_at, referral_id) as n
  from ${ref('stg_referrals')}
  where is_converted and advocate_id is not null and not is_self_referral
),
counts as (
  select advocate_id, sum(case when is_converted then 1 else 0 end) as referrals,
    max(greatest(signed_up_at, coalesce(converted_at, signed_up_at))) as last_activity_at
  from ${ref('stg_referrals')}
  where advocate_id is not null and not is_self_referral
  group by advocate_id
),
audiences as (
${momentsSql(x)}
union all
${thanksSql(x)}
union all
${rewardNewsSql(x)}
union all
${nudgesSql(x)}
)
select audience, template_key, recipient_id, recipient_role, program_id, advocate_id, trigger_type, trigger_id,
  triggered_at, reward_minor, currency, tier, email, full_name, referral_code, link,
  ${d.cast('referrals', 'int64')} as referrals, next_milestone, (select as_of from as_of) as as_of, ${key} as dedupe_key
from audiences
-- One ask at a time: an advocate invited in this run gets no milestone nudge in the same run.
where not (audience = 'one_from_milestone'
  and recipient_id in (select recipient_id from audiences where audience = 'moment_of_joy'))`;
  },
});
