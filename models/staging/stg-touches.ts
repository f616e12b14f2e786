import { defineModel } from '../../src/models/define-model.js';
import type { SqlDialect } from '../../src/warehouse/dialect.js';
import { channelGroupSql, channelRules, SOURCE_CATEGORIES, sourceCategoryPattern } from './channel-grouping.js';
import { stagingOptions } from './identity/config.js';
import { latestRowsSql } from './latest.js';

/** SQL: the lower-cased host of a URL without a leading "www.", NULL when the URL has no scheme://host. */
function hostSql(d: SqlDialect, url: string): string {
  const host = d.regexpExtract(`lower(trim(${url}))`, '^[a-z][a-z0-9+.-]*://([^/?#:@]+)', 1);
  return `(case when ${host} like 'www.%' then substr(${host}, 5) else ${host} end)`;
}

/**
 * Touches, cleaned: the latest landed version of each touch, UTM fields lower-cased and trimmed, the referral code
 * of a `?ref=CODE` landing page, GA4-style source and medium, the channel group (see `channel-grouping.ts`), and the
 * person from stg_identity_map.
 *
 * Source and medium follow GA4: with any UTM field present, utm_source / utm_medium (missing ones '(not set)');
 * else an external referrer gives source = its host and medium 'organic' (a search site) or 'referral'; else
 * '(direct)' / '(none)'. A referrer on one of the site's own hosts (`touches.ownDomains`, default: every page_url
 * host in the data; subdomains included) is internal navigation and counts as no referrer.
 *
 * person_id: the touch's customer, else the person its anonymous id was identified as, else the person its device
 * was seen with, else its anonymous id's own (anonymous) person. `person_source` says which.
 */
export const stgTouches = defineModel({
  name: 'stg_touches',
  grain: 'one row per touch_id (the most recently landed version)',
  dependsOn: ['stg_identity_map'],
  columns: {
    touch_id: 'source touch id',
    program_id: 'referral program',
    person_id: 'stitched person (stg_identity_map)',
    person_source: 'customer_id | anonymous_id | device_id | anonymous: which identifier gave person_id',
    customer_id: 'the logged-in customer, when the touch carries one',
    anonymous_id: 'cookie / device-scoped visitor id',
    device_id: 'device fingerprint',
    occurred_at: 'touch time (UTC)',
    touch_type: 'click | view | visit (lower-cased)',
    utm_source: 'lower-cased, trimmed; NULL when empty',
    utm_medium: 'lower-cased, trimmed; NULL when empty',
    utm_campaign: 'lower-cased, trimmed; NULL when empty',
    utm_content: 'lower-cased, trimmed; NULL when empty',
    utm_term: 'lower-cased, trimmed; NULL when empty',
    referrer_url: 'trimmed; NULL when empty',
    referrer_host: "lower-cased host of referrer_url without 'www.'",
    page_url: 'landing page, trimmed',
    page_host: "lower-cased host of page_url without 'www.'",
    ip: 'PII',
    referral_code: 'upper-cased code from the ?ref= (or &ref=) parameter of page_url',
    is_internal_referrer: "referrer_host is one of the site's own hosts",
    source: 'GA4-style session source (see the model note)',
    medium: 'GA4-style session medium',
    channel_group: 'GA4 default channel group, with Referral Program ahead of it',
    is_direct: "channel_group = 'Direct'",
  },
  build: ({ d, ref, source, config }) => {
    const { touches: opts } = stagingOptions(config);
    const rules = channelRules({ referralSources: opts.referralSources, programIds: config.programs.map((p) => p.id) });
    const param = opts.refParam.toLowerCase();
    const own =
      opts.ownDomains.length > 0
        ? opts.ownDomains.map((h) => `select ${d.stringLiteral(h.replace(/^www\./, ''))} as domain`).join(' union all ')
        : `select distinct page_host as domain from cleaned where page_host is not null`;
    const searchSite = d.regexpMatches('c.referrer_host', sourceCategoryPattern(SOURCE_CATEGORIES.search));
    const text = (col: string) => `nullif(trim(${col}), '')`;
    const map = ref('stg_identity_map');
    return `
with latest as (
  ${latestRowsSql(d, source('touches'), 'touch_id')}
),
cleaned as (
  select
    touch_id, program_id,
    ${text('anonymous_id')} as anonymous_id, ${text('customer_id')} as customer_id, ${text('device_id')} as device_id,
    occurred_at, ${d.normalizeText('touch_type')} as touch_type,
    ${d.normalizeText('utm_source')} as utm_source, ${d.normalizeText('utm_medium')} as utm_medium,
    ${d.normalizeText('utm_campaign')} as utm_campaign, ${d.normalizeText('utm_content')} as utm_content,
    ${d.normalizeText('utm_term')} as utm_term,
    ${text('referrer_url')} as referrer_url, ${hostSql(d, 'referrer_url')} as referrer_host,
    ${text('page_url')} as page_url, ${hostSql(d, 'page_url')} as page_host,
    ${text('ip')} as ip,
    upper(trim(${d.regexpExtract('lower(page_url)', `[?&]${param}=([^&#]+)`, 1)})) as referral_code
  from latest
),
own as (${own}),
flagged as (
  select c.*,
    coalesce(c.referrer_host is not null and exists (
      select 1 from own o where c.referrer_host = o.domain or c.referrer_host like ('%.' || o.domain)
    ), false) as is_internal_referrer
  from cleaned c
),
sourced as (
  select c.*,
    case
      when c.utm_source is not null or c.utm_medium is not null or c.utm_campaign is not null
        then coalesce(c.utm_source, '(not set)')
      when c.referrer_host is not null and not c.is_internal_referrer then c.referrer_host
      else '(direct)'
    end as source,
    case
      when c.utm_source is not null or c.utm_medium is not null or c.utm_campaign is not null
        then coalesce(c.utm_medium, '(not set)')
      when c.referrer_host is not null and not c.is_internal_referrer
        then (case when coalesce(${searchSite}, false) then 'organic' else 'referral' end)
      else '(none)'
    end as medium
  from flagged c
),
grouped as (
  select s.*,
    ${channelGroupSql(d, rules, { source: 's.source', medium: 's.medium', campaign: 's.utm_campaign', referral_code: 's.referral_code' })} as channel_group
  from sourced s
)
select
  g.touch_id,
  g.program_id,
  coalesce(c.person_id, case when a.customer_count > 0 then a.person_id end,
    case when v.customer_count > 0 then v.person_id end, a.person_id) as person_id,
  case
    when c.person_id is not null then 'customer_id'
    when a.customer_count > 0 then 'anonymous_id'
    when v.customer_count > 0 then 'device_id'
    else 'anonymous'
  end as person_source,
  g.customer_id, g.anonymous_id, g.device_id, g.occurred_at, g.touch_type,
  g.utm_source, g.utm_medium, g.utm_campaign, g.utm_content, g.utm_term,
  g.referrer_url, g.referrer_host, g.page_url, g.page_host, g.ip, g.referral_code, g.is_internal_referrer,
  g.source, g.medium, g.channel_group, g.channel_group = 'Direct' as is_direct
from grouped g
left join ${map} c on c.identifier_type = 'customer_id' and c.identifier = g.customer_id
left join ${map} a on a.identifier_type = 'anonymous_id' and a.identifier = g.anonymous_id
left join ${map} v on v.identifier_type = 'device_id' and v.identifier = g.device_id
`;
  },
});
