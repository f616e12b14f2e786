/**
 * Data loader for the "Referral funnel" page: reads the `referral_funnel` mart READ-ONLY and prints the
 * page's data as JSON on stdout (shape: `ReferralFunnelData` in src/site/referral-funnel-data.ts).
 *
 * Environment: REFSTACK_WAREHOUSE (DuckDB file; default <repo>/.refstack/warehouse.duckdb; relative paths
 * resolve from the working directory), REFSTACK_SCHEMA (schema of the marts; default main).
 * Logs go to stderr; on failure it prints one line and exits 1.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBWarehouse } from '../../../src/warehouse/duckdb.js';
import { loadReferralFunnel } from '../../../src/site/referral-funnel-data.js';

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
    const data = await loadReferralFunnel(wh, schema);
    process.stderr.write(
      `referral-funnel: ${data.programs.length} programs, ${data.monthly.length} monthly rows from ${path} (${schema})\n`,
    );
    process.stdout.write(JSON.stringify(data));
  } finally {
    await wh.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`referral-funnel loader: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
