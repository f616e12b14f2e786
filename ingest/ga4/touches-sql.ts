/**
 * GA4's BigQuery export (`events_YYYYMMDD`, one event a row, exported as JSON lines with `bq extract
 * --destination_format NEWLINE_DELIMITED_JSON`) mapped onto `raw.touches`, in SQL.
 *
 * Mapping (documented choices):
 * - Events named in `touchEvents` (default `session_start`) land; other well-formed events are skipped.
 * - occurred_at = `event_timestamp` (microseconds since 1970, UTC; BigQuery writes INT64 as a JSON string);
 *   anonymous_id = `user_pseudo_id`; customer_id = `user_id`.
 * - touch_id = `<user_pseudo_id>:<event_timestamp>:<event_name>` (the export has no event id); a repeat in
 *   the file is `duplicate_key`.
 * - UTM: the event-scoped `collected_traffic_source` (manual_source, manual_medium, manual_campaign_name,
 *   manual_term, manual_content), else the `source`, `medium`, `campaign`, `term`, `content` event params;
 *   a `gclid` with no source means google / cpc (GA4's own rule). `traffic_source` is the USER's first
 *   acquisition, not this event's, and is not used.
 * - page_url / referrer_url = the `page_location` / `page_referrer` event params (unnested in SQL).
 * - touch_type 'click' when the event carries a source, else 'visit'. device_id and ip are not exported.
 */
import { JSON_OBJECT_CHECK, problemsSql, type SqlCheck } from '../segment/ndjson-sql.js';

const str = (path: string) => `nullif(trim(json_extract_string(j, '${path}')), '')`;
const quoted = (col: string) => `cast(to_json(${col}) as varchar)`;
const param = (key: string) =>
  `max(case when json_extract_string(p, '$.key') = '${key}' then nullif(trim(coalesce(` +
  `json_extract_string(p, '$.value.string_value'), json_extract_string(p, '$.value.int_value'), ` +
  `json_extract_string(p, '$.value.double_value'), json_extract_string(p, '$.value.float_value'))), '') end) as p_${key}`;

/** 2000-01-01 and 2100-01-01 in microseconds: anything outside is not a GA4 event time. */
const MIN_US = 946_684_800_000_000;
const MAX_US = 4_102_444_800_000_000;

const CHECKS: SqlCheck[] = [
  { reason: 'missing_value', when: 'event_name is null', text: `'field event_name: missing value'` },
  { reason: 'missing_value', when: 'pseudo_id is null', text: `'field user_pseudo_id: missing value'` },
  { reason: 'missing_value', when: 'us_text is null', text: `'field event_timestamp: missing value'` },
  {
    reason: 'invalid_timestamp',
    when: 'us_text is not null and ts is null',
    text: `'field event_timestamp: ' || ${quoted('us_text')} || ' is not microseconds since 1970 between 2000 and 2100'`,
  },
  {
    reason: 'duplicate_key',
    when: 'touch_id is not null and first_row < _row_number',
    text: `'event ' || ${quoted('touch_id')} || ' (user_pseudo_id:event_timestamp:event_name) repeats record ' || first_row`,
  },
];

/** The adapter SELECT for `loadNdjson`; `events` are the event names landed, `programLiteral` a SQL literal. */
export function ga4TouchesSql(staged: string, programLiteral: string, events: readonly string[]): string {
  const inScope = events.map((e) => `'${e.replace(/[^a-z_]/g, '')}'`).join(', ');
  return `
with params as (
  select _row_number, ${['page_location', 'page_referrer', 'source', 'medium', 'campaign', 'term', 'content'].map(param).join(', ')}
  from ${staged}, unnest(case when json_type(j, '$.event_params') = 'ARRAY' then cast(json_extract(j, '$.event_params') as json[]) end) as t(p)
  group by _row_number
),
base as (
  select s._row_number, s.j,
    coalesce(s.j is not null and json_type(s.j) = 'OBJECT', false) as is_obj,
    ${str('$.event_name')} as event_name,
    ${str('$.user_pseudo_id')} as pseudo_id,
    ${str('$.user_id')} as user_id,
    ${str('$.event_timestamp')} as us_text,
    try_cast(${str('$.event_timestamp')} as bigint) as us,
    ${str('$.collected_traffic_source.gclid')} as gclid,
    coalesce(${str('$.collected_traffic_source.manual_source')}, p.p_source) as src,
    coalesce(${str('$.collected_traffic_source.manual_medium')}, p.p_medium) as med,
    coalesce(${str('$.collected_traffic_source.manual_campaign_name')}, p.p_campaign) as utm_campaign,
    coalesce(${str('$.collected_traffic_source.manual_content')}, p.p_content) as utm_content,
    coalesce(${str('$.collected_traffic_source.manual_term')}, p.p_term) as utm_term,
    p.p_page_location as page_url,
    p.p_page_referrer as referrer_url
  from ${staged} s left join params p using (_row_number)
),
typed as (
  select *,
    case when us between ${MIN_US} and ${MAX_US} then make_timestamp(us) end as ts,
    coalesce(src, case when gclid is not null then 'google' end) as utm_source,
    coalesce(med, case when src is null and gclid is not null then 'cpc' end) as utm_medium,
    pseudo_id || ':' || us_text || ':' || event_name as touch_id,
    case when is_obj and event_name is not null and event_name not in (${inScope}) then event_name end as _skip
  from base
),
keyed as (
  select *, min(_row_number) over (partition by touch_id, _skip is null and is_obj) as first_row from typed
)
select _row_number, _skip, ${problemsSql(JSON_OBJECT_CHECK, CHECKS)},
  touch_id,
  ${programLiteral} as program_id,
  pseudo_id as anonymous_id,
  user_id as customer_id,
  ts as occurred_at,
  case when utm_source is not null then 'click' else 'visit' end as touch_type,
  utm_source, utm_medium, utm_campaign, utm_content, utm_term, referrer_url, page_url,
  cast(null as varchar) as device_id,
  cast(null as varchar) as ip
from keyed`;
}
