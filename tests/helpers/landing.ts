import { landingColumns, ensureLandingSchema, type LandingTable } from '../../ingest/landing-schema.js';
import { parseConfig, type RefstackConfig, type RefstackConfigInput } from '../../src/config.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';

/** An in-memory warehouse with the landing schema, for tests. Close it in `afterEach`/`finally`. */
export async function memoryWarehouse(): Promise<Warehouse> {
  const wh = await DuckDBWarehouse.open({ path: ':memory:', threads: 1 });
  await ensureLandingSchema(wh);
  return wh;
}

export function testConfig(overrides: RefstackConfigInput = {}): RefstackConfig {
  return parseConfig({ fxRates: { EUR: '1.08' }, programs: [{ id: 'friends', name: 'Friends' }], ...overrides });
}

const ts = (v: unknown) =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? new Date(v.length === 10 ? `${v}T00:00:00Z` : v) : v;

/**
 * Appends literal rows to a landing table. Columns not given are NULL; lineage defaults to a test batch
 * with `_row_number` in order and `_loaded_at` 2026-01-01 unless the row sets them. ISO strings in
 * timestamp columns become Dates.
 */
export async function land(
  wh: Warehouse,
  table: LandingTable,
  rows: Record<string, unknown>[],
  batch = 'test-batch',
): Promise<void> {
  const columns = landingColumns(table);
  const defaults = (i: number): Record<string, unknown> => ({
    _source: 'test',
    _batch_id: batch,
    _row_number: i + 1,
    _loaded_at: new Date('2026-01-01T00:00:00Z'),
    program_id: 'friends',
  });
  const values = rows.map((row, i) => {
    const full = { ...defaults(i), ...row };
    return columns.map((c) => (c.type === 'timestamp' || c.type === 'date' ? ts(full[c.name]) : full[c.name]) ?? null);
  });
  await wh.appendRows('raw', table, columns, values);
}
