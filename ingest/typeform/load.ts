/** `loadTypeformResponses`: one Typeform responses export CSV into `raw.survey_responses`. */
import type { z } from 'zod';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { loadCsvExport, type FileLoadOptions, type LoadReport } from '../file-source.js';
import { typeformSettings, type typeformSourceSchema } from './config.js';
import { typeformResponsesMapper } from './response-row.js';

export const TYPEFORM_SOURCE = 'typeform';

/**
 * Loads a Typeform responses export into `raw.survey_responses` (`read` counts data rows). Reloading the same
 * file writes nothing. Throws `FileSourceError` for an unreadable or empty file, a header without "#" or a
 * submit-time column, a question phrase matching several questions, or CSV syntax the parser cannot recover from.
 *
 * @example await loadTypeformResponses(wh, { file: 'responses.csv', config, settings: { npsQuestion: 'recommend Acme' } });
 */
export async function loadTypeformResponses(
  wh: Warehouse,
  options: FileLoadOptions & { settings?: z.input<typeof typeformSourceSchema> },
): Promise<LoadReport> {
  const settings = typeformSettings(options.config, options.settings);
  return loadCsvExport(wh, {
    ...options,
    source: TYPEFORM_SOURCE,
    table: 'survey_responses',
    makeMapper: (fileName, header) => typeformResponsesMapper(fileName, header, settings),
  });
}
