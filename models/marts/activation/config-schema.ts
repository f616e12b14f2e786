/**
 * Activation (config key `activation`): referral codes and share links, trigger audiences (moments of joy,
 * thank-yous, reward news, milestones, quiet advocates), the random audit sample, alert rules and the sync targets.
 * Every key has a default. Until the lead plugs `activationConfigSchema` into src/config.ts, `activationConfig`
 * reads `config.activation` when present and falls back to the defaults. Secrets (the code HMAC secret, API tokens,
 * the webhook URL) never live here: they come from the environment.
 */
import { z } from 'zod';

const positiveInt = (what: string) =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` });
const days = () =>
  z
    .number({ error: 'expected a whole number of days' })
    .int({ error: 'expected a whole number of days' })
    .min(1, { error: 'expected at least 1 day' })
    .max(3650, { error: 'expected at most 3650 days' });
const minor = (what: string) =>
  z
    .number({ error: `expected ${what} as integer minor units` })
    .int({ error: `expected ${what} as integer minor units` })
    .min(0, { error: `expected ${what} as non-negative integer minor units` });
const share = (what: string) =>
  z
    .number({ error: `expected ${what} in [0, 1]` })
    .min(0)
    .max(1);

/** Where a share link is meant to be posted; each gets its own UTM-tagged link. */
export const SHARE_CHANNELS = ['email', 'whatsapp', 'instagram', 'x', 'linkedin', 'copy_link'] as const;
export type ShareChannel = (typeof SHARE_CHANNELS)[number];

export const codesConfigSchema = z
  .object({
    /** Characters per code (Crockford base32 without I, L, O, U: 32 symbols, 5 bits each). 8 gives 32^8 = 1.1e12. */
    length: z.number().int().min(6, { error: 'expected at least 6 characters' }).max(16).default(8),
    /** The landing page the links point at; `?ref=CODE` and the UTM parameters are added to it. */
    linkBase: z
      .url({ error: 'expected an absolute URL like "https://shop.example.com/invite"' })
      .default('https://example.com/'),
    /** utm_medium of every link (utm_source is the share channel, utm_campaign the program id). */
    utmMedium: z.string().min(1).default('referral'),
    channels: z
      .array(z.enum(SHARE_CHANNELS))
      .min(1)
      .default([...SHARE_CHANNELS]),
    /** Order statuses that make a customer an eligible advocate. */
    eligibleOrderStatuses: z.array(z.string().min(1)).min(1).default(['paid', 'partially_refunded']),
    /** Orders in those statuses needed to become eligible. */
    minPaidOrders: positiveInt('a positive number of orders').default(1),
    /**
     * Keep a customer's code from the source system (raw.customers.referral_code) as their refstack code, so the
     * links match what they already share; otherwise every eligible advocate gets a new code.
     */
    adoptSourceCodes: z.boolean().default(true),
  })
  .strict();

export const audiencesConfigSchema = z
  .object({
    /** A moment of joy (or a referral, reward, payout, tier) counts when it happened at most this many days ago. */
    windowDays: days().default(14),
    /** No invitation to an advocate invited (a notification with an invite.* template) in the last N days. */
    frequencyCapDays: days().default(30),
    /** NPS answers at or above this are promoters. */
    promoterMinScore: z.number().int().min(0).max(10).default(9),
    /** Support interactions resolved with CSAT at or above this are positive. */
    positiveSupportMinSatisfaction: z.number().int().min(1).max(5).default(4),
    /** Converted-referral counts that are milestones (reached: moment of joy; one short: a nudge). */
    milestones: z.array(positiveInt('a positive number of referrals')).default([1, 5, 10, 25]),
    /** An advocate with referrals but no referral activity for this many days has gone quiet. */
    quietAfterDays: days().default(90),
  })
  .strict();

export const auditSampleConfigSchema = z
  .object({
    /**
     * Share of converted referrals sampled for manual audit in each stratum. Off by default: a sampled referral is
     * held from payout until someone decides it in the review queue, so switching audits on is a policy choice
     * (e.g. 0.02) for a team that staffs the queue.
     */
    rate: share('a sampling rate').default(0),
    /**
     * Upper bounds (exclusive, reporting-currency minor units) of the commission-base strata; the last stratum is
     * everything at or above the last bound. Default: under 50.00, 50.00-199.99, 200.00 and up.
     */
    strataBoundsMinor: z.array(minor('a stratum bound')).default([5_000, 20_000]),
    /** Every stratum with a converted referral gets at least this many sampled (when `rate` is above 0). */
    minPerStratum: z.number().int().min(0).default(1),
    /** Salt of the deterministic hash that draws the sample; change it to draw a different sample. */
    seed: z.string().min(1).default('refstack-audit'),
  })
  .strict();

export const alertsConfigSchema = z
  .object({
    /** Referrals in the last day above this multiple of the trailing 28-day daily mean. */
    velocitySpikeRatio: z.number().positive().default(3),
    /** Minimum referrals in the last day before a spike can fire. */
    velocityMinReferrals: z.number().int().min(0).default(10),
    /** Share of the last 7 days' referrals flagged by fraud_scores above which a surge fires. */
    fraudSurgeShare: share('a share').default(0.1),
    /** Absolute attribution reconciliation difference (minor units) above which drift fires. */
    reconciliationToleranceMinor: minor('a tolerance').default(0),
    /** A landing source whose newest row is this many hours older than the newest data overall is stale. */
    staleSourceHours: z.number().positive().default(72),
    /** Held plus approved-unpaid liability above this fires (reporting-currency minor units); absent: never. */
    liabilityBudgetMinor: minor('a budget').optional(),
  })
  .strict();

export const syncConfigSchema = z
  .object({
    /** HubSpot CRM v3 contacts batch upsert (at most 100 inputs per call). */
    hubspot: z
      .object({
        baseUrl: z.url().default('https://api.hubapi.com'),
        batchSize: z.number().int().min(1).max(100).default(100),
      })
      .strict()
      .default({ baseUrl: 'https://api.hubapi.com', batchSize: 100 }),
    /** Salesforce composite sObject collections upsert by external id (at most 200 records per call). */
    salesforce: z
      .object({
        apiVersion: z
          .string()
          .regex(/^\d{2,3}\.\d$/, { error: 'expected an API version like "60.0"' })
          .default('60.0'),
        externalIdField: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9_]*__c$/, { error: 'expected a custom field name like "Refstack_Id__c"' })
          .default('Refstack_Id__c'),
        batchSize: z.number().int().min(1).max(200).default(200),
      })
      .strict()
      .default({ apiVersion: '60.0', externalIdField: 'Refstack_Id__c', batchSize: 200 }),
    /** Stripe customer balance credits for approved cash rewards. */
    stripe: z
      .object({
        baseUrl: z.url().default('https://api.stripe.com'),
        /** Beneficiary customer ids matching this pattern are Stripe customer ids; others are skipped. */
        customerIdPattern: z.string().min(1).default('^cus_'),
        /**
         * Which ledger entries become credits: `approved` (each approved cash reward, when Stripe credit is how the
         * program pays) or `payout` (each payout entry of reward_ledger, when payout batches decide what is paid and
         * Stripe is the channel). Never both channels for one program, or a reward is paid twice.
         */
        basis: z.enum(['approved', 'payout']).default('payout'),
      })
      .strict()
      .default({ baseUrl: 'https://api.stripe.com', customerIdPattern: '^cus_', basis: 'payout' }),
  })
  .strict();

export const activationConfigSchema = z
  .object({
    codes: codesConfigSchema.default(codesConfigSchema.parse({})),
    audiences: audiencesConfigSchema.default(audiencesConfigSchema.parse({})),
    auditSample: auditSampleConfigSchema.default(auditSampleConfigSchema.parse({})),
    alerts: alertsConfigSchema.default(alertsConfigSchema.parse({})),
    sync: syncConfigSchema.default(syncConfigSchema.parse({})),
  })
  .strict();

export type ActivationConfig = z.output<typeof activationConfigSchema>;
export type ActivationConfigInput = z.input<typeof activationConfigSchema>;

/** The validated `activation` section of a config object (defaults when absent); errors name the bad key. */
export function activationConfig(config: object): ActivationConfig {
  const raw = (config as { activation?: unknown }).activation ?? {};
  const parsed = activationConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`config activation.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
