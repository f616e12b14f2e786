/**
 * Reward rules (config key `rewards`): versioned rule sets judged by the version in effect when a referral
 * qualified. Until the lead plugs `rewardsConfigSchema` into src/config.ts, `rewardsConfig` parses
 * `config.rewards` with this schema itself (every key has a default). The existing `rewards.tiers` key moves
 * inside a rule set (`ruleSets[i].tiers`): tiers belong to the rules that pay them and are versioned with them.
 *
 * Money is integer minor units beside an ISO 4217 code; percents and multipliers are decimal strings, so no
 * float touches money. Dates are UTC calendar dates; a range is [effectiveFrom, effectiveTo).
 */
import { z } from 'zod';
import { frequencyLimitSchema, payoutScheduleSchema, recurringSchema } from './rule-options-schema.js';

const SLUG = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const slug = () =>
  z.string({ error: 'expected an id' }).regex(SLUG, { error: 'expected a lowercase id (a-z, 0-9, _ and -)' });
const currency = () =>
  z
    .string({ error: 'expected an ISO 4217 code' })
    .regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 code like "USD"' });
const minor = (what: string) =>
  z
    .number({ error: `expected ${what} as integer minor units` })
    .int({ error: `expected ${what} as integer minor units` })
    .min(0, { error: `expected ${what} as non-negative integer minor units` });
