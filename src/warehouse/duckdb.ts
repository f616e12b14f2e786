/**
 * The DuckDB driver: the only file that imports `@duckdb/node-api`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  DuckDBAppender,
  DuckDBConnection,
  DuckDBInstance,
  DuckDBTimestampValue,
  DuckDBDateValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { ColumnDef } from './dialect.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { assertIdentifier } from './identifiers.js';
import { WarehouseError, type Params, type Row, type Warehouse } from './warehouse.js';

export interface DuckDBOptions {
  /** A file path, or `:memory:`. Parent folders are created. */
  path: string;
  /** DuckDB threads; defaults to DuckDB's own choice (one per core). */
  threads?: number;
  /** DuckDB memory_limit, e.g. '4GB'. */
  memoryLimit?: string;
  /** Open without write access (several readers may share a file; dashboards' loaders use this). */
  readOnly?: boolean;
}

/** Normalizes a JS-converted DuckDB value: safe-range bigints become numbers. */
function normalize(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }
  if (Array.isArray(value)) return value.map(normalize);
  return value;
}

function normalizeRow(row: Record<string, unknown>): Row {
  for (const key of Object.keys(row)) row[key] = normalize(row[key]);
  return row;
}

function toDuckParams(params: Params | undefined): Record<string, DuckDBValue> | undefined {
  if (!params) return undefined;
  const out: Record<string, DuckDBValue> = {};
  for (const [key, value] of Object.entries(params)) {
    assertIdentifier(key, 'query parameter');
    if (value instanceof Date) out[key] = new DuckDBTimestampValue(BigInt(value.getTime()) * 1000n);
    else if (typeof value === 'number' && Number.isInteger(value)) out[key] = BigInt(value);
    else out[key] = value;
  }
  return out;
}

const head = (sql: string) => sql.trim().replace(/\s+/g, ' ').slice(0, 200);

function wrap(err: unknown, sql: string): WarehouseError {
  const message = err instanceof Error ? err.message : String(err);
  return new WarehouseError(message, head(sql), { cause: err });
}

const MS_PER_DAY = 86_400_000;

// Module-level rather than a closure per value: appendValue runs once per cell on the hot path.
function typeError(column: ColumnDef, value: unknown, rowIndex: number): Error {
  return new Error(
    `appendRows row ${rowIndex}: column ${column.name} expects ${column.type}, got ${JSON.stringify(String(value))}`,
  );
}

function appendValue(appender: DuckDBAppender, column: ColumnDef, value: unknown, rowIndex: number): void {
  if (value === null || value === undefined) return appender.appendNull();
  switch (column.type) {
    case 'string':
    case 'json':
      if (typeof value !== 'string') throw typeError(column, value, rowIndex);
      return appender.appendVarchar(value);
    case 'int64':
      if (typeof value === 'bigint') return appender.appendBigInt(value);
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(column, value, rowIndex);
      return appender.appendBigInt(BigInt(value));
    case 'float64':
      if (typeof value !== 'number') throw typeError(column, value, rowIndex);
      return appender.appendDouble(value);
    case 'bool':
      if (typeof value !== 'boolean') throw typeError(column, value, rowIndex);
      return appender.appendBoolean(value);
    case 'timestamp':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw typeError(column, value, rowIndex);
      return appender.appendTimestamp(new DuckDBTimestampValue(BigInt(value.getTime()) * 1000n));
    case 'date':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw typeError(column, value, rowIndex);
      return appender.appendDate(new DuckDBDateValue(Math.floor(value.getTime() / MS_PER_DAY)));
    case 'decimal':
      // Decimals cross as strings so no float ever touches money; the appender casts varchar to decimal.
      if (typeof value !== 'string') throw typeError(column, value, rowIndex);
      return appender.appendVarchar(value);
  }
}

export class DuckDBWarehouse implements Warehouse {
  readonly dialect = duckdbDialect;
  private closed = false;

