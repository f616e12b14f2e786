/**
 * Portable SQL for fraud evidence: a JSON object built by string concatenation (DuckDB and BigQuery construct
 * JSON with different functions, and no dialect function covers it), and the IP range key of signup_burst.
 */
import type { SqlDialect } from '../../../src/warehouse/dialect.js';

/** A JSON field: a string expression (escaped and quoted), a number or boolean expression (as written). */
export type JsonField = { str: string } | { num: string } | { bool: string };

const KEY = /^[a-z][a-z0-9_]*$/;

/**
 * SQL: a JSON string literal of a string expression; NULL becomes null. Escapes backslash, double quote, newline,
 * carriage return and tab (literals through `d.stringLiteral`, so each engine writes them its own way); other
 * control characters are not escaped, which evidence values (ids, IPs, fingerprints) never hold.
 */
export function jsonStringSql(d: SqlDialect, expr: string): string {
  const lit = (s: string) => d.stringLiteral(s);
  const pairs: [string, string][] = [
    ['\\', '\\\\'],
    ['"', '\\"'],
    ['\n', '\\n'],
    ['\r', '\\r'],
    ['\t', '\\t'],
  ];
  const escaped = pairs.reduce(
    (acc, [from, to]) => `replace(${acc}, ${lit(from)}, ${lit(to)})`,
    d.cast(expr, 'string'),
  );
  return `coalesce('"' || ${escaped} || '"', 'null')`;
}

/**
 * SQL: a JSON object text `{"key": value, ...}` with keys in the given order. Keys must be lower_snake_case
 * literals (they are written unescaped). Numbers keep the engine's text form of the value.
 *
 * @example jsonObjectSql(d, { shared_ip: { str: 'a.signup_ip' } }) // SQL yielding {"shared_ip":"203.0.113.66"}
 */
export function jsonObjectSql(d: SqlDialect, fields: Record<string, JsonField>): string {
  const parts = Object.entries(fields).map(([key, field]) => {
    if (!KEY.test(key)) throw new Error(`jsonObjectSql: key "${key}" is not lower_snake_case`);
    const value =
      'str' in field
        ? jsonStringSql(d, field.str)
        : 'num' in field
          ? `coalesce(${d.cast(field.num, 'string')}, 'null')`
          : `coalesce(case when ${field.bool} then 'true' else 'false' end, 'null')`;
    return `'"${key}":' || ${value}`;
  });
  return `('{' || ${parts.join(` || ',' || `)} || '}')`;
}

/**
 * SQL: the IP range an address belongs to, or NULL when it is neither form: IPv4 `a.b.c.0/24`; IPv6 the first
 * three hextets `x:y:z::/48` (lower-cased as written, with `::` before the third hextet expanded as zero hextets;
 * leading zeros are not stripped, so `0db8` and `db8` are different ranges). Embedded IPv4 (`::ffff:1.2.3.4`)
 * counts as IPv6.
 */
export function ipRangeSql(d: SqlDialect, ip: string): string {
  const h = '[0-9a-f]{1,4}';
  const v = `lower(trim(${ip}))`;
  const v4 = d.regexpExtract(v, '^([0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3})\\.[0-9]{1,3}$', 1);
  const three = d.regexpExtract(v, `^(${h}:${h}:${h})(:|$)`, 1);
  const two = d.regexpExtract(v, `^(${h}:${h})::`, 1);
  const one = d.regexpExtract(v, `^(${h})::`, 1);
  return `(case
    when ${v4} is not null then ${v4} || '.0/24'
    when ${three} is not null then ${three} || '::/48'
    when ${two} is not null then ${two} || ':0::/48'
    when ${one} is not null then ${one} || ':0:0::/48'
    when ${d.regexpMatches(v, '^::')} then '0:0:0::/48'
  end)`;
}

/** SQL: the domain of a normalized email (after the last '@'), or NULL. */
export function emailDomainSql(d: SqlDialect, email: string): string {
  return d.regexpExtract(email, '@([^@]+)$', 1);
}
