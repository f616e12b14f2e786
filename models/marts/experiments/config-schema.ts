/**
 * Configuration of the `experiment_results` mart: which experiments to read, their control variant, planned
 * split, analysis window and metrics, and the thresholds of the decision rule. Plugged into the main config as
 * `experiments: experimentsConfigSchema` (see the report); until then the mart parses `config.experiments` with
 * this schema itself, so every key has a default.
 */
import { z } from 'zod';
import { rewardSchema } from '../rewards/config-schema.js';

/**
 * Metrics computable from the landing data for advocate-level experiments. Each is measured per assigned unit
 * (advocate) from its assignment time to the experiment's analysis end:
 * - `invites` (mean): invitations the advocate sent.
 * - `sent_invite` (binomial): sent at least one invitation.
 * - `referrals` (mean): referred sign-ups (self-referrals excluded).
 * - `made_referral` (binomial): at least one referred sign-up.
 * - `referee_conversion` (ratio): referred sign-ups in the window who ever ordered / referred sign-ups.
 * - `referee_refund_rate` (ratio): those referees' first orders refunded (fully or partly) / first orders.
 * - `referee_chargeback_rate` (ratio, a fraud proxy): first orders charged back / first orders.
 */
export const METRIC_KINDS = [
  'invites',
  'sent_invite',
  'referrals',
  'made_referral',
  'referee_conversion',
  'referee_refund_rate',
  'referee_chargeback_rate',
] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

/** Kinds with a pre-period covariate for CUPED. */
export const CUPED_KINDS: ReadonlySet<MetricKind> = new Set(['invites', 'referrals']);

export const METRIC_TYPE: Record<MetricKind, 'mean' | 'binomial' | 'ratio'> = {
  invites: 'mean',
  sent_invite: 'binomial',
  referrals: 'mean',
  made_referral: 'binomial',
  referee_conversion: 'ratio',
  referee_refund_rate: 'ratio',
  referee_chargeback_rate: 'ratio',
};

export const experimentMetricSchema = z
  .object({
    /** The metric's name in the mart; defaults to `kind`. */
    name: z.string().min(1).optional(),
    kind: z.enum(METRIC_KINDS),
    /** A guardrail cannot ship a variant; a significant move in the bad direction stops it. */
    guardrail: z.boolean().default(false),
    /** The metric the ship decision is made on (default: the first non-guardrail metric). */
    primary: z.boolean().default(false),
    /** Whether an increase is good (false for refund and chargeback rates). */
    higherIsBetter: z.boolean().default(true),
    /**
     * CUPED variance reduction with the same metric in the pre-period as covariate (`invites` and `referrals`
     * only; ignored for the others).
     */
    cuped: z.boolean().default(true),
  })
  .strict();
export type ExperimentMetric = z.infer<typeof experimentMetricSchema>;

/** The metrics used when an experiment lists none (and for experiments found in the data but not configured). */
export const DEFAULT_METRICS: ExperimentMetric[] = [
  { kind: 'invites', guardrail: false, primary: true, higherIsBetter: true, cuped: true },
  { kind: 'made_referral', guardrail: false, primary: false, higherIsBetter: true, cuped: true },
  { kind: 'referee_conversion', guardrail: false, primary: false, higherIsBetter: true, cuped: true },
  { kind: 'referee_refund_rate', guardrail: true, primary: false, higherIsBetter: false, cuped: true },
  { kind: 'referee_chargeback_rate', guardrail: true, primary: false, higherIsBetter: false, cuped: true },
];

/**
 * What shipping a variant changes in the reward rules (`refstack experiment promote`): the variant's rewards
 * replace those of the rule set version in effect at the promotion date, in a new version of `ruleSetId`.
 * A reward left out keeps the current one.
 */
export const variantRolloutSchema = z
  .object({
    /** The advocate's reward under this variant (rewards.ruleSets[].advocateReward). */
    advocateReward: rewardSchema.optional(),
    /** The referee's reward under this variant (makes a one-sided program double-sided). */
    refereeReward: rewardSchema.optional(),
    /** Description of the new rule set version; default: the old one with the experiment and variant named. */
    description: z.string().max(500).optional(),
  })
  .strict()
  .refine((v) => v.advocateReward !== undefined || v.refereeReward !== undefined, {
    error: 'expected advocateReward or refereeReward: what the variant changes',
  });
export type VariantRollout = z.infer<typeof variantRolloutSchema>;

export const rolloutSchema = z
  .object({
    /** The reward rule set the experiment's winner is rolled out to (rewards.ruleSets[].id). */
    ruleSetId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, { error: 'expected a rule set id' }),
    /** Per variant that can be promoted: its reward change. */
    variants: z.record(z.string().min(1), variantRolloutSchema),
  })
  .strict();
export type RolloutConfig = z.infer<typeof rolloutSchema>;

export const experimentSchema = z
  .object({
    id: z.string().min(1),
    /** The control variant; every other variant is compared with it. */
    control: z.string().min(1),
    /** Planned traffic split by variant for the SRM check (any positive scale); default: equal. */
    weights: z.record(z.string().min(1), z.number().positive()).optional(),
    /** End of the analysis window (ISO 8601, UTC); default: the experiment's last assignment time. */
    analysisEnd: z.iso.datetime({ offset: true }).optional(),
    metrics: z.array(experimentMetricSchema).min(1).optional(),
    /** How a shipped variant becomes a reward rule version (`refstack experiment promote`); absent: not promotable. */
    rollout: rolloutSchema.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    for (const v of Object.keys(e.rollout?.variants ?? {}))
      if (v === e.control)
        ctx.addIssue({
          code: 'custom',
          path: ['rollout', 'variants', v],
          message: `the control variant "${v}" is what runs already; only a treatment can be promoted`,
          input: v,
        });
  });
export type ExperimentConfig = z.infer<typeof experimentSchema>;

export const experimentsConfigSchema = z
  .object({
    /** Two-sided significance level for the ship/stop decision and the intervals. */
    alpha: z.number().gt(0).lt(0.5).default(0.05),
    /** Level at which a worse guardrail stops a variant (Holm-adjusted over its guardrails); default: `alpha`. */
    guardrailAlpha: z.number().gt(0).lt(0.5).optional(),
    /** SRM p-value below which results are withheld ("check assignment"); conventionally strict. */
    srmAlpha: z.number().gt(0).lt(0.5).default(0.001),
    /** Beta(prior, prior) prior of binomial metrics' chance to win. */
    betaPrior: z.number().positive().default(1),
    experiments: z.array(experimentSchema).default([]),
  })
  .strict()
  .default({ alpha: 0.05, srmAlpha: 0.001, betaPrior: 1, experiments: [] });
export type ExperimentsConfig = z.infer<typeof experimentsConfigSchema>;
