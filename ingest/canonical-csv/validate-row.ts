/**
 * Validates and converts one canonical CSV record into landing values, or collects every problem with it.
 * Problems are listed in column order, then cross-column checks, then the duplicate-key check; the first
 * one's reason code is the row's reason code.
 */
import { currencyExponent, parseMinorUnits } from '../currency.js';
import { LANDING_TABLES } from '../landing-schema.js';
import { parseBoolean, parseDate, parseDecimal, parseInteger, parseTimestamp } from '../parse-values.js';
import type { Problem } from '../quarantine.js';
import type { HeaderPlan } from './header.js';
import type { CsvColumn } from './layouts.js';

/** State shared by the rows of one file. */
export interface RowContext {
  plan: HeaderPlan;
  programIds: ReadonlySet<string>;
  /**
   * First row number of every primary key seen so far in the file. A key is claimed by its first
   * occurrence whether or not that row was valid, so "the second occurrence is quarantined" holds without
   * exception. Memory grows with distinct keys (roughly 100 bytes each).
   */
  seenKeys: KeyRegistry;
}

/**
 * Where `validateRow` looks up and claims primary keys: a `Map` in the JS path; in the SQL path a view onto
 * the first row number of the current row's key, found in SQL (`set` is then a no-op).
 */
export interface KeyRegistry {
  get(key: string): number | undefined;
  set(key: string, rowNumber: number): unknown;
}

export type RowOutcome = { ok: true; values: unknown[] } | { ok: false; problems: Problem[]; record: unknown };

function quote(s: string): string {
  return JSON.stringify(s);
}

/**
 * `parseCell` returns the landing value, or `FAILED` with the problem in `cellProblem`. A sentinel and a
 * module-level slot rather than a result object per cell: this is the per-cell hot path (14 cells per order
 * row), and the allocations showed up as garbage-collection time in profiles of million-row loads.
 */
const FAILED: unique symbol = Symbol('failed');
let cellProblem: Problem = { reason: 'missing_value', text: '' };

// Module-level helpers rather than per-call closures: under tsx every named closure is re-wrapped on
// creation (esbuild keepNames), which cost more than the parsing itself.
function fail(column: CsvColumn, text: string, reason: Problem['reason'], what: string): typeof FAILED {
  cellProblem = { reason, text: `column ${column.header}: ${quote(text)} ${what}` };
  return FAILED;
}

/** Parses one non-empty cell into its landing value. `parsed` holds the row's columns parsed so far. */
function parseCell(column: CsvColumn, text: string, parsed: Record<string, unknown>, ctx: RowContext): unknown {
  const kind = column.kind;
  switch (kind.type) {
    case 'text':
      return text;
    case 'program':
      return ctx.programIds.has(text)
        ? text
        : fail(
            column,
            text,
            'unknown_program',
            `is not a program in the config (known: ${[...ctx.programIds].join(', ')})`,
          );
    case 'timestamp': {
      const r = parseTimestamp(text);
      return r.ok ? r.value : fail(column, text, r.reason, r.problem);
    }
    case 'date': {
      const r = parseDate(text);
      return r.ok ? new Date(`${r.value}T00:00:00Z`) : fail(column, text, r.reason, r.problem);
    }
    case 'decimal': {
      const r = parseDecimal(text);
      return r.ok ? r.value : fail(column, text, r.reason, r.problem);
    }
    case 'int': {
      const bounds: { min?: number; max?: number } = {};
      if (kind.min !== undefined) bounds.min = kind.min;
      if (kind.max !== undefined) bounds.max = kind.max;
      const r = parseInteger(text, bounds);
      return r.ok ? r.value : fail(column, text, r.reason, r.problem);
    }
    case 'bool': {
      const r = parseBoolean(text);
      return r.ok ? r.value : fail(column, text, r.reason, r.problem);
    }
    case 'enum': {
      const lower = text.toLowerCase();
      return kind.values.includes(lower)
        ? lower
        : fail(column, text, 'invalid_enum', `is not one of ${kind.values.join(', ')}`);
    }
    case 'currency': {
      const upper = text.toUpperCase();
      return currencyExponent(upper) !== undefined
        ? upper
        : fail(
            column,
            text,
            'invalid_currency',
            'is not an ISO 4217 currency code with a minor unit (like USD, EUR, JPY)',
          );
    }
    case 'amount': {
      const currency = parsed[kind.currencyColumn];
      const exponent = typeof currency === 'string' ? currencyExponent(currency) : undefined;
      // With no usable currency the amount is still checked for form and sign, at its own precision.
      const r =
        exponent !== undefined && typeof currency === 'string'
          ? parseMinorUnits(text, exponent, currency)
          : parseMinorUnits(text, text.split('.')[1]?.length ?? 0);
      return r.ok ? r.minor : fail(column, text, r.reason, r.problem);
    }
  }
}

