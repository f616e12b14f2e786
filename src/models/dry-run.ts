/**
 * Dry run: prices every selected model on an engine that can (BigQuery) without running anything. Each model's
 * build runs against a pricing wrapper: every statement it would send is dry-run instead (validated and measured
 * in bytes scanned, at no cost) and every query answers with no rows, so numeric kernels see empty sufficient
 * statistics. A model whose inputs do not exist yet (a first run) reports the engine's "not found" error instead
 * of a figure: dry-run after one real run to price a rerun.
 */
import type { RefstackConfig } from '../config.js';
import type { ColumnDef } from '../warehouse/dialect.js';
import type { Params, Row, Warehouse } from '../warehouse/warehouse.js';
import type { ModelContext } from './define-model.js';
import type { ModelRegistry } from './registry.js';

/** A warehouse that can price a statement without running it. */
export interface PricingWarehouse extends Warehouse {
  dryRunBytes(sql: string, params?: Params): Promise<{ totalBytesProcessed: number }>;
}

export function canDryRun(wh: Warehouse): wh is PricingWarehouse {
  return typeof (wh as Partial<PricingWarehouse>).dryRunBytes === 'function';
}

export interface ModelPrice {
  model: string;
  statements: number;
  bytes: number;
  /** Set when a statement could not be priced (e.g. an input table not built yet). */
  error?: string;
}

class Pricer implements Warehouse {
  bytes = 0;
  statements = 0;
  constructor(private readonly inner: PricingWarehouse) {}
  get dialect() {
    return this.inner.dialect;
  }
  get location() {
    return this.inner.location;
  }
  private async price(sql: string, params?: Params): Promise<void> {
    this.statements++;
    this.bytes += (await this.inner.dryRunBytes(sql, params)).totalBytesProcessed;
  }
  async exec(sql: string): Promise<void> {
    await this.price(sql);
  }
  async query<T = Row>(sql: string, params?: Params): Promise<T[]> {
    await this.price(sql, params);
    return [];
  }
  async execute(sql: string, params?: Params): Promise<number> {
    await this.price(sql, params);
    return 0;
  }
  async *stream<T = Row>(sql: string, params?: Params): AsyncIterable<T[]> {
    await this.price(sql, params);
    yield* [] as T[][];
  }
  async appendRows(
    _schema: string,
    _table: string,
    _columns: ColumnDef[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
  ): Promise<number> {
    // Appends are loads: free on BigQuery. Count them, scan nothing.
    let n = 0;
    for await (const _ of rows as AsyncIterable<unknown[]>) n++;
    return n;
  }
  async loadFile(): Promise<number> {
    return 0;
  }
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
  tableExists(schema: string, table: string): Promise<boolean> {
    return this.inner.tableExists(schema, table);
  }
  async close(): Promise<void> {}
}

/** Prices each selected model in dependency order; never writes anything. */
export async function dryRunModels(options: {
  wh: PricingWarehouse;
  config: RefstackConfig;
  registry: ModelRegistry;
  select?: string[];
}): Promise<ModelPrice[]> {
  const { wh, config, registry } = options;
  const d = wh.dialect;
  const out: ModelPrice[] = [];
  for (const model of registry.order(options.select)) {
    const pricer = new Pricer(wh);
    const ctx: ModelContext = {
      wh: pricer,
      d,
      config,
      self: d.tableRef(config.schemas.analytics, model.name),
      ref: (name) => d.tableRef(config.schemas.analytics, name),
      source: (table) => d.tableRef(config.schemas.raw, table),
    };
    const price: ModelPrice = { model: model.name, statements: 0, bytes: 0 };
    try {
      const sql = await model.build(ctx);
      if (typeof sql === 'string') await pricer.exec(d.createTableAs(ctx.self, sql));
    } catch (err) {
      price.error = err instanceof Error ? err.message : String(err);
    }
    price.statements = pricer.statements;
    price.bytes = pricer.bytes;
    out.push(price);
  }
  return out;
}
