/**
 * Settings of the SurveyMonkey responses export source (`sources.surveymonkey`). The export ("All individual
 * responses", CSV, expanded) has TWO header rows: the first holds the respondent metadata columns and each
 * question's text over its first column; the second holds the sub-answer labels ("Response", "Other (please
 * specify)", "Open-Ended Response", choice labels). Questions are found by a phrase of the first row's text.
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { exportSettings, timeZoneSetting, type ResolvedSettings } from '../export-settings.js';
import { surveyExportFields } from '../survey-export/settings.js';

export const surveymonkeySourceSchema = z
  .object({
    // Questions are found by a phrase of their text; the email is the "Email Address" metadata column (filled by
    // email collectors), the customer id a custom variable or "Custom Data 1" of older exports.
    ...surveyExportFields({ question: 'text', emailField: 'Email Address', customerIdField: 'Custom Data 1' }),
    /** IANA time zone of the account: Start Date / End Date are wall-clock times there, month first. */
    timeZone: timeZoneSetting('America/New_York'),
  })
  .strict();

export type SurveymonkeySettings = ResolvedSettings<typeof surveymonkeySourceSchema>;

/** The settings of a config (`sources.surveymonkey`, all defaults when absent), with the program resolved. */
export function surveymonkeySettings(
  config: RefstackConfig,
  override?: z.input<typeof surveymonkeySourceSchema>,
): SurveymonkeySettings {
  return exportSettings(config, 'surveymonkey', surveymonkeySourceSchema, override);
}
