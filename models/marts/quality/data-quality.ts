import { LANDING_TABLE_NAMES } from '../../../ingest/landing-schema.js';
import { defineModel } from '../../../src/models/define-model.js';
import type { SqlDialect } from '../../../src/warehouse/dialect.js';
import { qualityConfig, type QualityConfig } from './config-schema.js';
import { LANDING_META, landingStatsSql, unstitchedSql } from './landing-stats-sql.js';

/** SQL: a share as a percentage text with 2 decimals, e.g. '1.25%'. */
const pct = (d: SqlDialect, x: string) => `${d.cast(`round(100.0 * ${x}, 2)`, 'string')} || '%'`;
/** SQL: 2 when x > fail, 1 when x > warn, else 0 (NULL x: 0). */
const level = (x: string, band: { warn: number; fail: number }) =>
  `case when ${x} > ${band.fail} then 2 when ${x} > ${band.warn} then 1 else 0 end`;

function thresholdsSql(d: SqlDialect, cfg: QualityConfig): string {
  return LANDING_TABLE_NAMES.map((t) => {
    const f = cfg.freshness.tables[t] ?? cfg.freshness.default;
    const [warn, fail] = f === false ? ['null', 'null'] : [f.warnHours, f.failHours];
    return `select ${d.stringLiteral(t)} as target_table, ${f !== false} as check_fresh, ${d.cast(String(warn), 'float64')} as warn_hours, ${d.cast(String(fail), 'float64')} as fail_hours`;
  }).join('\n  union all\n  ');
}

/**
 * How clean the landed data is, per source: rows read, loaded and quarantined (raw.batches, raw.quarantine, the
 * landing rows themselves for sources that keep no batch rows, such as the synthetic generator), the most common
 * quarantine reason, freshness, duplicate rate, the share of orders and touches stitched to no customer, and one
 * more row with the attribution reconciliation status. Freshness is measured against the run's as-of time, the
 * newest event time in any landing table (the data's clock, not the wall clock). Thresholds: config `quality`
 * (models/marts/quality/config-schema.ts); status is the worst of the checks, and `detail` names each check that
 * is not ok with its number.
 */
