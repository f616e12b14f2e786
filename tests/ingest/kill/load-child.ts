/**
 * Child process for the kill-mid-batch test: loads one file into a DuckDB file warehouse and writes
 * `progress <rows>` on stderr every few thousand records, so the parent knows the batch is open (the
 * marker is written from inside the batch's transaction). Prints the load report as JSON on stdout.
 *
 * Usage: node --import tsx tests/ingest/kill/load-child.ts <canonical|shopify> <warehouse.duckdb> <file>
 */
import { loadCanonicalCsv } from '../../../ingest/canonical-csv/index.js';
import { loadShopifyOrders } from '../../../ingest/shopify/index.js';
import { parseConfig } from '../../../src/config.js';
import { DuckDBWarehouse } from '../../../src/warehouse/duckdb.js';

const [kind, warehouse, file] = process.argv.slice(2);
if (!kind || !warehouse || !file) throw new Error('usage: load-child.ts <canonical|shopify> <warehouse> <file>');
const config = parseConfig({});
const onProgress = (rows: number) => process.stderr.write(`progress ${rows}\n`);
const wh = await DuckDBWarehouse.open({ path: warehouse, threads: 1 });
try {
  const report =
    kind === 'shopify'
      ? await loadShopifyOrders(wh, { file, config, onProgress })
      : await loadCanonicalCsv(wh, { file, config, onProgress });
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await wh.close();
}