const positiveInt = (what = 'a positive integer') =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` });
const days = () =>
  z
    .number({ error: 'expected a whole number of days' })
    .int({ error: 'expected a whole number of days' })
    .min(0, { error: 'expected a non-negative number of days' })
    .max(3650, { error: 'expected at most 3650 days' });
/** A decimal string such as "10" or "12.5" (no exponent, no sign). */
const decimalString = (what: string) =>
  z
    .string({ error: `expected ${what} as a decimal string, like "10" or "12.5"` })
    .regex(/^(?:0|[1-9]\d{0,5})(?:\.\d{1,6})?$/, {
      error: `expected ${what} as a decimal string, like "10" or "12.5"`,
    });
const isoDate = () =>
  z
    .string({ error: 'expected a date YYYY-MM-DD' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date YYYY-MM-DD' })
    .refine((s) => new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
      error: 'expected a real calendar date YYYY-MM-DD',
    });

/** What makes a referral qualify. Only paid orders qualify (status not unpaid or canceled). */
export const qualifyingEventSchema = z.discriminatedUnion('type', [
  /** The referee's first order after sign-up (stg_referrals.first_order_id, at converted_at). */
  z.object({ type: z.literal('purchase') }).strict(),
  /** As `purchase`, but only when that order's commission base is at least `minMinor` (converted to reporting). */
  z.object({ type: z.literal('purchase_min'), minMinor: minor('the minimum purchase'), currency: currency() }).strict(),
  /** The referee's sign-up (stg_referrals.signed_up_at); no order needed. */
  z.object({ type: z.literal('signup') }).strict(),
  /**
   * The referee's account activation: their earliest referral_events row with event_type 'activated'
   * (stg_referral_events, matched on referee_id and program). No order needed.
   */
  z.object({ type: z.literal('activation') }).strict(),
  /**
   * The referee's trial converting to paid: their earliest referral_events row with event_type
   * 'trial_converted'. Its order_id, when given, is the qualifying order (percent base, refunds, churn); else
   * the referral's first order is used. The order must be paid.
   */
  z.object({ type: z.literal('trial_converted') }).strict(),
]);

/**
 * One beneficiary's reward. `percent` is of the commission base of the qualifying order at conversion: gross
 * minus discount minus tax, in reporting-currency minor units (stg_orders.net_reporting_minor before refunds;
 * refunds are handled by clawback, so a refund landed later never rewrites an accrual). Rounded half away from
 * zero to minor units.
 */
export const rewardSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('fixed'), amountMinor: minor('the reward'), currency: currency() }).strict(),
  z
    .object({
      type: z.literal('percent'),
      /** Percent of the commission base: "10" is 10%. */
      percent: decimalString('the percent').refine((s) => Number(s) <= 100, { error: 'expected at most 100 percent' }),
    })
    .strict(),
  z
    .object({
      type: z.literal('non_cash'),
      /** What is given, in words an advocate reads ("one free month"). */
      description: z.string().min(1).max(200),
      /** Cash-equivalent value, used for caps and liability. */
      cashEquivalentMinor: minor('the cash equivalent'),
      currency: currency(),
    })
    .strict(),
]);

/**
 * An advocate tier by successful referrals in the trailing `tierWindowDays` (the referral being judged included;
 * referrals refunded or charged back inside their clawback window before it qualified do not count). The tier's
 * multiplier applies to the advocate's reward before caps, rounded half away from zero.
 */
export const rewardTierSchema = z
  .object({
    name: z.string().min(1),
    /** Successful referrals in the window needed to reach the tier. */
    threshold: positiveInt(),
    /** Multiplier on the advocate reward at this tier. */
    multiplier: decimalString('the multiplier').default('1'),
  })
  .strict();

/**
 * A one-off advocate reward when the advocate's count of approved referrals under the rule set (all versions,
 * in approval order) reaches `referrals`, judged by the version of the referral that reaches it. Accrued and
 * approved at that referral's approval (its referrals are already past holding); not subject to caps, and not
 * taken back if a counted referral is clawed back later.
 */
export const rewardMilestoneSchema = z
  .object({
    referrals: positiveInt('a positive whole number of referrals'),
    reward: z.discriminatedUnion('type', [rewardSchema.options[0], rewardSchema.options[2]], {
      error: 'expected a fixed or non_cash milestone reward',
    }),
  })
  .strict();

/** Caps in reporting-currency minor units; absent means no cap. */
export const rewardCapsSchema = z
  .object({
    /** Advocate rewards per advocate per calendar month (UTC) of conversion. */
    perAdvocatePerMonthMinor: minor('the monthly cap').optional(),
    /** Advocate rewards per advocate per calendar year (UTC) of conversion. */
    perAdvocatePerYearMinor: minor('the yearly cap').optional(),
    /** All rewards (advocate and referee) accrued under this rule set version. */
    programBudgetMinor: minor('the program budget').optional(),
  })
  .strict();

export const rewardRuleSetSchema = z
  .object({
    id: slug(),
    version: positiveInt('a positive integer version'),
    description: z.string().max(500).optional(),
    /** First day (UTC) a referral qualifying on it is judged by this version. */
    effectiveFrom: isoDate(),
    /** First day (UTC) it no longer applies; absent = open-ended. */
    effectiveTo: isoDate().optional(),
    programIds: z.array(slug()).min(1, { error: 'expected at least one program id' }),
    qualifyingEvent: qualifyingEventSchema,
    advocateReward: rewardSchema.optional(),
    /** Set for a double-sided program: what the referee gets. */
    refereeReward: rewardSchema.optional(),
    caps: rewardCapsSchema.default({}),
    /** Days after conversion before an accrued reward is approved (if not refunded or charged back by then). */
    holdingDays: days().default(30),
    /** Days after conversion in which a refund or chargeback claws the reward back. */
    clawbackDays: days().default(60),
    /**
     * Smallest approved balance paid out on a payout date, reporting-currency minor units: a balance below it
     * (or at or below zero) waits for the next payout date. The version in effect on the payout date decides.
     */
    minPayoutMinor: minor('the minimum payout').default(0),
    /**
     * The minimum payout for referees, whose reward is usually one-off (a $5 welcome credit would never reach an
     * advocate's threshold). Default 0: a referee's approved cash reward is paid on the next payout date.
     */
    refereeMinPayoutMinor: minor('the referee minimum payout').default(0),
    /** When approved cash balances are paid; absent = never paid by refstack (they stay approved, unpaid). */
    payoutSchedule: payoutScheduleSchema.optional(),
    /**
     * A partial refund inside the clawback window: 'full' reverses the whole reward (any refund does);
     * 'proportional' reverses the refunded share of what was paid (refunded / (gross - discount)), rounded half
     * away from zero, and keeps the rest. A chargeback or a full refund always reverses all of it.
     */
    partialRefunds: z.enum(['full', 'proportional'], { error: 'expected "full" or "proportional"' }).default('full'),
    /**
     * Churn clawback: when the referee has no other paid order within this many days after qualifying, the
     * reward is reversed on that day (void before approval, clawed back after). Absent = no churn rule.
     */
    churnClawbackDays: days().optional(),
    /**
     * At most `maxRewards` advocate referral rewards per advocate per calendar `per` (UTC) of qualification, in
     * qualification order; later ones are cut whole (a `capped` entry, reason frequency_limit) before the caps.
     */
    frequencyLimit: frequencyLimitSchema.optional(),
    /**
     * Recurring advocate reward: besides the referral's own reward, the advocate earns the advocate reward again
     * for each later calendar month (UTC) in which the referee pays (first paid order of the month), for the
     * `months` months starting with the month of qualification (so at most months - 1 repeats). Each repeat is
     * its own reward (reward_line 'recurring'), held, approved and reversed on its own order.
     */
    recurring: recurringSchema.optional(),
    tiers: z.array(rewardTierSchema).default([]),
    milestones: z.array(rewardMilestoneSchema).default([]),
    /** Trailing window for tiers, in days. */
    tierWindowDays: days().default(365),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.effectiveTo !== undefined && r.effectiveTo <= r.effectiveFrom)
      ctx.addIssue({
        code: 'custom',
        path: ['effectiveTo'],
        message: `expected a date after effectiveFrom ${r.effectiveFrom}`,
        input: r.effectiveTo,
      });
    if (!r.advocateReward && !r.refereeReward)
      ctx.addIssue({ code: 'custom', path: ['advocateReward'], message: 'expected advocateReward or refereeReward' });
    for (const role of ['advocateReward', 'refereeReward'] as const)
      if (
        r[role]?.type === 'percent' &&
        (r.qualifyingEvent.type === 'signup' || r.qualifyingEvent.type === 'activation')
      )
        ctx.addIssue({
          code: 'custom',
          path: [role, 'type'],
          message: `a percent reward needs a purchase to take the percent of (qualifyingEvent ${r.qualifyingEvent.type} has none)`,
          input: 'percent',
        });
    if (r.recurring && !r.advocateReward)
      ctx.addIssue({
        code: 'custom',
        path: ['recurring'],
        message: 'a recurring reward repeats advocateReward; set it',
      });
    if (r.recurring && (r.qualifyingEvent.type === 'signup' || r.qualifyingEvent.type === 'activation'))
      ctx.addIssue({
        code: 'custom',
        path: ['recurring'],
        message: `recurring rewards count the referee's paid months after a purchase (qualifyingEvent ${r.qualifyingEvent.type} has none)`,
      });
    r.milestones.forEach((m, i) => {
      const prev = r.milestones[i - 1];
      if (prev && m.referrals <= prev.referrals)
        ctx.addIssue({
          code: 'custom',
          path: ['milestones', i, 'referrals'],
          message: `expected more referrals than the previous milestone's ${prev.referrals}`,
          input: m.referrals,
        });
    });
    r.tiers.forEach((t, i) => {
      const prev = r.tiers[i - 1];
      if (prev && t.threshold <= prev.threshold)
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'threshold'],
          message: `expected a threshold above the previous tier's ${prev.threshold}`,
          input: t.threshold,
        });
    });
  });

