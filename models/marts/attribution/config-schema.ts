/**
 * The attribution rule set (config key `attribution`). Every rule that changes a credit lives in `ruleSet`, and
 * `rule_version` is a short hash of the canonical rule set, so changing any rule makes a new version and the
 * rows `attribution_credit` decided under earlier versions stay as they were. Until the lead wires the schema
 * into src/config.ts, `attributionConfig` reads `config.attribution` when present and falls back to the defaults.
 */
import { z } from 'zod';
import { stableHash } from '../../../src/stable-hash.js';
import { MARKOV_MAX_TOUCHES } from '../../stats/markov.js';

const days = () =>
  z
    .number({ error: 'expected a whole number of days >= 0' })
    .int({ error: 'expected a whole number of days >= 0' })
    .min(0, { error: 'expected a whole number of days >= 0' })
    .max(3650, { error: 'expected at most 3650 days' });
const share = () => z.number({ error: 'expected a share in [0, 1]' }).min(0).max(1);

export const ruleSetSchema = z
  .object({
    /** A human label for the rule set; part of the version hash. */
    id: z.string().min(1).default('default'),
    /**
     * A touch is eligible for a conversion when it happened before the conversion and at most this many days
     * before it, by touch type. 0 makes a type never eligible; touches of any other type are never eligible.
     */
    lookbackDays: z
      .object({ click: days().default(30), view: days().default(1), visit: days().default(30) })
      .strict()
      .default({ click: 30, view: 1, visit: 30 }),
    /**
     * Position-based shares of the first touch, all middle touches together, and the last touch (sum 1). With two
     * touches, first and last split the credit first : last; with one touch it takes everything.
     */
    positionBased: z
      .object({ first: share().default(0.4), middle: share().default(0.2), last: share().default(0.4) })
      .strict()
      .default({ first: 0.4, middle: 0.2, last: 0.4 })
      .refine((p) => Math.abs(p.first + p.middle + p.last - 1) < 1e-9, {
        error: 'expected first + middle + last = 1',
      })
      .refine((p) => p.first + p.last > 0, { error: 'expected first + last > 0' }),
    /** Time-decay half-life: a touch this many days before the conversion weighs half as much as one at it. */
    timeDecayHalfLifeDays: z.number({ error: 'expected a positive number of days' }).positive().max(3650).default(7),
    /**
     * A referral code redeemed at checkout (stg_orders.referral_code): 'override' gives the conversion's whole
     * credit to the Referral Program (advocate = the code's owner) in every rule-based model; 'off' ignores codes.
     */
    referralCode: z.enum(['override', 'off']).default('override'),
    /** 'first_order': each person's first qualifying order is the conversion; 'every_order': every one is. */
    conversion: z.enum(['first_order', 'every_order']).default('first_order'),
    /** Order statuses that count as conversions (a refunded order was still bought; its revenue is net). */
    orderStatuses: z
      .array(z.string().regex(/^[a-z_]+$/, { error: 'expected a lower-case status like "paid"' }))
      .min(1)
      .default(['paid', 'partially_refunded', 'refunded', 'chargeback']),
    /**
     * Data-driven models (markov, shapley) see only the last `maxPathLength` eligible touches of a journey;
     * earlier touches get no data-driven credit. Rule-based models use every eligible touch. At most
     * MARKOV_MAX_TOUCHES (20), the longest path markovAttribution keeps.
     */
    maxPathLength: z.number().int().min(1).max(MARKOV_MAX_TOUCHES).default(MARKOV_MAX_TOUCHES),
  })
  .strict();

export const attributionConfigSchema = z
  .object({
    ruleSet: ruleSetSchema.default(ruleSetSchema.parse({})),
    /**
     * `decided_at` of the rows this run writes (ISO 8601). Default: the run time. Set it for reproducible
     * tests and backfills; it is not part of the rule version.
     */
    decidedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export type AttributionConfig = z.output<typeof attributionConfigSchema>;
export type RuleSet = z.output<typeof ruleSetSchema>;

/** The validated `attribution` section of a config object (defaults when absent); errors name the bad key. */
export function attributionConfig(config: object): AttributionConfig {
  const raw = (config as { attribution?: unknown }).attribution ?? {};
  const parsed = attributionConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`config attribution.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * The rule version: `<id>-` and the first 10 hex digits of sha256 of the canonical (keys sorted, defaults
 * filled) rule set. Equal rule sets give equal versions whatever the key order; any changed rule changes it.
 *
 * @example ruleVersion(ruleSetSchema.parse({})) // 'default-' + 10 hex digits
 */
export function ruleVersion(ruleSet: RuleSet): string {
  return `${ruleSet.id}-${stableHash(ruleSet, 10)}`;
}

/** Rule-based models, then data-driven ones, in the order reports list them. */
export const RULE_BASED_MODELS = [
  'first_touch',
  'last_touch',
  'last_non_direct',
  'linear',
  'position_based',
  'time_decay',
] as const;
export const DATA_DRIVEN_MODELS = ['markov', 'shapley'] as const;
export const ATTRIBUTION_MODELS = [...RULE_BASED_MODELS, ...DATA_DRIVEN_MODELS] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];
