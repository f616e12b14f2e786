/**
 * Zone-less export timestamps ("2024-03-12 09:14", HubSpot's Create Date) are wall-clock times in the
 * portal's time zone. This converts them to UTC with the IANA rules (DST included) through `Intl`, no
 * dependency: the offset is read at the naive instant and re-read at the corrected one, which settles
 * every time except those inside a spring-forward gap (they move forward by the gap, like `java.time`).
 */
import { parseTimestamp, type ParseResult } from '../parse-values.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Offset of `zone` from UTC at `ms`, in milliseconds (positive east of Greenwich). */
function offsetAt(zone: string, ms: number): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
  return wall - (ms - (ms % 1000));
}

/**
 * Parses a timestamp; one without a zone is read as wall-clock time in `zone`. Text with `Z` or an offset
 * keeps it. Same accepted forms and errors as `parseTimestamp`.
 * @example parseWallClock('2024-07-01 09:00', 'Europe/Paris') // 2024-07-01T07:00:00Z
 */
export function parseWallClock(text: string, zone: string): ParseResult<Date, 'invalid_timestamp'> {
  const r = parseTimestamp(text);
  const hasZone = /\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:z|[+-]\d{2}(?::?\d{2})?)$/i.test(text);
  if (!r.ok || zone === 'UTC' || hasZone) return r;
  const naive = r.value.getTime();
  const first = naive - offsetAt(zone, naive);
  return { ok: true, value: new Date(naive - offsetAt(zone, first)) };
}
