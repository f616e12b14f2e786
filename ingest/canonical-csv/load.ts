/**
 * Loads one canonical CSV file into its `raw.*` landing table; valid rows, the quarantined rows and the
 * `raw.batches` row are written in one transaction, or nothing is.
 *
 * Two readers with one contract. On DuckDB the file goes SQL-first (`load-sql.ts`: DuckDB's `read_csv`,
 * validation in SQL, only the rows SQL cannot prove valid through `validateRow`); a file DuckDB might read
 * differently from csv-parse, and any other warehouse, goes through the JS reader below (csv-parse streamed
 * and landed in chunks, memory bounded by the chunk size plus the set of primary keys seen). Both give the
 * same landed rows, quarantine rows, messages and counts (tests/ingest/canonical-csv/sql-path.test.ts).
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
import { loadCanonicalCsvSql } from './load-sql.js';
import { validateRow, type RowContext } from './validate-row.js';

/** Which reader loads a file: `auto` (SQL-first on DuckDB, JS otherwise or when declined) or `js` (always JS). */
export type CsvEngine = 'auto' | 'js';

export interface LoadCanonicalCsvOptions {
  /** Path of the CSV file. */
  file: string;
  /** The landing table; inferred from the file name (`orders-2025-01.csv` -> orders) when absent. */
  table?: LandingTable | string;
  config: RefstackConfig;
  /** `_loaded_at` of every row and the batch's started_at and finished_at; defaults to the current time. */
  now?: Date;
  /**
   * Called with the running count of data rows read every `PROGRESS_EVERY_ROWS` rows (the SQL path: at the
   * end of each landed chunk, a multiple of it; at most ~8 calls per file), from inside the batch's
   * transaction; by default a rows and rows/s line on stderr when it is a TTY (`ingest/progress.ts`).
   */
  onProgress?: (rowsRead: number) => void;
  /**
   * `auto` (default): SQL-first on DuckDB, falling back to the JS reader for files DuckDB might read
   * differently; `js`: always the JS reader. The environment variable `REFSTACK_CSV_ENGINE=js` forces `js` too.
   */
  engine?: CsvEngine;
  /** Told which reader loaded the file, and why the SQL path declined it (null when it did not). */
  onEngine?: (engine: 'sql' | 'js', declined: string | null) => void;
}

/** The csv-parse options of the JS reader; the SQL path reads the header with the same ones. */
const CSV_PARSE_OPTIONS = {
  bom: true,
  relax_column_count: true, // a wrong field count is a quarantined `malformed_row`, not a file error
  relax_quotes: true, // a stray quote inside an unquoted field (`5" screen`) is kept as text
  skip_empty_lines: true,
  max_record_size: 1_000_000, // longer is a file error (usually an unclosed quote swallowing the file)
} as const;

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

  const lineage: Lineage = { source: `canonical-csv:${fileName}`, batchId, loadedAt: options.now ?? new Date() };
  const clock = options.now ? () => lineage.loadedAt : () => new Date();
  const programIds = config.programs.map((p) => p.id);
  const progress = options.onProgress ? { update: options.onProgress, done: () => {} } : rowProgress(fileName);
  let declined = 'the warehouse is not DuckDB';
  const engine = process.env['REFSTACK_CSV_ENGINE'] === 'js' ? 'js' : (options.engine ?? 'auto');
  if (engine === 'js') declined = 'the JS engine was asked for';
  else if (wh.dialect.name === 'duckdb') {
    const header = await readHeader(path);
    if (!header) declined = 'csv-parse cannot read its header';
    else {
      const plan = planHeader(fileName, table, header, programIds);
      try {
        const outcome = await loadCanonicalCsvSql(wh, {
          path,
          fileName,
          plan,
          header,
          programIds,
          rawSchema,
          lineage,
          clock,
          progress: (n) => progress.update(n),
        });
        if ('loaded' in outcome) {
          progress.done();
          options.onEngine?.('sql', null);
          return { file, table, batchId, status: 'loaded', ...outcome.loaded };
        }
        declined = outcome.fallback;
      } catch (err) {
        progress.done();
        throw err;
      }
    }
  }
  options.onEngine?.('js', declined);
  return loadWithJs(wh, {
    file,
    path,
    fileName,
    table,
    batchId,
    rawSchema,
    lineage,
    programIds,
    progress,
    clock: options.now ? clock : undefined,
  });
}

/** The first record as the JS reader parses it, or null when csv-parse cannot (the JS path reports why). */
async function readHeader(path: string): Promise<string[] | null> {
  const parser = parse(CSV_PARSE_OPTIONS);
  pipeline(createReadStream(path), parser, () => {});
  try {
    const first = await (parser[Symbol.asyncIterator]() as AsyncIterator<string[]>).next();
    return first.done ? null : first.value;
  } catch {
    return null;
  } finally {
    parser.destroy();
  }
}

interface JsLoad {
  file: string;
  path: string;
  fileName: string;
  table: LandingTable;
  batchId: string;
  rawSchema: string;
  lineage: Lineage;
  programIds: string[];
  progress: { update(rowsRead: number): void; done(): void };
  clock: (() => Date) | undefined;
}

/** The JS reader: csv-parse streamed, `validateRow` per record, chunked appends (see the file comment). */
async function loadWithJs(wh: Warehouse, job: JsLoad): Promise<LoadReport> {
  const { file, path, fileName, table, batchId, rawSchema, lineage, programIds, progress } = job;
  const parser = parse(CSV_PARSE_OPTIONS);
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
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  try {
    const first = await nextRecord(records, fileName);
    if (first.done) throw new CanonicalCsvError(fileName, 'the file is empty (expected a header row)');
    const ctx: RowContext = {
      plan: planHeader(fileName, table, first.value, programIds),
      programIds: new Set(programIds),
      seenKeys: new Map(),
    };
    const lineageByName: Record<string, unknown> = {
      _source: lineage.source,
      _batch_id: lineage.batchId,
      _loaded_at: lineage.loadedAt,
    };

    const batch = await wh.transaction(async () => {
      const writer = new BatchWriter(wh, rawSchema, table, landingColumns(table), lineage, job.clock);
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
