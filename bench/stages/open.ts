/**
 * Opens a DuckDB file for a bench stage. `REFSTACK_BENCH_MEMORY_LIMIT` (set by `--memory-limit`) becomes DuckDB's
 * memory_limit for refstack's stages and the DuckDB baseline alike, as `warehouse.memoryLimit` would in a config;
 * without it DuckDB takes its default (80% of RAM), which is what a user gets out of the box.
 */
import { DuckDBWarehouse } from '../../src/warehouse/duckdb.js';

export function openBenchWarehouse(path: string, readOnly = false): Promise<DuckDBWarehouse> {
  const memoryLimit = process.env['REFSTACK_BENCH_MEMORY_LIMIT'];
  return DuckDBWarehouse.open({ path, ...(readOnly ? { readOnly } : {}), ...(memoryLimit ? { memoryLimit } : {}) });
}
