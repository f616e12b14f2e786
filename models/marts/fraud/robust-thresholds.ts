/**
 * Robust count thresholds for the velocity and signup_burst rules. Both count events per (program, entity,
 * bucket) cell — referrals per advocate per day, sign-ups per IP range per window — and call a cell anomalous
 * when its count exceeds a robust baseline. SQL returns frequency tables of the cell counts (sufficient
 * statistics); the median and MAD come from models/stats/robust.ts; the thresholds go back as a small table.
 */
import type { ColumnDef } from '../../../src/warehouse/dialect.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { robustBaseline, type Frequency } from '../../stats/robust.js';

export interface ThresholdOptions {
  /** MADs above the median. */
  k: number;
  /** No threshold is below this count. */
  floor: number;
  /** An entity gets its own baseline only with at least this many active buckets. */
  entityMinBuckets: number;
}

/**
 * One baseline: `entity` NULL for the program's baseline over all its cells, else the entity's own, whose
 * threshold is never below the program's. `threshold` = max(floor, median + k MAD [, program threshold]).
 */
export interface ThresholdRow {
  program_id: string;
  entity: string | null;
  baseline: 'program' | 'entity';
  buckets: number;
  median: number;
  mad: number;
  threshold: number;
}

export const THRESHOLD_COLUMNS: ColumnDef[] = [
  { name: 'program_id', type: 'string' },
  { name: 'entity', type: 'string' },
  { name: 'baseline', type: 'string' },
  { name: 'buckets', type: 'int64' },
  { name: 'median', type: 'float64' },
  { name: 'mad', type: 'float64' },
  { name: 'threshold', type: 'float64' },
];

/** Rounded so the evidence JSON shows short numbers; counts are integers, so 6 decimals change no decision. */
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Thresholds for the cells in `cells` (a table with columns program_id, entity, bucket, n: one row per active
 * cell, n >= 1). Buckets with no event are not cells: the baseline is of active buckets, so "many more than on a
 * usual active day" — sparse activity does not pull the median to 0.
 */
export async function robustThresholds(wh: Warehouse, cells: string, opts: ThresholdOptions): Promise<ThresholdRow[]> {
  const programFreq = await wh.query<{ program_id: string; n: number; c: number }>(
    `select program_id, n, count(*) as c from ${cells} group by 1, 2 order by 1, 2`,
  );
  const entityFreq = await wh.query<{ program_id: string; entity: string; n: number; c: number }>(`
    with active as (
      select program_id, entity from ${cells} group by 1, 2 having count(*) >= ${Math.trunc(opts.entityMinBuckets)}
    )
    select c.program_id, c.entity, c.n, count(*) as c
    from ${cells} c join active a on a.program_id = c.program_id and a.entity = c.entity
    group by 1, 2, 3 order by 1, 2, 3`);
  const group = <T extends { n: number; c: number }>(rows: T[], key: (r: T) => string) => {
    const out = new Map<string, Frequency[]>();
    for (const r of rows) {
      const k = key(r);
      if (!out.has(k)) out.set(k, []);
      out.get(k)!.push({ value: Number(r.n), count: Number(r.c) });
    }
    return out;
  };
  const rows: ThresholdRow[] = [];
  const programThreshold = new Map<string, number>();
  for (const [program_id, table] of group(programFreq, (r) => r.program_id)) {
    const b = robustBaseline(table, opts.k);
    const threshold = round6(Math.max(opts.floor, b.threshold));
    programThreshold.set(program_id, threshold);
    rows.push({
      program_id,
      entity: null,
      baseline: 'program',
      buckets: b.n,
      median: b.median,
      mad: round6(b.mad),
      threshold,
    });
  }
  for (const [key, table] of group(entityFreq, (r) => JSON.stringify([r.program_id, r.entity]))) {
    const [program_id, entity] = JSON.parse(key) as [string, string];
    const b = robustBaseline(table, opts.k);
    const threshold = round6(Math.max(programThreshold.get(program_id)!, b.threshold));
    rows.push({
      program_id,
      entity,
      baseline: 'entity',
      buckets: b.n,
      median: b.median,
      mad: round6(b.mad),
      threshold,
    });
  }
  return rows;
}

/** Writes threshold rows to `schema.table` (replacing it). The caller drops it when done. */
export async function writeThresholds(
  wh: Warehouse,
  schema: string,
  table: string,
  rows: readonly ThresholdRow[],
): Promise<string> {
  const ref = wh.dialect.tableRef(schema, table);
  await wh.exec(`drop table if exists ${ref}`);
  await wh.exec(wh.dialect.createTableIfNotExists(ref, THRESHOLD_COLUMNS));
  if (rows.length === 0) return ref;
  await wh.appendRows(
    schema,
    table,
    THRESHOLD_COLUMNS,
    rows.map((r) => [r.program_id, r.entity, r.baseline, r.buckets, r.median, r.mad, r.threshold]),
  );
  return ref;
}
