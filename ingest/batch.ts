/**
 * Batch accounting shared by every source: a content-hash batch id (reloading the same content is a
 * no-op), chunked appends with bounded memory, the read = loaded + quarantined invariant, and the
 * `raw.batches` row that records it.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ColumnDef } from '../src/warehouse/dialect.js';
import type { Warehouse } from '../src/warehouse/warehouse.js';
import { BATCH_COLUMNS, QUARANTINE_COLUMNS } from './landing-schema.js';
import { quarantineRow, type Lineage, type Problem, type ReasonCode } from './quarantine.js';

/** Rows buffered before each `appendRows` call: large enough to amortize the call, small enough to bound memory. */
export const APPEND_CHUNK_ROWS = 5_000;

/**
 * The batch id of a file destined for `table`: hex sha256 of the table name, a NUL byte, then the file's
 * bytes, streamed (the file is never held in memory). The same bytes loaded into another table are another batch.
 */
export async function fileBatchId(table: string, path: string): Promise<string> {
  const hash = batchHasher(table);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A sha256 already fed the table prefix of a batch id; feed it the content and take `digest('hex')`. */
export function batchHasher(table: string): Hash {
  return createHash('sha256').update(table).update('\0');
}

/** Buffers rows for one table and appends them in chunks of `APPEND_CHUNK_ROWS`; counts what was appended. */
export class ChunkedAppender {
  private buffer: unknown[][] = [];
  /** Rows appended to the warehouse so far (excluding the buffer). */
  appended = 0;

  constructor(
    private readonly wh: Warehouse,
    private readonly schema: string,
    private readonly table: string,
    private readonly columns: ColumnDef[],
    private readonly chunkRows = APPEND_CHUNK_ROWS,
  ) {}

  /** Buffers a row; returns a promise (to await) only when the row filled a chunk and it is being appended. */
  push(row: unknown[]): Promise<void> | undefined {
    this.buffer.push(row);
    return this.buffer.length >= this.chunkRows ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    this.appended += await this.wh.appendRows(this.schema, this.table, this.columns, rows);
  }
}

/** One `raw.batches` row. */
export interface BatchRecord {
  batchId: string;
  source: string;
  targetTable: string;
  /** The file name, or the API request of a page. */
  file: string | null;
  read: number;
  loaded: number;
  quarantined: number;
  /** When the batch started; the `_loaded_at` of its rows. */
  startedAt: Date;
  /** When the batch was committed. */
  finishedAt: Date;
}

/**
 * Counts one batch as it is landed: every record read is either loaded or quarantined (with a reason), and
 * `finish` refuses to record a batch where the counts disagree with what the warehouse accepted.
 */
export class BatchWriter {
  read = 0;
  readonly reasons: Partial<Record<ReasonCode, number>> = {};
  private readonly landing: ChunkedAppender;
  private readonly quarantine: ChunkedAppender;

  constructor(
    private readonly wh: Warehouse,
    private readonly rawSchema: string,
    private readonly targetTable: string,
    landingColumns: ColumnDef[],
    readonly lineage: Lineage,
    /** The clock for `finished_at`: the wall clock unless the caller pinned its time (tests, reruns). */
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.landing = new ChunkedAppender(wh, rawSchema, targetTable, landingColumns);
    this.quarantine = new ChunkedAppender(wh, rawSchema, 'quarantine', QUARANTINE_COLUMNS);
  }

  /**
   * Lands a valid row (values in `landingColumns` order, lineage included). Returns a promise only when a
   * chunk is being appended; hot loops write `const p = writer.load(row); if (p) await p;` to skip an await
   * per row.
   */
  load(row: unknown[]): Promise<void> | undefined {
    this.read++;
    return this.landing.push(row);
  }

  /** Quarantines a record once, under its first problem's reason code. */
  async reject(rowNumber: number, where: string, problems: readonly Problem[], record: unknown): Promise<void> {
    this.read++;
    const row = quarantineRow(this.lineage, rowNumber, this.targetTable, where, problems, record);
    const reason = problems[0]!.reason;
    this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
    await this.quarantine.push(row);
  }

  /**
   * Flushes both buffers, checks read = loaded + quarantined against the rows the warehouse reported
   * appending, and writes the `raw.batches` row. Call inside the batch's transaction so a failed
   * check rolls everything back.
   */
  async finish(file: string | null): Promise<BatchRecord> {
    await this.landing.flush();
    await this.quarantine.flush();
    const record: BatchRecord = {
      batchId: this.lineage.batchId,
      source: this.lineage.source,
      targetTable: this.targetTable,
      file,
      read: this.read,
      loaded: this.landing.appended,
      quarantined: this.quarantine.appended,
      startedAt: this.lineage.loadedAt,
      finishedAt: this.clock(),
    };
    const reasonTotal = Object.values(this.reasons).reduce((a, b) => a + b, 0);
    if (record.read !== record.loaded + record.quarantined || reasonTotal !== record.quarantined) {
      throw new Error(
        `${this.lineage.source}: batch accounting does not add up: read ${record.read}, loaded ${record.loaded}, ` +
          `quarantined ${record.quarantined} (reasons counted ${reasonTotal}); nothing was committed`,
      );
    }
    await recordBatch(this.wh, this.rawSchema, record);
    return record;
  }
}

/** The recorded batch with this id, or null if it was never loaded. */
export async function findBatch(wh: Warehouse, rawSchema: string, batchId: string): Promise<BatchRecord | null> {
  const d = wh.dialect;
  const rows = await wh.query<{
    batch_id: string;
    source: string;
    target_table: string;
    file: string | null;
    read: number;
    loaded: number;
    quarantined: number;
    started_at: Date;
    finished_at: Date;
  }>(`select * from ${d.tableRef(rawSchema, 'batches')} where batch_id = ${d.param('batch_id')} limit 1`, {
    batch_id: batchId,
  });
  const r = rows[0];
  if (!r) return null;
  return {
    batchId: r.batch_id,
    source: r.source,
    targetTable: r.target_table,
    file: r.file,
    read: Number(r.read),
    loaded: Number(r.loaded),
    quarantined: Number(r.quarantined),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/** Quarantined rows of a batch by reason code. */
export async function batchReasons(wh: Warehouse, rawSchema: string, batchId: string): Promise<Record<string, number>> {
  const d = wh.dialect;
  const rows = await wh.query<{ reason_code: string; n: number }>(
    `select reason_code, count(*) as n from ${d.tableRef(rawSchema, 'quarantine')} where _batch_id = ${d.param('batch_id')} group by reason_code order by reason_code`,
    { batch_id: batchId },
  );
  return Object.fromEntries(rows.map((r) => [r.reason_code, Number(r.n)]));
}

/** Appends one `raw.batches` row. */
export async function recordBatch(wh: Warehouse, rawSchema: string, b: BatchRecord): Promise<void> {
  const byName: Record<string, unknown> = {
    source: b.source,
    batch_id: b.batchId,
    target_table: b.targetTable,
    file: b.file,
    read: b.read,
    loaded: b.loaded,
    quarantined: b.quarantined,
    started_at: b.startedAt,
    finished_at: b.finishedAt,
  };
  await wh.appendRows(rawSchema, 'batches', BATCH_COLUMNS, [BATCH_COLUMNS.map((c) => byName[c.name] ?? null)]);
}
