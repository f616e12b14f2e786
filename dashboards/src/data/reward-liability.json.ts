/**
 * Data loader for the site: reads reward_liability READ-ONLY and prints the page's data as JSON on stdout (shape:
 * the return type of `loadRewardLiability` in src/site/rewards-data.ts). A missing mart prints an empty, `available: false` shape.
 *
 * Environment: REFSTACK_WAREHOUSE (DuckDB file; default <repo>/.refstack/warehouse.duckdb; relative paths
 * resolve from the working directory), REFSTACK_SCHEMA (schema of the marts; default main).
 * Logs go to stderr; on failure it prints one line and exits 1.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBWarehouse } from '../../../src/warehouse/duckdb.js';
import { loadRewardLiability } from '../../../src/site/rewards-data.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const path = resolve(process.env['REFSTACK_WAREHOUSE'] || resolve(repoRoot, '.refstack/warehouse.duckdb'));
const schema = process.env['REFSTACK_SCHEMA'] || 'main';

async function main(): Promise<void> {
  if (!existsSync(path))
    throw new Error(
      `warehouse ${path} does not exist: run \`refstack demo\` or \`refstack run\` first (or set REFSTACK_WAREHOUSE)`,
    );
  const wh = await DuckDBWarehouse.open({ path, readOnly: true });
  try {
    const data = await loadRewardLiability(wh, schema);
    process.stderr.write(
      `reward-liability: ${data.available ? `${data.rows.length} rows` : 'mart missing'} from ${path} (${schema})\n`,
    );
    process.stdout.write(JSON.stringify(data));
  } finally {
    await wh.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`reward-liability loader: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
