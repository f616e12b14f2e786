/**
 * GA4 read in place: when the warehouse is BigQuery, the GA4 export's daily `events_YYYYMMDD` tables are already
 * there, so `raw.touches` is filled by one `insert ... select` per day straight from them, with nothing
 * downloaded. The mapping is the one of the NDJSON adapter (`touches-sql.ts`: collected_traffic_source first,
 * then the source/medium/campaign event params, gclid as google/cpc, page_location/page_referrer), written against
 * the export's native nested columns.
 *
 * One day is one batch (`ga4-bigquery:<dataset>:<day>`), landed in one transaction with its quarantine rows and
 * its `raw.batches` row (read = events in scope, loaded, quarantined), so a rerun skips days already landed and a
 * failure leaves whole days. The intraday table (`events_intraday_*`) is never read: a day lands once it is final.
 */
import { createHash } from 'node:crypto';
import type { RefstackConfig } from '../../src/config.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { findBatch } from '../batch.js';
import { landingColumns } from '../landing-schema.js';
import { ga4Settings } from './config.js';

export const GA4_BIGQUERY_SOURCE = 'ga4-bigquery';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The export table reference: `project.dataset` checked by the config schema, quoted as one path. */
function exportTable(exportDataset: string): string {
  if (!/^[a-z][a-z0-9-]{4,61}[a-z0-9]\.[A-Za-z_][A-Za-z0-9_]*$/.test(exportDataset))
    throw new Error(`warehouse.ga4ExportDataset: expected "project.dataset", got "${exportDataset}"`);
  return `\`${exportDataset}.events_*\``;
}

const param = (key: string) => `(select value.string_value from unnest(event_params) where key = '${key}')`;
const text = (expr: string) => `nullif(trim(${expr}), '')`;

/**
 * The per-day SELECT over the export, one row per in-scope event with the business columns of `raw.touches`
 * and `problem` (NULL for a valid event, else the quarantine message). Parameters: @day (YYYYMMDD), @program.
 * `eventsSql` is the SQL array literal of the event names landed.
 */
export function ga4ExportSelect(exportDataset: string, eventsSql: string): string {
  const src = `coalesce(${text('collected_traffic_source.manual_source')}, ${text(param('source'))}, if(collected_traffic_source.gclid is not null, 'google', null))`;
  const med = `coalesce(${text('collected_traffic_source.manual_medium')}, ${text(param('medium'))}, if(collected_traffic_source.manual_source is null and collected_traffic_source.gclid is not null, 'cpc', null))`;
  return `select
  concat(user_pseudo_id, ':', cast(event_timestamp as string), ':', event_name) as touch_id,
  @program as program_id,
  user_pseudo_id as anonymous_id,
  ${text('user_id')} as customer_id,
  timestamp_micros(event_timestamp) as occurred_at,
  if(${src} is not null, 'click', 'visit') as touch_type,
  ${src} as utm_source,
  ${med} as utm_medium,
  coalesce(${text('collected_traffic_source.manual_campaign_name')}, ${text(param('campaign'))}) as utm_campaign,
  coalesce(${text('collected_traffic_source.manual_content')}, ${text(param('content'))}) as utm_content,
  coalesce(${text('collected_traffic_source.manual_term')}, ${text(param('term'))}) as utm_term,
  ${text(param('page_referrer'))} as referrer_url,
  ${text(param('page_location'))} as page_url,
  cast(null as string) as device_id,
  cast(null as string) as ip,
  case
    when ${text('user_pseudo_id')} is null then 'missing_value'
    when event_timestamp is null then 'missing_value'
    when row_number() over (partition by user_pseudo_id, event_timestamp, event_name order by event_bundle_sequence_id)
      > 1 then 'duplicate_key'
  end as reason_code,
  case
    when ${text('user_pseudo_id')} is null then 'field user_pseudo_id: missing value'
    when event_timestamp is null then 'field event_timestamp: missing value'
    -- The export has no event id: the NDJSON path's key (user_pseudo_id:event_timestamp:event_name) repeating in a
    -- day is a duplicate, quarantined as there (the first row in export order lands).
    when row_number() over (partition by user_pseudo_id, event_timestamp, event_name order by event_bundle_sequence_id)
      > 1 then concat('event ', user_pseudo_id, ':', cast(event_timestamp as string), ':', event_name,
        ' (user_pseudo_id:event_timestamp:event_name) repeats an earlier event of the day')
  end as problem,
  row_number() over (order by event_timestamp, user_pseudo_id, event_name, event_bundle_sequence_id) as _row_number
from ${exportTable(exportDataset)}
where _table_suffix = @day and event_name in unnest(${eventsSql})`;
}