export type RewardRuleSet = z.output<typeof rewardRuleSetSchema>;
export type Reward = z.output<typeof rewardSchema>;
export type RewardMilestone = z.output<typeof rewardMilestoneSchema>;

const rangeText = (r: RewardRuleSet) => `[${r.effectiveFrom}, ${r.effectiveTo ?? 'open'})`;

/** Rule sets; versions of one id must be unique and their date ranges must not overlap. */
export const ruleSetsSchema = z
  .array(rewardRuleSetSchema)
  .default([])
  .superRefine((sets, ctx) => {
    sets.forEach((a, i) => {
      sets.slice(0, i).forEach((b) => {
        if (a.id !== b.id) return;
        if (a.version === b.version) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'version'],
            message: `duplicate version ${a.version} of rule set "${a.id}"`,
            input: a.version,
          });
          return;
        }
        const overlap =
          (b.effectiveTo === undefined || a.effectiveFrom < b.effectiveTo) &&
          (a.effectiveTo === undefined || b.effectiveFrom < a.effectiveTo);
        if (overlap)
          ctx.addIssue({
            code: 'custom',
            path: [i, 'effectiveFrom'],
            message: `rule set "${a.id}" version ${a.version} ${rangeText(a)} overlaps version ${b.version} ${rangeText(b)}`,
            input: a.effectiveFrom,
          });
      });
    });
  });

export const rewardsConfigSchema = z
  .object({
    /**
     * The instant the ledger is computed as of: a date means the end of that day (UTC). Default: the data's
     * latest timestamp (orders, refunds, chargebacks, sign-ups), so a rerun on the same data is identical.
     */
    asOf: isoDate().optional(),
    ruleSets: ruleSetsSchema,
  })
  .strict();

export type RewardsConfig = z.output<typeof rewardsConfigSchema>;

/**
 * The validated `rewards` section of a config object (defaults when absent). Errors name the key path and the
 * bad value. The legacy `rewards.tiers` key (src/config.ts today) is ignored (migrate it): tiers now live in
 * rule sets (`rewards.ruleSets[i].tiers`), versioned with the rules that pay them.
 */
export function rewardsConfig(config: object): RewardsConfig {
  const raw = (config as { rewards?: Record<string, unknown> }).rewards ?? {};
  const { tiers: _legacyTiers, ...rest } = raw;
  const parsed = rewardsConfigSchema.safeParse(rest);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      let got: unknown = rest;
      for (const key of issue.path) got = (got as Record<PropertyKey, unknown> | undefined)?.[key];
      const path = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
      return `config rewards${path}: ${issue.message}, got ${JSON.stringify(got) ?? 'nothing'}`;
    });
    throw new Error(lines.join('\n'));
  }
  return parsed.data;
}
