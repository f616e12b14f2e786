/** `loadHubspotContacts`: one HubSpot contacts export CSV into `raw.customers`; mapping in `contact-row.ts`. */
import type { z } from 'zod';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { loadCsvExport, type FileLoadOptions, type LoadReport } from '../file-source.js';
import { hubspotExportSettings, type hubspotExportSourceSchema } from './config.js';
import { hubspotContactsMapper } from './contact-row.js';

export const HUBSPOT_EXPORT_SOURCE = 'hubspot-export';

/**
 * Loads a HubSpot contacts export into `raw.customers` (`read` counts CSV data rows). Reloading the same
 * file writes nothing. Throws `FileSourceError` for an unreadable or empty file, a header without the
 * Record ID or Create Date column, or CSV syntax the parser cannot recover from.
 *
 * @example await loadHubspotContacts(wh, { file: 'hubspot-crm-exports-all-contacts.csv', config });
 */
export async function loadHubspotContacts(
  wh: Warehouse,
  options: FileLoadOptions & { settings?: z.input<typeof hubspotExportSourceSchema> },
): Promise<LoadReport> {
  const settings = hubspotExportSettings(options.config, options.settings);
  return loadCsvExport(wh, {
    ...options,
    source: HUBSPOT_EXPORT_SOURCE,
    table: 'customers',
    makeMapper: (fileName, header) => hubspotContactsMapper(fileName, header, settings),
  });
}
