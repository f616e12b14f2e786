/**
 * File-level decisions for a canonical CSV: which landing table a file is for, and whether its header
 * matches that table's layout. Any problem here is a `CanonicalCsvError`: the file is refused whole and
 * nothing is loaded.
 */
import { LANDING_TABLE_NAMES, type LandingTable } from '../landing-schema.js';
import { CSV_LAYOUTS, type CsvLayout } from './layouts.js';

/** A problem with a whole file (name, header, CSV syntax); the message names the file. */
export class CanonicalCsvError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'CanonicalCsvError';
  }
}

/**
 * The landing table a file name stands for: `<table>.csv` or `<table>-<anything>.csv`, case-insensitive
 * (`orders.csv`, `orders-2025-01.csv` -> orders). Throws naming the file and the accepted names otherwise.
 * @example inferTable('referral_events-week-03.csv') // 'referral_events'
 */
export function inferTable(fileName: string): LandingTable {
  const name = fileName.toLowerCase();
  if (name.endsWith('.csv')) {
    const stem = name.slice(0, -'.csv'.length);
    const table = LANDING_TABLE_NAMES.find((t) => stem === t || stem.startsWith(`${t}-`));
    if (table) return table;
  }
  throw new CanonicalCsvError(
    fileName,
    `cannot tell the landing table from the file name; name it <table>.csv or <table>-<anything>.csv ` +
      `with <table> one of ${LANDING_TABLE_NAMES.join(', ')}, or give the table explicitly`,
  );
}

/** Checks a table name given by a caller (e.g. a CLI `--table`). */
export function assertLandingTable(file: string, table: string): LandingTable {
  if ((LANDING_TABLE_NAMES as string[]).includes(table)) return table as LandingTable;
  throw new CanonicalCsvError(file, `unknown table "${table}" (expected one of ${LANDING_TABLE_NAMES.join(', ')})`);
}

/** How a file's header maps onto its layout. */
export interface HeaderPlan {
  layout: CsvLayout;
  /** Header names as matched (trimmed, lower case), in file order; also the keys of quarantined records. */
  names: string[];
  /** Field index of each layout column present in the file, by header name. */
  index: ReadonlyMap<string, number>;
  /** The program id to fill in when `program_id` is absent or empty (the config has exactly one program). */
  defaultProgram: string | null;
}

/**
 * Matches a header row against the table's layout. Names are trimmed and matched case-insensitively.
 * Refuses (naming every offender) empty names, duplicates, unknown columns and missing required columns.
 * A column is required when the layout says so, except a column with a default, and `program_id` when the
 * config has exactly one program.
 */
export function planHeader(
  file: string,
  table: LandingTable,
  header: readonly string[],
  programIds: readonly string[],
): HeaderPlan {
  const layout = CSV_LAYOUTS[table];
  const names = header.map((h) => h.trim().toLowerCase());
  const known = new Map(layout.columns.map((c) => [c.header, c]));
  const defaultProgram = programIds.length === 1 ? (programIds[0] ?? null) : null;
  const problems: string[] = [];

  const blanks = names.flatMap((n, i) => (n === '' ? [String(i + 1)] : []));
  if (blanks.length) problems.push(`empty column name at position ${blanks.join(', ')}`);
  const duplicates = [...new Set(names.filter((n, i) => n !== '' && names.indexOf(n) !== i))];
  if (duplicates.length) problems.push(`duplicate columns ${duplicates.join(', ')}`);
  const unknown = names.filter((n) => n !== '' && !known.has(n));
  if (unknown.length) {
    const money = unknown.filter((n) => n.endsWith('_minor'));
    const hint = money.length
      ? ` (money is given in major units as ${money.map((n) => n.replace(/_minor$/, '_amount')).join(', ')})`
      : '';
    problems.push(`unknown columns ${unknown.join(', ')}${hint}`);
  }
  const missing = layout.columns.filter(
    (c) =>
      c.required &&
      c.default === undefined &&
      !(c.kind.type === 'program' && defaultProgram) &&
      !names.includes(c.header),
  );
  if (missing.length) {
    const why = missing.some((c) => c.kind.type === 'program')
      ? ' (program_id is required when the config has several programs)'
      : '';
    problems.push(`missing required columns ${missing.map((c) => c.header).join(', ')}${why}`);
  }
  if (problems.length) {
    throw new CanonicalCsvError(
      file,
      `header does not match the ${table} layout: ${problems.join('; ')}. ` +
        `Expected columns: ${layout.columns.map((c) => c.header).join(', ')} (see ingest/canonical-csv/LAYOUTS.md)`,
    );
  }
  return { layout, names, index: new Map(names.map((n, i) => [n, i])), defaultProgram };
}
