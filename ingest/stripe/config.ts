/**
 * Settings of the Stripe charges source, validated with zod. The lead plugs `stripeSourceSchema` into the
 * main config as `sources.stripe`; until then (and in tests) `stripeSettings` reads that key if present. The
 * secret key is never part of the config: it comes from `STRIPE_API_KEY` (a restricted key with read access
 * to charges is enough).
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';

const metadataKey = () =>
  z
    .string({ error: 'expected a Stripe metadata key' })
    .min(1)
    .max(40, { error: 'Stripe metadata keys are at most 40 characters' });

const METADATA_DEFAULTS = { referralCode: 'referral_code', programId: 'program_id' };

export const stripeSourceSchema = z
  .object({
    /** API origin; tests point it at a loopback server. */
    baseUrl: z.url().default('https://api.stripe.com'),
    /** Program of a charge whose metadata names none; defaults to the first program of the config. */
    programId: z.string().min(1).optional(),
    /** Charge metadata keys read into `raw.orders`. */
    metadata: z
      .object({
        /** The referral code redeemed at checkout. */
        referralCode: metadataKey().default(METADATA_DEFAULTS.referralCode),
        /** The program of the charge; must be a program of the config when present. */
        programId: metadataKey().default(METADATA_DEFAULTS.programId),
        region: metadataKey().optional(),
        productLine: metadataKey().optional(),
      })
      .strict()
      .default(METADATA_DEFAULTS),
    /** Records per page (Stripe's maximum is 100). */
    pageSize: z.number().int().min(1).max(100).default(100),
    /** Requests per second (Stripe allows 100 read requests per second in live mode, 25 in test mode). */
    requestsPerSecond: z.number().int().positive().default(20),
    /**
     * How far the next run looks back behind this run's start, to cover clock skew and charges created in the
     * same second as the newest one seen. Charges created in that margin are landed again on the next run.
     */
    clockSkewSeconds: z.number().int().min(0).default(300),
  })
  .strict();

export type StripeSettings = z.output<typeof stripeSourceSchema>;

/** The Stripe settings of a config (`sources.stripe`, all defaults when absent), with the default program resolved. */
export function stripeSettings(
  config: RefstackConfig,
  override?: z.input<typeof stripeSourceSchema>,
): StripeSettings & { programId: string } {
  const raw = override ?? (config as { sources?: { stripe?: unknown } }).sources?.stripe ?? {};
  const settings = stripeSourceSchema.parse(raw);
  const programId = settings.programId ?? config.programs[0]!.id;
  if (!config.programs.some((p) => p.id === programId))
    throw new Error(
      `sources.stripe.programId: "${programId}" is not a program in the config (known: ${config.programs.map((p) => p.id).join(', ')})`,
    );
  return { ...settings, programId };
}
