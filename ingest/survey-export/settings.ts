/**
 * The settings both survey response exports (Typeform, SurveyMonkey) share: the program and survey the
 * responses land under, the phrases that find the "how did you hear about us", NPS and comment questions,
 * and the columns holding the respondent's email and customer id. Each vendor adds its own settings and
 * chooses the column defaults its export uses.
 */
import { z } from 'zod';

export interface SurveyExportDefaults {
  /** What the export's question headers are called in messages: SurveyMonkey question 'text', Typeform 'title'. */
  question: 'text' | 'title';
  /** Default name of the column holding the respondent's email. */
  emailField: string;
  /** Default name of the column holding your customer id. */
  customerIdField: string;
}

/**
 * The zod fields of the shared settings. A phrase matches a question header case- and punctuation-insensitively
 * (`findQuestion`); an empty phrase fails with `expected part of a question <question>`, an empty column
 * name with `expected a column name of the export`.
 */
export function surveyExportFields(defaults: SurveyExportDefaults) {
  const phrase = () => z.string().min(1, { error: `expected part of a question ${defaults.question}` });
  const column = () => z.string().min(1, { error: 'expected a column name of the export' });
  return {
    /** Program every response lands in; defaults to the first program of the config. */
    programId: z.string().min(1).optional(),
    /** `survey_id` of the responses; defaults to the file name without its extension. */
    surveyId: z.string().min(1).optional(),
    /** Part of the "how did you hear about us" question (case and punctuation ignored). */
    hdyhauQuestion: phrase().default('hear about us'),
    /** Part of the NPS question ("How likely is it that you would recommend ... to a friend or colleague?"). */
    npsQuestion: phrase().default('recommend'),
    /** Part of an open comment question; no comment is landed when unset. */
    commentQuestion: phrase().optional(),
    /** The column with the respondent's email. */
    emailField: column().default(defaults.emailField),
    /** The column with your customer id. */
    customerIdField: column().default(defaults.customerIdField),
  };
}
