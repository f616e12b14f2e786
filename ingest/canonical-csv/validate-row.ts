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
  seenKeys: Map<string, number>;
}

export type RowOutcome = { ok: true; values: unknown[] } | { ok: false; problems: Problem[]; record: unknown };

function quote(s: string): string {
  return JSON.stringify(s);
}

type CellResult = { ok: true; value: unknown } | { ok: false; problem: Problem };

// Module-level helpers rather than per-call closures: this is the per-cell hot path, and under tsx every
// named closure is re-wrapped on creation (esbuild keepNames), which cost more than the parsing itself.
function ok(value: unknown): CellResult {
  return { ok: true, value };
}

function fail(column: CsvColumn, text: string, reason: Problem['reason'], what: string): CellResult {
  return { ok: false, problem: { reason, text: `column ${column.header}: ${quote(text)} ${what}` } };
}

/** Parses one non-empty cell into its landing value. `parsed` holds the row's columns parsed so far. */
function parseCell(column: CsvColumn, text: string, parsed: Record<string, unknown>, ctx: RowContext): CellResult {
  const kind = column.kind;
  switch (kind.type) {
    case 'text':
      return ok(text);
    case 'program':
      return ctx.programIds.has(text)
        ? ok(text)
        : fail(
            column,
            text,
            'unknown_program',
            `is not a program in the config (known: ${[...ctx.programIds].join(', ')})`,
          );
    case 'timestamp': {
      const r = parseTimestamp(text);
      return r.ok ? ok(r.value) : fail(column, text, r.reason, r.problem);
    }
    case 'date': {
      const r = parseDate(text);
      return r.ok ? ok(new Date(`${r.value}T00:00:00Z`)) : fail(column, text, r.reason, r.problem);
    }
    case 'decimal': {
      const r = parseDecimal(text);
      return r.ok ? ok(r.value) : fail(column, text, r.reason, r.problem);
    }
    case 'int': {
      const bounds: { min?: number; max?: number } = {};
      if (kind.min !== undefined) bounds.min = kind.min;
      if (kind.max !== undefined) bounds.max = kind.max;
      const r = parseInteger(text, bounds);
      return r.ok ? ok(r.value) : fail(column, text, r.reason, r.problem);
    }
    case 'bool': {
      const r = parseBoolean(text);
      return r.ok ? ok(r.value) : fail(column, text, r.reason, r.problem);
    }
    case 'enum': {
      const lower = text.toLowerCase();
      return kind.values.includes(lower)
        ? ok(lower)
        : fail(column, text, 'invalid_enum', `is not one of ${kind.values.join(', ')}`);
    }
    case 'currency': {
      const upper = text.toUpperCase();
      return currencyExponent(upper) !== undefined
        ? ok(upper)
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
      return r.ok ? ok(r.minor) : fail(column, text, r.reason, r.problem);
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
  const record: Record<string, string> = {};
  plan.names.forEach((name, i) => (record[name] = fields[i] ?? ''));

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
    const cell = parseCell(column, text, parsed, ctx);
    if (cell.ok) parsed[column.target] = cell.value;
    else {
      problems.push(cell.problem);
      parsed[column.target] = null;
    }
  }

  for (const rule of layout.rowChecks) {
    if (rule.reads.some((k) => parsed[k] === null || parsed[k] === undefined)) continue;
    const p = rule.check(parsed);
    if (p) problems.push(p);
  }

  const keyParts = layout.key.map((h) => {
    const at = plan.index.get(h);
    return at === undefined ? '' : (fields[at] ?? '').trim();
  });
  if (keyParts.length > 0 && keyParts.every((k) => k !== '')) {
    const key = JSON.stringify(keyParts);
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

  if (problems.length) return { ok: false, problems, record };
  return { ok: true, values: LANDING_TABLES[layout.table].map((c) => parsed[c.name] ?? null) };
}
