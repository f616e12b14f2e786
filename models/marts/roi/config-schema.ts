import { z } from 'zod';
import { ATTRIBUTION_MODELS } from '../attribution/config-schema.js';

/**
 * ROI settings (config key `roi`). Until the lead wires `roiConfigSchema` into src/config.ts, `roiConfig` reads
 * `config.roi` when present and falls back to these defaults. The LTV horizon is the `ltv` section's (customer_ltv
 * predicts over ltv.horizon time units); ROI does not refit it.
 */
export const roiConfigSchema = z
  .object({
    /**
     * Attribution model whose 'Referral Program' revenue credit is the referral revenue (attribution_summary,
     * current rule version). last_touch credits the referral for the orders it closed; first_touch or linear
     * also credit later orders whose journey starts with the referral.
     */
    attributionModel: z.enum(ATTRIBUTION_MODELS).default('last_touch'),
    /**
     * What "acquired by a paid channel" means for paid CAC:
     * - 'signup_last_touch' (default): the channel group of the customer's last touch at or before sign-up, for
     *   customers without a referral code, counted in the sign-up month (the same rule as survey_vs_tracked's
     *   tracked channel; the touch that brought the sign-up);
     * - an attribution model name: the credit that model gives each channel on the person's first order
     *   (attribution_conversions.person_order_seq = 1), counted in the order's month (fractional customers).
     */
    paidAcquisition: z.union([z.literal('signup_last_touch'), z.enum(ATTRIBUTION_MODELS)]).default('signup_last_touch'),
    /** The channel group that is the referral program itself (never counted as paid). */
    referralChannel: z.string().min(1).default('Referral Program'),
  })
  .strict();

export type RoiConfig = z.output<typeof roiConfigSchema>;

/** The validated `roi` section of a config object (defaults when absent); errors name the bad key. */
export function roiConfig(config: object): RoiConfig {
  const raw = (config as { roi?: unknown }).roi ?? {};
  const parsed = roiConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`config roi.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
