/**
 * SQL for data_quality's per-source statistics of the landing tables: rows landed, distinct keys (for the
 * duplicate rate) and the newest event time, one row per (_source, landing table); and the unstitched counts of
 * orders and touches.
 */
import type { LandingTable } from '../../../ingest/landing-schema.js';
import type { SqlDialect } from '../../../src/warehouse/dialect.js';
import { latestPerKey } from '../../staging/latest.js';

/** Each landing table's business key (a later row with the same key supersedes) and its event time. */
export const LANDING_META: Record<LandingTable, { key: string[]; eventAt: string }> = {
  customers: { key: ['customer_id'], eventAt: 'created_at' },
  orders: { key: ['order_id'], eventAt: 'ordered_at' },
  touches: { key: ['touch_id'], eventAt: 'occurred_at' },
  referral_events: { key: ['event_id'], eventAt: 'occurred_at' },
  survey_responses: { key: ['response_id'], eventAt: 'submitted_at' },
  experiment_assignments: { key: ['experiment_id', 'unit_id', 'variant'], eventAt: 'assigned_at' },
  support_interactions: { key: ['interaction_id'], eventAt: 'occurred_at' },
  email_events: { key: ['event_id'], eventAt: 'occurred_at' },
  marketing_spend: {
    key: ['program_id', 'month', 'channel_group', 'campaign', 'region', 'currency'],
    eventAt: 'month',
  },
  fx_rates: { key: ['rate_date', 'currency', 'reporting_currency'], eventAt: 'rate_date' },
};

/** SQL: one text value per key tuple (NULL parts as empty, a unit separator between parts). */
function keySql(d: SqlDialect, key: string[]): string {
  if (key.length === 1) return d.cast(key[0]!, 'string');
  return key.map((k) => `coalesce(${d.cast(k, 'string')}, '')`).join(` || ${d.stringLiteral('\u001f')} || `);
}

/**
 * SQL: source, target_table, rows_landed, distinct_keys, newest_event_at (timestamp) for every landing table in
 * `tables` (those LANDING_META knows), unioned.
 */
export function landingStatsSql(d: SqlDialect, rawTable: (t: LandingTable) => string, tables: LandingTable[]): string {
  const parts = tables
    .filter((t) => LANDING_META[t])
    .map((t) => {
      const m = LANDING_META[t];
      return `select _source as source, ${d.stringLiteral(t)} as target_table, count(*) as rows_landed,
    count(distinct ${keySql(d, m.key)}) as distinct_keys,
    max(${d.cast(m.eventAt, 'timestamp')}) as newest_event_at
  from ${rawTable(t)} group by _source`;
    });
  return parts.join('\n  union all\n  ');
}

/**
 * SQL: source, target_table, unstitched, total: the current version of each order whose customer stg_customers
 * does not know, and of each touch stitched to no customer (stg_touches.person_source 'anonymous'), by the
 * source that landed that version.
 */
export function unstitchedSql(
  d: SqlDialect,
  raw: { orders: string; touches: string },
  stg: { customers: string; touches: string },
): string {
  return `select o._source as source, 'orders' as target_table,
    sum(case when c.customer_id is null then 1 else 0 end) as unstitched, count(*) as total
  from (select _source, order_id, customer_id from ${raw.orders} ${latestPerKey(d, 'order_id')}) o
  left join ${stg.customers} c on c.customer_id = o.customer_id
  group by o._source
  union all
  select r._source as source, 'touches' as target_table,
    sum(case when t.person_source = 'anonymous' then 1 else 0 end) as unstitched, count(*) as total
  from (select _source, touch_id from ${raw.touches} ${latestPerKey(d, 'touch_id')}) r
  join ${stg.touches} t on t.touch_id = r.touch_id
  group by r._source`;
}
