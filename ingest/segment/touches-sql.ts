/**
 * Segment calls (one JSON object a line, as the S3/webhook destinations and `analytics.js` archives write
 * them) mapped onto `raw.touches`, in SQL.
 *
 * Mapping (documented choices):
 * - `page` -> touch_type 'visit'; `track` with a non-empty `context.campaign` -> 'click' (a campaign
 *   interaction); `identify` -> 'visit' carrying both `anonymousId` and `userId`, which is exactly what
 *   stg_identity_map stitches on (such a touch has no UTM, so attribution sees it as a direct visit).
 * - `screen`, `group`, `alias` calls and `track` calls without campaign are out of scope: skipped, not read.
 * - touch_id = messageId; anonymous_id = anonymousId, or userId for server-side calls that have none;
 *   customer_id = userId; occurred_at = `timestamp` (Segment's clock-corrected time, ISO 8601).
 * - UTM from `context.campaign` {source, medium, name -> utm_campaign, term, content}; page_url and
 *   referrer_url from `context.page`, else `properties.url` / `properties.referrer` (page calls);
 *   device_id = context.device.id; ip = context.ip.
 * - A messageId seen earlier in the file is `duplicate_key` (Segment delivers at least once).
 */
import { JSON_OBJECT_CHECK, problemsSql, type SqlCheck } from './ndjson-sql.js';

const str = (path: string) => `nullif(trim(json_extract_string(j, '${path}')), '')`;
const quoted = (col: string) => `cast(to_json(${col}) as varchar)`;

const CHECKS: SqlCheck[] = [
  { reason: 'missing_value', when: 'call_type is null', text: `'field type: missing value'` },
  {
    reason: 'invalid_enum',
    when: `call_type not in ('page', 'track', 'identify', 'screen', 'group', 'alias')`,
    text: `'field type: ' || ${quoted('call_type')} || ' is not a Segment call type (page, track, identify, screen, group, alias)'`,
  },
  { reason: 'missing_value', when: 'message_id is null', text: `'field messageId: missing value'` },
  {
    reason: 'missing_value',
    when: 'anon is null and user_id is null',
    text: `'fields anonymousId and userId: both missing (a call needs one)'`,
  },
  { reason: 'missing_value', when: 'ts_text is null', text: `'field timestamp: missing value'` },
  {
    reason: 'invalid_timestamp',
    when: 'ts_text is not null and ts is null',
    text: `'field timestamp: ' || ${quoted('ts_text')} || ' is not an ISO 8601 timestamp'`,
  },
  {
    reason: 'duplicate_key',
    when: 'message_id is not null and first_row < _row_number',
    text: `'field messageId: ' || ${quoted('message_id')} || ' repeats the message of record ' || first_row`,
  },
];

/** The adapter SELECT for `loadNdjson` (see `NdjsonSource.select`); `programId` lands on every touch. */
export function segmentTouchesSql(staged: string, programLiteral: string): string {
  return `
with base as (
  select _row_number, j,
    coalesce(j is not null and json_type(j) = 'OBJECT', false) as is_obj,
    lower(${str('$.type')}) as call_type,
    ${str('$.messageId')} as message_id,
    ${str('$.anonymousId')} as anon,
    ${str('$.userId')} as user_id,
    ${str('$.timestamp')} as ts_text,
    cast(try_cast(${str('$.timestamp')} as timestamptz) as timestamp) as ts,
    ${str('$.context.campaign.source')} as utm_source,
    ${str('$.context.campaign.medium')} as utm_medium,
    ${str('$.context.campaign.name')} as utm_campaign,
    ${str('$.context.campaign.content')} as utm_content,
    ${str('$.context.campaign.term')} as utm_term,
    coalesce(${str('$.context.page.referrer')}, ${str('$.properties.referrer')}) as referrer_url,
    coalesce(${str('$.context.page.url')}, ${str('$.properties.url')}) as page_url,
    ${str('$.context.device.id')} as device_id,
    ${str('$.context.ip')} as ip
  from ${staged}
),
scoped as (
  select *,
    case
      when not is_obj then null
      when call_type in ('screen', 'group', 'alias') then call_type || ' call'
      when call_type = 'track' and coalesce(utm_source, utm_medium, utm_campaign, utm_content, utm_term) is null
        then 'track call without context.campaign'
    end as _skip
  from base
),
keyed as (
  select *, min(_row_number) over (partition by message_id, _skip is null and is_obj) as first_row from scoped
)
select _row_number, _skip, ${problemsSql(JSON_OBJECT_CHECK, CHECKS)},
  message_id as touch_id,
  ${programLiteral} as program_id,
  coalesce(anon, user_id) as anonymous_id,
  user_id as customer_id,
  ts as occurred_at,
  case when call_type = 'track' then 'click' else 'visit' end as touch_type,
  utm_source, utm_medium, utm_campaign, utm_content, utm_term, referrer_url, page_url, device_id, ip
from keyed`;
}
