/**
 * Set-based loading of a JSON-lines file (Segment, GA4 BigQuery export), shared by the NDJSON adapters.
 * The file is never walked record by record in JS: DuckDB's `read_json_objects` stages one JSON value per
 * non-blank line in a temp table (a truncated, unparseable or non-UTF-8 line stages as NULL instead of
 * failing the file), the adapter's SELECT maps and validates it in SQL, and three INSERT ... SELECTs land
 * the valid rows, quarantine the rest and record the batch, in one transaction.
 *
 * Record numbering: `_row_number` is the 1-based number of the non-blank line (blank lines are not
 * records), taken from `row_number() over ()` on the single-file scan, whose order DuckDB preserves.
 *
 * Scope: well-formed records of a kind the landing table does not hold (a Segment `screen` call, a GA4
 * `scroll` event) are SKIPPED, not read: `read` counts the records the source lands or quarantines, and the
 * report's `skipped` counts the others by kind, so read + skipped = records in the file.
 *
 * Engine: this uses DuckDB's JSON reader and functions; with a BigQuery warehouse, stage the file into a
 * local DuckDB first (not built yet).
 */
import { randomUUID } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { batchReasons, fileBatchId, findBatch, recordBatch } from '../batch.js';
import { formatLoadReport } from '../canonical-csv/report.js';
import { FileSourceError, type FileLoadOptions, type LoadReport } from '../file-source.js';
import { ensureLandingSchema, LANDING_TABLES, type LandingTable } from '../landing-schema.js';
import type { ReasonCode } from '../quarantine.js';

/** A load report plus the well-formed records outside the source's scope, by kind (absent for `already_loaded`). */
export interface NdjsonLoadReport extends LoadReport {
  skipped?: Record<string, number>;
}

/**
 * One human line for an NDJSON load: the CSV loaders' line plus the skipped records by kind.
 * @example formatNdjsonLoadReport(report)
 * // 'events.ndjson -> touches: 10 read, 4 loaded, 6 quarantined (...), batch a198370d7205; skipped 2 (screen call 1, ...)'
 */
export function formatNdjsonLoadReport(report: NdjsonLoadReport): string {
  const kinds = Object.entries(report.skipped ?? {});
  if (kinds.length === 0) return formatLoadReport(report);
  const total = kinds.reduce((a, [, n]) => a + n, 0);
  return `${formatLoadReport(report)}; skipped ${total} out of scope (${kinds.map(([k, n]) => `${k} ${n}`).join(', ')})`;
}

/** One validation rule of a record, as SQL over the adapter's mapped columns. */
export interface SqlCheck {
  reason: ReasonCode;
  /** A boolean SQL expression, true when the record has the problem. */
  when: string;
  /** A varchar SQL expression: the problem clause, e.g. `'field timestamp: "' || ts_text || '" is not ...'`. */
  text: string;
}

/**
 * The `_reason` and `_problem` columns for a list of checks: the reason is the first failing check's, the
 * problem text joins every failing check's clause with "; " (like the CSV loaders). The other checks are
 * not evaluated when `gate` (usually `JSON_OBJECT_CHECK`) fails.
 */
export function problemsSql(gate: SqlCheck, checks: readonly SqlCheck[]): string {
  const reason = `coalesce(${checks.map((c) => `case when ${c.when} then '${c.reason}' end`).join(', ')})`;
  const text = `nullif(concat_ws('; ', ${checks.map((c) => `case when ${c.when} then ${c.text} end`).join(', ')}), '')`;
  return (
    `case when ${gate.when} then '${gate.reason}' else ${reason} end as _reason, ` +
    `case when ${gate.when} then ${gate.text} else ${text} end as _problem`
  );
}

/** The check every NDJSON adapter starts with: the line must be a JSON object. */
export const JSON_OBJECT_CHECK: SqlCheck = {
  reason: 'invalid_json',
  when: `(j is null or json_type(j) <> 'OBJECT')`,
  text:
    `case when j is null then 'not JSON (the line is truncated, unparseable or not UTF-8; its text is not kept)' ` +
    `else 'is a JSON ' || lower(json_type(j)) || ', expected an object' end`,
};

export interface NdjsonSource {
  /** Adapter name, stamped as `_source` = `<source>:<file name>`. */
  source: string;
  table: LandingTable;
  /**
   * A SELECT over `staged` (columns `_row_number` bigint and `j` json, NULL for an unreadable line) returning
   * `_row_number`, `_skip` (NULL, or the kind of a well-formed record out of scope), `_reason` and
   * `_problem` (see `problemsSql`; NULL reason = valid) and every business column of `table` by name.
   * `fileName` is a SQL string literal of the file name, for messages.
   */
  select(staged: string, fileName: string): string;
}

