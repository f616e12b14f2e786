/**
 * Shared scaffolding of the vendor CSV export adapters (Shopify, Stripe, HubSpot exports): the same batch
 * discipline as the canonical CSV loader (content-hash batch id, `already_loaded` on a repeat, one
 * transaction for landed rows, quarantined rows and the `raw.batches` row, read = loaded + quarantined),
 * with the vendor knowledge left to a `CsvRecordMapper` built from the file's header.
 */
import { createReadStream } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pipeline, Transform } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { RefstackConfig } from '../src/config.js';
import type { Warehouse } from '../src/warehouse/warehouse.js';
import { batchHasher, BatchWriter, batchReasons, fileBatchId, findBatch } from './batch.js';
import type { LoadReport } from './canonical-csv/report.js';
import { parseMinorUnits } from './currency.js';
import { ensureLandingSchema, landingColumns, LINEAGE_COLUMNS, type LandingTable } from './landing-schema.js';
import { parseTimestamp } from './parse-values.js';
import { PROGRESS_EVERY_ROWS, rowProgress } from './progress.js';
import type { Lineage, Problem } from './quarantine.js';

export type { LoadReport } from './canonical-csv/report.js';

/** A problem with a whole export file (unreadable, empty, wrong header, broken CSV): nothing is loaded. */
export class FileSourceError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'FileSourceError';
  }
}

/** What became of one record: landed values (business columns, landing order) or the problems that quarantine it. */
export type MappedRecord =
  | { ok: true; rowNumber: number; values: unknown[] }
  | { ok: false; rowNumber: number; where: string; problems: Problem[]; record: unknown };

/**
 * Turns CSV data rows into records. `push` may hold rows back (a Shopify order spans several rows) and
 * returns the records completed so far; `end` returns the rest. Every row must end up in exactly one record.
 */
export interface CsvRecordMapper {
  push(rowNumber: number, fields: readonly string[]): MappedRecord[];
  end(): MappedRecord[];
}

export interface FileLoadOptions {
  file: string;
  config: RefstackConfig;
  now?: Date;
  /**
   * Called with the running count of records read every `PROGRESS_EVERY_ROWS` records; by default a rows and
   * rows/s line on stderr when it is a TTY (`ingest/progress.ts`).
   */
  onProgress?: (rowsRead: number) => void;
}

/**
 * The program a source's rows land in: `programId` from its settings, else the config's first program.
 * Throws naming the settings key when the id is not a program of the config.
 */
export function resolveProgram(config: RefstackConfig, key: string, programId: string | undefined): string {
  const id = programId ?? config.programs[0]!.id;
  if (!config.programs.some((p) => p.id === id))
    throw new Error(
      `${key}.programId: "${id}" is not a program in the config (known: ${config.programs.map((p) => p.id).join(', ')})`,
    );
  return id;
}

/** Header names as they are matched: trimmed, lower case, BOM removed. */
export function normalizeHeader(header: readonly string[]): string[] {
  return header.map((h) =>
    h
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase(),
  );
}

/**
 * Index of each wanted column in a header (matched case-insensitively); throws naming every required
 * column that is missing, so a file from the wrong export is refused whole with one clear message.
 */
export function indexColumns<K extends string>(
  file: string,
  what: string,
  header: readonly string[],
  wanted: Readonly<Record<K, { name: string; required: boolean }>>,
): Record<K, number | undefined> {
  const names = normalizeHeader(header);
  const index = {} as Record<K, number | undefined>;
  const missing: string[] = [];
  for (const [key, spec] of Object.entries(wanted) as [K, { name: string; required: boolean }][]) {
    // An unset optional column is asked for as '' and never matches, even a blank header name.
    const at = spec.name === '' ? -1 : names.indexOf(spec.name.trim().toLowerCase());
    index[key] = at === -1 ? undefined : at;
    if (at === -1 && spec.required) missing.push(spec.name);
  }
  if (missing.length > 0)
    throw new FileSourceError(
      file,
      `not a ${what}: the header lacks ${missing.map((m) => JSON.stringify(m)).join(', ')} (found: ${header.slice(0, 12).join(', ')}${header.length > 12 ? ', ...' : ''})`,
    );
  return index;
}

/** The record to quarantine for a row: header name -> cell, or the raw fields when the count does not match. */
export function rowRecord(header: readonly string[], fields: readonly string[]): unknown {
  if (fields.length !== header.length) return fields;
  return Object.fromEntries(header.map((h, i) => [h, fields[i] ?? '']));
}

/** A trimmed cell, '' when the column is absent. */
export function cell(fields: readonly string[], at: number | undefined): string {
  return at === undefined ? '' : (fields[at] ?? '').trim();
}

