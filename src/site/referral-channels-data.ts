/**
 * The referral funnel by month AND share channel, for the "Referral funnel" page. The `referral_funnel` mart has no
 * channel grain, so this aggregates the staging tables it is built from, in ONE warehouse query, with the mart's
 * counting rules (models/marts/referrals/referral-funnel.ts):
 * - invited / clicked: `stg_referral_events` of that type, in the month they happened, by their `share_channel`;
 * - signed up: every `stg_referrals` row in the month of `signed_up_at`; converted: `is_converted` rows in the month
 *   of `converted_at` (so a referral counts even when its earlier steps were not tracked, as in the mart).
 * The one difference: a referral has no channel of its own, so a sign-up or conversion takes the `share_channel` of
 * the referee's first `signed_up` event (by time, then event id); referrals without such an event, or whose event
 * has no channel, count under UNTRACKED_CHANNEL. Summed over channels, every count equals the mart's. Counts
 * without a date are left out (the mart keeps them in a NULL month).
 */
import type { Row, Warehouse } from '../warehouse/warehouse.js';
import { exactNumber, martStatus, type MartStatus } from './mart.js';

/** The channel of counts whose share channel was not recorded. */
export const UNTRACKED_CHANNEL = 'not tracked';

export const REFERRAL_EVENT_COLUMNS = [
  'program_id',
  'event_type',
  'occurred_at',
  'referee_id',
  'share_channel',
] as const;
export const REFERRALS_COLUMNS = ['program_id', 'referee_id', 'signed_up_at', 'converted_at', 'is_converted'] as const;

export interface ChannelMonthRow {
  program_id: string;
  share_channel: string;
  /** First day of the month, YYYY-MM-DD. */
  month: string;
  invited: number;
  clicked: number;
  signed_up: number;
  converted: number;
}

export interface ReferralChannelsData {
  generatedAt: string;
  /** Readiness of stg_referral_events (the channel source); `stg_referrals` readiness is in `referralsStatus`. */
  status: MartStatus;
  referralsStatus: MartStatus;
  programs: string[];
  channels: string[];
  rows: ChannelMonthRow[];
}

function isoDay(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/** Reads the funnel per program, share channel and month from `<schema>.stg_referral_events` and `stg_referrals`. */
export async function loadReferralChannels(
  wh: Warehouse,
  schema: string,
  options: { now?: Date } = {},
): Promise<ReferralChannelsData> {
  const generatedAt = (options.now ?? new Date()).toISOString();
  const status = await martStatus(wh, schema, 'stg_referral_events', REFERRAL_EVENT_COLUMNS);
  const referralsStatus = await martStatus(wh, schema, 'stg_referrals', REFERRALS_COLUMNS);
  const empty = { generatedAt, status, referralsStatus, programs: [], channels: [], rows: [] };
  // Sign-ups without events still count (as in the mart), so stg_referrals alone is enough; both must be usable.
  const usable = (s: MartStatus) => s.state === 'ready' || s.state === 'empty';
  if (!usable(status) || !usable(referralsStatus)) return empty;
  if (status.state === 'empty' && referralsStatus.state === 'empty') return empty;
  const d = wh.dialect;
  const events = d.tableRef(schema, 'stg_referral_events');
  const referrals = d.tableRef(schema, 'stg_referrals');
  const month = (col: string) => d.dateTrunc('month', col);
  const channel = (col: string) => `coalesce(${col}, ${d.stringLiteral(UNTRACKED_CHANNEL)})`;
  const int = (e: string) => d.cast(e, 'int64');
  const rows = await wh.query<Row>(`
with signup_channel as (
  select program_id, referee_id, share_channel from (
    select program_id, referee_id, share_channel,
      row_number() over (partition by program_id, referee_id order by occurred_at, event_id) as rn
    from ${events}
    where event_type = 'signed_up' and referee_id is not null
  ) x
  where rn = 1
),
counts as (
  select program_id, ${channel('share_channel')} as share_channel, ${month('occurred_at')} as month,
    case when event_type = 'invited' then 1 else 0 end as invited,
    case when event_type = 'clicked' then 1 else 0 end as clicked,
    0 as signed_up, 0 as converted
  from ${events}
  where event_type in ('invited', 'clicked')
  union all
  select r.program_id, ${channel('c.share_channel')} as share_channel, ${month('r.signed_up_at')} as month,
    0 as invited, 0 as clicked, 1 as signed_up, 0 as converted
  from ${referrals} r
  left join signup_channel c on c.program_id = r.program_id and c.referee_id = r.referee_id
  union all
  select r.program_id, ${channel('c.share_channel')} as share_channel, ${month('r.converted_at')} as month,
    0 as invited, 0 as clicked, 0 as signed_up, 1 as converted
  from ${referrals} r
  left join signup_channel c on c.program_id = r.program_id and c.referee_id = r.referee_id
  where r.is_converted
)
select program_id, share_channel, month, ${int('sum(invited)')} as invited, ${int('sum(clicked)')} as clicked,
  ${int('sum(signed_up)')} as signed_up, ${int('sum(converted)')} as converted
from counts
where month is not null
group by program_id, share_channel, month
order by program_id, share_channel, month`);
  const out: ChannelMonthRow[] = rows.map((r) => ({
    program_id: String(r.program_id),
    share_channel: String(r.share_channel),
    month: isoDay(r.month),
    invited: exactNumber(r.invited, 'invited'),
    clicked: exactNumber(r.clicked, 'clicked'),
    signed_up: exactNumber(r.signed_up, 'signed_up'),
    converted: exactNumber(r.converted, 'converted'),
  }));
  const sorted = (values: string[]) => [...new Set(values)].sort();
  return {
    generatedAt,
    status,
    referralsStatus,
    programs: sorted(out.map((r) => r.program_id)),
    channels: sorted(out.map((r) => r.share_channel)),
    rows: out,
  };
}
