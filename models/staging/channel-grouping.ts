/**
 * Channel grouping: GA4's default channel group rules for manual (UTM / referrer) traffic, plus our own
 * `Referral Program` group ahead of them, as ONE pure table. The same table is evaluated in TS
 * (`channelGroupOf`) and compiled to an SQL `case` (`channelGroupSql`), so a test can hold both to the same
 * literal cases.
 *
 * Source: Google Analytics help, "[GA4] Default channel group", https://support.google.com/analytics/answer/9756891
 * (rules for manual traffic, in the order GA4 evaluates them, first match wins). Two simplifications:
 * - GA4 matches sources against internal category lists (thousands of sites, downloadable as a spreadsheet from
 *   that page). We keep a documented representative list per category (`SOURCE_CATEGORIES`), matched as a site
 *   name with any subdomain and up to two TLD labels (`google`, `www.google.co.uk`, `l.facebook.com`).
 * - Google Ads / DV360 / SA360 auto-tagged traffic (ad-network rules) is out of scope: touches carry UTMs.
 *
 * Inputs are GA4-style session fields, derived by stg_touches: `source` (utm_source, else the external referrer
 * host, else '(direct)'), `medium` (utm_medium, else 'organic' for a search referrer, 'referral' for another
 * external referrer, else '(none)'), `campaign` (utm_campaign) and `referral_code` (our `?ref=` code). All are
 * lower-cased except the code. A NULL field never matches.
 */
import type { SqlDialect } from '../../src/warehouse/dialect.js';

export const CHANNEL_GROUPS = [
  'Referral Program',
  'Direct',
  'Cross-network',
  'Paid Shopping',
  'Paid Search',
  'Paid Social',
  'Paid Video',
  'Display',
  'Paid Other',
  'Organic Shopping',
  'Organic Social',
  'Organic Video',
  'Organic Search',
  'Email',
  'Affiliates',
  'Referral',
  'Audio',
  'SMS',
  'Mobile Push Notifications',
  'Unassigned',
] as const;
export type ChannelGroup = (typeof CHANNEL_GROUPS)[number];

export type ChannelField = 'source' | 'medium' | 'campaign' | 'referral_code';

/** A rule's condition. Regexes are RE2/JavaScript-common syntax, matched unanchored (patterns anchor themselves). */
export type ChannelCondition =
  | { in: ChannelField; values: readonly string[] }
  | { regex: ChannelField; pattern: string }
  | { present: ChannelField }
  | { all: readonly ChannelCondition[] }
  | { any: readonly ChannelCondition[] };

export interface ChannelRule {
  group: ChannelGroup;
  when: ChannelCondition;
}

export type ChannelInput = Record<ChannelField, string | null>;

/**
 * Representative source lists for GA4's source categories (the full lists are Google's spreadsheet). Entries are
 * regex fragments for a site name; dots are escaped where the entry is a whole host (`t\.co`).
 */
export const SOURCE_CATEGORIES = {
  search: ['google', 'bing', 'yahoo', 'duckduckgo', 'baidu', 'yandex', 'ecosia', 'naver', 'ask', 'aol', 'qwant'],
  social: [
    'facebook',
    'fb',
    'instagram',
    'tiktok',
    'linkedin',
    'lnkd\\.in',
    'twitter',
    't\\.co',
    'x\\.com',
    'pinterest',
    'reddit',
    'snapchat',
    'whatsapp',
    'wa\\.me',
    't\\.me',
    'telegram',
    'threads\\.net',
    'tumblr',
    'quora',
    'discord',
  ],
  video: ['youtube', 'youtu\\.be', 'vimeo', 'twitch', 'dailymotion', 'wistia'],
  shopping: ['amazon', 'ebay', 'etsy', 'walmart', 'aliexpress', 'alibaba', 'rakuten', 'mercadolibre', 'shop\\.app'],
} as const;

/** A full-match pattern for a source in a category: the site name, any subdomains, up to two TLD labels. */
export function sourceCategoryPattern(names: readonly string[]): string {
  return `^([a-z0-9-]+\\.)*(${names.join('|')})(\\.[a-z]{2,3}){0,2}$`;
}

/** GA4's paid-medium regex. */
export const PAID_MEDIUM = '^(.*cp.*|ppc|retargeting|paid.*)$';
/** GA4's shopping-campaign regex. */
export const SHOPPING_CAMPAIGN = '^(.*(([^a-df-z]|^)shop|shopping).*)$';
const EMAIL = '^(email|e-mail|e_mail|e mail)$';

export interface ChannelRuleOptions {
  /** utm_source values that, with utm_medium 'referral', mean our referral program (lower-case). */
  referralSources: readonly string[];
  /** Program ids: utm_medium 'referral' with utm_campaign = a program id also means our program. */
  programIds: readonly string[];
}

