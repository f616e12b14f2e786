/**
 * Parsers for the scalar values sources deliver as text: timestamps, integers and booleans. Each returns
 * either the value or a reason code with a `problem` phrased to follow the quoted input, so a caller can
 * build `orders.csv row 3: column ordered_at: "2025-02-30" is not a real date (...)`.
 */

/** A parsed value, or why the text is not one. */
export type ParseResult<T, R extends string> = { ok: true; value: T } | { ok: false; reason: R; problem: string };

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const EXPECTED_TIMESTAMP =
  'expected ISO 8601 with a zone like "2025-03-04T10:00:00Z" or "2025-03-04T10:00:00+01:00", "2025-03-04 10:00[:00]" (UTC) or "2025-03-04" (midnight UTC)';

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (DAYS[month - 1] ?? 0);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function timestampFailure(problem: string): { ok: false; reason: 'invalid_timestamp'; problem: string } {
  return { ok: false, reason: 'invalid_timestamp', problem };
}

/**
 * Parses a timestamp into a UTC `Date` (millisecond precision; further fraction digits are truncated).
 *
 * Accepted: ISO 8601 with `Z` or an offset (`2025-03-04T10:00:00+01:00`, converted to UTC; `T` or a space
 * between date and time), `YYYY-MM-DD HH:MM[:SS]` with no zone (taken as UTC), and `YYYY-MM-DD` (midnight
 * UTC). Rejected with `invalid_timestamp`: anything else, including slashed dates (`03/04/2025` is
 * ambiguous between March and April), a `T` form with no zone (ISO 8601 reads that as local time, which a
 * warehouse cannot know), impossible dates (`2025-02-30`), hours past 23 and offsets beyond ±14:00.
 *
 * @example parseTimestamp('2025-03-04T10:00:00+01:00') // { ok: true, value: 2025-03-04T09:00:00.000Z }
 */
export function parseTimestamp(text: string): ParseResult<Date, 'invalid_timestamp'> {
  const m = TIMESTAMP.exec(text);
  if (!m) return timestampFailure(`is not a timestamp (${EXPECTED_TIMESTAMP})`);
  const [, ys, mos, ds, sep, hs, mis, ss, frac, zone] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  if (month < 1 || month > 12) return timestampFailure(`is not a real date (month ${mos} does not exist)`);
  const days = daysInMonth(year, month);
  if (day < 1 || day > days)
    return timestampFailure(`is not a real date (${MONTHS[month - 1]} ${year} has ${days} days)`);
  if (sep?.toUpperCase() === 'T' && !zone) {
    return timestampFailure(
      `has no time zone (add Z or an offset like +01:00, or write "${ys}-${mos}-${ds} ${hs}:${mis}${ss ? `:${ss}` : ''}" to mean UTC)`,
    );
  }
  const hour = Number(hs ?? 0);
  const minute = Number(mis ?? 0);
  const second = Number(ss ?? 0);
  if (hour > 23 || minute > 59 || second > 59)
    return timestampFailure(`is not a real time of day (${EXPECTED_TIMESTAMP})`);
  const ms = Number((frac ?? '').slice(0, 3).padEnd(3, '0'));
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (om > 59 || oh * 60 + om > 14 * 60)
      return timestampFailure(`has an impossible UTC offset ${zone} (offsets run from -12:00 to +14:00)`);
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return { ok: true, value: new Date(date.getTime() - offsetMinutes * 60_000) };
}

/**
 * Parses a whole number (`"7"`, `"-3"`, `"+10"`), optionally bounded. `invalid_number` for anything else
 * (`"7.5"`, `"7.0"`, `"1e3"`, `"seven"`) or beyond the safe-integer range; `out_of_range` when outside
 * `[min, max]`.
 * @example parseInteger('11', { min: 0, max: 10 }) // { ok: false, reason: 'out_of_range', ... }
 */
export function parseInteger(
  text: string,
  bounds: { min?: number; max?: number } = {},
): ParseResult<number, 'invalid_number' | 'out_of_range'> {
  if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    return { ok: false, reason: 'invalid_number', problem: 'is not a whole number' };
  }
  const value = Number(text);
  const { min, max } = bounds;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range =
      min !== undefined && max !== undefined
        ? `${min} to ${max}`
        : min !== undefined
          ? `at least ${min}`
          : `at most ${max}`;
    return { ok: false, reason: 'out_of_range', problem: `is out of range (expected ${range})` };
  }
  // `+ 0` turns "-0" into 0.
  return { ok: true, value: value + 0 };
}

const TRUE = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0']);

/**
 * Parses a boolean, case-insensitively: true/t/yes/y/1 and false/f/no/n/0. Anything else is `invalid_boolean`.
 * @example parseBoolean('Yes') // { ok: true, value: true }
 */
export function parseBoolean(text: string): ParseResult<boolean, 'invalid_boolean'> {
  const lower = text.toLowerCase();
  if (TRUE.has(lower)) return { ok: true, value: true };
  if (FALSE.has(lower)) return { ok: true, value: false };
  return { ok: false, reason: 'invalid_boolean', problem: 'is not a boolean (expected true/false, yes/no or 1/0)' };
}

/**
 * Parses a calendar date `YYYY-MM-DD` (no time, no zone) into its canonical text. `invalid_date` for anything
 * else, including impossible dates (`2025-02-30`) and slashed forms (`03/04/2025` is ambiguous).
 * @example parseDate('2025-02-01') // { ok: true, value: '2025-02-01' }
 */
export function parseDate(text: string): ParseResult<string, 'invalid_date'> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return { ok: false, reason: 'invalid_date', problem: 'is not a date (expected YYYY-MM-DD)' };
  const [, ys, mos, ds] = m;
  const month = Number(mos);
  const day = Number(ds);
  if (month < 1 || month > 12)
    return { ok: false, reason: 'invalid_date', problem: `is not a real date (month ${mos} does not exist)` };
  const days = daysInMonth(Number(ys), month);
  if (day < 1 || day > days)
    return {
      ok: false,
      reason: 'invalid_date',
      problem: `is not a real date (${MONTHS[month - 1]} ${ys} has ${days} days)`,
    };
  return { ok: true, value: text };
}

/**
 * Parses a positive exact decimal (`"1.0825"`, `"0.000123"`, at most 18 digits after the point, no sign, no
 * exponent, no thousands separator) and returns it as written, so no float touches it. `invalid_decimal` else.
 * @example parseDecimal('1,08') // { ok: false, reason: 'invalid_decimal', ... }
 */
export function parseDecimal(text: string): ParseResult<string, 'invalid_decimal'> {
  if (!/^\d{1,18}(?:\.\d{1,18})?$/.test(text) || !/[1-9]/.test(text))
    return {
      ok: false,
      reason: 'invalid_decimal',
      problem: 'is not a positive decimal (expected digits with an optional "." and up to 18 decimals, like 1.0825)',
    };
  return { ok: true, value: text };
}
