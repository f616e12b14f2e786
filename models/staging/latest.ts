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

/**
 * SQL: every column of the latest landed version of each key of `table`: the same rows as
 * `select * from <table> <latestPerKey(d, key)>`, but only keys landed more than once (and a NULL key) go through
 * the window; a key landed once is kept as it is. Landing tables mostly hold one version per key, and the window
 * sorts every row it reads with all its columns.
 * @example `with latest as (${latestRowsSql(d, source('touches'), 'touch_id')}) select ...`
 */
export function latestRowsSql(d: SqlDialect, table: string, key: string): string {
  const repeated = `select ${key} as _repeated_key from ${table} group by ${key} having count(*) > 1`;
  return `select t.* from ${table} t
left join (${repeated}) r on r._repeated_key = t.${key}
where r._repeated_key is null and t.${key} is not null
union all
select * from (
  select t.* from ${table} t
  left join (${repeated}) r on r._repeated_key = t.${key}
  where r._repeated_key is not null or t.${key} is null
  ${latestPerKey(d, `t.${key}`, true)}
) l`;
}
