/**
 * The BigQuery driver: the only file that imports `@google-cloud/bigquery` (v8; v9 needs Node 22).
 *
 * Every statement runs as a query job in GoogleSQL with named parameters, the location, labels and the
 * `maximumBytesBilled` cost guard; results are read page by page (`getQueryResults` with a page token), so a
 * large result never sits in memory at once when read through `stream`. Bulk appends and file loads are load
 * jobs (NDJSON, CSV, Parquet) with `WRITE_APPEND`; inside `transaction` they become `insert` statements in the
 * transaction's session instead, because load jobs cannot join a multi-statement transaction.
 *
 * Credentials: Application Default Credentials (`gcloud auth application-default login`, a workload identity,
 * or GOOGLE_APPLICATION_CREDENTIALS), resolved by the client library; refstack never reads or logs a key. Tests
 * pass `apiEndpoint` (a loopback fake server) and `accessToken` (a fake bearer token).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { BigQuery, BigQueryDate, BigQueryInt, BigQueryTimestamp, type Job, type Query } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import { bigqueryDialect } from './bigquery-dialect.js';
import type { ColumnDef } from './dialect.js';
import { assertIdentifier } from './identifiers.js';
import { WarehouseError, type Params, type ParamValue, type Row, type Warehouse } from './warehouse.js';

export interface BigQueryWarehouseOptions {
  projectId: string;
  /** Dataset location, e.g. "EU" or "us-central1"; jobs run there. */
  location?: string;
  /** Cost guard: a query that would bill more bytes fails before it runs (BigQuery's maximumBytesBilled). */
  maximumBytesBilled?: number;
  /** Labels on every job (cost attribution in the billing export). */
  labels?: Record<string, string>;
  /** Rows per result page (default 10,000). */
  pageSize?: number;
  /** Loopback endpoint for tests, e.g. http://127.0.0.1:9050. */
  apiEndpoint?: string;
  /** A fixed bearer token instead of Application Default Credentials (tests only). */
  accessToken?: string;
}

/** What a dry run reports for one statement. */
export interface DryRunResult {
  totalBytesProcessed: number;
}

const LOAD_FORMATS = { csv: 'CSV', parquet: 'PARQUET', ndjson: 'NEWLINE_DELIMITED_JSON' } as const;

/** BigQuery's REST values to the JS values the `Warehouse` contract promises (as the DuckDB driver gives). */
function normalize(value: unknown): unknown {
  if (value instanceof BigQueryInt) {
    const big = BigInt(value.value);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
  if (value instanceof BigQueryTimestamp) return new Date(value.value);
  if (value instanceof BigQueryDate) return new Date(`${value.value}T00:00:00Z`);
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object' && 'value' in value && Object.keys(value).length === 1) {
    // BigQueryDatetime / BigQueryTime / Geography wrappers: their text.
    return (value as { value: unknown }).value;
  }
  return value;
}

function normalizeRow(row: Record<string, unknown>): Row {
  for (const key of Object.keys(row)) row[key] = normalize(row[key]);
  return row;
}

/** Parameter types must be given for NULLs (the client cannot infer them); everything else is inferred. */
function paramTypes(params: Params): Record<string, string> {
  const types: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (value === null) types[key] = 'STRING';
  return types;
}

function toBqParam(value: ParamValue): unknown {
  if (typeof value === 'bigint') return BigQuery.int(value.toString());
  if (value instanceof Date) return BigQuery.timestamp(value);
  return value;
}

/** A row value as NDJSON for a load job of the given logical type. */
function toJsonValue(value: unknown, column: ColumnDef): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'timestamp':
      return value instanceof Date ? value.toISOString() : String(value);
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
    case 'int64':
    case 'decimal':
      return typeof value === 'bigint' ? value.toString() : value;
    case 'json':
      return typeof value === 'string' ? JSON.parse(value) : value;
    default:
      return typeof value === 'bigint' ? value.toString() : value;
  }
}

function jobError(job: Job | undefined, err: unknown, sql: string): WarehouseError {
  const id = job?.id ?? (err as { response?: { jobReference?: { jobId?: string } } })?.response?.jobReference?.jobId;
  const reason = err instanceof Error ? err.message : String(err);
  return new WarehouseError(`BigQuery job ${id ?? '(not created)'} failed: ${reason}`, sql, { cause: err });
}

export class BigQueryWarehouse implements Warehouse {
  readonly dialect = bigqueryDialect;
  readonly location: string;
  private readonly bq: BigQuery;
  private sessionId: string | undefined;

