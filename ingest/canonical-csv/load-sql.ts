/**
 * The SQL-first path of the canonical CSV loader (issue [B]: large files go through DuckDB's own reader).
 * DuckDB's strict `read_csv` stages the file as VARCHAR columns, `checkedSelect` converts in SQL every row it
 * can prove valid and flags the rest, the proven rows land with `insert ... select` (in chunks of
 * `PROGRESS_EVERY_ROWS`, reporting progress), and the flagged rows (bad values, duplicates, unusual forms)
 * go through `validateRow`, the JS validator, which lands or quarantines them with its exact messages.
 *
 * Contract, identical to the JS path (`load.ts`): same landed values, quarantine rows (reason, message,
 * record) and row numbers; read = loaded + quarantined checked before commit; one transaction per file.
 * The path declines (returns `{ fallback }`, nothing written) whenever DuckDB might not see the records
 * csv-parse sees: the path has a glob character (DuckDB would expand it to other files), the strict reader
 * fails (wrong field count, broken quoting, bad UTF-8, a record over 1,000,000 bytes), the byte scan finds a
 * disagreement (`file-scan.ts`), the header row differs, or a cell comes back NULL; the caller then loads the
 * whole file through the JS reader.
 */
import { randomUUID } from 'node:crypto';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { ChunkedAppender, recordBatch } from '../batch.js';
import { LANDING_TABLES, landingColumns, LINEAGE_COLUMNS, QUARANTINE_COLUMNS } from '../landing-schema.js';
import { PROGRESS_EVERY_ROWS } from '../progress.js';
import { quarantineRow, type Lineage } from '../quarantine.js';
import { scanCsvFile } from './file-scan.js';
import { CanonicalCsvError, type HeaderPlan } from './header.js';
import type { LoadReport } from './report.js';
import { checkedSelect } from './sql-checks.js';
import { validateRow, type RowContext } from './validate-row.js';

export interface SqlLoadInput {
  path: string;
  fileName: string;
  plan: HeaderPlan;
  /** The header record as csv-parse read it (BOM removed, untrimmed). */
  header: readonly string[];
  programIds: readonly string[];
  rawSchema: string;
  lineage: Lineage;
  /** `finished_at` of the batch. */
  clock: () => Date;
  progress: (rowsRead: number) => void;
}

export type SqlLoadOutcome =
  { loaded: Pick<LoadReport, 'read' | 'loaded' | 'quarantined' | 'reasons'> } | { fallback: string };

/** Rows of flagged records fetched per query for `validateRow`. */
const JS_PAGE_ROWS = 5_000;
/** csv-parse's `max_record_size` in the JS path; DuckDB counts bytes, so it declines a little earlier. */
const MAX_LINE_BYTES = 1_000_000;

/** Loads a file through DuckDB's reader and SQL validation, or declines; see the file comment. DuckDB only. */
export async function loadCanonicalCsvSql(wh: Warehouse, input: SqlLoadInput): Promise<SqlLoadOutcome> {
  const { path, fileName, plan, rawSchema, lineage } = input;
  const table = plan.layout.table;
  const d = wh.dialect;
  const suffix = randomUUID().replaceAll('-', '');
  const staged = d.quoteIdent(`__csv_staged_${suffix}`);
  const checked = d.quoteIdent(`__csv_checked_${suffix}`);
  const n = plan.names.length;
  const cells = Array.from({ length: n }, (_, i) => `c${i}`);
  // read_csv expands its path as a glob, so `orders-[12].csv` would read orders-1.csv and orders-2.csv instead.
  if (/[*?[\]{}]/.test(path))
    return { fallback: 'its path has a glob character (*, ?, [, ], {, }) DuckDB would expand' };
  try {
    try {
      await wh.exec(
        `create temporary table ${staged} as select * from read_csv(${d.stringLiteral(path)}, header = false, ` +
          `auto_detect = false, columns = {${cells.map((c) => `'${c}': 'VARCHAR'`).join(', ')}}, delim = ',', ` +
          `quote = '"', escape = '"', strict_mode = true, null_padding = false, max_line_size = ${MAX_LINE_BYTES}, ` +
          `nullstr = ${d.stringLiteral(`\u0001refstack-null-${suffix}`)})`,
      );
    } catch (err) {
      return { fallback: `DuckDB's strict reader refused it (${firstLine(err)})` };
    }
    const scan = await scanCsvFile(table, path);
    if (scan.hash !== lineage.batchId)
      throw new CanonicalCsvError(
        fileName,
        'the file changed while it was being loaded; nothing was written, load it again',
      );
    if (scan.notPlain) return { fallback: `the file has ${scan.notPlain}` };

    const anyNull = cells.map((c) => `${c} is null`).join(' or ');
    const longest = `greatest(${cells.map((c) => `strlen(${c})`).join(', ')})`;
    const [stats] = await wh.query<{ rows: number; nulls: number; longest: number }>(
      `select count(*) as rows, sum(case when ${anyNull} then 1 else 0 end) as nulls, max(${longest}) as longest ` +
        `from ${staged}`,
    );
    const [head] = await wh.query<Record<string, string>>(`select * from ${staged} where rowid = 0`);
    if (!head || cells.some((c, i) => head[c] !== input.header[i])) return { fallback: 'the header row differs' };
    if (Number(stats?.nulls ?? 0) > 0) return { fallback: 'a cell reads as NULL' };
    // csv-parse refuses a field over max_record_size (1,000,000 characters); DuckDB limits physical lines only.
    if (Number(stats?.longest ?? 0) > MAX_LINE_BYTES / 2) return { fallback: 'a field is close to the size limit' };
    const read = Number(stats!.rows) - 1;

    await wh.exec(`create temporary table ${checked} as ${checkedSelect(staged, plan, input.programIds, scan.trim)}`);
    const loaded = await wh.transaction(() => landAll(wh, input, { staged, checked, read, cells }));
    return { loaded };
  } finally {
    await wh.exec(`drop table if exists ${checked}; drop table if exists ${staged}`);
  }
}

