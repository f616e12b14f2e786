import type { RefstackConfig } from '../config.js';
import { DuckDBWarehouse } from './duckdb.js';
import type { Warehouse } from './warehouse.js';

/** Opens the warehouse the config names. `pathOverride` replaces the DuckDB file (CLI `--warehouse`). */
export async function openWarehouse(
  config: RefstackConfig,
  options: { pathOverride?: string; readOnly?: boolean } = {},
): Promise<Warehouse> {
  const wh = config.warehouse;
  switch (wh.engine) {
    case 'duckdb':
      return DuckDBWarehouse.open({
        path: options.pathOverride ?? wh.path,
        ...(wh.threads ? { threads: wh.threads } : {}),
        ...(wh.memoryLimit ? { memoryLimit: wh.memoryLimit } : {}),
        ...(options.readOnly ? { readOnly: true } : {}),
      });
  }
}
