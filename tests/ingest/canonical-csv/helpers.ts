/**
 * Shared test scaffolding for the canonical CSV loader: an in-memory DuckDB, a temp folder for literal CSV
 * files, and configs with one or two programs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type RefstackConfig } from '../../../src/config.js';
import { DuckDBWarehouse } from '../../../src/warehouse/duckdb.js';
import type { Row } from '../../../src/warehouse/warehouse.js';

/** Two programs, so `program_id` is required in every file. */
export const TWO_PROGRAMS: RefstackConfig = parseConfig({
  programs: [
    { id: 'raf', name: 'Refer a friend' },
    { id: 'partners', name: 'Partners', kind: 'partner' },
  ],
});

/** The default config: one program, `default`, filled in when `program_id` is absent. */
export const ONE_PROGRAM: RefstackConfig = parseConfig({});

/** A fixed load time, so `_loaded_at` can be asserted. */
export const NOW = new Date('2025-06-01T12:00:00Z');

export interface Scratch {
  wh: DuckDBWarehouse;
  dir: string;
  /** Writes `content` (verbatim bytes) to `name` in the temp folder and returns the path. */
  write(name: string, content: string | Buffer): string;
  /** Runs a small query. */
  rows(sql: string): Promise<Row[]>;
  /** `count(*)` of a table. */
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export async function scratch(): Promise<Scratch> {
  const wh = await DuckDBWarehouse.open({ path: ':memory:' });
  const dir = mkdtempSync(join(tmpdir(), 'refstack-csv-'));
  return {
    wh,
    dir,
    write(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    rows: (sql) => wh.query(sql),
    async count(table) {
      const r = await wh.query<{ n: number }>(`select count(*) as n from ${table}`);
      return Number(r[0]?.n);
    },
    async close() {
      await wh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
