import type { ColumnDef, LogicalType, SqlDialect, TableOptions } from './dialect.js';
import { assertIdentifier } from './identifiers.js';

/**
 * GoogleSQL (BigQuery standard SQL) type names. `decimal` is NUMERIC: precision 38, scale 9, the same as DuckDB's
 * `decimal(38,9)`, so exact money arithmetic agrees between the engines.
 */
const TYPES: Record<LogicalType, string> = {
  string: 'string',
  int64: 'int64',
  float64: 'float64',
  bool: 'bool',
  date: 'date',
  timestamp: 'timestamp',
  json: 'json',
  decimal: 'numeric',
};

/** Weeks start on Monday (ISO) in the contract; BigQuery's `week` starts on Sunday, `isoweek` on Monday. */
const TRUNC_PART: Record<string, string> = {
  day: 'day',
  week: 'isoweek',
  month: 'month',
  quarter: 'quarter',
  year: 'year',
};

const quoteIdent = (name: string): string => `\`${assertIdentifier(name)}\``;

/**
 * A GoogleSQL string literal. Backslash is the escape character in BigQuery strings, so it is escaped along
 * with the quote and the control characters a single-quoted literal may not contain.
 */
const stringLiteral = (value: string): string =>
  `'${value
    .replaceAll('\\', '\\\\')
    .replaceAll("'", "\\'")
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t')}'`;

function tableOptionsSql(options: TableOptions | undefined): string {
  if (!options) return '';
  const parts: string[] = [];
  // The caller passes the partitioning expression: a DATE column as is, a TIMESTAMP column as `date(col)`.
  if (options.partitionBy) parts.push(`partition by ${options.partitionBy}`);
  if (options.clusterBy?.length) {
    if (options.clusterBy.length > 4)
      throw new Error(`BigQuery clusters by at most four columns, got ${options.clusterBy.length}`);
    parts.push(`cluster by ${options.clusterBy.map(quoteIdent).join(', ')}`);
  }
  return parts.length ? `\n${parts.join('\n')}` : '';
}

/**
 * The scale-out engine: GoogleSQL as BigQuery runs it. Table references are `dataset.table` (the dataset is the
 * refstack schema) in the client's default project. Deterministic draws (`hashUniform`) use FARM_FINGERPRINT, so
 * they are repeatable on BigQuery but differ from DuckDB's; hash ids (`hashId`, MD5 hex) are equal on both for the
 * same string inputs.
 */
export const bigqueryDialect = {
  name: 'bigquery',
  quoteIdent,
  tableRef: (schema, table) => `${quoteIdent(schema)}.${quoteIdent(table)}`,
  typeName: (type) => TYPES[type],
  stringLiteral,
  param: (name) => `@${assertIdentifier(name, 'parameter name')}`,

  dateTrunc: (part, expr) => `date_trunc(cast(${expr} as date), ${TRUNC_PART[part]})`,
  // DATE_DIFF counts part boundaries crossed, as DuckDB's date_diff does; both sides are taken as UTC dates.
  dateDiff: (part, start, end) => `date_diff(cast(${end} as date), cast(${start} as date), ${part})`,
  // DATETIME_ADD takes MONTH and YEAR for DATE and TIMESTAMP inputs alike (TIMESTAMP_ADD stops at DAY); the result is
  // a TIMESTAMP, as DuckDB's date + interval is, so callers wrap it in toDate where they need a date.
  dateAdd: (part, n, expr) => `timestamp(datetime_add(datetime(${expr}), interval (${n}) ${part}))`,
  toDate: (expr) => `cast(${expr} as date)`,
  epochSeconds: (expr) => `unix_seconds(cast(${expr} as timestamp))`,
  safeCast: (expr, type) => `safe_cast(${expr} as ${TYPES[type]})`,
  cast: (expr, type) => `cast(${expr} as ${TYPES[type]})`,
  floorDiv: (a, b) => `cast(floor((${a}) / (${b})) as int64)`,
  safeDivide: (a, b) => `safe_divide(${a}, ${b})`,
  // BigQuery accepts QUALIFY only after a WHERE, GROUP BY or HAVING clause.
  qualify: (predicate, hasWhere) => (hasWhere ? `qualify ${predicate}` : `where true qualify ${predicate}`),
  hashId: (exprs) =>
    `to_hex(md5(array_to_string([${exprs.map((e) => `coalesce(cast(${e} as string), '')`).join(', ')}], '|')))`,
  // FARM_FINGERPRINT gives a signed INT64; shifting by 2^63 and dividing by 2^64 maps it onto [0, 1). The inputs
  // are joined with a separator that cannot be confused with their text, so no two input lists share a draw.
  hashUniform: (exprs) =>
    `cast((cast(farm_fingerprint(array_to_string([${exprs
      .map((e) => `coalesce(cast(${e} as string), '')`)
      .join(
        ', ',
      )}], '\\x1f')) as bignumeric) + bignumeric '9223372036854775808') / bignumeric '18446744073709551616' as float64)`,
  approxCountDistinct: (expr) => `approx_count_distinct(${expr})`,
  // BigQuery arrays cannot hold NULL in a result, so NULL elements are left out (DuckDB's list keeps them).
  arrayAgg: (expr, orderBy) => `array_agg(${expr} ignore nulls${orderBy ? ` order by ${orderBy}` : ''})`,
  arrayLength: (expr) => `array_length(${expr})`,
  series: (n, alias) => `(select i from unnest(generate_array(0, (${n}) - 1)) as i) as ${quoteIdent(alias)}`,
  // ARRAY_TO_STRING leaves NULL elements out, as DuckDB's concat_ws does.
  concatWs: (sep, exprs) => `array_to_string([${exprs.map((e) => `cast(${e} as string)`).join(', ')}], ${sep})`,
  regexpMatches: (expr, pattern) => `regexp_contains(${expr}, ${stringLiteral(pattern)})`,
  // REGEXP_EXTRACT returns the (single) capturing group, NULL when nothing matches; '' becomes NULL as in DuckDB.
  regexpExtract: (expr, pattern, group) => {
    if (Math.trunc(group) !== 1)
      throw new Error(`BigQuery extracts only capturing group 1 of a pattern, got group ${group}`);
    return `nullif(regexp_extract(${expr}, ${stringLiteral(pattern)}), '')`;
  },
  normalizeText: (expr) => `nullif(lower(trim(${expr})), '')`,
  now: () => `current_timestamp()`,

  scratchTableRef: (schema, name) => `${quoteIdent(schema)}.${quoteIdent(name)}`,
  createScratchTableAs: (ref, select) =>
    `create or replace table ${ref}\noptions (expiration_timestamp = timestamp_add(current_timestamp(), interval 1 day)) as\n${select}`,
  createTableIfNotExists: (ref, columns: ColumnDef[], options?: TableOptions) =>
    `create table if not exists ${ref} (\n  ${columns
      .map((c) => `${quoteIdent(c.name)} ${TYPES[c.type]}`)
      .join(',\n  ')}\n)${tableOptionsSql(options)}`,
  createTableAs: (ref, select, options?: TableOptions) =>
    `create or replace table ${ref}${tableOptionsSql(options)} as\n${select}`,
  createSchemaIfNotExists: (schema) => `create schema if not exists ${quoteIdent(schema)}`,
} satisfies SqlDialect;
