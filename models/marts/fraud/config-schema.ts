/**
 * Fraud rules (config key `fraud`): one entry per rule with its enable flag, weight and parameters, the flag
 * threshold of the combined score, the high-value threshold and the disposable email domains. `rule_version` is a
 * short hash of the canonical rule configuration, so changing any rule, weight or list makes a new version and
 * flags raised under earlier versions can be told apart. Until the lead plugs `fraudConfigSchema` into
 * src/config.ts, `fraudConfig` reads `config.fraud` when present and falls back to the defaults.
 */
import { z } from 'zod';
import { stableHash } from '../../../src/stable-hash.js';

const weight = () => z.number({ error: 'expected a weight in [0, 1]' }).min(0).max(1);
const share = () => z.number({ error: 'expected a score in [0, 1]' }).min(0).max(1);
const positiveInt = (what: string) =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` });
const minor = (what: string) =>
  z
    .number({ error: `expected ${what} as integer minor units` })
    .int({ error: `expected ${what} as integer minor units` })
    .min(0, { error: `expected ${what} as non-negative integer minor units` });
const k = () => z.number({ error: 'expected k >= 0 (MADs above the median)' }).min(0).max(100);

/** A rule with no parameters: fires with score 1. */
const simpleRule = (defaultWeight: number) =>
  z
    .object({ enabled: z.boolean().default(true), weight: weight().default(defaultWeight) })
    .strict()
    .default({ enabled: true, weight: defaultWeight });

/**
 * Throwaway-mailbox domains matched exactly against the referee's normalized email domain (after the last '@').
 * A short, documented sample of widely known services, not a complete list: replace it with a maintained list
 * (e.g. github.com/disposable-email-domains/disposable-email-domains) in production.
 */
export const DEFAULT_DISPOSABLE_DOMAINS = [
  '10minutemail.com',
  'discard.email',
  'dispostable.com',
  'getnada.com',
  'guerrillamail.com',
  'maildrop.cc',
  'mailinator.com',
  'mintemail.com',
  'sharklasers.com',
  'temp-mail.org',
  'tempmail.com',
  'throwawaymail.com',
  'trashmail.com',
  'yopmail.com',
] as const;

const velocityDefaults = { enabled: true, weight: 0.5, k: 5, minCount: 5, advocateMinDays: 7 };
const purchaseDefaults = {
  enabled: true,
  weight: 0.4,
  minOrderMinor: 0,
  scores: { chargeback: 1, refunded: 1, unpaid: 0.5, belowMinimum: 0.5 },
};
const burstDefaults = { enabled: true, weight: 0.4, windowHours: 24, k: 5, minSignups: 10, rangeMinWindows: 7 };
const disposableDefaults = { enabled: true, weight: 0.3, domains: [...DEFAULT_DISPOSABLE_DOMAINS] };

export const fraudRulesSchema = z
  .object({
    /** A human label for the rule set; part of the version hash. */
    id: z.string().min(1).default('default'),
    /** Advocate and referee are one person after stitching, share a normalized email or a payment fingerprint. */
    selfReferral: simpleRule(0.9),
    /** Advocate and referee signed up from the same IP address. */
    sharedIp: simpleRule(0.4),
    /** Advocate and referee signed up on the same device. */
    sharedDevice: simpleRule(0.6),
    /**
     * Referrals per advocate per UTC day above max(minCount, program median + k MAD, and, for an advocate with
     * at least `advocateMinDays` active days, the advocate's own median + k MAD). Score min(1, count / (2 x
     * threshold)): a day at the threshold scores 0.5, twice the threshold 1.
     */
    velocity: z
      .object({
        enabled: z.boolean().default(true),
        weight: weight().default(velocityDefaults.weight),
        k: k().default(velocityDefaults.k),
        minCount: positiveInt('a positive whole number of referrals').default(velocityDefaults.minCount),
        advocateMinDays: positiveInt('a positive whole number of days').default(velocityDefaults.advocateMinDays),
      })
      .strict()
      .default(velocityDefaults),
    /**
     * The referee's qualifying (first) order is charged back, refunded, unpaid/canceled or below `minOrderMinor`
     * (net, reporting-currency minor units; 0 disables that check). A partial refund scores `refunded` times the
     * refunded share of the amount charged (gross - discount, at most 1); the highest applicable score counts.
     */
    purchaseVerification: z
      .object({
        enabled: z.boolean().default(true),
        weight: weight().default(purchaseDefaults.weight),
        minOrderMinor: minor('the minimum order').default(purchaseDefaults.minOrderMinor),
        scores: z
          .object({
            chargeback: share().default(1),
            refunded: share().default(1),
            unpaid: share().default(0.5),
            belowMinimum: share().default(0.5),
          })
          .strict()
          .default(purchaseDefaults.scores),
      })
      .strict()
      .default(purchaseDefaults),
    /** The referee's email domain is in `domains` (lower-case, exact match). */
    disposableEmail: z
      .object({
        enabled: z.boolean().default(true),
        weight: weight().default(disposableDefaults.weight),
        domains: z
          .array(
            z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, {
              error: 'expected a lower-case domain like "mailinator.com"',
            }),
          )
          .default(disposableDefaults.domains),
      })
      .strict()
      .default(disposableDefaults),
    /**
     * Sign-ups from one IP range (IPv4 /24, IPv6 first three hextets = /48) in one fixed window of `windowHours`
     * (aligned to the Unix epoch) above max(minSignups, the median + k MAD of all range windows with a sign-up, and,
     * for a range active in at least `rangeMinWindows` windows, its own median + k MAD). Score min(1, count / (2 x
     * threshold)).
     */
    signupBurst: z
      .object({
        enabled: z.boolean().default(true),
        weight: weight().default(burstDefaults.weight),
        windowHours: positiveInt('a positive whole number of hours')
          .max(24 * 31)
          .default(burstDefaults.windowHours),
        k: k().default(burstDefaults.k),
        minSignups: positiveInt('a positive whole number of sign-ups').default(burstDefaults.minSignups),
        rangeMinWindows: positiveInt('a positive whole number of windows').default(burstDefaults.rangeMinWindows),
      })
      .strict()
      .default(burstDefaults),
    /** The referral edge sits in or below a referral ring (referral_tree.in_cycle). */
    referralRing: simpleRule(0.9),
  })
  .strict();

export const fraudConfigSchema = z
  .object({
    rules: fraudRulesSchema.default(fraudRulesSchema.parse({})),
    /** A referral is flagged when its combined score 1 - prod(1 - weight x score) is at least this. */
    flagThreshold: z.number({ error: 'expected a threshold in (0, 1]' }).gt(0).max(1).default(0.5),
    /**
     * A referral whose first order's net is at least this (reporting-currency minor units) is high-value and goes
     * to review whatever its score. Not part of the rule version: it routes reviews, it flags nothing.
     */
    highValueThresholdMinor: minor('the high-value threshold').default(50_000),
  })
  .strict();

export type FraudConfig = z.output<typeof fraudConfigSchema>;
export type FraudRules = z.output<typeof fraudRulesSchema>;

/** The validated `fraud` section of a config object (defaults when absent); errors name the bad key. */
export function fraudConfig(config: object): FraudConfig {
  const raw = (config as { fraud?: unknown }).fraud ?? {};
  const parsed = fraudConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`config fraud.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * The rule version: `<id>-` and the first 10 hex digits of sha256 of the canonical (keys sorted, defaults filled)
 * rules together with the flag threshold. Equal configurations give equal versions whatever the key order.
 *
 * @example fraudRuleVersion(fraudConfigSchema.parse({})) // 'default-' + 10 hex digits
 */
export function fraudRuleVersion(cfg: Pick<FraudConfig, 'rules' | 'flagThreshold'>): string {
  return `${cfg.rules.id}-${stableHash({ rules: cfg.rules, flagThreshold: cfg.flagThreshold }, 10)}`;
}

/** Rule names as they appear in fraud_flags.rule, in report order. */
export const FRAUD_RULES = [
  'self_referral',
  'shared_ip',
  'shared_device',
  'velocity',
  'purchase_verification',
  'disposable_email',
  'signup_burst',
  'referral_ring',
] as const;
export type FraudRule = (typeof FRAUD_RULES)[number];
