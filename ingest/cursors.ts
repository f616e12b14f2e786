/**
 * Source cursors: where each incremental API source stopped, stored in the warehouse beside the data
 * (`raw.source_cursors`, one row per source), and the one transaction that lands an API page and advances
 * its cursor together. Because the page's rows, its quarantined rows, its `raw.batches` row and the
 * new cursor commit or roll back as one, a run that dies between pages leaves the warehouse at the end of
 * the last whole page, and the next run resumes from exactly there: no page is lost or landed twice.
 */
import type { z } from 'zod';
import type { ColumnDef } from '../src/warehouse/dialect.js';
import type { Warehouse } from '../src/warehouse/warehouse.js';
import { BatchWriter, findBatch, type BatchRecord } from './batch.js';
import { landingColumns, LINEAGE_COLUMNS, type LandingTable } from './landing-schema.js';
import type { Lineage, Problem } from './quarantine.js';

export const CURSOR_TABLE = 'source_cursors';

/** `raw.source_cursors`: the cursor text is owned by its source (a JSON document for the API sources). */
export const SOURCE_CURSOR_COLUMNS: ColumnDef[] = [
  { name: 'source', type: 'string', required: true, description: 'source and object, e.g. hubspot-api:contacts' },
  {
    name: 'cursor',
    type: 'string',
    required: true,
    description: 'where the source stopped; its format is the source’s',
  },
  { name: 'updated_at', type: 'timestamp', required: true, description: 'when the cursor was last advanced (UTC)' },
];

/** Creates `raw.source_cursors` if absent. Idempotent. */
export async function ensureCursorTable(wh: Warehouse, rawSchema: string): Promise<void> {
  const d = wh.dialect;
  await wh.exec(d.createSchemaIfNotExists(rawSchema));
  await wh.exec(d.createTableIfNotExists(d.tableRef(rawSchema, CURSOR_TABLE), SOURCE_CURSOR_COLUMNS));
}

/** The stored cursor of `source`, or null before its first committed page. */
export async function getCursor(wh: Warehouse, rawSchema: string, source: string): Promise<string | null> {
  const d = wh.dialect;
  const rows = await wh.query<{ cursor: string }>(
    `select ${d.quoteIdent('cursor')} from ${d.tableRef(rawSchema, CURSOR_TABLE)} where source = ${d.param('source')}`,
    { source },
  );
  return rows[0]?.cursor ?? null;
}

/** Replaces the cursor of `source`. Call inside the transaction that lands what the cursor points past. */
export async function setCursor(
  wh: Warehouse,
  rawSchema: string,
  source: string,
  cursor: string,
  at: Date,
): Promise<void> {
  const d = wh.dialect;
  await wh.execute(`delete from ${d.tableRef(rawSchema, CURSOR_TABLE)} where source = ${d.param('source')}`, {
    source,
  });
  await wh.appendRows(rawSchema, CURSOR_TABLE, SOURCE_CURSOR_COLUMNS, [[source, cursor, at]]);
}

/** A record's landing values (business columns in `LANDING_TABLES` order), or why it is quarantined. */
export type RecordOutcome =
  { ok: true; values: unknown[] } | { ok: false; problems: Problem[]; where: string; record: unknown };

export interface ApiPage {
  /** Lineage `_source` and the cursor's key, e.g. `hubspot-api:contacts`. */
  source: string;
  table: LandingTable;
  /** Content hash of the page (see the source for what it covers). */
  batchId: string;
  loadedAt: Date;
  /** Recorded as `raw.batches.file`: the request that produced the page, without secrets. */
  requestLine: string;
  /** The records to land, already filtered to those the source wants (e.g. changed since the cursor). */
  records: readonly unknown[];
  /** Validates one record; `rowNumber` is its 1-based position among `records`. */
  validate: (record: unknown, rowNumber: number) => RecordOutcome;
  /** The cursor to store once this page is committed. */
  cursor: string;
}

export interface PageOutcome {
  /** `loaded`: a new batch; `already_loaded`: the same batch id was committed before; `empty`: no records. */
  status: 'loaded' | 'already_loaded' | 'empty';
  batch: BatchRecord | null;
  reasons: Record<string, number>;
}

/**
 * Lands one page in one transaction: valid records into `raw.<table>`, invalid ones into `raw.quarantine`,
 * the `raw.batches` row (read = loaded + quarantined, checked), and the new cursor. A page whose batch
 * id is already recorded lands nothing but still advances the cursor; an empty page only advances it.
 */
