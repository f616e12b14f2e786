/**
 * Stage `duckdb-sql`: one hand-written baseline SQL file (bench/baselines/NN-*.sql) on the baseline's own
 * warehouse file, through the Warehouse interface. `{{file:NAME}}` in the SQL becomes the quoted path of NAME in
 * the data folder. Statements end with `;` at the end of a line; each is timed.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { openBenchWarehouse } from './open.js';

/** The statements of a baseline SQL file, with data-file placeholders resolved (comments kept: DuckDB skips them). */
export function baselineStatements(sql: string, dataDir: string, quote: (s: string) => string): string[] {
  return sql
    .replace(/\{\{file:([A-Za-z0-9_.-]+)\}\}/g, (_m, name: string) => quote(join(dataDir, name)))
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--[^\n]*/g, '').trim() !== '');
}

export async function runBaselineSql(
  sqlFile: string,
  dataDir: string,
  warehouse: string,
): Promise<Record<string, unknown>> {
  const wh = await openBenchWarehouse(warehouse);
  const perStatement: { head: string; seconds: number }[] = [];
  try {
    const statements = baselineStatements(readFileSync(sqlFile, 'utf8'), dataDir, (s) => wh.dialect.stringLiteral(s));
    for (const sql of statements) {
      const t0 = performance.now();
      await wh.exec(sql);
      const head = sql
        .replace(/--[^\n]*\n/g, '')
        .replace(/\s+/g, ' ')
        .slice(0, 60);
      perStatement.push({ head, seconds: (performance.now() - t0) / 1000 });
    }
  } finally {
    await wh.close();
  }
  return { file: basename(sqlFile), perStatement };
}
