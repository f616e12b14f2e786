/**
 * The shared body of a thin data loader: open the warehouse named by REFSTACK_WAREHOUSE read-only, run one
 * data function against REFSTACK_SCHEMA, print its JSON on stdout, log a summary to stderr, and on failure
 * print one line `<name> loader: <message>` (build.ts names a failed build by that line) and exit 1.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBWarehouse } from '../warehouse/duckdb.js';
import type { Warehouse } from '../warehouse/warehouse.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Runs a loader. `load` queries one mart; `describe` turns its result into a short stderr summary.
 * @example runLoader('experiments', (wh, schema) => loadExperiments(wh, schema), (d) => `${d.experiments.length} experiments`);
 */
export function runLoader<T>(
  name: string,
  load: (wh: Warehouse, schema: string) => Promise<T>,
  describe: (data: T) => string,
): void {
  const path = resolve(process.env['REFSTACK_WAREHOUSE'] || resolve(repoRoot, '.refstack/warehouse.duckdb'));
  const schema = process.env['REFSTACK_SCHEMA'] || 'main';
  const main = async (): Promise<void> => {
    if (!existsSync(path))
      throw new Error(
        `warehouse ${path} does not exist: run \`refstack demo\` or \`refstack run\` first (or set REFSTACK_WAREHOUSE)`,
      );
    const wh = await DuckDBWarehouse.open({ path, readOnly: true });
    try {
      const data = await load(wh, schema);
      process.stderr.write(`${name}: ${describe(data)} from ${path} (${schema})\n`);
      process.stdout.write(JSON.stringify(data));
    } finally {
      await wh.close();
    }
  };
  main().catch((err: unknown) => {
    process.stderr.write(`${name} loader: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
