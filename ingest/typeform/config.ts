/**
 * Settings of the Typeform responses export source (`sources.typeform`). Typeform heads its CSV with the
 * question titles, then the hidden fields by name, then "Start Date (UTC)", "Submit Date (UTC)" and "Network
 * ID"; "#" is the response token. Which question is "how did you hear about us" and which is NPS is found by
 * a phrase the title contains; email and customer id come from columns named exactly (hidden fields).
 */
import { z } from 'zod';
import type { RefstackConfig } from '../../src/config.js';
import { resolveProgram } from '../file-source.js';

const phrase = () => z.string().min(1, { error: 'expected part of a question title' });
const column = () => z.string().min(1, { error: 'expected a column name of the export' });

export const typeformSourceSchema = z
  .object({
    /** Program every response lands in; defaults to the first program of the config. */
    programId: z.string().min(1).optional(),
    /** `survey_id` of the responses; defaults to the file name without its extension. */
    surveyId: z.string().min(1).optional(),
    /** Part of the "how did you hear about us" question title (case and punctuation ignored). */
    hdyhauQuestion: phrase().default('hear about us'),
    /** Part of the NPS question title ("How likely are you to recommend us to a friend or colleague?"). */
    npsQuestion: phrase().default('recommend'),
    /** Part of an open comment question's title; no comment is landed when unset. */
    commentQuestion: phrase().optional(),
    /** The column holding the respondent's email: a hidden field or an email question, named exactly. */
    emailField: column().default('email'),
    /** The column holding your customer id: usually a hidden field passed in the survey link. */
    customerIdField: column().default('customer_id'),
  })
  .strict();

export type TypeformSettings = z.output<typeof typeformSourceSchema> & { programId: string };

/** The settings of a config (`sources.typeform`, all defaults when absent), with the program resolved. */
export function typeformSettings(
  config: RefstackConfig,
  override?: z.input<typeof typeformSourceSchema>,
): TypeformSettings {
  const raw = override ?? (config as { sources?: { typeform?: unknown } }).sources?.typeform ?? {};
  const settings = typeformSourceSchema.parse(raw);
  return { ...settings, programId: resolveProgram(config, 'sources.typeform', settings.programId) };
}
