/**
 * Settings of the email events export source (`sources.emailEvents`): HubSpot marketing email events and
 * Mailchimp campaign email activity. A referral invitation carries its advocate's code in the clicked link
 * (`?ref=CODE`) or in a merge field / contact property exported as a column.
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { exportSettings, type ResolvedSettings } from '../export-settings.js';

export const emailEventsSourceSchema = z
  .object({
    /** Program every event lands in; defaults to the first program of the config. */
    programId: z.string().min(1).optional(),
    /** Query parameter of referral links that holds the advocate code. */
    urlParam: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, { error: 'expected a URL query parameter name like "ref"' })
      .default('ref'),
    /** A column holding the advocate code on every event (a Mailchimp merge field like "REFCODE", a HubSpot property). */
    referralCodeColumn: z.string().min(1).optional(),
    /** A column holding your customer id of the recipient, when the export has one. */
    customerIdColumn: z.string().min(1).optional(),
  })
  .strict();

export type EmailEventsSettings = ResolvedSettings<typeof emailEventsSourceSchema>;

/** The settings of a config (`sources.emailEvents`, all defaults when absent), with the program resolved. */
export function emailEventsSettings(
  config: RefstackConfig,
  override?: z.input<typeof emailEventsSourceSchema>,
): EmailEventsSettings {
  return exportSettings(config, 'emailEvents', emailEventsSourceSchema, override);
}
