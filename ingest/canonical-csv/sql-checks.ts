/**
 * The SQL half of the canonical CSV validator: a SELECT over the staged file (one VARCHAR column per field,
 * `c0`..`cN`, row 0 the header) that converts every row SQL can PROVE valid exactly as `validateRow` would,
 * and flags every other row (`_js`) for `validateRow` itself. SQL accepts a strict subset of what the JS
 * validator accepts, so the two never disagree on a value: anything outside the subset (a bad value, an
 * unusual but valid form such as `"2025-03-04T10:00:00 +01:00"`, `"-0"` or `"YES"` with a non-ASCII letter,
 * a cross-column violation, a duplicate key) is re-validated in JS, which writes the exact message.
 *
 * Exactness of the accepted subset:
 * - trimming uses JS `String.prototype.trim`'s whitespace set (DuckDB's `trim(s, chars)` is per code point);
 * - timestamps: the forms of `parseTimestamp` without whitespace before the zone, years 0001-9999, built as
 *   integer microseconds (milliseconds kept, as a JS Date keeps them);
 * - amounts: `[+]digits[.digits]` converted by string surgery to integer minor units of the row's currency
 *   (`ingest/currency.ts` exponents), at most 18 digits, never through DOUBLE;
 * - enums, booleans and currency codes only when ASCII, so SQL and JS case mapping agree.
 *
 * Engine: DuckDB (struct `regexp_extract`, `trim` with characters, `epoch_us`, `make_timestamp`); the loader
 * uses this path only on a DuckDB warehouse.
 */
import { ISO_4217_EXPONENTS } from '../currency.js';
import { LANDING_TABLES, type LandingTable } from '../landing-schema.js';
import type { FileScan } from './file-scan.js';
import type { HeaderPlan } from './header.js';
import type { CsvColumn } from './layouts.js';

/** Every character JS `String.prototype.trim` removes (ECMA-262 WhiteSpace and LineTerminator). */
export const JS_TRIM_CHARS =
  '\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a' +
  '\u2028\u2029\u202f\u205f\u3000\ufeff';

/** A RE2 class of `JS_TRIM_CHARS`. */
const JS_TRIM_CLASS =
  '[\\t\\n\\x{0b}\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}]';

/**
 * A cell trimmed as JS `trim` does, as cheaply as the file allows (`FileScan.trim`): DuckDB's `trim(s, chars)`
 * is exact but slow, so it runs only on cells that start or end with one of the characters.
 */
function trimSql(c: string, trim: FileScan['trim']): string {
  if (trim === 'none') return c;
  // Not DuckDB's plain `trim(s)`: it removes more than spaces.
  if (trim === 'spaces') return `case when ${c} like ' %' or ${c} like '% ' then trim(${c}, ' ') else ${c} end`;
  return `case when regexp_matches(${c}, '^${JS_TRIM_CLASS}|${JS_TRIM_CLASS}$') then trim(${c}, ${lit(JS_TRIM_CHARS)}) else ${c} end`;
}

const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const list = (values: readonly string[]): string => values.map(lit).join(', ');

const TS_RE =
  '^(\\d{4})-(\\d{2})-(\\d{2})(?:([Tt ])(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?([Zz]|[+-]\\d{2}(?::?\\d{2})?)?)?$';
const TS_PARTS = "['y', 'mo', 'd', 'sep', 'h', 'mi', 's', 'f', 'z']";
const AMOUNT_RE = '^\\+?(\\d+)(?:\\.(\\d+))?$';

const int = (e: string, fallback = '0'): string => `cast(coalesce(nullif(${e}, ''), '${fallback}') as bigint)`;

/** SQL for "day `d` exists in month `mo` of year `y`" (all bigint expressions, month already 1-12). */
function dayExists(y: string, mo: string, d: string): string {
  const leap = `((${y} % 4 = 0 and ${y} % 100 <> 0) or ${y} % 400 = 0)`;
  const days = `case when ${mo} = 2 then case when ${leap} then 29 else 28 end when ${mo} in (4, 6, 9, 11) then 30 else 31 end`;
  return `${d} between 1 and ${days}`;
}

/** The minor-unit exponent of a currency code expression known to be valid (`ingest/currency.ts`). */
function exponentSql(code: string): string {
  const by = new Map<number, string[]>();
  for (const [c, e] of Object.entries(ISO_4217_EXPONENTS)) by.set(e, [...(by.get(e) ?? []), c]);
  const odd = [...by.entries()].filter(([e]) => e !== 2);
  return `case ${odd.map(([e, codes]) => `when ${code} in (${list(codes)}) then ${e}`).join(' ')} else 2 end`;
}

