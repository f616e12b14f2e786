/**
 * Settings of the Typeform responses export source (`sources.typeform`). Typeform heads its CSV with the
 * question titles, then the hidden fields by name, then "Start Date (UTC)", "Submit Date (UTC)" and "Network
 * ID"; "#" is the response token. Which question is "how did you hear about us" and which is NPS is found by
 * a phrase the title contains; email and customer id come from columns named exactly (hidden fields).
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { exportSettings, type ResolvedSettings } from '../export-settings.js';
import { surveyExportFields } from '../survey-export/settings.js';

export const typeformSourceSchema = z
  .object({
    // Questions are found by a phrase of their title; the email and customer id columns are hidden fields (or an
    // email question) named exactly.
    ...surveyExportFields({ question: 'title', emailField: 'email', customerIdField: 'customer_id' }),
  })
  .strict();

export type TypeformSettings = ResolvedSettings<typeof typeformSourceSchema>;

/** The settings of a config (`sources.typeform`, all defaults when absent), with the program resolved. */
export function typeformSettings(
  config: RefstackConfig,
  override?: z.input<typeof typeformSourceSchema>,
): TypeformSettings {
  return exportSettings(config, 'typeform', typeformSourceSchema, override);
}
