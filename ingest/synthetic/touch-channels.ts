/**
 * How a channel looks in a raw touch (UTM fields, referrer, landing page, touch type). The marketing channels:
 * - paid_search: utm_medium cpc, utm_source google | bing, search referrer, click
 * - paid_social: utm_medium paid_social | cpc, utm_source facebook | instagram | tiktok; a share are views
 *   (impressions: no page or referrer), the rest clicks
 * - email: utm_medium email, utm_source newsletter | crm, click
 * - organic: no UTM, a search-engine referrer, visit
 * - direct: nothing, visit
 * - referral: page_url with ?ref=CODE, most also utm_source = utm_medium = referral, click
 * Two non-marketing kinds: 'internal' (the welcome page right after sign-up, referred from the site itself)
 * and 'login' (a typed-in login on a second device).
 */
import { SYNTHETIC_TRUTHS as X } from './params.js';
import { caseOf, categorical } from './sql.js';
import type { Gen } from './stage.js';

const SITE = 'https://shop.example.com/';

/**
 * Wraps a base query (columns part, a, b, k, ch, code, share_channel, program_id, ...) into one that adds
 * touch_type, utm_*, referrer_url and page_url. The uniforms are keyed on the touch's row number `rn` (unique).
 */
export function withTouchColumns(g: Gen, base: string): string {
  const { d, rng } = g;
  const keys = ['rn'];
  const lit = d.stringLiteral;
  const tx = X.touches;
  const te = X.touchEncoding;
  return `(
  select *,
    case when view then null
      when ch in ('paid_search', 'paid_social', 'email') then '${SITE}?utm_source=' || utm_source || '&utm_medium=' || utm_medium || '&utm_campaign=' || utm_campaign
        || coalesce('&utm_content=' || utm_content, '') || coalesce('&utm_term=' || replace(utm_term, ' ', '+'), '')
      when ch = 'referral' then '${SITE}r?ref=' || code || coalesce('&utm_source=referral&utm_medium=referral&utm_campaign=' || utm_campaign, '')
      when ch = 'organic' and ub < ${te.organicBlogShare} then '${SITE}blog/refer-a-friend'
      when ch = 'login' then '${SITE}login'
      when ch = 'internal' then '${SITE}account/welcome'
      else '${SITE}' end as page_url
  from (
    select *,
      case when view then 'view' when ch in ('paid_search', 'paid_social', 'email', 'referral') then 'click' else 'visit' end as touch_type,
      case ch when 'paid_search' then 'cpc' when 'paid_social' then ${categorical(d, 'ub', te.socialMedium)}
        when 'email' then 'email' when 'referral' then (case when utm_source is not null then 'referral' end) end as utm_medium,
      case ch when 'paid_search' then ${categorical(d, 'uc', te.searchCampaign)}
        when 'paid_social' then ${categorical(d, 'uc', te.socialCampaign)}
        when 'email' then ${categorical(d, 'uc', te.emailCampaign)}
        when 'referral' then (case when utm_source is not null then program_id end) end as utm_campaign,
      case when ch = 'paid_social' then ${categorical(d, 'ue', te.socialContent)} end as utm_content,
      case when ch = 'paid_search' then (case when ${categorical(d, 'uc', te.searchCampaign)} = 'search-brand' then 'refstack shop'
        when ub < 0.5 then 'gift ideas' else 'buy online' end) end as utm_term,
      case when view then null
        when ch = 'paid_search' then (case when utm_source = 'google' then 'https://www.google.com/' else 'https://www.bing.com/' end)
        when ch = 'paid_social' then ${caseOf(d, 'utm_source', { facebook: lit('https://l.facebook.com/'), instagram: lit('https://l.instagram.com/') }, lit('https://www.tiktok.com/'))}
        when ch = 'organic' then ${categorical(d, 'ua', te.organicReferrer)}
        when ch = 'referral' then ${caseOf(d, 'share_channel', { whatsapp: lit('https://wa.me/'), social: lit('https://l.facebook.com/') })}
        when ch = 'internal' then '${SITE}signup' end as referrer_url
    from (
      select *,
        ch = 'paid_social' and ud < ${tx.paidSocialViewShare} as view,
        case ch when 'paid_search' then ${categorical(d, 'ua', te.searchSource)}
          when 'paid_social' then ${categorical(d, 'ua', te.socialSource)}
          when 'email' then ${categorical(d, 'ua', te.emailSource)}
          when 'referral' then (case when ua < ${tx.referralUtmShare} then 'referral' end) end as utm_source
      from (
        select *, ${rng.u(keys, 'touch.a')} as ua, ${rng.u(keys, 'touch.b')} as ub, ${rng.u(keys, 'touch.c')} as uc,
          ${rng.u(keys, 'touch.d')} as ud, ${rng.u(keys, 'touch.e')} as ue
        from (${base})
      )
    )
  )
)`;
}
