import type { SqlDialect } from '../../src/warehouse/dialect.js';

/**
 * The `qualify` that keeps one row per key: the most recently landed version (ties broken by batch and row
 * number, so the choice is deterministic). Staging's dedupe rule for every landing table.
 */
export function latestPerKey(d: SqlDialect, key: string, hasWhere = false): string {
  return d.qualify(
    `row_number() over (partition by ${key} order by _loaded_at desc, _batch_id desc, _row_number desc) = 1`,
    hasWhere,
  );
}
