/** `loadSalesforceReport`: one Salesforce contacts or leads report export CSV into `raw.customers`. */
import type { z } from 'zod';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { loadCsvExport, type FileLoadOptions, type LoadReport } from '../file-source.js';
import { salesforceSettings, type salesforceSourceSchema } from './config.js';
import { salesforceReportMapper } from './report-row.js';

export const SALESFORCE_SOURCE = 'salesforce';

/**
 * Loads a Salesforce report export into `raw.customers` (`read` counts data rows, not the report footer).
 * Reloading the same file writes nothing. Throws `FileSourceError` for an unreadable or empty file, a header
 * without a Contact ID / Lead ID or Created Date column, or CSV syntax the parser cannot recover from.
 *
 * @example await loadSalesforceReport(wh, { file: 'report1710428400000.csv', config });
 */
export async function loadSalesforceReport(
  wh: Warehouse,
  options: FileLoadOptions & { settings?: z.input<typeof salesforceSourceSchema> },
): Promise<LoadReport> {
  const settings = salesforceSettings(options.config, options.settings);
  return loadCsvExport(wh, {
    ...options,
    source: SALESFORCE_SOURCE,
    table: 'customers',
    makeMapper: (fileName, header) => salesforceReportMapper(fileName, header, settings),
  });
}
