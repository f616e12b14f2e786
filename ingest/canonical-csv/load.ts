/**
 * Loads one canonical CSV file into its `raw.*` landing table. The file is streamed (csv-parse) and landed
 * in chunks, so memory stays bounded by the chunk size plus the set of primary keys seen; valid rows, the
 * quarantined rows and the `raw.batches` row are written in one transaction, or nothing is.
 */
import { createReadStream } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pipeline, Transform } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { RefstackConfig } from '../../src/config.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { batchHasher, BatchWriter, batchReasons, fileBatchId, findBatch } from '../batch.js';
import { ensureLandingSchema, landingColumns, LINEAGE_COLUMNS, type LandingTable } from '../landing-schema.js';
import { PROGRESS_EVERY_ROWS, rowProgress } from '../progress.js';
import type { Lineage } from '../quarantine.js';
import { assertLandingTable, CanonicalCsvError, inferTable, planHeader } from './header.js';
import type { LoadReport } from './report.js';
import { validateRow, type RowContext } from './validate-row.js';

export interface LoadCanonicalCsvOptions {
  /** Path of the CSV file. */
  file: string;
  /** The landing table; inferred from the file name (`orders-2025-01.csv` -> orders) when absent. */
  table?: LandingTable | string;
  config: RefstackConfig;
  /** `_loaded_at` of every row and the batch's started_at and finished_at; defaults to the current time. */
  now?: Date;
  /**
   * Called with the running count of data rows read every `PROGRESS_EVERY_ROWS` rows; by default a
   * rows and rows/s line on stderr when it is a TTY (`ingest/progress.ts`).
   */
  onProgress?: (rowsRead: number) => void;
}

/** A record longer than this many characters is a file error (usually an unclosed quote swallowing the file). */
const MAX_RECORD_CHARS = 1_000_000;

/**
 * Loads a canonical CSV file (layouts in `ingest/canonical-csv/LAYOUTS.md`). Valid rows land in
 * `raw.<table>`, invalid rows in `raw.quarantine` with a reason code, and one `raw.batches` row records
 * read = loaded + quarantined. Loading a file whose batch id (content hash) was already recorded writes
 * nothing and reports `already_loaded`.
 *
 * Throws `CanonicalCsvError` (nothing loaded) for an unknown table or file name, an unreadable or empty
 * file, a header that does not match the layout, or CSV syntax the parser cannot recover from.
 *
 * @example const report = await loadCanonicalCsv(wh, { file: 'exports/orders-2025-01.csv', config });
 */
export async function loadCanonicalCsv(wh: Warehouse, options: LoadCanonicalCsvOptions): Promise<LoadReport> {
  const { file, config } = options;
  const fileName = basename(file);
  const table = options.table !== undefined ? assertLandingTable(fileName, options.table) : inferTable(fileName);
  const path = resolve(file);
  let batchId: string;
  try {
    batchId = await fileBatchId(table, path);
  } catch (err) {
    throw new CanonicalCsvError(fileName, `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const rawSchema = config.schemas.raw;
  await ensureLandingSchema(wh, rawSchema);

  const previous = await findBatch(wh, rawSchema, batchId);
  if (previous) {
    return {
      file,
      table,
      batchId,
      status: 'already_loaded',
      read: previous.read,
      loaded: previous.loaded,
      quarantined: previous.quarantined,
      reasons: await batchReasons(wh, rawSchema, batchId),
    };
  }

  const parser = parse({
    bom: true,
    relax_column_count: true, // a wrong field count is a quarantined `malformed_row`, not a file error
    relax_quotes: true, // a stray quote inside an unquoted field (`5" screen`) is kept as text
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  // The bytes parsed are hashed again on the way through, so a file that changed after its batch id was
  // taken is caught before commit. pipeline() destroys the file stream when the parser is destroyed.
  const rehash = batchHasher(table);
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      rehash.update(chunk);
      done(null, chunk);
    },
  });
  pipeline(createReadStream(path), tap, parser, () => {});
  const progress = options.onProgress ? { update: options.onProgress, done: () => {} } : rowProgress(fileName);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  try {
    const first = await nextRecord(records, fileName);
    if (first.done) throw new CanonicalCsvError(fileName, 'the file is empty (expected a header row)');
    const programIds = config.programs.map((p) => p.id);
    const ctx: RowContext = {
      plan: planHeader(fileName, table, first.value, programIds),
      programIds: new Set(programIds),
      seenKeys: new Map(),
    };
    const lineage: Lineage = { source: `canonical-csv:${fileName}`, batchId, loadedAt: options.now ?? new Date() };
    const lineageByName: Record<string, unknown> = {
      _source: lineage.source,
      _batch_id: lineage.batchId,
      _loaded_at: lineage.loadedAt,
    };

    const batch = await wh.transaction(async () => {
      const clock = options.now ? () => lineage.loadedAt : undefined;
      const writer = new BatchWriter(wh, rawSchema, table, landingColumns(table), lineage, clock);
      for (let rowNumber = 1; ; rowNumber++) {
        const next = await nextRecord(records, fileName);
        if (next.done) break;
        const outcome = validateRow(next.value, rowNumber, ctx);
        if (outcome.ok) {
          // `values` is this row's own array: the lineage columns are appended in place.
          for (const c of LINEAGE_COLUMNS)
            outcome.values.push(c.name === '_row_number' ? rowNumber : lineageByName[c.name]);
          const appending = writer.load(outcome.values);
          if (appending) await appending;
        } else {
          await writer.reject(rowNumber, `${fileName} row ${rowNumber}`, outcome.problems, outcome.record);
        }
        if (rowNumber % PROGRESS_EVERY_ROWS === 0) progress.update(rowNumber);
      }
      if (rehash.digest('hex') !== batchId) {
        throw new CanonicalCsvError(
          fileName,
          'the file changed while it was being loaded; nothing was written, load it again',
        );
      }
      return { record: await writer.finish(path), reasons: { ...writer.reasons } as Record<string, number> };
    });
    return {
      file,
      table,
      batchId,
      status: 'loaded',
      read: batch.record.read,
      loaded: batch.record.loaded,
      quarantined: batch.record.quarantined,
      reasons: batch.reasons,
    };
  } finally {
    progress.done();
    parser.destroy();
  }
}

/** The next parsed record; CSV syntax the parser cannot recover from becomes a file error. */
async function nextRecord(records: AsyncIterator<string[]>, fileName: string): Promise<IteratorResult<string[]>> {
  try {
    return await records.next();
  } catch (err) {
    if (err instanceof CsvError) throw new CanonicalCsvError(fileName, `CSV syntax error: ${err.message}`);
    throw new CanonicalCsvError(fileName, `cannot read: ${err instanceof Error ? err.message : String(err)}`);
  }
}
