/**
 * The SQL dialect seam. Every difference between the engines refstack runs on is a named function here;
 * models build SQL only through these functions and never branch on the engine's name.
 *
 * Each engine is one small object declared `satisfies SqlDialect` (see `duckdb-dialect.ts`). Functions take
 * SQL expressions (strings that are already valid SQL) and return SQL expressions; identifiers must already
 * have been validated with `assertIdentifier` or be quoted with `quoteIdent`.
 */

/** Logical column types used by the data contract; each dialect maps them to its own type names. */
export type LogicalType = 'string' | 'int64' | 'float64' | 'bool' | 'date' | 'timestamp' | 'json' | 'decimal';

export type DatePart = 'day' | 'week' | 'month' | 'quarter' | 'year';

export interface ColumnDef {
  name: string;
  type: LogicalType;
  /** Not null in the landing contract (enforced by validation, declared in DDL where the engine supports it). */
  required?: boolean;
  description?: string;
}

export interface TableOptions {
  /** Column to partition by (BigQuery: a date/timestamp column; DuckDB ignores it). */
  partitionBy?: string;
  /** Columns to cluster by (BigQuery: at most four; DuckDB ignores them). */
  clusterBy?: string[];
}

export interface SqlDialect {
  readonly name: string;
  /** Quotes an identifier for this engine. The name must already be a validated identifier. */
  quoteIdent(name: string): string;
  /** A schema- (dataset-) qualified table reference. */
  tableRef(schema: string, table: string): string;
  /** The engine's type name for a logical type. */
  typeName(type: LogicalType): string;
  /** A string literal, escaped. */
  stringLiteral(value: string): string;
  /** A named query parameter placeholder (`$name` in DuckDB, `@name` in BigQuery). */
  param(name: string): string;

  /** Truncates a date or timestamp to the start of `part` (weeks start on Monday, ISO). Returns a date. */
  dateTrunc(part: DatePart, expr: string): string;
  /** Whole `part` boundaries crossed from `start` to `end` (end - start), as an integer. */
  dateDiff(part: 'day' | 'month' | 'year', start: string, end: string): string;
  /** `expr` plus `n` units of `part`; `n` is an SQL integer expression. */
  dateAdd(part: 'day' | 'month' | 'year', n: string, expr: string): string;
  /** The date of a timestamp. */
  toDate(expr: string): string;
  /** Seconds since the Unix epoch of a timestamp, as an integer. */
  epochSeconds(expr: string): string;
  /** A cast that yields NULL instead of failing. */
  safeCast(expr: string, type: LogicalType): string;
  /** A cast that fails on bad input. */
  cast(expr: string, type: LogicalType): string;
  /** Integer division rounding toward negative infinity. */
  floorDiv(a: string, b: string): string;
  /** Division that yields NULL when the divisor is zero. */
  safeDivide(a: string, b: string): string;
  /**
   * A QUALIFY clause filtering on a window predicate. BigQuery only accepts QUALIFY after a
   * WHERE/GROUP BY/HAVING, so the BigQuery form prepends `where true`. Place it after the FROM/WHERE.
   */
  qualify(predicate: string, hasWhere: boolean): string;
  /** A stable hexadecimal hash id of the given expressions (cast to strings, joined with '|', NULLs as ''). */
  hashId(exprs: string[]): string;
  /** A deterministic uniform draw in [0, 1) from the given expressions; same inputs, same draw, on any run. */
  hashUniform(exprs: string[]): string;
  /** `count(distinct expr)` approximated by the engine's sketch (HyperLogLog). */
  approxCountDistinct(expr: string): string;
  /** An array aggregate with an optional ordering. */
  arrayAgg(expr: string, orderBy?: string): string;
  /** Number of elements in an array expression. */
  arrayLength(expr: string): string;
  /** A table expression yielding one column `i` with integers 0..n-1 (n an SQL integer expression). */
  series(n: string, alias: string): string;
  /** Concatenation of string expressions joined with a separator. */
  concatWs(sep: string, exprs: string[]): string;
  /**
   * Whether `expr` contains a match of `pattern` (unanchored: anchor with ^ and $ for a full match). `pattern` is
   * an RE2 regular expression given as a plain string (the dialect quotes it); use only the subset RE2 and
   * JavaScript agree on (no lookarounds, no backreferences). NULL input yields NULL.
   */
  regexpMatches(expr: string, pattern: string): string;
  /**
   * The text of capturing group `group` (1-based) of the first match of `pattern` in `expr`; NULL when there is
   * no match, the capture is empty, or the input is NULL. Portable patterns have exactly one capturing group
   * (BigQuery extracts only one).
   */
  regexpExtract(expr: string, pattern: string, group: number): string;
  /** Lower-cased, trimmed string; NULL and empty string both yield NULL. */
  normalizeText(expr: string): string;
  /** The current timestamp (UTC). */
  now(): string;

  /**
   * A scratch table a model builds and drops within one run (`schema` is the analytics schema). DuckDB: a
   * connection-scoped temp table (the name alone); BigQuery: a table in the dataset (temp tables exist only inside
   * a session), created with an expiration so a crashed run leaves nothing behind for long.
   */
  scratchTableRef(schema: string, name: string): string;
  /** DDL: create or replace the scratch table `ref` (from `scratchTableRef`) from a query. */
  createScratchTableAs(ref: string, select: string): string;
  /** DDL: create a table with the given columns if it does not exist. */
  createTableIfNotExists(ref: string, columns: ColumnDef[], options?: TableOptions): string;
  /** DDL: create or replace a table from a query. */
  createTableAs(ref: string, select: string, options?: TableOptions): string;
  /** DDL: create a schema (dataset) if it does not exist. */
  createSchemaIfNotExists(schema: string): string;
}
