/**
 * The two export formats, as column names and type vocabularies.
 *
 * HubSpot marketing email events, exported with the Email Events API's field names (`id`, `created` in epoch
 * milliseconds, `type`, `recipient`, `emailCampaignId`, `sentBy.id` grouping the events of one send (the
 * EventId of its SENT event), `url` on CLICK, `portalSubscriptionStatus` on STATUSCHANGE). Types are matched
 * case-insensitively, so the email export's "Open", "Click", "SpamReport", "Unsubscribed" read too. Types outside
 * the landing vocabulary (PROCESSED, DEFERRED, DROPPED, MTA_DROPPED, UNBOUNCE, FORWARD, PRINT, SUPPRESSED, a
 * STATUSCHANGE that is not an unsubscribe) are quarantined as invalid_enum, so nothing read goes uncounted.
 *
 * Mailchimp campaign email activity, one row per activity as the reports API lists it (`email_address`,
 * `email_id` = the subscriber hash, `campaign_id`, `action` open | click | bounce, `type` of a bounce,
 * `timestamp`, `url`, `ip`), plus `sent` and `unsub` rows from the sent-to and unsubscribed reports. Mailchimp
 * has no event id: it is a hash of campaign, subscriber, action, time and url.
 */
import type { EmailEventType } from './event-fields.js';

export interface ProviderFormat {
  provider: 'hubspot' | 'mailchimp';
  what: string;
  /** Header names per role; the first one present wins. */
  columns: {
    id?: string[];
    time: string[];
    type: string[];
    recipient: string[];
    campaign: string[];
    send?: string[];
    url: string[];
    subscriptionStatus?: string[];
  };
  /** The landing type of a provider type (upper-cased for the lookup), or null when it is not landed. */
  eventType(type: string, subscriptionStatus: string): EmailEventType | null;
}

const HUBSPOT_TYPES: Record<string, EmailEventType> = {
  SENT: 'sent',
  DELIVERED: 'delivered',
  OPEN: 'opened',
  CLICK: 'clicked',
  BOUNCE: 'bounced',
  SPAMREPORT: 'spam_report',
  /** The email's own export ("Unsubscribed"); the API reports it as a STATUSCHANGE. */
  UNSUBSCRIBED: 'unsubscribed',
};

const MAILCHIMP_TYPES: Record<string, EmailEventType> = {
  SENT: 'sent',
  OPEN: 'opened',
  CLICK: 'clicked',
  BOUNCE: 'bounced',
  UNSUB: 'unsubscribed',
  UNSUBSCRIBE: 'unsubscribed',
  ABUSE: 'spam_report',
};

export const HUBSPOT_FORMAT: ProviderFormat = {
  provider: 'hubspot',
  what: 'HubSpot email events export',
  columns: {
    id: ['id', 'Event ID'],
    time: ['created', 'Event date'],
    type: ['type', 'Event type'],
    recipient: ['recipient', 'Recipient'],
    campaign: ['emailCampaignId', 'Email campaign ID'],
    send: ['sentBy.id', 'sentBy'],
    url: ['url', 'URL'],
    subscriptionStatus: ['portalSubscriptionStatus'],
  },
  eventType(type, status) {
    const t = type.toUpperCase();
    if (t === 'STATUSCHANGE') return status.toUpperCase() === 'UNSUBSCRIBED' ? 'unsubscribed' : null;
    return HUBSPOT_TYPES[t] ?? null;
  },
};

export const MAILCHIMP_FORMAT: ProviderFormat = {
  provider: 'mailchimp',
  what: 'Mailchimp email activity export',
  columns: {
    time: ['timestamp', 'Timestamp'],
    type: ['action', 'Action'],
    recipient: ['email_address', 'Email Address'],
    campaign: ['campaign_id', 'Campaign ID'],
    send: ['email_id'],
    url: ['url', 'URL'],
  },
  eventType: (type) => MAILCHIMP_TYPES[type.toUpperCase()] ?? null,
};

/** The format of a header: HubSpot when it has `recipient` and `type`, Mailchimp when it has an email address and `action`. */
export function detectFormat(header: readonly string[]): ProviderFormat | null {
  const names = new Set(
    header.map((h) =>
      h
        .replace(/^\uFEFF/, '')
        .trim()
        .toLowerCase(),
    ),
  );
  const has = (list: string[]) => list.some((n) => names.has(n.toLowerCase()));
  for (const f of [HUBSPOT_FORMAT, MAILCHIMP_FORMAT]) if (has(f.columns.recipient) && has(f.columns.type)) return f;
  return null;
}