/** SQL versions of each layout's `rowChecks`, in the same order: true when the check would report a problem. */
export const SQL_ROW_CHECKS: Readonly<Record<LandingTable, readonly ((v: (target: string) => string) => string)[]>> = {
  customers: [],
  orders: [
    (v) => `${v('discount_minor')} > ${v('gross_minor')}`,
    (v) =>
      `not (${v('discount_minor')} > ${v('gross_minor')}) and ` +
      `${v('refunded_minor')} > ${v('gross_minor')} - ${v('discount_minor')} + ${v('tax_minor')}`,
  ],
  touches: [],
  referral_events: [],
  survey_responses: [],
  experiment_assignments: [],
  support_interactions: [],
  email_events: [],
  marketing_spend: [(v) => `day(${v('month')}) <> 1`],
  fx_rates: [],
};

/**
 * The SELECT producing, per data row of `staged`: `_rn` (the row number), `_first` (the first row number of
 * the row's key, when the key is complete), `_js` (true when the row needs `validateRow`) and every landing
 * column of the table, converted (meaningful only when `_js` is false). Built in layers (trim, key, text,
 * regex, parts, per-cell ok and value, row) so each expression is computed once.
 */
export function checkedSelect(
  staged: string,
  plan: HeaderPlan,
  programIds: readonly string[],
  trim: FileScan['trim'],
): string {
  const { layout } = plan;
  const n = plan.names.length;
  const trims = Array.from({ length: n }, (_, i) => `${trimSql(`c${i}`, trim)} as t${i}`);
  const cell = (header: string): string => {
    const at = plan.index.get(header);
    return at === undefined ? "''" : `t${at}`;
  };
  const texts: string[] = [];
  const regexes: string[] = [];
  const parts: string[] = [];
  const oks: string[] = [];
  const target = new Map(layout.columns.map((c, k) => [c.target, k]));
  layout.columns.forEach((column, k) => {
    let text = cell(column.header);
    if (column.default !== undefined) text = `case when ${text} = '' then ${lit(column.default)} else ${text} end`;
    if (column.kind.type === 'program' && plan.defaultProgram)
      text = `case when ${text} = '' then ${lit(plan.defaultProgram)} else ${text} end`;
    texts.push(`${text} as v${k}`);
    const v = `v${k}`;
    const r = `r${k}`;
    const kind = column.kind;
    let ok: string;
    let value: string;
    switch (kind.type) {
      case 'text':
        [ok, value] = ['true', v];
        break;
      case 'program':
        [ok, value] = [`${v} in (${list(programIds)})`, v];
        break;
      case 'timestamp':
      case 'date': {
        regexes.push(`regexp_extract(${v}, ${lit(TS_RE)}, ${TS_PARTS}) as ${r}`);
        const digits = `replace(substr(${r}.z, 2), ':', '')`;
        parts.push(
          ...['y', 'mo', 'd', 'h', 'mi', 's'].map((x) => `${int(`${r}.${x}`)} as ${x}${k}`),
          `cast(rpad(substr(${r}.f, 1, 3), 3, '0') as bigint) as ms${k}`,
          `${int(`substr(${digits}, 1, 2)`)} as oh${k}`,
          `${int(`substr(${digits}, 3)`)} as om${k}`,
        );
        const [y, mo, d] = [`y${k}`, `mo${k}`, `d${k}`];
        const date = `${r}.y <> '' and ${y} >= 1 and ${mo} between 1 and 12 and ${dayExists(y, mo, d)}`;
        const makeDate = `make_date(cast(${y} as integer), cast(${mo} as integer), cast(${d} as integer))`;
        if (kind.type === 'date') {
          [ok, value] = [`(${date} and ${r}.sep = '')`, makeDate];
          break;
        }
        const noZone = `${r}.z in ('', 'Z', 'z')`;
        const offset = `(oh${k} * 60 + om${k})`;
        ok =
          `(${date} and not (${r}.sep in ('T', 't') and ${r}.z = '') and h${k} <= 23 and mi${k} <= 59 ` +
          `and s${k} <= 59 and (${noZone} or (om${k} <= 59 and ${offset} <= 840)))`;
        const signed = `case when ${noZone} then 0 when ${r}.z like '-%' then -${offset} else ${offset} end`;
        value = `make_timestamp(epoch_us(${makeDate}) + ((h${k} * 60 + mi${k} - (${signed})) * 60 + s${k}) * 1000000 + ms${k} * 1000)`;
        break;
      }
      case 'decimal':
        ok = `(regexp_full_match(${v}, '\\d{1,18}(?:\\.\\d{1,18})?') and regexp_matches(${v}, '[1-9]'))`;
        value = v;
        break;
      case 'int': {
        const bounds = [
          kind.min !== undefined ? `try_cast(${v} as bigint) >= ${kind.min}` : 'true',
          kind.max !== undefined ? `try_cast(${v} as bigint) <= ${kind.max}` : 'true',
        ];
        ok = `(regexp_full_match(${v}, '[+-]?\\d{1,15}') and coalesce(${bounds.join(' and ')}, false))`;
        value = `cast(${v} as bigint)`;
        break;
      }
      case 'bool':
        ok = `(regexp_full_match(${v}, '[A-Za-z01]+') and lower(${v}) in ('true', 't', 'yes', 'y', '1', 'false', 'f', 'no', 'n', '0'))`;
        value = `lower(${v}) in ('true', 't', 'yes', 'y', '1')`;
        break;
      case 'enum':
        ok = `(regexp_full_match(${v}, '[A-Za-z0-9_]+') and lower(${v}) in (${list(kind.values)}))`;
        value = `lower(${v})`;
        break;
      case 'currency':
        // Proven in the parts layer, where amounts read it and its exponent.
        parts.push(
          `(regexp_full_match(${v}, '[A-Za-z]{3}') and upper(${v}) in (${list(Object.keys(ISO_4217_EXPONENTS))})) as cok${k}`,
          `${exponentSql(`upper(${v})`)} as e${k}`,
        );
        [ok, value] = [`cok${k}`, `upper(${v})`];
        break;
      case 'amount': {
        regexes.push(`regexp_extract(${v}, ${lit(AMOUNT_RE)}, ['w', 'f']) as ${r}`);
        const cur = target.get(kind.currencyColumn);
        if (cur === undefined) throw new Error(`canonical-csv ${layout.table}: no column ${kind.currencyColumn}`);
        const e = `e${cur}`;
        ok =
          `(v${cur} <> '' and cok${cur} and ${r}.w <> '' and ltrim(substr(${r}.f, ${e} + 1), '0') = '' ` +
          `and length(${r}.w) + ${e} <= 18)`;
        value = `cast(${r}.w || rpad(substr(${r}.f, 1, ${e}), ${e}, '0') as bigint)`;
        break;
      }
    }
    const cellOk = column.required ? `(${v} <> '' and ${ok})` : `(${v} = '' or ${ok})`;
    oks.push(`${cellOk} as ok${k}`, `case when ${v} = '' then null when ${ok} then ${value} end as val${k}`);
  });

  const valueOf = (name: string): string => {
    const k = target.get(name);
    if (k === undefined) throw new Error(`canonical-csv ${layout.table}: no column for ${name}`);
    return `val${k}`;
  };
  const checks = SQL_ROW_CHECKS[layout.table].map((check) => ` or coalesce(${check(valueOf)}, false)`);
  const keyParts = layout.key.map(cell);
  const first = keyParts.length
    ? `case when ${keyParts.map((p) => `${p} <> ''`).join(' and ')} then min(_rn) over (partition by ${keyParts.join(', ')}) end`
    : 'cast(null as bigint)';
  const allOk = layout.columns.map((_, k) => `ok${k}`).join(' and ');
  const js = `not coalesce(${allOk}, false)${checks.join('')} or coalesce(_first < _rn, false)`;
  const landing = LANDING_TABLES[layout.table].map((col) =>
    target.has(col.name) ? `${valueOf(col.name)} as ${col.name}` : `null as ${col.name}`,
  );
  const more = (cols: string[]) => cols.map((c) => `, ${c}`).join('');
  return (
    `with t as (select rowid as _rn, ${trims.join(', ')} from ${staged} where rowid > 0), ` +
    `f as (select *, ${first} as _first from t), ` +
    `v as (select _rn, _first, ${texts.join(', ')} from f), ` +
    `r as (select *${more(regexes)} from v), ` +
    `p as (select *${more(parts)} from r), ` +
    `o as (select _rn, _first${more(oks)} from p) ` +
    `select _rn, _first, ${js} as _js, ${landing.join(', ')} from o`
  );
}
