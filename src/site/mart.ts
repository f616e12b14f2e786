/**
 * Readiness of a mart for a site page. Several marts are built by other areas and may be absent (not yet run),
 * empty (nothing to report yet) or older than the page (a contract column not there yet). A loader reads its mart
 * only when it is `ready`; otherwise it prints an empty shape carrying this status, and the page shows "no data
 * yet" with the reason, so the site build never fails on a mart that is not there.
 */
import { assertIdentifier } from '../warehouse/identifiers.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export type MartState = 'ready' | 'empty' | 'missing' | 'incomplete';

export interface MartStatus {
  table: string;
  state: MartState;
  /** Contract columns the table lacks (state `incomplete`). */
  missingColumns: string[];
  /** Rows in the table (0 unless ready). */
  rows: number;
}

/**
 * Checks `<schema>.<table>` exists, has every column in `required`, and has rows.
 * @example await martStatus(wh, 'main', 'program_roi', ['month', 'roi']) // { state: 'missing', ... }
 */
export async function martStatus(
  wh: Warehouse,
  schema: string,
  table: string,
  required: readonly string[],
): Promise<MartStatus> {
  assertIdentifier(schema, 'REFSTACK_SCHEMA');
  const status = (state: MartState, missingColumns: string[] = [], rows = 0): MartStatus => ({
    table,
    state,
    missingColumns,
    rows,
  });
  if (!(await wh.tableExists(schema, table))) return status('missing');
  const d = wh.dialect;
  const ref = d.tableRef(schema, table);
  const probe = async (columns: readonly string[]) => {
    try {
      await wh.query(`select ${columns.map((c) => d.quoteIdent(c)).join(', ')} from ${ref} where 1 = 0`);
      return true;
    } catch {
      return false;
    }
  };
  if (required.length > 0 && !(await probe(required))) {
    const missing: string[] = [];
    for (const column of required) if (!(await probe([column]))) missing.push(column);
    return status('incomplete', missing);
  }
  const [count] = await wh.query<{ n: number }>(`select ${d.cast('count(*)', 'int64')} as n from ${ref}`);
  const rows = Number(count?.n ?? 0);
  return status(rows > 0 ? 'ready' : 'empty', [], rows);
}

/** An integer from SQL that must be exact in JSON; names where it came from when it is not. */
export function exactNumber(value: unknown, where: string): number {
  if (typeof value === 'bigint') throw new Error(`${where} (${value}) is beyond JSON's exact integer range`);
  return value === null || value === undefined ? 0 : Number(value);
}

/** A nullable number from SQL (null stays null). */
export function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** A one-currency check over a mart's `min(currency)` and `max(currency)`. */
export function singleCurrency(row: { c_min?: unknown; c_max?: unknown } | undefined, table: string): string | null {
  if (!row) return null;
  if (row.c_min !== row.c_max) throw new Error(`${table} mixes currencies (${row.c_min}, ${row.c_max})`);
  return row.c_min == null ? null : String(row.c_min);
}
