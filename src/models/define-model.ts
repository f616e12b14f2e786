/**
 * A model is declared once with `defineModel`: a name (its table), its grain in one sentence, the models
 * it reads, and `build`, which returns a `select` the runner materializes as the model's table, or, for
 * numeric kernels SQL cannot do well, computes itself (sufficient statistics in SQL, inference in TS via
 * `models/stats/`) and writes `ctx.self`.
 */
import type { RefstackConfig } from '../config.js';
import type { SqlDialect } from '../warehouse/dialect.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { LandingTable } from '../../ingest/landing-schema.js';

export interface ModelContext {
  readonly wh: Warehouse;
  readonly d: SqlDialect;
  readonly config: RefstackConfig;
  /** The fully qualified table this model writes. */
  readonly self: string;
  /** The qualified table of another model; only models listed in `dependsOn` may be referenced. */
  ref(model: string): string;
  /** The qualified landing table (`raw.*`, including `quarantine`). */
  source(table: LandingTable | 'quarantine' | 'batches'): string;
}

export interface ModelDefinition {
  /** The table name; a valid identifier, unique across the registry. */
  name: string;
  /** One sentence: what one row is. */
  grain: string;
  /** Models this one reads through `ctx.ref`. */
  dependsOn: string[];
  /** Column documentation: the model's public interface. */
  columns?: Record<string, string>;
  /**
   * Returns a `select` to materialize as `ctx.self`, or writes `ctx.self` itself and returns nothing.
   * Must be deterministic: the same inputs and config give the same table.
   */
  build(ctx: ModelContext): string | void | Promise<string | void>;
}

/** Declares a model; returns it unchanged, typed. */
export function defineModel<const M extends ModelDefinition>(model: M): M {
  return model;
}
