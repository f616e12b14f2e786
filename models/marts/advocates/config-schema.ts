/**
 * Advocate scoring (config key `advocates`): the weight of each score component, how much of each signal counts as
 * "full marks", the tiers and the ready-to-invite segment. Until the lead plugs `advocatesConfigSchema` into
 * src/config.ts, `advocatesConfig` reads `config.advocates` when present and falls back to the defaults.
 */
import { z } from 'zod';

const nonNegative = (what: string) =>
  z.number({ error: `expected ${what} >= 0` }).min(0, { error: `expected ${what} >= 0` });
const positiveInt = (what: string) =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` });
const share = () => z.number({ error: 'expected a share in [0, 1]' }).min(0).max(1);
const score = () => z.number({ error: 'expected a score in [0, 100]' }).min(0).max(100);

export const ADVOCATE_COMPONENTS = ['nps', 'repeat', 'support', 'engagement', 'tenure', 'referral'] as const;
export type AdvocateComponent = (typeof ADVOCATE_COMPONENTS)[number];

const weightDefaults = { nps: 25, repeat: 20, support: 10, engagement: 15, tenure: 10, referral: 20 };
const capDefaults = { repeatOrders: 3, positiveSupport: 2, engagementEvents: 10, tenureDays: 365, referrals: 3 };
const tierDefaults = [
  { name: 'champion', minScore: 70 },
  { name: 'advocate', minScore: 45 },
  { name: 'potential', minScore: 20 },
  { name: 'low', minScore: 0 },
];
const inviteDefaults = { minScore: 60, excludeDetractors: true, excludeFraudFlagged: true };

export const advocatesConfigSchema = z
  .object({
    /**
     * Relative weights of the components. score = 100 x sum(weight x component) / sum(weights), each component in
     * [0, 1], so only the ratios matter; with weights summing to 100 a weight is the component's maximum points.
     */
    weights: z
      .object({
        nps: nonNegative('the nps weight').default(weightDefaults.nps),
        repeat: nonNegative('the repeat weight').default(weightDefaults.repeat),
        support: nonNegative('the support weight').default(weightDefaults.support),
        engagement: nonNegative('the engagement weight').default(weightDefaults.engagement),
        tenure: nonNegative('the tenure weight').default(weightDefaults.tenure),
        referral: nonNegative('the referral weight').default(weightDefaults.referral),
      })
      .strict()
      .refine((w) => Object.values(w).some((x) => x > 0), { error: 'expected at least one positive weight' })
      .default(weightDefaults),
    /** The nps component of a passive (latest NPS 7-8); a promoter (9-10) gets 1, a detractor or no answer 0. */
    npsPassiveShare: share().default(0.25),
    /**
     * Full marks: a component is min(1, count / cap). repeatOrders: paid orders after the first (not refunded,
     * not charged back); positiveSupport: resolved interactions rated 4-5; engagementEvents: identified touches and
     * email opens/clicks in the last `engagementDays`; tenureDays: days since sign-up; referrals: the customer's
     * converted referrals that fraud_scores does not flag.
     */
    caps: z
      .object({
        repeatOrders: positiveInt('a positive whole number of orders').default(capDefaults.repeatOrders),
        positiveSupport: positiveInt('a positive whole number of interactions').default(capDefaults.positiveSupport),
        engagementEvents: positiveInt('a positive whole number of events').default(capDefaults.engagementEvents),
        tenureDays: positiveInt('a positive whole number of days').default(capDefaults.tenureDays),
        referrals: positiveInt('a positive whole number of referrals').default(capDefaults.referrals),
      })
      .strict()
      .default(capDefaults),
    /** Engagement counts events in the `engagementDays` days up to the as-of time. */
    engagementDays: positiveInt('a positive whole number of days').default(90),
    /** Tiers by minimum score, highest first; the last must start at 0 so every customer has one. */
    tiers: z
      .array(z.object({ name: z.string().min(1), minScore: score() }).strict())
      .min(1)
      .refine((ts) => ts.every((t, i) => i === 0 || t.minScore < ts[i - 1]!.minScore), {
        error: 'expected tiers in strictly decreasing minScore order',
      })
      .refine((ts) => ts[ts.length - 1]!.minScore === 0, { error: 'expected the last tier to have minScore 0' })
      .default(tierDefaults),
    /** ready_to_invite: score at least minScore, and optionally not a detractor and not linked to flagged fraud. */
    readyToInvite: z
      .object({
        minScore: score().default(inviteDefaults.minScore),
        excludeDetractors: z.boolean().default(inviteDefaults.excludeDetractors),
        excludeFraudFlagged: z.boolean().default(inviteDefaults.excludeFraudFlagged),
      })
      .strict()
      .default(inviteDefaults),
    /** Score as of this time (ISO); default: the data's latest sign-up, order or touch. */
    asOf: z.iso.datetime({ offset: true, error: 'expected an ISO timestamp like 2026-07-01T00:00:00Z' }).optional(),
  })
  .strict();

export type AdvocatesConfig = z.output<typeof advocatesConfigSchema>;

/** The validated `advocates` section of a config object (defaults when absent); errors name the bad key. */
export function advocatesConfig(config: object): AdvocatesConfig {
  const raw = (config as { advocates?: unknown }).advocates ?? {};
  const parsed = advocatesConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`config advocates.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
