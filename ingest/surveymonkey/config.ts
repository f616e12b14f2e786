/**
 * Settings of the SurveyMonkey responses export source (`sources.surveymonkey`). The export ("All individual
 * responses", CSV, expanded) has TWO header rows: the first holds the respondent metadata columns and each
 * question's text over its first column; the second holds the sub-answer labels ("Response", "Other (please
 * specify)", "Open-Ended Response", choice labels). Questions are found by a phrase of the first row's text.
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { resolveProgram } from '../file-source.js';
import { isTimeZone } from '../hubspot-export/wall-clock.js';

const phrase = () => z.string().min(1, { error: 'expected part of a question text' });
const column = () => z.string().min(1, { error: 'expected a column name of the export' });

export const surveymonkeySourceSchema = z
  .object({
    /** Program every response lands in; defaults to the first program of the config. */
    programId: z.string().min(1).optional(),
    /** `survey_id` of the responses; defaults to the file name without its extension. */
    surveyId: z.string().min(1).optional(),
    /** IANA time zone of the account: Start Date / End Date are wall-clock times there, month first. */
    timeZone: z
      .string()
      .refine(isTimeZone, { error: 'expected an IANA time zone name like "America/New_York"' })
      .default('UTC'),
    /** Part of the "how did you hear about us" question text (case and punctuation ignored). */
    hdyhauQuestion: phrase().default('hear about us'),
    /** Part of the NPS question text ("How likely is it that you would recommend ... to a friend or colleague?"). */
    npsQuestion: phrase().default('recommend'),
    /** Part of an open comment question's text; no comment is landed when unset. */
    commentQuestion: phrase().optional(),
    /** The metadata column with the respondent's email (filled by email collectors). */
    emailField: column().default('Email Address'),
    /** The column with your customer id: a custom variable, or "Custom Data 1" of older exports. */
    customerIdField: column().default('Custom Data 1'),
  })
  .strict();

export type SurveymonkeySettings = z.output<typeof surveymonkeySourceSchema> & { programId: string };

/** The settings of a config (`sources.surveymonkey`, all defaults when absent), with the program resolved. */
export function surveymonkeySettings(
  config: RefstackConfig,
  override?: z.input<typeof surveymonkeySourceSchema>,
): SurveymonkeySettings {
  const raw = override ?? (config as { sources?: { surveymonkey?: unknown } }).sources?.surveymonkey ?? {};
  const settings = surveymonkeySourceSchema.parse(raw);
  return { ...settings, programId: resolveProgram(config, 'sources.surveymonkey', settings.programId) };
}
