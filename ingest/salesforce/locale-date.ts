/**
 * Dates as report exports write them: in the exporting user's locale ("3/14/2024", "14/03/2024",
 * "3/14/2024 9:05 AM", "03/14/2024 09:12:45 PM") and without a zone, i.e. wall-clock time in the user's time
 * zone. ISO forms are accepted too. Salesforce and SurveyMonkey exports both write these.
 */
import { parseWallClock } from '../hubspot-export/wall-clock.js';
import type { ParseResult } from '../parse-values.js';

/** Day/month order of a slashed date: `MDY` (en_US, SurveyMonkey) or `DMY` (en_GB, most of Europe). */
export type DateOrder = 'MDY' | 'DMY';

const SLASHED = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Parses a locale date or date-time (no zone: wall-clock time in `zone`) into a UTC `Date`. An ISO 8601 text
 * is read as `parseWallClock` reads it. A 12-hour time needs its AM/PM; "12:xx AM" is just after midnight.
 *
 * @example parseLocaleTimestamp('3/14/2024 9:05 PM', 'MDY', 'America/New_York') // 2024-03-15T01:05:00Z (EDT)
 */
export function parseLocaleTimestamp(
  text: string,
  order: DateOrder,
  zone: string,
): ParseResult<Date, 'invalid_timestamp'> {
  const m = SLASHED.exec(text.trim());
  if (!m) {
    if (/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return parseWallClock(text.trim(), zone);
    const form = order === 'MDY' ? 'M/D/YYYY' : 'D/M/YYYY';
    return {
      ok: false,
      reason: 'invalid_timestamp',
      problem: `is not a date (expected ${form}, optionally with a time like "9:05 AM" or "21:05", or ISO 8601)`,
    };
  }
  const [, a, b, year, hs, mis, ss, ampm] = m;
  const [month, day] = order === 'MDY' ? [Number(a), Number(b)] : [Number(b), Number(a)];
  let hour = hs === undefined ? 0 : Number(hs);
  if (ampm !== undefined) {
    if (hour < 1 || hour > 12)
      return { ok: false, reason: 'invalid_timestamp', problem: `has hour ${hour}, not 1-12 before ${ampm}` };
    hour = (hour % 12) + (ampm.toLowerCase() === 'pm' ? 12 : 0);
  }
  const iso = `${year}-${pad(month)}-${pad(day)} ${pad(hour)}:${mis ?? '00'}:${ss ?? '00'}`;
  const r = parseWallClock(iso, zone);
  if (!r.ok) return { ...r, problem: `${r.problem} (read as ${order})` };
  return r;
}
