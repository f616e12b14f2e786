import { defineModel } from '../../src/models/define-model.js';
import type { SqlDialect } from '../../src/warehouse/dialect.js';
import { latestPerKey } from './latest.js';
import { codeOwnersSql } from './referral-code-owners.js';

/** Provider vocabularies folded onto the landing types (canonical CSVs and older exports use these words). */
const TYPE_SYNONYMS: Record<string, string> = {
  send: 'sent',
  delivery: 'delivered',
  open: 'opened',
  click: 'clicked',
  bounce: 'bounced',
  hard_bounce: 'bounced',
  soft_bounce: 'bounced',
  unsubscribe: 'unsubscribed',
  unsub: 'unsubscribed',
  spamreport: 'spam_report',
  spam: 'spam_report',
  abuse: 'spam_report',
};

function eventTypeSql(d: SqlDialect, expr: string): string {
  const lower = `lower(trim(${expr}))`;
  const whens = Object.entries(TYPE_SYNONYMS)
    .map(([from, to]) => `when ${d.stringLiteral(from)} then ${d.stringLiteral(to)}`)
    .join(' ');
  return `case ${lower} ${whens} else ${lower} end`;
}

/**
 * Email events of referral invitations and other campaigns, cleaned: deduplicated, types normalized, the
 * recipient stitched to a person, and the advocate code of each event resolved, first hit wins:
 * `event` (the landed referral_code), `url` (the `?<urlParam>=` of a clicked link; `sources.emailEvents.urlParam`,
 * default `ref`), `send` (another event of the same send, `email_id`, carries one: an open of an invitation
 * whose click carried the code), `invite` (the latest `invited` referral event to the same recipient email at or
 * before the event, or up to one day after it, tolerating the two systems' clocks).
 */
export const stgEmailEvents = defineModel({
  name: 'stg_email_events',
  grain: 'one row per email event_id (the most recently landed version)',
  dependsOn: ['stg_identity_map', 'stg_customers'],
  columns: {
    event_id: 'provider event id (or hash of the event)',
    program_id: 'referral program',
    provider: 'hubspot | mailchimp | ... (lower-cased)',
    event_type: 'sent | delivered | opened | clicked | bounced | unsubscribed | spam_report (synonyms folded)',
    occurred_at: 'event time (UTC)',
    recipient_email: 'lower-cased, trimmed recipient address (PII)',
    customer_id: "the landed customer id, else the identity map's customer of the recipient email",
    person_id: 'the stitched person of the customer id or recipient email (stg_identity_map); NULL if unknown',
    campaign_id: 'email campaign / automation',
    email_id: 'the send (message) the event belongs to',
    referral_code: 'upper-cased advocate code of the invitation, NULL for emails that are not referral invitations',
    referral_code_source: "where referral_code came from: 'event' | 'url' | 'send' | 'invite'; NULL without a code",
    advocate_id: 'customer whose referral_code is the code (lowest id if shared); NULL if no customer owns it',
    url: 'clicked link',
  },
  build: ({ d, source, ref, config }) => {
    const param = (config.sources?.emailEvents?.urlParam ?? 'ref').replaceAll('.', '\\.');
    return `
with latest as (
  select * from ${source('email_events')}
  ${latestPerKey(d, 'event_id')}
),
base as (
  select
    e.event_id,
    e.program_id,
    lower(trim(e.provider)) as provider,
    ${eventTypeSql(d, 'e.event_type')} as event_type,
    e.occurred_at,
    ${d.normalizeText('e.recipient_email')} as recipient_email,
    nullif(trim(e.customer_id), '') as given_customer_id,
    nullif(trim(e.campaign_id), '') as campaign_id,
    nullif(trim(e.email_id), '') as email_id,
    upper(${d.normalizeText('e.referral_code')}) as code_event,
    upper(trim(${d.regexpExtract('e.url', `[?&]${param}=([^&#]+)`, 1)})) as code_url,
    nullif(trim(e.url), '') as url
  from latest e
),
send_codes as (
  select provider, email_id, min(coalesce(code_event, code_url)) as code
  from base
  where email_id is not null and coalesce(code_event, code_url) is not null
  group by provider, email_id
),
invites as (
  select upper(${d.normalizeText('referral_code')}) as code, ${d.normalizeText('referee_email')} as email, occurred_at
  from (
    select * from ${source('referral_events')}
    ${latestPerKey(d, 'event_id')}
  ) r
  where lower(trim(r.event_type)) = 'invited' and ${d.normalizeText('r.referee_email')} is not null
    and ${d.normalizeText('r.referral_code')} is not null
),
invite_codes as (
  select b.event_id, i.code
  from base b
  join invites i on i.email = b.recipient_email and i.occurred_at <= ${d.dateAdd('day', '1', 'b.occurred_at')}
  ${d.qualify('row_number() over (partition by b.event_id order by i.occurred_at desc, i.code) = 1', false)}
),
resolved as (
  select b.*,
    coalesce(b.code_event, b.code_url, sc.code, ic.code) as referral_code,
    case
      when b.code_event is not null then 'event'
      when b.code_url is not null then 'url'
      when sc.code is not null then 'send'
      when ic.code is not null then 'invite'
    end as referral_code_source
  from base b
  left join send_codes sc on sc.provider = b.provider and sc.email_id = b.email_id
  left join invite_codes ic on ic.event_id = b.event_id
),
codes as (${codeOwnersSql(ref('stg_customers'))})
select
  r.event_id,
  r.program_id,
  r.provider,
  r.event_type,
  r.occurred_at,
  r.recipient_email,
  coalesce(r.given_customer_id, me.customer_id) as customer_id,
  coalesce(mc.person_id, me.person_id) as person_id,
  r.campaign_id,
  r.email_id,
  r.referral_code,
  r.referral_code_source,
  codes.owner_id as advocate_id,
  r.url
from resolved r
left join ${ref('stg_identity_map')} mc on mc.identifier_type = 'customer_id' and mc.identifier = r.given_customer_id
left join ${ref('stg_identity_map')} me on me.identifier_type = 'email' and me.identifier = r.recipient_email
left join codes on codes.code = r.referral_code
`;
  },
});
