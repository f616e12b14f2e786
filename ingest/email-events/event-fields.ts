/**
 * What the HubSpot and Mailchimp email event mappers share: the referral code of a link, hashed event ids for
 * providers without one, and the `raw.email_events` row.
 */
import { createHash } from 'node:crypto';
import { LANDING_TABLES } from '../landing-schema.js';
import { parseTimestamp, type ParseResult } from '../parse-values.js';

/** The event types `raw.email_events` holds. */
export const EMAIL_EVENT_TYPES = [
  'sent',
  'delivered',
  'opened',
  'clicked',
  'bounced',
  'unsubscribed',
  'spam_report',
] as const;
export type EmailEventType = (typeof EMAIL_EVENT_TYPES)[number];

/**
 * The value of query parameter `param` in `url` (trimmed; null when absent, empty or the text is not a URL).
 * @example referralCodeFromUrl('https://shop.example.com/?utm_source=email&ref=ANA7K2', 'ref') // 'ANA7K2'
 */
export function referralCodeFromUrl(url: string, param: string): string | null {
  if (url === '') return null;
  try {
    const value = new URL(url).searchParams.get(param)?.trim();
    return value ? value : null;
  } catch {
    return null;
  }
}

/** A stable id for an event the provider gives no id: `<prefix>` + the first 32 hex digits of sha256 of its parts. */
export function hashedEventId(prefix: string, parts: readonly string[]): string {
  return prefix + createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, 32);
}

/** Parses an event time: epoch milliseconds (13 digits, HubSpot's `created`) or a timestamp `parseTimestamp` takes. */
export function parseEventTime(text: string): ParseResult<Date, 'invalid_timestamp'> {
  if (/^\d{12,13}$/.test(text)) return { ok: true, value: new Date(Number(text)) };
  return parseTimestamp(text);
}

export interface EmailEventValues {
  event_id: string;
  program_id: string;
  provider: 'hubspot' | 'mailchimp';
  event_type: EmailEventType;
  occurred_at: Date;
  recipient_email: string;
  customer_id: string | null;
  campaign_id: string | null;
  email_id: string | null;
  referral_code: string | null;
  url: string | null;
}

/** The business values of one `raw.email_events` row, in landing order. */
export function emailEventRow(v: EmailEventValues): unknown[] {
  const byName = v as unknown as Record<string, unknown>;
  return LANDING_TABLES.email_events.map((col) => byName[col.name] ?? null);
}