  private constructor(
    private readonly options: BigQueryWarehouseOptions,
    private readonly dryRun: boolean,
  ) {
    this.location = `bigquery:${options.projectId}${options.location ? ` (${options.location})` : ''}`;
    const authClient = options.accessToken ? new OAuth2Client() : undefined;
    authClient?.setCredentials({ access_token: options.accessToken!, expiry_date: Date.now() + 24 * 3600_000 });
    this.bq = new BigQuery({
      projectId: options.projectId,
      ...(options.location ? { location: options.location } : {}),
      ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
      ...(authClient ? { authClient } : {}),
      autoRetry: true,
      maxRetries: 3,
    });
  }

  /** Opens a client; nothing is sent until the first statement. `dryRun` validates and prices statements instead. */
  static async open(options: BigQueryWarehouseOptions & { dryRun?: boolean }): Promise<BigQueryWarehouse> {
    if (!/^[a-z][a-z0-9-]{4,61}[a-z0-9]$/.test(options.projectId))
      throw new Error(`warehouse.projectId: "${options.projectId}" is not a Google Cloud project id`);
    return new BigQueryWarehouse(options, options.dryRun ?? false);
  }

  private jobOptions(sql: string, params: Params | undefined, extra: Partial<Query> = {}): Query {
    const { location, maximumBytesBilled, labels } = this.options;
    const query: Query = {
      query: sql,
      useLegacySql: false,
      wrapIntegers: true,
      ...(location ? { location } : {}),
      ...(maximumBytesBilled !== undefined ? { maximumBytesBilled: String(maximumBytesBilled) } : {}),
      ...(labels ? { labels } : {}),
      ...(this.sessionId ? { connectionProperties: [{ key: 'session_id', value: this.sessionId }] } : {}),
      ...extra,
    };
    if (params && Object.keys(params).length) {
      for (const key of Object.keys(params)) assertIdentifier(key, 'query parameter');
      query.params = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, toBqParam(v)]));
      const types = paramTypes(params);
      if (Object.keys(types).length) query.types = types;
    }
    return query;
  }

  /** Starts a job and waits until it is done (the client polls jobs.getQueryResults), failing with its id. */
  private async run(sql: string, params?: Params, extra: Partial<Query> = {}): Promise<Job> {
    let job: Job | undefined;
    try {
      [job] = await this.bq.createQueryJob(this.jobOptions(sql, params, extra));
      if (!extra.dryRun) await job.getQueryResults({ maxResults: 0 });
      return job;
    } catch (err) {
      throw jobError(job, err, sql);
    }
  }

  /** Validates a statement and reports the bytes it would scan, without running it (no cost). */
  async dryRunBytes(sql: string, params?: Params): Promise<DryRunResult> {
    const job = await this.run(sql, params, { dryRun: true });
    const bytes = Number(job.metadata?.statistics?.totalBytesProcessed ?? 0);
    return { totalBytesProcessed: bytes };
  }

  async exec(sql: string): Promise<void> {
    if (this.dryRun) {
      await this.dryRunBytes(sql);
      return;
    }
    await this.run(sql);
  }

  async query<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const rows: T[] = [];
    for await (const chunk of this.stream<T>(sql, params)) rows.push(...chunk);
    return rows;
  }

  async execute(sql: string, params?: Params): Promise<number> {
    if (this.dryRun) {
      await this.dryRunBytes(sql, params);
      return 0;
    }
    const job = await this.run(sql, params);
    const [metadata] = await job.getMetadata();
    return Number(metadata?.statistics?.query?.numDmlAffectedRows ?? 0);
  }

  async *stream<T = Row>(sql: string, params?: Params): AsyncIterable<T[]> {
    // A dry-run warehouse prices every statement and answers with no rows: nothing runs, nothing is billed.
    if (this.dryRun) {
      await this.dryRunBytes(sql, params);
      return;
    }
    const job = await this.run(sql, params);
    let pageToken: string | undefined;
    do {
      let rows: Record<string, unknown>[];
      let next: { pageToken?: string } | null | undefined;
      try {
        [rows, next] = (await job.getQueryResults({
          autoPaginate: false,
          maxResults: this.options.pageSize ?? 10_000,
          wrapIntegers: true,
          ...(pageToken ? { pageToken } : {}),
        })) as unknown as [Record<string, unknown>[], { pageToken?: string } | null];
      } catch (err) {
        throw jobError(job, err, sql);
      }
      if (rows.length) yield rows.map((r) => normalizeRow(r) as T);
      pageToken = next?.pageToken;
    } while (pageToken);
  }

  async appendRows(
    schema: string,
    table: string,
    columns: ColumnDef[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
  ): Promise<number> {
    if (this.dryRun) {
      let n = 0;
      for await (const _ of rows as AsyncIterable<unknown[]>) n++;
      return n;
    }
    if (this.sessionId) return this.insertInSession(schema, table, columns, rows);
    const dir = await mkdtemp(join(tmpdir(), 'refstack-bq-'));
    const file = join(dir, `${table}.ndjson`);
    try {
      const out = createWriteStream(file);
      let count = 0;
      for await (const row of rows as AsyncIterable<unknown[]>) {
        const obj: Record<string, unknown> = {};
        columns.forEach((c, i) => (obj[c.name] = toJsonValue(row[i], c)));
        if (!out.write(`${JSON.stringify(obj)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
        count++;
      }
      out.end();
      await finished(out);
      if (count > 0) await this.loadFile(schema, table, file, 'ndjson');
      return count;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Inside a transaction: `insert ... values` in the session, 500 rows a statement, parameterised. */
  private async insertInSession(
    schema: string,
    table: string,
    columns: ColumnDef[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
  ): Promise<number> {
    const ref = this.dialect.tableRef(schema, table);
    const names = columns.map((c) => this.dialect.quoteIdent(c.name)).join(', ');
    let batch: unknown[][] = [];
    let count = 0;
    const flush = async () => {
      if (!batch.length) return;
      const params: Params = {};
      const tuples = batch.map((row, r) => {
        const cells = columns.map((c, i) => {
          const name = `p${r}_${i}`;
          const v = row[i];
          params[name] = (
            c.type === 'json' && v !== null && typeof v !== 'string' ? JSON.stringify(v) : v
          ) as ParamValue;
          const placeholder = this.dialect.param(name);
          return c.type === 'json'
            ? `parse_json(${placeholder})`
            : `cast(${placeholder} as ${this.dialect.typeName(c.type)})`;
        });
        return `(${cells.join(', ')})`;
      });
      await this.run(`insert into ${ref} (${names}) values ${tuples.join(', ')}`, params);
      count += batch.length;
      batch = [];
    };
    for await (const row of rows as AsyncIterable<unknown[]>) {
      batch.push(row);
      if (batch.length >= 500) await flush();
    }
    await flush();
    return count;
  }

  async loadFile(schema: string, table: string, file: string, format: 'csv' | 'parquet' | 'ndjson'): Promise<number> {
    if (this.dryRun) return 0; // load jobs are free and a dry run sends nothing
    const target = this.bq.dataset(assertIdentifier(schema)).table(assertIdentifier(table));
    let jobId: string | undefined;
    try {
      // Resolves when the load job is done (the client polls jobs.get); the job resource carries its outcome.
      const [metadata] = await target.load(file, {
        sourceFormat: LOAD_FORMATS[format],
        writeDisposition: 'WRITE_APPEND',
        ...(format === 'csv' ? { skipLeadingRows: 1 } : {}),
        ...(this.options.labels ? { labels: this.options.labels } : {}),
      });
      jobId = metadata.jobReference?.jobId ?? undefined;
      const errorResult = metadata.status?.errorResult;
      if (errorResult) throw new Error(errorResult.message ?? JSON.stringify(errorResult));
      return Number(metadata.statistics?.load?.outputRows ?? 0);
    } catch (err) {
      jobId ??= (err as { response?: { jobReference?: { jobId?: string } } })?.response?.jobReference?.jobId;
      const reason = err instanceof Error ? err.message : String(err);
      throw new WarehouseError(
        `BigQuery load job ${jobId ?? '(not created)'} into ${schema}.${table} failed: ${reason}`,
        file,
        { cause: err },
      );
    }
  }

  /**
   * A multi-statement transaction in a BigQuery session: statements (and appends, as inserts) run in the session
   * between `begin transaction` and `commit transaction`; a throw rolls back. Not re-entrant.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.dryRun) return fn();
    if (this.sessionId) throw new Error('BigQuery transactions do not nest');
    const begin = await this.run('begin transaction', undefined, { createSession: true });
    const sessionId = begin.metadata?.statistics?.sessionInfo?.sessionId as string | undefined;
    if (!sessionId) throw new WarehouseError(`BigQuery job ${begin.id} started no session`, 'begin transaction');
    this.sessionId = sessionId;
    try {
      const result = await fn();
      await this.run('commit transaction');
      return result;
    } catch (err) {
      await this.run('rollback transaction').catch(() => undefined);
      throw err;
    } finally {
      this.sessionId = undefined;
    }
  }

  async tableExists(schema: string, table: string): Promise<boolean> {
    const [exists] = await this.bq.dataset(assertIdentifier(schema)).table(assertIdentifier(table)).exists();
    return exists;
  }

  async close(): Promise<void> {
    // The client holds no connection; nothing to release.
  }
}