/** Parses a major-unit amount cell into minor units, pushing a problem naming the column on failure. */
export function amountCell(
  text: string,
  column: string,
  exponent: number,
  currency: string,
  problems: Problem[],
): bigint | null {
  const r = parseMinorUnits(text === '' ? '0' : text, exponent, currency);
  if (r.ok) return r.minor;
  problems.push({ reason: r.reason, text: `column ${column}: ${JSON.stringify(text)} ${r.problem}` });
  return null;
}

/** Parses a timestamp cell, pushing a problem naming the column on failure; '' is null (or missing_value if required). */
export function timestampCell(text: string, column: string, required: boolean, problems: Problem[]): Date | null {
  if (text === '') {
    if (required) problems.push({ reason: 'missing_value', text: `column ${column}: missing value` });
    return null;
  }
  const r = parseTimestamp(text);
  if (r.ok) return r.value;
  problems.push({ reason: r.reason, text: `column ${column}: ${JSON.stringify(text)} ${r.problem}` });
  return null;
}

const MAX_RECORD_CHARS = 1_000_000;

/**
 * Loads one vendor CSV export into `raw.<table>`. `makeMapper` receives the header row and returns the
 * mapper for the data rows (or throws `FileSourceError` for a header it does not recognize). `source` names
 * the adapter (`shopify`), stamped as `_source` = `<source>:<file name>`.
 */
export async function loadCsvExport(
  wh: Warehouse,
  options: FileLoadOptions & {
    source: string;
    table: LandingTable;
    makeMapper: (fileName: string, header: string[]) => CsvRecordMapper;
  },
): Promise<LoadReport> {
  const { file, config, table } = options;
  const fileName = basename(file);
  const path = resolve(file);
  const hashKey = `${options.source}:${table}`;
  let batchId: string;
  try {
    batchId = await fileBatchId(hashKey, path);
  } catch (err) {
    throw new FileSourceError(fileName, `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const rawSchema = config.schemas.raw;
  await ensureLandingSchema(wh, rawSchema);
  const previous = await findBatch(wh, rawSchema, batchId);
  if (previous) {
    const reasons = await batchReasons(wh, rawSchema, batchId);
    const counts = { read: previous.read, loaded: previous.loaded, quarantined: previous.quarantined };
    return { file, table, batchId, status: 'already_loaded', ...counts, reasons };
  }

  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  const rehash = batchHasher(hashKey);
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      rehash.update(chunk);
      done(null, chunk);
    },
  });
  pipeline(createReadStream(path), tap, parser, () => {});
  const progress = options.onProgress ? { update: options.onProgress, done: () => {} } : rowProgress(fileName);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const next = async (): Promise<IteratorResult<string[]>> => {
    try {
      return await records.next();
    } catch (err) {
      const why = err instanceof CsvError ? `CSV syntax error: ${err.message}` : `cannot read: ${String(err)}`;
      throw new FileSourceError(fileName, why);
    }
  };
  try {
    const first = await next();
    if (first.done) throw new FileSourceError(fileName, 'the file is empty (expected a header row)');
    const mapper = options.makeMapper(fileName, first.value);
    const lineage: Lineage = { source: `${options.source}:${fileName}`, batchId, loadedAt: options.now ?? new Date() };
    const lineageByName: Record<string, unknown> = {
      _source: lineage.source,
      _batch_id: batchId,
      _loaded_at: lineage.loadedAt,
    };
    const tail = (rowNumber: number) =>
      LINEAGE_COLUMNS.map((c) => (c.name === '_row_number' ? rowNumber : lineageByName[c.name]));
    const batch = await wh.transaction(async () => {
      const clock = options.now ? () => lineage.loadedAt : undefined;
      const writer = new BatchWriter(wh, rawSchema, table, landingColumns(table), lineage, clock);
      const write = async (out: MappedRecord[]) => {
        for (const r of out) {
          if (r.ok) await writer.load([...r.values, ...tail(r.rowNumber)]);
          else await writer.reject(r.rowNumber, r.where, r.problems, r.record);
        }
      };
      for (let rowNumber = 1; ; rowNumber++) {
        const rec = await next();
        if (rec.done) break;
        await write(mapper.push(rowNumber, rec.value));
        if (rowNumber % PROGRESS_EVERY_ROWS === 0) progress.update(rowNumber);
      }
      await write(mapper.end());
      if (rehash.digest('hex') !== batchId)
        throw new FileSourceError(fileName, 'the file changed while it was being loaded; nothing was written');
      return { record: await writer.finish(path), reasons: { ...writer.reasons } as Record<string, number> };
    });
    const { read, loaded, quarantined } = batch.record;
    return { file, table, batchId, status: 'loaded', read, loaded, quarantined, reasons: batch.reasons };
  } finally {
    progress.done();
    parser.destroy();
  }
}
