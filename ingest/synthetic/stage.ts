/**
 * What every generation stage receives. Stages build scratch tables (`_syn_*`, connection-scoped temp
 * tables dropped by the orchestrator in `finally`) and insert into the landing tables.
 */
import type { SqlDialect } from '../../src/warehouse/dialect.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import type { LandingTable } from '../landing-schema.js';
import type { RunContext } from './options.js';
import type { ProgramPlan } from './programs.js';
import { paddedId, scratch, type Rng } from './sql.js';

export interface Gen {
  wh: Warehouse;
  d: SqlDialect;
  rng: Rng;
  run: RunContext;
  plan: ProgramPlan;
  /** Scratch tables created so far (the orchestrator drops them). */
  scratchTables: string[];
  /** Rows inserted per landing table. */
  rows: Record<LandingTable, number>;
  /** Counters the report carries: Gamma draws that fell back to the mean, purchase-cap hits. */
  counters: { gammaFallbacks: number; purchaseCapHits: number };
}

/** Width of every generated non-customer id's number ('O0000000123'). */
export const ID_WIDTH = 10;

/** SQL: the order id of an order row number. */
export const orderIdSql = (rn: string): string => paddedId('O', rn, ID_WIDTH);

/** Creates (or replaces) a scratch table from a query and registers it for dropping. Returns its quoted name. */
export async function createScratch(g: Gen, name: string, select: string): Promise<string> {
  const ref = scratch(g.d, name);
  if (!g.scratchTables.includes(ref)) g.scratchTables.push(ref);
  await g.wh.exec(`create or replace temp table ${ref} as\n${select}`);
  return ref;
}

/**
 * Creates `_syn_<name>` holding integers i = 0..n-1 and returns its name. Heavy per-row SQL reads from this
 * table rather than from range(n) directly: DuckDB runs a range() source on one thread, a table scan on all.
 */
export async function indexTable(g: Gen, name: string, n: number): Promise<string> {
  return createScratch(g, name, `select i from range(${n}) t(i)`);
}

/** A single count from a query returning one row with column `n`. */
export async function countOf(g: Gen, sql: string): Promise<number> {
  const rows = await g.wh.query<{ n: number | bigint | null }>(sql);
  return Number(rows[0]?.n ?? 0);
}