/** The batch's transaction: proven rows by SQL, flagged rows through `validateRow`, then the accounting. */
async function landAll(
  wh: Warehouse,
  input: SqlLoadInput,
  t: { staged: string; checked: string; read: number; cells: string[] },
): Promise<Pick<LoadReport, 'read' | 'loaded' | 'quarantined' | 'reasons'>> {
  const { plan, rawSchema, lineage, fileName } = input;
  const table = plan.layout.table;
  const d = wh.dialect;
  const columns = LANDING_TABLES[table].map((c) => d.quoteIdent(c.name));
  const lineageCols = LINEAGE_COLUMNS.map((c) => d.quoteIdent(c.name));
  const lineageVals = LINEAGE_COLUMNS.map((c) =>
    c.name === '_row_number'
      ? '_rn'
      : d.param(c.name === '_source' ? 'source' : c.name === '_batch_id' ? 'batch' : 'loaded_at'),
  );
  const params = { source: lineage.source, batch: lineage.batchId, loaded_at: lineage.loadedAt };
  let sqlLoaded = 0;
  // Each chunk scans the staged rows again, so a large file lands in at most ~8 chunks; chunk ends stay
  // multiples of PROGRESS_EVERY_ROWS, the counts progress reports.
  const chunk = PROGRESS_EVERY_ROWS * Math.max(1, Math.ceil(t.read / 8 / PROGRESS_EVERY_ROWS));
  for (let from = 1; from <= Math.max(t.read, 1); from += chunk) {
    const to = from + chunk - 1;
    sqlLoaded += await wh.execute(
      `insert into ${d.tableRef(rawSchema, table)} (${[...columns, ...lineageCols].join(', ')}) ` +
        `select ${[...columns, ...lineageVals].join(', ')} from ${t.checked} ` +
        `where not _js and _rn between ${from} and ${to}`,
      params,
    );
    if (to <= t.read) input.progress(to);
  }

  const landing = new ChunkedAppender(wh, rawSchema, table, landingColumns(table));
  const quarantine = new ChunkedAppender(wh, rawSchema, 'quarantine', QUARANTINE_COLUMNS);
  const reasons: Record<string, number> = {};
  const keys = { first: undefined as number | undefined };
  const ctx: RowContext = {
    plan,
    programIds: new Set(input.programIds),
    // The first occurrence of every key was found in SQL (`_first`); the row being validated is a repeat
    // exactly when its key's first row comes before it.
    seenKeys: { get: () => keys.first, set: () => undefined },
  };
  let after = 0;
  for (;;) {
    const page = await wh.query<Record<string, unknown>>(
      `select c._rn, c._first, ${t.cells.map((c) => `s.${c}`).join(', ')} from ${t.checked} c ` +
        `join ${t.staged} s on s.rowid = c._rn where c._js and c._rn > ${after} order by c._rn limit ${JS_PAGE_ROWS}`,
    );
    for (const r of page) {
      const rowNumber = Number(r['_rn']);
      const first = r['_first'] === null ? undefined : Number(r['_first']);
      keys.first = first !== undefined && first < rowNumber ? first : undefined;
      const fields = t.cells.map((c) => r[c] as string);
      const outcome = validateRow(fields, rowNumber, ctx);
      if (outcome.ok) {
        const row = outcome.values;
        for (const c of LINEAGE_COLUMNS)
          row.push(
            c.name === '_row_number'
              ? rowNumber
              : c.name === '_source'
                ? lineage.source
                : c.name === '_batch_id'
                  ? lineage.batchId
                  : lineage.loadedAt,
          );
        const p = landing.push(row);
        if (p) await p;
      } else {
        const reason = outcome.problems[0]!.reason;
        reasons[reason] = (reasons[reason] ?? 0) + 1;
        const row = quarantineRow(
          lineage,
          rowNumber,
          table,
          `${fileName} row ${rowNumber}`,
          outcome.problems,
          outcome.record,
        );
        const p = quarantine.push(row);
        if (p) await p;
      }
      after = rowNumber;
    }
    if (page.length < JS_PAGE_ROWS) break;
  }
  await landing.flush();
  await quarantine.flush();

  const loaded = sqlLoaded + landing.appended;
  const quarantined = quarantine.appended;
  const reasonTotal = Object.values(reasons).reduce((a, b) => a + b, 0);
  if (t.read !== loaded + quarantined || reasonTotal !== quarantined) {
    throw new Error(
      `${lineage.source}: batch accounting does not add up: read ${t.read}, loaded ${loaded}, ` +
        `quarantined ${quarantined} (reasons counted ${reasonTotal}); nothing was committed`,
    );
  }
  await recordBatch(wh, rawSchema, {
    batchId: lineage.batchId,
    source: lineage.source,
    targetTable: table,
    file: input.path,
    read: t.read,
    loaded,
    quarantined,
    startedAt: lineage.loadedAt,
    finishedAt: input.clock(),
  });
  return { read: t.read, loaded, quarantined, reasons };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
}
