import type { ColumnDef, SqlDialect } from './dialect.js';

/** A value bound to a named query parameter. */
export type ParamValue = string | number | bigint | boolean | null | Date;
export type Params = Record<string, ParamValue>;

/** A result row with engine values normalized to JS: safe-range integers as numbers, timestamps as Dates. */
export type Row = Record<string, unknown>;

/**
 * The warehouse seam. refstack's infrastructure talks to DuckDB or BigQuery only through this interface;
 * each driver is the only file that imports its engine's client.
 *
 * Contract: `query` is for small results (aggregates, sufficient statistics, mart pages); anything that can
 * be large must go through `stream`, which yields bounded chunks of rows.
 */
export interface Warehouse {
  readonly dialect: SqlDialect;
  /** A human-readable location (file path, `:memory:`, `project.dataset`). */
  readonly location: string;
  /** Runs one or more statements separated by semicolons, discarding results. */
  exec(sql: string): Promise<void>;
  /** Runs a query with named parameters (`dialect.param('x')` placeholders) and returns all rows. */
  query<T = Row>(sql: string, params?: Params): Promise<T[]>;
  /** Runs a statement and returns the number of rows it changed (inserted, updated or deleted). */
  execute(sql: string, params?: Params): Promise<number>;
  /** Streams a query's rows in chunks (DuckDB: one vector, 2,048 rows, at a time). */
  stream<T = Row>(sql: string, params?: Params): AsyncIterable<T[]>;
  /**
   * Bulk-appends rows to an existing table. Each row is an array in `columns` order; values must already
   * be of the column's logical type (strings, numbers or bigints, booleans, Dates, null). Returns rows appended.
   */
  appendRows(
    schema: string,
    table: string,
    columns: ColumnDef[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
  ): Promise<number>;
  /**
   * Bulk-loads a file into an existing table, matching columns by name (columns the file lacks are NULL;
   * extra file columns are an error). For trusted, already-validated files such as exports and
   * intermediate artifacts; untrusted input goes through a source adapter's validation first.
   * Returns rows loaded.
   */
  loadFile(schema: string, table: string, file: string, format: 'csv' | 'parquet' | 'ndjson'): Promise<number>;
  /** Runs `fn` in a transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** True when the table exists. */
  tableExists(schema: string, table: string): Promise<boolean>;
  /** Releases the connection and the database. Safe to call twice. */
  close(): Promise<void>;
}

/** An SQL error with the statement's leading text, so the failing model or step can be named by the caller. */
export class WarehouseError extends Error {
  constructor(
    message: string,
    readonly sql: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WarehouseError';
  }
}
