/** `loadSegmentEvents`: one Segment NDJSON file into `raw.touches`, validated in SQL (see `touches-sql.ts`). */
import type { z } from 'zod';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import type { FileLoadOptions } from '../file-source.js';
import { segmentSettings, type segmentSourceSchema } from './config.js';
import { loadNdjson, type NdjsonLoadReport } from './ndjson-sql.js';
import { segmentTouchesSql } from './touches-sql.js';

export const SEGMENT_SOURCE = 'segment';

/**
 * Loads Segment calls (JSON lines) into `raw.touches`: page, identify and campaign-tagged track calls land;
 * other calls are reported as `skipped`; bad records are quarantined. Reloading the same file writes nothing.
 * Throws `FileSourceError` only for a file that cannot be read at all.
 *
 * @example await loadSegmentEvents(wh, { file: 'segment-2025-03-01.ndjson', config });
 */
export async function loadSegmentEvents(
  wh: Warehouse,
  options: FileLoadOptions & { settings?: z.input<typeof segmentSourceSchema> },
): Promise<NdjsonLoadReport> {
  const settings = segmentSettings(options.config, options.settings);
  return loadNdjson(wh, options, {
    source: SEGMENT_SOURCE,
    table: 'touches',
    select: (staged) => segmentTouchesSql(staged, wh.dialect.stringLiteral(settings.programId)),
  });
}
