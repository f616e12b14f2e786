/**
 * How the forecast models (payout_forecast, payout_forecast_backtest) write their own tables: the columns are
 * declared once as `ColumnDef`s, documented from the same list, created empty at the start of every build
 * (`freshTable`, src/models/fresh-table.ts) and filled with `appendRows` in that column order.
 */
import type { ColumnDef } from '../../../src/warehouse/dialect.js';

/** The `columns` documentation of a model from its column list (name -> description). */
export function columnDocs(columns: readonly ColumnDef[]): Record<string, string> {
  return Object.fromEntries(columns.map((c) => [c.name, c.description ?? '']));
}

/**
 * Midnight UTC of an ISO day, the value a `date` column is appended from.
 *
 * @example utcDay('2024-03-01') // 2024-03-01T00:00:00.000Z
 */
export function utcDay(isoDay: string): Date {
  return new Date(`${isoDay}T00:00:00Z`);
}