/** The rules, in evaluation order; the first match wins, and `Unassigned` is the fallback. */
export function channelRules(options: ChannelRuleOptions): ChannelRule[] {
  const src = (names: readonly string[]): ChannelCondition => ({
    regex: 'source',
    pattern: sourceCategoryPattern(names),
  });
  const paid: ChannelCondition = { regex: 'medium', pattern: PAID_MEDIUM };
  const shopCampaign: ChannelCondition = { regex: 'campaign', pattern: SHOPPING_CAMPAIGN };
  const c = SOURCE_CATEGORIES;
  const referralMedium: ChannelCondition = { in: 'medium', values: ['referral'] };
  return [
    // Ours, ahead of GA4: a ?ref= code on the landing page, or our own UTM tagging of referral links.
    {
      group: 'Referral Program',
      when: {
        any: [
          { present: 'referral_code' },
          { all: [referralMedium, { in: 'source', values: options.referralSources }] },
          { all: [referralMedium, { in: 'campaign', values: options.programIds }] },
        ],
      },
    },
    {
      group: 'Direct',
      when: {
        all: [
          { in: 'source', values: ['(direct)'] },
          { in: 'medium', values: ['(not set)', '(none)'] },
        ],
      },
    },
    { group: 'Cross-network', when: { regex: 'campaign', pattern: 'cross-network' } },
    { group: 'Paid Shopping', when: { all: [{ any: [src(c.shopping), shopCampaign] }, paid] } },
    { group: 'Paid Search', when: { all: [src(c.search), paid] } },
    { group: 'Paid Social', when: { all: [src(c.social), paid] } },
    { group: 'Paid Video', when: { all: [src(c.video), paid] } },
    {
      group: 'Display',
      when: { in: 'medium', values: ['display', 'banner', 'expandable', 'interstitial', 'cpm'] },
    },
    { group: 'Paid Other', when: paid },
    { group: 'Organic Shopping', when: { any: [src(c.shopping), shopCampaign] } },
    {
      group: 'Organic Social',
      when: {
        any: [
          src(c.social),
          {
            in: 'medium',
            values: ['social', 'social-network', 'social-media', 'sm', 'social network', 'social media'],
          },
        ],
      },
    },
    { group: 'Organic Video', when: { any: [src(c.video), { regex: 'medium', pattern: '^(.*video.*)$' }] } },
    { group: 'Organic Search', when: { any: [src(c.search), { in: 'medium', values: ['organic'] }] } },
    {
      group: 'Email',
      when: {
        any: [
          { regex: 'source', pattern: EMAIL },
          { regex: 'medium', pattern: EMAIL },
        ],
      },
    },
    { group: 'Affiliates', when: { in: 'medium', values: ['affiliate'] } },
    { group: 'Referral', when: { in: 'medium', values: ['referral', 'app', 'link'] } },
    { group: 'Audio', when: { in: 'medium', values: ['audio'] } },
    {
      group: 'SMS',
      when: {
        any: [
          { in: 'source', values: ['sms'] },
          { in: 'medium', values: ['sms'] },
        ],
      },
    },
    {
      group: 'Mobile Push Notifications',
      when: {
        any: [
          { regex: 'medium', pattern: '(push$|mobile|notification)' },
          { in: 'source', values: ['firebase'] },
        ],
      },
    },
  ];
}

function holds(cond: ChannelCondition, input: ChannelInput): boolean {
  if ('all' in cond) return cond.all.every((c) => holds(c, input));
  if ('any' in cond) return cond.any.some((c) => holds(c, input));
  if ('present' in cond) return input[cond.present] != null;
  if ('in' in cond) {
    const v = input[cond.in];
    return v != null && cond.values.includes(v);
  }
  const v = input[cond.regex];
  return v != null && new RegExp(cond.pattern).test(v);
}

/**
 * The channel group of one touch, evaluated in TS.
 * @example channelGroupOf({ source: 'google', medium: 'cpc', campaign: null, referral_code: null }, rules) // 'Paid Search'
 */
export function channelGroupOf(input: ChannelInput, rules: readonly ChannelRule[]): ChannelGroup {
  return rules.find((r) => holds(r.when, input))?.group ?? 'Unassigned';
}

function conditionSql(d: SqlDialect, cond: ChannelCondition, cols: Record<ChannelField, string>): string {
  if ('all' in cond) return `(${cond.all.map((c) => conditionSql(d, c, cols)).join(' and ')})`;
  if ('any' in cond) return `(${cond.any.map((c) => conditionSql(d, c, cols)).join(' or ')})`;
  if ('present' in cond) return `(${cols[cond.present]} is not null)`;
  // coalesce(..., false): a NULL field never matches, as in TS (three-valued logic would differ under `not`).
  if ('in' in cond) {
    if (cond.values.length === 0) return 'false';
    return `coalesce(${cols[cond.in]} in (${cond.values.map((v) => d.stringLiteral(v)).join(', ')}), false)`;
  }
  return `coalesce(${d.regexpMatches(cols[cond.regex], cond.pattern)}, false)`;
}

/**
 * The rules as an SQL `case` expression over the given column expressions.
 * @example channelGroupSql(d, rules, { source: 't.source', medium: 't.medium', campaign: 't.campaign', referral_code: 't.referral_code' })
 */
export function channelGroupSql(
  d: SqlDialect,
  rules: readonly ChannelRule[],
  cols: Record<ChannelField, string>,
): string {
  const whens = rules.map((r) => `    when ${conditionSql(d, r.when, cols)} then ${d.stringLiteral(r.group)}`);
  return `case\n${whens.join('\n')}\n    else 'Unassigned'\n  end`;
}