export interface Ga4DayReport {
  day: string;
  batchId: string;
  status: 'loaded' | 'already_loaded';
  read: number;
  loaded: number;
  quarantined: number;
}

/** Days from `from` to `to` inclusive, as YYYY-MM-DD. */
function days(from: string, to: string): string[] {
  if (!DAY.test(from) || !DAY.test(to)) throw new Error(`GA4 export days: expected YYYY-MM-DD, got "${from}".."${to}"`);
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  if (out.length > 3660) throw new Error(`GA4 export days: ${out.length} days requested, at most 3660 at once`);
  return out;
}

/**
 * Lands the GA4 export's days `from`..`to` (inclusive) into `raw.touches` in place. Needs a BigQuery warehouse
 * (`wh.dialect.name === 'bigquery'` is a precondition of the caller's command, not a branch in a model).
 */
export async function loadGa4FromBigQuery(
  wh: Warehouse,
  options: { config: RefstackConfig; exportDataset: string; from: string; to: string; now?: Date },
): Promise<Ga4DayReport[]> {
  const { config } = options;
  const d = wh.dialect;
  const raw = config.schemas.raw;
  const settings = ga4Settings(config);
  const events = `[${settings.touchEvents.map((e) => d.stringLiteral(e)).join(', ')}]`;
  const dayQuery = ga4ExportSelect(options.exportDataset, events);
  const columns = landingColumns('touches').filter((c) => !c.name.startsWith('_'));
  const names = columns.map((c) => d.quoteIdent(c.name)).join(', ');
  const reports: Ga4DayReport[] = [];
  for (const day of days(options.from, options.to)) {
    const suffix = day.replaceAll('-', '');
    const source = `${GA4_BIGQUERY_SOURCE}:${options.exportDataset}`;
    const batchId = createHash('sha256').update(`${source}:${suffix}`).digest('hex');
    const done = await findBatch(wh, raw, batchId);
    if (done) {
      reports.push({
        day,
        batchId,
        status: 'already_loaded',
        read: done.read,
        loaded: done.loaded,
        quarantined: done.quarantined,
      });
      continue;
    }
    const now = options.now ?? new Date();
    // One scan of the day into a session temp table, then the landing, the quarantine and the batch row from it.
    const report = await wh.transaction(async () => {
      await wh.execute(`create temp table ga4_day as ${dayQuery}`, { day: suffix, program: settings.programId });
      const loaded = await wh.execute(
        `insert into ${d.tableRef(raw, 'touches')} (${names}, _source, _batch_id, _row_number, _loaded_at)
select ${names}, @source, @batch, _row_number, @loaded_at from ga4_day where problem is null`,
        { source, batch: batchId, loaded_at: now },
      );
      const quarantined = await wh.execute(
        `insert into ${d.tableRef(raw, 'quarantine')} (_source, _batch_id, _row_number, _loaded_at, target_table, reason_code, message, record)
select @source, @batch, _row_number, @loaded_at, 'touches', reason_code, concat('GA4 ', @day, ' event ', cast(_row_number as string), ': ', problem), to_json(e)
from ga4_day as e where problem is not null`,
        { source, batch: batchId, loaded_at: now, day: suffix },
      );
      const [counts] = await wh.query<{ n: number }>('select count(*) as n from ga4_day');
      const read = Number(counts?.n ?? 0);
      if (read !== loaded + quarantined)
        throw new Error(
          `${source} ${day}: batch accounting does not add up: read ${read}, loaded ${loaded}, quarantined ${quarantined}; nothing was committed`,
        );
      await wh.execute(
        `insert into ${d.tableRef(raw, 'batches')} (source, batch_id, target_table, file, ${d.quoteIdent('read')}, loaded, quarantined, started_at, finished_at)
values (@source, @batch, 'touches', concat('events_', @day), @read, @loaded, @quarantined, @loaded_at, current_timestamp())`,
        { source, batch: batchId, day: suffix, loaded_at: now, read, loaded, quarantined },
      );
      await wh.exec('drop table ga4_day');
      return { day, batchId, status: 'loaded' as const, read, loaded, quarantined };
    });
    reports.push(report);
  }
  return reports;
}
