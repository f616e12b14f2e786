/**
 * Settings of the Stripe payments export source (`sources.stripeExport` once the lead plugs
 * `stripeExportSourceSchema` into `ingest/sources-config.ts`). Every key has a default.
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { exportSettings, type ResolvedSettings } from '../export-settings.js';

const METADATA_DEFAULTS = { referralCode: 'referral_code', programId: 'program_id' };
const metadataKey = () => z.string().min(1).max(40, { error: 'Stripe metadata keys are at most 40 characters' });

export const stripeExportSourceSchema = z
  .object({
    /** Program of a payment whose metadata names none; defaults to the first program of the config. */
    programId: z.string().min(1).optional(),
    /** Metadata keys read from the export's `<key> (metadata)` columns. */
    metadata: z
      .object({
        referralCode: metadataKey().default(METADATA_DEFAULTS.referralCode),
        programId: metadataKey().default(METADATA_DEFAULTS.programId),
        region: metadataKey().optional(),
        productLine: metadataKey().optional(),
      })
      .strict()
      .default(METADATA_DEFAULTS),
  })
  .strict();

export type StripeExportSettings = ResolvedSettings<typeof stripeExportSourceSchema>;

/** The settings of a config (`sources.stripeExport`, all defaults when absent), with the default program resolved. */
export function stripeExportSettings(
  config: RefstackConfig,
  override?: z.input<typeof stripeExportSourceSchema>,
): StripeExportSettings {
  return exportSettings(config, 'stripeExport', stripeExportSourceSchema, override);
}