  private constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Opens (creating if needed) a DuckDB database file, or an in-memory database for `:memory:`. */
  static async open(options: DuckDBOptions): Promise<DuckDBWarehouse> {
    if (options.path !== ':memory:' && !options.readOnly) mkdirSync(dirname(options.path), { recursive: true });
    const config: Record<string, string> = {};
    if (options.threads) config['threads'] = String(options.threads);
    if (options.memoryLimit) config['memory_limit'] = options.memoryLimit;
    if (options.readOnly) config['access_mode'] = 'READ_ONLY';
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(options.path, config);
    } catch (err) {
      throw new Error(
        `cannot open DuckDB warehouse ${options.path}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const connection = await instance.connect();
    // Timestamps in refstack are UTC wall-clock; pin the session so no local zone leaks into dates.
    await connection.run(`set timezone = 'UTC'`);
    return new DuckDBWarehouse(options.path, instance, connection);
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.connection.run(sql);
    } catch (err) {
      throw wrap(err, sql);
    }
  }

  async query<T = Row>(sql: string, params?: Params): Promise<T[]> {
    try {
      const reader = await this.connection.runAndReadAll(sql, toDuckParams(params));
      return reader.getRowObjectsJS().map((r) => normalizeRow(r) as unknown as T);
    } catch (err) {
      throw wrap(err, sql);
    }
  }

  async execute(sql: string, params?: Params): Promise<number> {
    try {
      const result = await this.connection.run(sql, toDuckParams(params));
      return result.rowsChanged;
    } catch (err) {
      throw wrap(err, sql);
    }
  }

  async *stream<T = Row>(sql: string, params?: Params): AsyncIterable<T[]> {
    let result;
    try {
      result = await this.connection.stream(sql, toDuckParams(params));
    } catch (err) {
      throw wrap(err, sql);
    }
    for await (const rows of result.yieldRowObjectJs()) {
      yield rows.map((r) => normalizeRow(r) as unknown as T);
    }
  }

  async appendRows(
    schema: string,
    table: string,
    columns: ColumnDef[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
  ): Promise<number> {
    assertIdentifier(schema, 'schema');
    assertIdentifier(table, 'table');
    // The appender writes columns positionally over the whole table, so append through a staging table
    // shaped exactly like `columns` and insert by name: callers may pass a subset in any order.
    const temp = `__append_${table}_${process.pid}_${Date.now()}`;
    const q = this.dialect.quoteIdent;
    const cols = columns.map((c) => q(c.name)).join(', ');
    const typed = columns.map((c) => `${q(c.name)} ${this.dialect.typeName(c.type)}`).join(', ');
    await this.exec(`create temporary table ${q(temp)} (${typed})`);
    let count = 0;
    try {
      const appender = await this.connection.createAppender(temp, 'main', 'temp');
      try {
        for await (const row of rows as AsyncIterable<unknown[]>) {
          for (let c = 0; c < columns.length; c++) appendValue(appender, columns[c]!, row[c], count + 1);
          appender.endRow();
          count++;
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      await this.exec(
        `insert into ${this.dialect.tableRef(schema, table)} (${cols}) select ${cols} from temp.main.${q(temp)}`,
      );
    } finally {
      await this.exec(`drop table if exists temp.main.${q(temp)}`);
    }
    return count;
  }

  async loadFile(schema: string, table: string, file: string, format: 'csv' | 'parquet' | 'ndjson'): Promise<number> {
    const reader = { csv: 'read_csv', parquet: 'read_parquet', ndjson: 'read_json' }[format];
    const options =
      format === 'csv'
        ? ', header = true, all_varchar = true'
        : format === 'ndjson'
          ? ", format = 'newline_delimited'"
          : '';
    const target = this.dialect.tableRef(assertIdentifier(schema, 'schema'), assertIdentifier(table, 'table'));
    return this.execute(
      `insert into ${target} by name select * from ${reader}(${this.dialect.stringLiteral(file)}${options})`,
    );
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.exec('begin transaction');
    try {
      const result = await fn();
      await this.exec('commit');
      return result;
    } catch (err) {
      await this.exec('rollback');
      throw err;
    }
  }

  async tableExists(schema: string, table: string): Promise<boolean> {
    const rows = await this.query<{ n: number }>(
      `select count(*) as n from information_schema.tables where table_schema = $schema and table_name = $table`,
      { schema, table },
    );
    return (rows[0]?.n ?? 0) > 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
