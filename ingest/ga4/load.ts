/** `loadGa4Events`: one GA4 BigQuery export (JSON lines) into `raw.touches`, validated in SQL (see `touches-sql.ts`). */
import type { z } from 'zod';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import type { FileLoadOptions } from '../file-source.js';
import { loadNdjson, type NdjsonLoadReport } from '../segment/ndjson-sql.js';
import { ga4Settings, type ga4SourceSchema } from './config.js';
import { ga4TouchesSql } from './touches-sql.js';

export const GA4_SOURCE = 'ga4';

/**
 * Loads GA4 export events into `raw.touches`: the `touchEvents` land, other events are reported as
 * `skipped`, bad records are quarantined. Reloading the same file writes nothing. Throws
 * `FileSourceError` only for a file that cannot be read at all.
 *
 * @example await loadGa4Events(wh, { file: 'events_20250301.json', config });
 */
export async function loadGa4Events(
  wh: Warehouse,
  options: FileLoadOptions & { settings?: z.input<typeof ga4SourceSchema> },
): Promise<NdjsonLoadReport> {
  const settings = ga4Settings(options.config, options.settings);
  return loadNdjson(wh, options, {
    source: GA4_SOURCE,
    table: 'touches',
    select: (staged) => ga4TouchesSql(staged, wh.dialect.stringLiteral(settings.programId), settings.touchEvents),
  });
}
