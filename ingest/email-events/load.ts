/** `loadEmailEvents`: one HubSpot or Mailchimp email events export CSV into `raw.email_events`. */
import type { z } from 'zod';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { loadCsvExport, type FileLoadOptions, type LoadReport } from '../file-source.js';
import { emailEventsSettings, type emailEventsSourceSchema } from './config.js';
import { emailEventsMapper } from './event-row.js';

export const EMAIL_EVENTS_SOURCE = 'email-events';

/**
 * Loads an email events export into `raw.email_events` (`read` counts data rows); the provider is detected
 * from the header. Reloading the same file writes nothing. Throws `FileSourceError` for an unreadable or
 * empty file, a header of neither format, a configured code column the file lacks, or broken CSV syntax.
 *
 * @example await loadEmailEvents(wh, { file: 'invite-campaign-activity.csv', config });
 */
export async function loadEmailEvents(
  wh: Warehouse,
  options: FileLoadOptions & { settings?: z.input<typeof emailEventsSourceSchema> },
): Promise<LoadReport> {
  const settings = emailEventsSettings(options.config, options.settings);
  return loadCsvExport(wh, {
    ...options,
    source: EMAIL_EVENTS_SOURCE,
    table: 'email_events',
    makeMapper: (fileName, header) => emailEventsMapper(fileName, header, settings),
  });
}