export async function landPageWithCursor(wh: Warehouse, rawSchema: string, page: ApiPage): Promise<PageOutcome> {
  return wh.transaction(async () => {
    let outcome: PageOutcome = { status: 'empty', batch: null, reasons: {} };
    if (page.records.length > 0) {
      const previous = await findBatch(wh, rawSchema, page.batchId);
      if (previous) outcome = { status: 'already_loaded', batch: previous, reasons: {} };
      else outcome = await landRecords(wh, rawSchema, page);
    }
    await setCursor(wh, rawSchema, page.source, page.cursor, page.loadedAt);
    return outcome;
  });
}

async function landRecords(wh: Warehouse, rawSchema: string, page: ApiPage): Promise<PageOutcome> {
  const lineage: Lineage = { source: page.source, batchId: page.batchId, loadedAt: page.loadedAt };
  const writer = new BatchWriter(wh, rawSchema, page.table, landingColumns(page.table), lineage);
  const lineageByName: Record<string, unknown> = {
    _source: lineage.source,
    _batch_id: lineage.batchId,
    _loaded_at: lineage.loadedAt,
  };
  for (const [i, record] of page.records.entries()) {
    const rowNumber = i + 1;
    const outcome = page.validate(record, rowNumber);
    if (outcome.ok) {
      const tail = LINEAGE_COLUMNS.map((c) => (c.name === '_row_number' ? rowNumber : lineageByName[c.name]));
      await writer.load([...outcome.values, ...tail]);
    } else {
      await writer.reject(rowNumber, outcome.where, outcome.problems, outcome.record);
    }
  }
  const batch = await writer.finish(page.requestLine);
  return { status: 'loaded', batch, reasons: { ...writer.reasons } as Record<string, number> };
}

/** What one API ingest run did, summed over its pages. */
export interface ApiLoadReport {
  /** Lineage `_source` and cursor key, e.g. `hubspot-api:contacts`. */
  source: string;
  table: LandingTable;
  /** `loaded` when any batch landed; `up_to_date` when the remote had nothing new. */
  status: 'loaded' | 'up_to_date';
  /** Pages fetched this run. */
  pages: number;
  /** Batch ids landed this run, in order. */
  batchIds: string[];
  read: number;
  loaded: number;
  quarantined: number;
  /** Quarantined rows by reason code. */
  reasons: Record<string, number>;
  /** Records fetched but not landed because they had not changed since the cursor (HubSpot's full scan). */
  unchanged: number;
  /** The cursor stored at the end of the run. */
  cursor: string;
}

/** Sums page outcomes into an `ApiLoadReport`. */
export class ApiRunTally {
  readonly report: ApiLoadReport;

  constructor(source: string, table: LandingTable, cursor: string) {
    this.report = {
      source,
      table,
      status: 'up_to_date',
      pages: 0,
      batchIds: [],
      read: 0,
      loaded: 0,
      quarantined: 0,
      reasons: {},
      unchanged: 0,
      cursor,
    };
  }

  add(outcome: PageOutcome, unchanged: number, cursor: string): void {
    const r = this.report;
    r.pages++;
    r.unchanged += unchanged;
    r.cursor = cursor;
    if (outcome.status !== 'loaded' || !outcome.batch) return;
    r.status = 'loaded';
    r.batchIds.push(outcome.batch.batchId);
    r.read += outcome.batch.read;
    r.loaded += outcome.batch.loaded;
    r.quarantined += outcome.batch.quarantined;
    for (const [code, n] of Object.entries(outcome.reasons)) r.reasons[code] = (r.reasons[code] ?? 0) + n;
  }
}

/** One fetched API page, before validation. */
export interface FetchedPage {
  /** The parsed JSON body. */
  data: unknown;
  /** The body's bytes as text (batch ids hash them). */
  text: string;
  /** The request, without secrets: recorded as `raw.batches.file` and prefixed to errors. */
  requestLine: string;
}

/** What the driver lands from one validated page. */
export interface PagePlan {
  /** The records to land (already filtered to what changed, for sources that filter client-side). */
  records: readonly unknown[];
  /** Records fetched but not landed because they had not changed. */
  unchanged: number;
  /** The token of the next page, or null at the end of the list. */
  next: string | null;
  /** The cursor committed with this page. */
  cursor: string;
  batchId: string;
}

