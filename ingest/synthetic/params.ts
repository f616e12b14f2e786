/**
 * Every truth the synthetic demo plants, in one typed constant. Later models are tested by recovering these
 * numbers from the landed rows, so change a value here only together with TRUTHS.md (which states the
 * formulas) and bump `generatorVersion` (it feeds the batch id).
 *
 * Conventions: shares and probabilities are in [0, 1]; a `Mix` is a categorical distribution whose weights
 * sum to 1; the BG/NBD time unit is the week; money drawn from Gamma-Gamma is in major units of the
 * reporting currency before discount and tax.
 */

/** A categorical distribution: value -> probability (weights sum to 1). */
export type Mix = Readonly<Record<string, number>>;

export const REGIONS = ['NA', 'EMEA', 'APAC', 'Nordics'] as const;
export type Region = (typeof REGIONS)[number];

export const CHANNELS = ['paid_search', 'paid_social', 'email', 'organic', 'direct', 'referral'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Per-group BG/NBD parameters: lambda ~ Gamma(shape r, rate alpha) per week; dropout p ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Per-group Gamma-Gamma parameters: order value ~ Gamma(shape p, rate nu), nu ~ Gamma(shape q, rate gamma). */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export const SYNTHETIC_TRUTHS = {
  /** Bumped whenever generation changes; part of the batch id. */
  generatorVersion: 2,
  /** The unit of every BG/NBD rate and of T, t_x. */
  timeUnit: 'week',
  secondsPerWeek: 604_800,

  regions: {
    NA: { share: 0.4, currency: 'USD', taxRate: 0.07, countries: { US: 0.85, CA: 0.15 } },
    EMEA: { share: 0.3, currency: 'EUR', taxRate: 0.2, countries: { DE: 0.3, FR: 0.25, GB: 0.2, NL: 0.15, ES: 0.1 } },
    APAC: { share: 0.18, currency: 'USD', taxRate: 0.1, countries: { AU: 0.4, JP: 0.3, SG: 0.3 } },
    Nordics: { share: 0.12, currency: 'EUR', taxRate: 0.25, countries: { SE: 0.4, DK: 0.25, NO: 0.2, FI: 0.15 } },
  },
  /** US dollars per one unit of each currency; the demo config must carry the same fxRates (EUR: '1.08'). */
  usdPerUnit: { USD: '1', EUR: '1.08' },
  /** Among the programs eligible in a region (its regional programs, else the non-regional ones), by kind. */
  programKindWeight: { customer_referral: 3, partner: 1, affiliate: 1, pilot: 1 },
  /** Per-order product line, unless the customer's program fixes one. */
  productLineMix: { starter: 0.3, core: 0.5, premium: 0.2 },

  /** P(a customer signs up through a referral), by program kind (needs an earlier advocate in the program). */
  referredShare: { customer_referral: 0.25, partner: 0.35, affiliate: 0.35, pilot: 0.3 },
  /**
   * The share above is reached once a program has the advocates of its first `rampDays` days; before that it
   * scales with the number of earlier advocates (so each advocate's referral rate is steady from day one).
   * Realized share over the whole period: about referredShare * (1 - rampDays / (2 * days)).
   */
  referralRampDays: 60,
  /** Acquisition channel (last touch before sign-up) of non-referred customers who are not dark social. */
  acquisitionMix: { paid_search: 0.28, paid_social: 0.22, email: 0.1, organic: 0.25, direct: 0.15 },
  /** Non-referred customers who heard from a friend but arrived with no referral code or referral touch. */
  darkSocial: { share: 0.18, acquisitionMix: { direct: 0.6, organic: 0.4 } },

  /** NPS class of every (non-ring) customer; scores are uniform within the class. */
  nps: {
    classMix: { promoter: 0.4, passive: 0.35, detractor: 0.25 },
    scores: { promoter: [9, 10], passive: [7, 8], detractor: [0, 6] },
  },
  /** P(customer is an advocate who shares), by NPS class. */
  sharerProbability: { promoter: 0.3, passive: 0.1, detractor: 0.03 },
  /**
   * Advocate share intensity w ~ Exponential(1). A referred customer's advocate is drawn among the earlier
   * advocates of the same program with probability proportional to w (times the reward experiment's multiplier).
   */
  shareIntensity: { distribution: 'Exponential(1)', integerScale: 1_000_000 },

  /** First purchase: P(ever buys) by group, and the delay after sign-up ~ Exponential(mean days). */
  firstPurchase: { probability: { non_referred: 0.65, referred: 0.72 }, meanDelayDays: 2 },
  /** Repeat purchases after the first, per group (weeks). non_referred = the CDNOW fit of Fader, Hardie & Lee (2005). */
  bgnbd: {
    non_referred: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
    referred: { r: 0.35, alpha: 4.0, a: 0.6, b: 3.2 },
  } satisfies Record<string, BgNbdParams>,
  /** Gross order value in reporting-currency major units (mean p*gamma/(q-1): 40 and 48). */
  gammaGamma: {
    non_referred: { p: 6, q: 4, gamma: 20 },
    referred: { p: 6, q: 4, gamma: 24 },
  } satisfies Record<string, GammaGammaParams>,
  /** Repeat purchases are simulated up to min(J, ceil(lambda*T + sigmas*sqrt(lambda*T) + extra)); hits are counted. */
  purchaseCap: { sigmas: 6, extra: 10 },
  /** Marsaglia-Tsang candidates per Gamma draw; all rejected -> the mean, counted in the report. */
  gammaCandidates: 8,

  discounts: { promoShare: 0.12, promoRate: 0.1, doubleSidedRefereeRate: 0.2 },
  /** Exclusive outcomes per order: chargeback, else refund (full or partial), else paid. */
  refunds: {
    chargebackRate: 0.004,
    refundRate: 0.06,
    fullRefundShare: 0.6,
    partialRefundFraction: 0.3,
    refundWithinDays: 30,
    chargebackWithinDays: 60,
  },

  identity: {
    twoDeviceShare: 0.3,
    secondDeviceLoginWithinDays: 14,
    /** IPv6 addresses come from 2001:db8::/32; IPv4 ones from the three documentation /24s, equally. */
    ipv6Share: 0.5,
    ipv4Networks: ['192.0.2', '198.51.100', '203.0.113'],
  },
  touches: {
    /** Touches before sign-up: 1 acquisition touch + Geometric extra touches with this mean (at most journeyCap). */
    journeyExtraMean: 3,
    journeyCap: 30,
    /** A non-referred customer's acquisition touch comes up to this long before sign-up (referred: the click). */
    acquisitionBeforeSignupMaxSeconds: 1800,
    journeyWindowDays: 21,
    /** P(an earlier journey touch repeats the acquisition channel), non-referred only. */
    journeySameAsAcquisition: 0.4,
    /** Earlier journey touches that are not a repeat of the acquisition channel. Referred journeys never hold a referral touch before the click. */
    journeyMix: {
      non_referred: { paid_search: 0.25, paid_social: 0.25, email: 0.1, organic: 0.25, direct: 0.15 },
      referred: { paid_search: 0.1, paid_social: 0.15, email: 0.05, organic: 0.35, direct: 0.35 },
    },
    secondDeviceJourneyShare: 0.4,
    /** Post-sign-up touches not tied to an order: Geometric with this mean, uniform in [created_at, end). */
    engagementMean: 3,
    engagementCap: 40,
    /** The welcome page comes up to this long after sign-up. */
    welcomeWithinSeconds: 600,
    /** P(an engagement or order touch of a two-device customer is on the second device). */
    secondDeviceShare: 0.5,
    engagementMix: { email: 0.4, direct: 0.3, organic: 0.2, paid_social: 0.1 },
    /** P(a post-sign-up engagement touch carries customer_id). The sign-up and second-device login touches always do. */
    loggedInShare: 0.7,
    /** One touch per order, up to an hour before it. */
    orderMix: { direct: 0.35, email: 0.3, organic: 0.2, paid_search: 0.1, paid_social: 0.05 },
    orderTouchWithinSeconds: 3600,
    /** Anonymous visitors who never sign up, per customer; 1 + Geometric(mean) touches within 7 days. */
    visitorsPerCustomer: 0.7,
    visitorExtraMean: 0.8,
    visitorCap: 20,
    visitorWindowDays: 7,
    visitorMix: { paid_search: 0.25, paid_social: 0.35, email: 0.05, organic: 0.2, direct: 0.15 },
    paidSocialViewShare: 0.3,
    /** Referral touches always carry ?ref=CODE; this share also carries utm_source/utm_medium=referral. */
    referralUtmShare: 0.75,
  },
  /** How each channel is written into a touch's UTM fields and URLs (touch-channels.ts). */
  touchEncoding: {
    searchSource: { google: 0.8, bing: 0.2 },
    /** Brand searches use utm_term 'refstack shop'; generic ones 'gift ideas' or 'buy online' (1:1). */
    searchCampaign: { 'search-brand': 0.4, 'search-generic': 0.6 },
    socialSource: { facebook: 0.5, instagram: 0.3, tiktok: 0.2 },
    socialMedium: { paid_social: 0.7, cpc: 0.3 },
    socialCampaign: { 'social-prospecting': 0.6, 'social-retargeting': 0.4 },
    socialContent: { 'video-a': 0.5, 'carousel-b': 0.5 },
    emailSource: { newsletter: 0.6, crm: 0.4 },
    emailCampaign: { 'weekly-digest': 0.5, onboarding: 0.3, winback: 0.2 },
    organicReferrer: { 'https://www.google.com/': 0.75, 'https://www.bing.com/': 0.15, 'https://duckduckgo.com/': 0.1 },
    /** Organic visits landing on the blog rather than the home page. */
    organicBlogShare: 0.3,
  },

  referrals: {
    /** How the advocate shared, for each referred sign-up; only 'email' shares produce invited events. */
    shareChannelMix: { email: 0.35, sms: 0.1, link: 0.25, social: 0.15, whatsapp: 0.15 },
    clickBeforeSignupMaxSeconds: 7200,
    inviteBeforeClickMaxDays: 3,
    /** Invites that lead to no sign-up: floor(mu + U), mu = w * m * rate * weeks active in the segment. */
    extraInvitesPerWeek: 0.08,
    extraInviteClickRate: 0.25,
    extraInviteClickWithinDays: 2,
    /** Non-email link clicks that lead to no sign-up, same form as extra invites. */
    extraLinkClicksPerWeek: 0.04,
  },

  survey: {
    surveyId: 'onboarding-hdyhau-nps',
    responseShare: 0.35,
    minDelaySeconds: 3600,
    withinDays: 7,
    friendAnswer: 'A friend or colleague',
    referredAnswers: {
      'A friend or colleague': 0.8,
      Google: 0.07,
      'Facebook/Instagram': 0.05,
      Podcast: 0.03,
      Other: 0.05,
    },
    /** Non-referred, non-dark-social answers by acquisition channel (dark social answers the friend answer). */
    answersByChannel: {
      paid_search: { Google: 0.85, Other: 0.1, Podcast: 0.05 },
      organic: { Google: 0.8, Other: 0.15, Podcast: 0.05 },
      paid_social: { 'Facebook/Instagram': 0.85, Other: 0.1, Podcast: 0.05 },
      email: { Other: 0.5, Google: 0.3, Podcast: 0.2 },
      direct: { Other: 0.4, Podcast: 0.35, Google: 0.25 },
    },
    commentShare: 0.15,
  },

  experiments: {
    /** Windows are fractions of the observation period, rounded down to whole days. */
    rewardAmount: {
      id: 'reward-amount-2025',
      window: [0.35, 0.6],
      variants: ['control', 'treatment'],
      rewardUsdMinor: { control: 1000, treatment: 2000 },
      /** True relative lift in invites (and referrals) per advocate: treatment rate = 1.25 x control. */
      inviteRateMultiplier: 1.25,
    },
    doubleSided: {
      id: 'double-sided-2025',
      window: [0.6, 0.85],
      variants: ['one_sided', 'double_sided'],
      /** True relative lift in referee first-purchase (conversion) probability: 0.72 -> 0.828. */
      refereeConversionMultiplier: 1.15,
    },
    /** Advocates (sharers) signed up before the window's end are assigned at max(window start, sign-up). */
    treatmentShare: 0.5,
    /** Assignment bug: units with a second row in the other variant; their behaviour follows the first row. */
    doubleAssignedShare: 0.004,
    doubleAssignedWithinDays: 2,
  },

  fraudRing: {
    /** Ring advocates and their self-referred accounts; the first one is a 25-sign-up burst within one day. */
    advocates: [
      { atFraction: 0.45, referees: 25, spacingSeconds: 1200 },
      { atFraction: 0.62, referees: 12, spacingSeconds: 72_000 },
      { atFraction: 0.72, referees: 8, spacingSeconds: 216_000 },
    ],
    firstSignupHourUtc: 9,
    advocateLeadDays: 14,
    sharedIp: '203.0.113.66',
    /** Ring referees order 30-60 minutes after sign-up, 40.00-80.00 in local currency; advocates a day after, 25.00-45.00. */
    refereeOrderDelaySeconds: [1800, 3600],
    refereeOrderMinor: [4000, 8000],
    advocateOrderDelaySeconds: 86_400,
    advocateOrderMinor: [2500, 4500],
    /** Ring referees' single order: chargeback, else refunded in full, else paid. */
    refereeOrderOutcome: { chargeback: 0.25, refunded: 0.6, paid: 0.15 },
  },

  /**
   * raw.marketing_spend: per program, sign-up month, paid channel and region currency, the paid-acquired
   * (non-referred, acquisition channel paid_*) customers times the channel's CAC, in US cents converted to the
   * currency at usdPerUnit, times a seeded factor uniform in [1 - noise, 1 + noise], rounded to minor units.
   */
  marketingSpend: {
    cacUsdMinor: { paid_search: 4500, paid_social: 6000 },
    channelGroup: { paid_search: 'Paid Search', paid_social: 'Paid Social' },
    noise: 0.1,
  },

  support: {
    perOrderProbability: 0.08,
    minDelaySeconds: 3600,
    withinDays: 10,
    resolvedProbability: 0.88,
    channelMix: { chat: 0.5, email: 0.35, phone: 0.15 },
    topicMix: { shipping: 0.45, product: 0.3, billing: 0.15, account: 0.1 },
    /** CSAT 1..5 probabilities by NPS class when resolved; unresolved uses `unresolved` for every class. */
    csatResolved: {
      promoter: [0.01, 0.02, 0.07, 0.3, 0.6],
      passive: [0.03, 0.07, 0.2, 0.4, 0.3],
      detractor: [0.12, 0.18, 0.3, 0.25, 0.15],
    },
    csatUnresolved: [0.3, 0.3, 0.25, 0.1, 0.05],
  },
} as const;

export type SyntheticTruths = typeof SYNTHETIC_TRUTHS;