/**
 * Validates one record (`fields` as parsed, in header order). On success returns the business values in
 * landing-column order (lineage excluded); otherwise every problem and the record to quarantine: an object
 * keyed by header name, or the raw field array when the field count does not match the header.
 */
export function validateRow(fields: readonly string[], rowNumber: number, ctx: RowContext): RowOutcome {
  const { plan } = ctx;
  const { layout } = plan;
  if (fields.length !== plan.names.length) {
    return {
      ok: false,
      problems: [
        {
          reason: 'malformed_row',
          text: `has ${fields.length} fields, expected ${plan.names.length} (as many as the header)`,
        },
      ],
      record: fields,
    };
  }
  const problems: Problem[] = [];
  const parsed: Record<string, unknown> = {};
  for (const column of layout.columns) {
    const at = plan.index.get(column.header);
    let text = at === undefined ? '' : (fields[at] ?? '').trim();
    if (text === '' && column.default !== undefined) text = column.default;
    if (text === '' && column.kind.type === 'program' && plan.defaultProgram) text = plan.defaultProgram;
    if (text === '') {
      if (column.required) problems.push({ reason: 'missing_value', text: `column ${column.header}: missing value` });
      parsed[column.target] = null;
      continue;
    }
    const value = parseCell(column, text, parsed, ctx);
    if (value !== FAILED) parsed[column.target] = value;
    else {
      problems.push(cellProblem);
      parsed[column.target] = null;
    }
  }

  rules: for (const rule of layout.rowChecks) {
    for (const k of rule.reads) if (parsed[k] === null || parsed[k] === undefined) continue rules;
    const p = rule.check(parsed);
    if (p) problems.push(p);
  }

  const keyParts: string[] = [];
  let fullKey = layout.key.length > 0;
  for (const h of layout.key) {
    const at = plan.index.get(h);
    const part = at === undefined ? '' : (fields[at] ?? '').trim();
    if (part === '') fullKey = false;
    keyParts.push(part);
  }
  if (fullKey) {
    // One map per file and table, so a one-column key never meets a composite one: no encoding needed.
    const key = keyParts.length === 1 ? keyParts[0]! : JSON.stringify(keyParts);
    const first = ctx.seenKeys.get(key);
    if (first === undefined) ctx.seenKeys.set(key, rowNumber);
    else {
      const label = layout.key.length === 1 ? `column ${layout.key[0]}` : `columns ${layout.key.join(', ')}`;
      problems.push({
        reason: 'duplicate_key',
        text: `${label}: ${keyParts.map(quote).join(', ')} repeats the key of row ${first}`,
      });
    }
  }

  if (problems.length) {
    const record: Record<string, string> = {};
    for (let i = 0; i < plan.names.length; i++) record[plan.names[i]!] = fields[i] ?? '';
    return { ok: false, problems, record };
  }
  const columns = LANDING_TABLES[layout.table];
  const values: unknown[] = new Array(columns.length);
  for (let i = 0; i < columns.length; i++) values[i] = parsed[columns[i]!.name] ?? null;
  return { ok: true, values };
}
