import type { RefstackConfig } from '../config.js';
import { DuckDBWarehouse } from './duckdb.js';
import type { Warehouse } from './warehouse.js';

/**
 * Opens the warehouse the config names. `pathOverride` replaces the DuckDB file (CLI `--warehouse`); `dryRun`
 * (BigQuery only) validates and prices statements instead of running them. The BigQuery driver is imported only
 * when it is used, so the embedded default never loads the Google client.
 */
export async function openWarehouse(
  config: RefstackConfig,
  options: { pathOverride?: string; readOnly?: boolean; dryRun?: boolean } = {},
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
    case 'bigquery': {
      if (options.pathOverride)
        throw new Error(
          `--warehouse ${options.pathOverride}: a file path applies to DuckDB, but the config uses BigQuery`,
        );
      const { BigQueryWarehouse } = await import('./bigquery.js');
      return BigQueryWarehouse.open({
        projectId: wh.projectId,
        location: wh.location,
        maximumBytesBilled: wh.maximumBytesBilled,
        labels: wh.labels,
        ...(options.dryRun ? { dryRun: true } : {}),
      });
    }
  }
}