/** A cursor-paged API source, as `runPagedIngest` drives it. */
export interface PagedSource<Page> {
  /** Lineage `_source` and cursor key, e.g. `hubspot-api:contacts`. */
  source: string;
  table: LandingTable;
  rawSchema: string;
  /** `_loaded_at` of every landed row. */
  loadedAt: Date;
  /** The cursor stored before the run (null before the first committed page). */
  storedCursor: string | null;
  /** The token of the first page to fetch ('' = the start of the list; mid-scan, the stored resume token). */
  firstToken: string;
  fetch(token: string): Promise<FetchedPage>;
  /** The page's documented shape; a response that fails it stops the run, naming `what` (e.g. 'a contacts page'). */
  pageSchema: z.ZodType<Page>;
  what: string;
  /** Called once per validated page, in order: may keep running state (largest timestamp seen, ...). */
  plan(page: Page, fetched: FetchedPage): PagePlan;
  /** Validates one record; `rowNumber` is 1-based within the page. */
  validate(record: unknown, rowNumber: number, pageNumber: number): RecordOutcome;
  /** The error message for a next-page token the run has already seen (a server-side loop). */
  repeated(requestLine: string, token: string): string;
  /** Called after each committed page with the running report (for a progress line). */
  onPage?: (report: ApiLoadReport) => void;
}

/**
 * The paging loop shared by the API sources: fetch a page, check its shape, plan what to land, refuse a token
 * seen before, land the page with its cursor in one transaction (`landPageWithCursor`), tally, and continue
 * until the list ends. Pages committed before a failure stay committed; a rerun resumes from the cursor.
 */
export async function runPagedIngest<Page>(wh: Warehouse, src: PagedSource<Page>): Promise<ApiLoadReport> {
  const tally = new ApiRunTally(src.source, src.table, src.storedCursor ?? '');
  const seen = new Set<string>();
  let token = src.firstToken;
  for (let pageNumber = 1; ; pageNumber++) {
    const fetched = await src.fetch(token);
    const parsed = src.pageSchema.safeParse(fetched.data);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      throw new Error(`${fetched.requestLine}: the response is not ${src.what}: ${issues}`);
    }
    const plan = src.plan(parsed.data, fetched);
    if (plan.next !== null && (plan.next === token || seen.has(plan.next)))
      throw new Error(src.repeated(fetched.requestLine, plan.next));
    if (plan.next !== null) seen.add(plan.next);
    const outcome = await landPageWithCursor(wh, src.rawSchema, {
      source: src.source,
      table: src.table,
      batchId: plan.batchId,
      loadedAt: src.loadedAt,
      requestLine: fetched.requestLine,
      records: plan.records,
      validate: (record, row) => src.validate(record, row, pageNumber),
      cursor: plan.cursor,
    });
    tally.add(outcome, plan.unchanged, plan.cursor);
    src.onPage?.(tally.report);
    if (plan.next === null) return tally.report;
    token = plan.next;
  }
}

/**
 * Parses a stored JSON cursor against the source's schema; a cursor this version did not write is an error
 * naming the source and telling how to start over (`restart`, e.g. 'rescan from the start').
 */
export function parseStoredCursor<T>(stored: string, schema: z.ZodType<T>, source: string, restart: string): T {
  let json: unknown;
  try {
    json = JSON.parse(stored);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `raw.source_cursors: the cursor of ${source} is not one this version wrote: ${JSON.stringify(stored.slice(0, 200))}; delete that row to ${restart}`,
    );
  return parsed.data;
}

/**
 * One human line describing an API run.
 * @example formatApiLoadReport(report)
 * // 'hubspot-api:contacts -> customers: 3 pages, 250 read, 249 loaded, 1 quarantined (invalid_timestamp 1), 0 unchanged'
 */
export function formatApiLoadReport(r: ApiLoadReport): string {
  const pages = `${r.pages} page${r.pages === 1 ? '' : 's'}`;
  if (r.status === 'up_to_date') return `${r.source} -> ${r.table}: up to date (${pages}, ${r.unchanged} unchanged)`;
  const reasons = Object.entries(r.reasons)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  const quarantined = `${r.quarantined} quarantined${reasons ? ` (${reasons})` : ''}`;
  return `${r.source} -> ${r.table}: ${pages}, ${r.read} read, ${r.loaded} loaded, ${quarantined}, ${r.unchanged} unchanged`;
}
