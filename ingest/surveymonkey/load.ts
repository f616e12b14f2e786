/** `loadSurveymonkeyResponses`: one SurveyMonkey responses export CSV into `raw.survey_responses`. */
import type { z } from 'zod';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { loadCsvExport, type FileLoadOptions, type LoadReport } from '../file-source.js';
import { surveymonkeySettings, type surveymonkeySourceSchema } from './config.js';
import { surveymonkeyResponsesMapper } from './response-row.js';

export const SURVEYMONKEY_SOURCE = 'surveymonkey';

/**
 * Loads a SurveyMonkey responses export into `raw.survey_responses` (`read` counts respondent rows, not the two
 * header rows). Reloading the same file writes nothing. Throws `FileSourceError` for an unreadable or empty
 * file, a header without Respondent ID or End Date, a question phrase matching several questions, or CSV syntax
 * the parser cannot recover from.
 *
 * @example await loadSurveymonkeyResponses(wh, { file: 'Data_All_250114.csv', config });
 */
export async function loadSurveymonkeyResponses(
  wh: Warehouse,
  options: FileLoadOptions & { settings?: z.input<typeof surveymonkeySourceSchema> },
): Promise<LoadReport> {
  const settings = surveymonkeySettings(options.config, options.settings);
  return loadCsvExport(wh, {
    ...options,
    source: SURVEYMONKEY_SOURCE,
    table: 'survey_responses',
    makeMapper: (fileName, header) => surveymonkeyResponsesMapper(fileName, header, settings),
  });
}