/** Loads one NDJSON file through an adapter's SQL; see the file comment. Throws `FileSourceError` for an unreadable file. */
export async function loadNdjson(
  wh: Warehouse,
  options: FileLoadOptions,
  adapter: NdjsonSource,
): Promise<NdjsonLoadReport> {
  const { file, config } = options;
  const { table } = adapter;
  const fileName = basename(file);
  const path = resolve(file);
  const hashKey = `${adapter.source}:${table}`;
  const batchId = await hashOrThrow(hashKey, path, fileName);
  const rawSchema = config.schemas.raw;
  await ensureLandingSchema(wh, rawSchema);
  const previous = await findBatch(wh, rawSchema, batchId);
  if (previous) {
    const counts = { read: previous.read, loaded: previous.loaded, quarantined: previous.quarantined };
    const reasons = await batchReasons(wh, rawSchema, batchId);
    return { file, table, batchId, status: 'already_loaded', ...counts, reasons };
  }

  const d = wh.dialect;
  const suffix = randomUUID().replaceAll('-', '');
  const staged = d.quoteIdent(`__ndjson_staged_${suffix}`);
  const mapped = d.quoteIdent(`__ndjson_mapped_${suffix}`);
  const loadedAt = options.now ?? new Date();
  const source = `${adapter.source}:${fileName}`;
  const lineage = { source, batch: batchId, loaded_at: loadedAt };
  try {
    try {
      await wh.exec(
        `create temporary table ${staged} as select row_number() over () as _row_number, json as j ` +
          `from read_json_objects(${d.stringLiteral(path)}, format = 'newline_delimited', ignore_errors = true)`,
      );
    } catch (err) {
      throw new FileSourceError(fileName, `cannot read as JSON lines: ${err instanceof Error ? err.message : err}`);
    }
    await wh.exec(`create temporary table ${mapped} as ${adapter.select(staged, d.stringLiteral(fileName))}`);
    const columns = LANDING_TABLES[table].map((c) => d.quoteIdent(c.name));
    const lineageCols = ['_source', '_batch_id', '_row_number', '_loaded_at'].map(d.quoteIdent);
    const lineageVals = `${d.param('source')}, ${d.param('batch')}, _row_number, ${d.param('loaded_at')}`;
    const result = await wh.transaction(async () => {
      const loaded = await wh.execute(
        `insert into ${d.tableRef(rawSchema, table)} (${[...columns, ...lineageCols].join(', ')}) ` +
          `select ${columns.join(', ')}, ${lineageVals} from ${mapped} where _skip is null and _reason is null`,
        lineage,
      );
      const quarantined = await wh.execute(
        `insert into ${d.tableRef(rawSchema, 'quarantine')} ` +
          `(_source, _batch_id, _row_number, _loaded_at, target_table, reason_code, message, record) ` +
          `select ${lineageVals}, ${d.stringLiteral(table)}, _reason, ` +
          `${d.stringLiteral(`${fileName} record `)} || _row_number || ': ' || _problem, ` +
          `coalesce(s.j, cast('null' as json)) from ${mapped} m join ${staged} s using (_row_number) ` +
          `where _skip is null and _reason is not null`,
        lineage,
      );
      if ((await hashOrThrow(hashKey, path, fileName)) !== batchId)
        throw new FileSourceError(fileName, 'the file changed while it was being loaded; nothing was written');
      const read = loaded + quarantined;
      await recordBatch(wh, rawSchema, {
        batchId,
        source,
        targetTable: table,
        file: path,
        read,
        loaded,
        quarantined,
        startedAt: loadedAt,
        finishedAt: options.now ?? new Date(),
      });
      return { read, loaded, quarantined };
    });
    const reasons = await batchReasons(wh, rawSchema, batchId);
    const skips = await wh.query<{ kind: string; n: number }>(
      `select _skip as kind, count(*) as n from ${mapped} where _skip is not null group by 1 order by 1`,
    );
    const skipped = Object.fromEntries(skips.map((s) => [s.kind, Number(s.n)]));
    return { file, table, batchId, status: 'loaded', ...result, reasons, skipped };
  } finally {
    await wh.exec(`drop table if exists ${mapped}; drop table if exists ${staged}`);
  }
}

async function hashOrThrow(hashKey: string, path: string, fileName: string): Promise<string> {
  try {
    return await fileBatchId(hashKey, path);
  } catch (err) {
    throw new FileSourceError(fileName, `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
