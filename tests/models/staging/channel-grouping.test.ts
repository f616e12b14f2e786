import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHANNEL_GROUPS,
  channelGroupOf,
  channelGroupSql,
  channelRules,
  type ChannelGroup,
  type ChannelInput,
} from '../../../models/staging/channel-grouping.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { memoryWarehouse } from '../../helpers/landing.js';

const rules = channelRules({ referralSources: ['referral'], programIds: ['friends', 'partners'] });

/**
 * Literal cases: [source, medium, campaign, referral_code, expected group]. Expected groups follow the rule text of
 * "[GA4] Default channel group", https://support.google.com/analytics/answer/9756891 (manual traffic, first match
 * wins), plus our Referral Program rule first; the comment says which rule decides.
 */
const CASES: [string, string, string | null, string | null, ChannelGroup][] = [
  // Ours: a ?ref= code wins over everything, even a paid tag; or our own UTM tagging of referral links.
  ['google', 'cpc', null, 'RABC1234', 'Referral Program'],
  ['referral', 'referral', 'friends', null, 'Referral Program'],
  ['partner-blog', 'referral', 'partners', null, 'Referral Program'],
  ['(direct)', '(none)', null, 'R0000001', 'Referral Program'],
  // Direct: source (direct) and medium (none) | (not set).
  ['(direct)', '(none)', null, null, 'Direct'],
  ['(direct)', '(not set)', null, null, 'Direct'],
  // Cross-network: campaign contains "cross-network" (checked before any paid rule).
  ['google', 'cpc', 'pmax-cross-network-q3', null, 'Cross-network'],
  // Paid Shopping: (shopping site OR shopping campaign) AND paid medium.
  ['amazon', 'cpc', null, null, 'Paid Shopping'],
  ['google', 'cpc', 'summer-shopping', null, 'Paid Shopping'],
  ['google', 'paid', 'eshop-promo', null, 'Paid Shopping'],
  // Paid Search: search site AND medium ^(.*cp.*|ppc|retargeting|paid.*)$.
  ['google', 'cpc', 'search-brand', null, 'Paid Search'],
  ['www.bing.com', 'ppc', null, null, 'Paid Search'],
  ['yahoo', 'retargeting', null, null, 'Paid Search'],
  // Paid Social: social site AND paid medium ('paid_social' matches paid.*).
  ['facebook', 'paid_social', 'social-prospecting', null, 'Paid Social'],
  ['tiktok', 'cpc', null, null, 'Paid Social'],
  ['l.instagram.com', 'cpm', null, null, 'Paid Social'],
  // Paid Video: video site AND paid medium.
  ['youtube', 'cpv', null, null, 'Paid Video'],
  // Display: medium one of display, banner, expandable, interstitial, cpm (no category site).
  ['adnetwork', 'display', null, null, 'Display'],
  ['adnetwork', 'cpm', null, null, 'Display'],
  // Paid Other: paid medium, no category matched above.
  ['podcastads', 'paid', null, null, 'Paid Other'],
  ['newsletter-sponsor', 'cpa', null, null, 'Paid Other'],
  // Organic Shopping: shopping site OR shopping campaign (unpaid).
  ['etsy.com', 'referral', null, null, 'Organic Shopping'],
  ['instagram', 'social', 'shop-the-look', null, 'Organic Shopping'],
  // Organic Social: social site OR a social medium.
  ['l.facebook.com', 'referral', null, null, 'Organic Social'],
  ['mastodon', 'social', null, null, 'Organic Social'],
  ['wa.me', 'referral', null, null, 'Organic Social'],
  // Organic Video: video site OR medium contains "video".
  ['vimeo.com', 'referral', null, null, 'Organic Video'],
  ['partnersite', 'video', null, null, 'Organic Video'],
  // Organic Search: search site OR medium organic.
  ['google.com', 'organic', null, null, 'Organic Search'],
  ['duckduckgo.com', 'referral', null, null, 'Organic Search'],
  ['someengine', 'organic', null, null, 'Organic Search'],
  // Email: source or medium email | e-mail | e_mail | e mail.
  ['newsletter', 'email', 'weekly-digest', null, 'Email'],
  ['e-mail', '(not set)', null, null, 'Email'],
  // Affiliates: medium affiliate.
  ['couponsite', 'affiliate', null, null, 'Affiliates'],
  // Referral: medium referral | app | link (not our program's tagging).
  ['blog.example.org', 'referral', null, null, 'Referral'],
  ['referral', 'referral', 'unknown-campaign', null, 'Referral Program'],
  ['partnerapp', 'app', null, null, 'Referral'],
  // Audio, SMS, Mobile Push Notifications.
  ['spotify-ads', 'audio', null, null, 'Audio'],
  ['sms', '(not set)', null, null, 'SMS'],
  ['twilio', 'sms', null, null, 'SMS'],
  ['braze', 'web-push', null, null, 'Mobile Push Notifications'],
  ['firebase', 'inapp', null, null, 'Mobile Push Notifications'],
  ['onesignal', 'mobile-alert', null, null, 'Mobile Push Notifications'],
  // Unassigned: nothing matched (a source without a medium, an unknown medium).
  ['newsletter', '(not set)', null, null, 'Unassigned'],
  ['crm', 'weird', null, null, 'Unassigned'],
  // Boundaries of the category patterns: not a search site by substring.
  ['googleadservices-fake', 'cpc', null, null, 'Paid Other'],
  ['box.com', 'referral', null, null, 'Referral'],
];

const input = ([source, medium, campaign, code]: (typeof CASES)[number]): ChannelInput => ({
  source,
  medium,
  campaign,
  referral_code: code,
});

describe('channel grouping rules', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await memoryWarehouse();
  });
  afterAll(async () => {
    await wh.close();
  });

  it('has literal cases covering every group', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
    expect(new Set(CASES.map((c) => c[4]))).toEqual(new Set(CHANNEL_GROUPS));
  });

  it('classifies the cases in TS as the GA4 rules say', () => {
    const got = CASES.map((c) => [c.slice(0, 4).join(' / '), channelGroupOf(input(c), rules)]);
    expect(got).toEqual(CASES.map((c) => [c.slice(0, 4).join(' / '), c[4]]));
  });

  it('classifies the same cases identically in SQL (the generated case expression on DuckDB)', async () => {
    const d = wh.dialect;
    const lit = (v: string | null) => (v === null ? 'cast(null as varchar)' : d.stringLiteral(v));
    const values = CASES.map(
      (c, i) =>
        `select ${i} as i, ${c
          .slice(0, 4)
          .map((v) => lit(v))
          .join(', ')}`,
    );
    const sql = `select i, ${channelGroupSql(d, rules, { source: 's', medium: 'm', campaign: 'c', referral_code: 'r' })} as g
      from (${values.join(' union all ')}) t(i, s, m, c, r) order by i`;
    const rows = await wh.query<{ i: number; g: string }>(sql);
    expect(rows.map((r) => r.g)).toEqual(CASES.map((c) => c[4]));
  });

  it('treats a NULL campaign or code as no match in both engines', async () => {
    const c: ChannelInput = { source: 'google', medium: 'cpc', campaign: null, referral_code: null };
    expect(channelGroupOf(c, rules)).toBe('Paid Search');
    const rows = await wh.query<{ g: string }>(
      `select ${channelGroupSql(wh.dialect, rules, { source: "'google'", medium: "'cpc'", campaign: 'null', referral_code: 'null' })} as g`,
    );
    expect(rows[0]?.g).toBe('Paid Search');
  });
});