export const dataQuality = defineModel({
  name: 'data_quality',
  grain:
    'one row per (source, landing table) seen in the landing tables, raw.batches or raw.quarantine, plus one row for attribution reconciliation',
  dependsOn: ['stg_customers', 'stg_touches', 'attribution_reconciliation'],
  columns: {
    source: "the landing rows' _source / raw.batches.source (adapter and file), or 'attribution'",
    target_table: 'the landing table, or attribution_reconciliation',
    rows_read: 'records read (sum of raw.batches.read; landed + quarantined when the source writes no batch rows)',
    rows_loaded: 'records landed (sum of raw.batches.loaded; else the landing rows of the source)',
    rows_quarantined: 'rows in raw.quarantine for the source and table',
    top_reason: 'the most frequent quarantine reason_code (ties: alphabetical); NULL when none',
    quarantine_reasons: "every reason with its count, e.g. 'invalid_timestamp 3, negative_amount 1'",
    newest_event_at: "the newest event time the source landed (the table's event column: created_at, ordered_at ...)",
    as_of: 'the newest event time in any landing table: the time freshness is measured against',
    freshness_hours: 'hours from newest_event_at to as_of',
    duplicate_rate: 'rows landed again under a key the source already landed (updates, re-sends) / rows landed',
    unstitched_share: 'orders: customer unknown to stg_customers; touches: stitched to no customer (NULL otherwise)',
    status: "'ok' | 'warn' | 'fail': the worst check",
    detail: "every check that is not ok, with its number, '; '-separated ('' when all ok)",
  },
  build: ({ d, ref, source, config }) => {
    const cfg = qualityConfig(config);
    const n = (x: string) => d.cast(x, 'float64');
    const q = (c: string) => d.quoteIdent(c);
    const freshness = `(${d.epochSeconds('a.asof_ts')} - ${d.epochSeconds('l.newest_event_at')}) / 3600.0`;
    const unstitchedBand = `case b.target_table when 'orders' then ${cfg.unstitchedOrders.fail} else ${cfg.unstitchedTouches.fail} end`;
    const unstitchedWarn = `case b.target_table when 'orders' then ${cfg.unstitchedOrders.warn} else ${cfg.unstitchedTouches.warn} end`;
    return `
with landed as (
  ${landingStatsSql(
    d,
    (t) => source(t),
    LANDING_TABLE_NAMES.filter((t) => LANDING_META[t]),
  )}
),
a as (
  select max(newest_event_at) as asof_ts from landed
),
qr as (
  select _source as source, target_table, reason_code, count(*) as n
  from ${source('quarantine')} group by 1, 2, 3
),
qt as (
  select source, target_table, sum(n) as quarantined,
    string_agg(reason_code || ' ' || ${d.cast('n', 'string')}, ', ' order by n desc, reason_code) as reasons
  from qr group by 1, 2
),
qtop as (
  select source, target_table, reason_code as top_reason from qr
  ${d.qualify('row_number() over (partition by source, target_table order by n desc, reason_code) = 1', false)}
),
bt as (
  select source, target_table, sum(${q('read')}) as b_read, sum(loaded) as b_loaded, sum(quarantined) as b_quarantined
  from ${source('batches')} group by 1, 2
),
u as (
  ${unstitchedSql(
    d,
    { orders: source('orders'), touches: source('touches') },
    { customers: ref('stg_customers'), touches: ref('stg_touches') },
  )}
),
k as (
  select source, target_table from landed
  union distinct select source, target_table from qt
  union distinct select source, target_table from bt
),
th as (
  ${thresholdsSql(d, cfg)}
),
b as (
  select
    k.source, k.target_table,
    coalesce(bt.b_read, coalesce(l.rows_landed, 0) + coalesce(qt.quarantined, 0)) as rows_read,
    coalesce(bt.b_loaded, coalesce(l.rows_landed, 0)) as rows_loaded,
    coalesce(qt.quarantined, 0) as rows_quarantined,
    qtop.top_reason, qt.reasons as quarantine_reasons,
    l.newest_event_at, a.asof_ts,
    ${freshness} as freshness_hours,
    ${d.safeDivide(n('l.rows_landed - l.distinct_keys'), 'l.rows_landed')} as duplicate_rate,
    ${d.safeDivide(n('u.unstitched'), 'u.total')} as unstitched_share,
    bt.b_read, bt.b_loaded, bt.b_quarantined,
    coalesce(th.check_fresh, true) as check_fresh,
    coalesce(th.warn_hours, ${cfg.freshness.default.warnHours}) as warn_hours,
    coalesce(th.fail_hours, ${cfg.freshness.default.failHours}) as fail_hours
  from k
  cross join a
  left join landed l on l.source = k.source and l.target_table = k.target_table
  left join qt on qt.source = k.source and qt.target_table = k.target_table
  left join qtop on qtop.source = k.source and qtop.target_table = k.target_table
  left join bt on bt.source = k.source and bt.target_table = k.target_table
  left join u on u.source = k.source and u.target_table = k.target_table
  left join th on th.target_table = k.target_table
),
c as (
  select b.*,
    case when b.b_read is not null and (b.b_read <> b.b_loaded + b.b_quarantined or b.b_quarantined <> b.rows_quarantined)
      then 2 else 0 end as l_accounting,
    ${level(d.safeDivide(n('b.rows_quarantined'), 'b.rows_read'), cfg.quarantineShare)} as l_quarantine,
    case when b.newest_event_at is null then 1 when not b.check_fresh then 0 when b.freshness_hours > b.fail_hours then 2
      when b.freshness_hours > b.warn_hours then 1 else 0 end as l_fresh,
    ${level('b.duplicate_rate', cfg.duplicateRate)} as l_dup,
    case when b.unstitched_share > ${unstitchedBand} then 2 when b.unstitched_share > ${unstitchedWarn} then 1
      else 0 end as l_unstitched
  from b
),
sources as (
  select
    source, target_table, rows_read, rows_loaded, rows_quarantined, top_reason, quarantine_reasons,
    newest_event_at, asof_ts as as_of, ${n('round(freshness_hours, 3)')} as freshness_hours,
    duplicate_rate, unstitched_share,
    case greatest(l_accounting, l_quarantine, l_fresh, l_dup, l_unstitched) when 2 then 'fail' when 1 then 'warn'
      else 'ok' end as status,
    coalesce(${d.concatWs("'; '", [
      `case when l_accounting > 0 then 'batches do not add up: read ' || ${d.cast('b_read', 'string')} || ', loaded ' || ${d.cast('b_loaded', 'string')} || ', quarantined ' || ${d.cast('b_quarantined', 'string')} || ' (quarantine rows ' || ${d.cast('rows_quarantined', 'string')} || ')' end`,
      `case when l_quarantine > 0 then 'quarantined ' || ${pct(d, d.safeDivide(n('rows_quarantined'), 'rows_read'))} || ' of rows read: ' || quarantine_reasons end`,
      `case when newest_event_at is null then 'no rows landed' when l_fresh > 0 then 'newest event ' || ${d.cast('round(freshness_hours, 1)', 'string')} || ' h behind the data (warn ' || ${d.cast('warn_hours', 'string')} || ' h, fail ' || ${d.cast('fail_hours', 'string')} || ' h)' end`,
      `case when l_dup > 0 then 'duplicate keys ' || ${pct(d, 'duplicate_rate')} || ' of rows landed' end`,
      `case when l_unstitched > 0 then ${pct(d, 'unstitched_share')} || ' of ' || target_table || ' stitched to no customer' end`,
    ])}, '') as detail
  from c
),
rec as (
  select count(*) as days, sum(case when difference_minor <> 0 then 1 else 0 end) as bad_days,
    sum(abs(difference_minor)) as off_minor, sum(conversions) as conversions,
    sum(credit_sum) - sum(conversions) as credit_gap
  from ${ref('attribution_reconciliation')}
)
select * from sources
union all
select
  'attribution' as source, 'attribution_reconciliation' as target_table,
  rec.days as rows_read, ${d.cast('null', 'int64')} as rows_loaded, ${d.cast('null', 'int64')} as rows_quarantined,
  ${d.cast('null', 'string')} as top_reason, ${d.cast('null', 'string')} as quarantine_reasons,
  ${d.cast('null', 'timestamp')} as newest_event_at, a.asof_ts as as_of, ${d.cast('null', 'float64')} as freshness_hours,
  ${d.cast('null', 'float64')} as duplicate_rate, ${d.cast('null', 'float64')} as unstitched_share,
  case when rec.days = 0 then 'warn' when coalesce(rec.bad_days, 0) > 0 or abs(rec.credit_gap) > 1e-6 then 'fail'
    else 'ok' end as status,
  case
    when rec.days = 0 then 'no conversions to reconcile'
    when coalesce(rec.bad_days, 0) > 0 or abs(rec.credit_gap) > 1e-6 then
      ${d.cast('rec.bad_days', 'string')} || ' model-days where credited revenue differs from order revenue (total '
      || ${d.cast('rec.off_minor', 'string')} || ' minor units); credits - conversions = '
      || ${d.cast('round(rec.credit_gap, 6)', 'string')}
    else 'every model credits each day''s order revenue exactly'
  end as detail
from rec cross join a
order by 1, 2`;
  },
});
