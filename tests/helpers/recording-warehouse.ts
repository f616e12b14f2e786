/**
 * A warehouse that runs nothing: it records every statement a model run sends, in a given dialect, and answers
 * queries with no rows (counts with 0). Used to compile every model for an engine we cannot run here (BigQuery)
 * and snapshot the SQL.
 */
import type { ColumnDef, SqlDialect } from '../../src/warehouse/dialect.js';
import type { Row, Warehouse } from '../../src/warehouse/warehouse.js';

export interface RecordedStatement {
  kind: 'exec' | 'query' | 'execute' | 'stream' | 'append' | 'load';
  sql: string;
}

export class RecordingWarehouse implements Warehouse {
  readonly location = 'recording';
  readonly statements: RecordedStatement[] = [];
  /** Called on every appendRows (the runner appends one refstack_runs row per model). */
  onAppend?: (table: string, rows: unknown[][]) => void;

  constructor(readonly dialect: SqlDialect) {}

  async exec(sql: string): Promise<void> {
    this.statements.push({ kind: 'exec', sql });
  }
  async query<T = Row>(sql: string): Promise<T[]> {
    this.statements.push({ kind: 'query', sql });
    return (/^\s*select count\(\*\) as n from/i.test(sql) ? [{ n: 0 }] : []) as T[];
  }
  async execute(sql: string): Promise<number> {
    this.statements.push({ kind: 'execute', sql });
    return 0;
  }
  async *stream<T = Row>(sql: string): AsyncIterable<T[]> {
    this.statements.push({ kind: 'stream', sql });
    yield* [] as T[][];
  }
  async appendRows(
    schema: string,
    table: string,
    _columns: ColumnDef[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
  ): Promise<number> {
    const all: unknown[][] = [];
    for await (const r of rows as AsyncIterable<unknown[]>) all.push(r);
    this.statements.push({ kind: 'append', sql: `-- append ${all.length} rows to ${schema}.${table}` });
    this.onAppend?.(table, all);
    return all.length;
  }
  async loadFile(schema: string, table: string, file: string): Promise<number> {
    this.statements.push({ kind: 'load', sql: `-- load ${file} into ${schema}.${table}` });
    return 0;
  }
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
  async tableExists(): Promise<boolean> {
    return false;
  }
  async close(): Promise<void> {}
}
