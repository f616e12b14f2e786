/**
 * Runs models in dependency order and appends one row per model run to the audit table `refstack_runs`.
 */
import { randomUUID } from 'node:crypto';
import { configHash, type RefstackConfig } from '../config.js';
import { log } from '../log.js';
import { codeVersion } from '../version.js';
import type { ColumnDef } from '../warehouse/dialect.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { ensureLandingSchema } from '../../ingest/landing-schema.js';
import { ensureOperationalTables } from '../operational-tables.js';
import type { ModelContext, ModelDefinition } from './define-model.js';
import { ModelRegistry } from './registry.js';

export const RUNS_TABLE = 'refstack_runs';

export const RUNS_COLUMNS: ColumnDef[] = [
  { name: 'run_id', type: 'string' },
  { name: 'model', type: 'string' },
  { name: 'started_at', type: 'timestamp' },
  { name: 'seconds', type: 'float64' },
  { name: 'rows', type: 'int64' },
  { name: 'status', type: 'string' },
  { name: 'error', type: 'string' },
  { name: 'config_hash', type: 'string' },
  { name: 'code_version', type: 'string' },
];

export class ModelRunError extends Error {
  constructor(
    readonly model: string,
    cause: unknown,
  ) {
    super(`model ${model} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ModelRunError';
  }
}

export interface ModelRunResult {
  model: string;
  rows: number;
  seconds: number;
}

export interface RunOptions {
  wh: Warehouse;
  config: RefstackConfig;
  registry: ModelRegistry;
  /** Run only these models and what they depend on. */
  select?: string[];
  /**
   * With `select`: run exactly the selected models, not their dependencies (their inputs must already be built,
   * e.g. rebuilding one mart after an operational table changed).
   */
  exact?: boolean;
  /** Called after each model, e.g. for progress. */
  onModel?: (result: ModelRunResult, index: number, total: number) => void;
}

function contextFor(model: ModelDefinition, wh: Warehouse, config: RefstackConfig): ModelContext {
  const d = wh.dialect;
  const analytics = config.schemas.analytics;
  return {
    wh,
    d,
    config,
    self: d.tableRef(analytics, model.name),
    ref(name: string) {
      if (!model.dependsOn.includes(name))
        throw new Error(`model ${model.name} references "${name}" but does not list it in dependsOn`);
      return d.tableRef(analytics, name);
    },
    source(table) {
      return d.tableRef(config.schemas.raw, table);
    },
  };
}

/** Runs the selected models (all by default) in order; stops at the first failure, naming the model. */
export async function runModels(options: RunOptions): Promise<{ runId: string; results: ModelRunResult[] }> {
  const { wh, config, registry } = options;
  const d = wh.dialect;
  await ensureLandingSchema(wh, config.schemas.raw);
  await ensureOperationalTables(wh, config.schemas.analytics);
  const runsRef = d.tableRef(config.schemas.analytics, RUNS_TABLE);
  await wh.exec(d.createTableIfNotExists(runsRef, RUNS_COLUMNS));

  const runId = randomUUID();
  const hash = configHash(config);
  const version = codeVersion();
  const models =
    options.exact && options.select
      ? registry.order(options.select).filter((m) => registry.expand(options.select ?? []).includes(m.name))
      : registry.order(options.select);
  const results: ModelRunResult[] = [];

  for (const [index, model] of models.entries()) {
    const ctx = contextFor(model, wh, config);
    const startedAt = new Date();
    const t0 = performance.now();
    let rows = 0;
    let error: unknown;
    try {
      const sql = await model.build(ctx);
      if (typeof sql === 'string') await wh.exec(d.createTableAs(ctx.self, sql));
      const counted = await wh.query<{ n: number }>(`select count(*) as n from ${ctx.self}`);
      rows = counted[0]?.n ?? 0;
    } catch (err) {
      error = err;
    }
    const seconds = (performance.now() - t0) / 1000;
    await wh.appendRows(config.schemas.analytics, RUNS_TABLE, RUNS_COLUMNS, [
      [
        runId,
        model.name,
        startedAt,
        seconds,
        rows,
        error ? 'failed' : 'success',
        error ? (error instanceof Error ? error.message : String(error)) : null,
        hash,
        version,
      ],
    ]);
    if (error) throw new ModelRunError(model.name, error);
    const result = { model: model.name, rows, seconds };
    results.push(result);
    options.onModel?.(result, index, models.length);
    log.progress(`[${index + 1}/${models.length}] ${model.name}: ${rows} rows in ${seconds.toFixed(2)}s`);
  }
  log.done();
  return { runId, results };
}
