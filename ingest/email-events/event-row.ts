/**
 * One email events export file (HubSpot or Mailchimp, detected from the header) mapped onto
 * `raw.email_events`, one row per event. `referral_code` is the configured code column's value, else the
 * `?ref=` parameter of the clicked link; staging spreads it to the other events of the same send.
 */
import { requiredTimeCell, SeenKeys, startRow } from '../export-rows.js';
import { cell, FileSourceError, type CsvRecordMapper, type MappedRecord } from '../file-source.js';
import type { Problem } from '../quarantine.js';
import { findField } from '../survey-export/survey-fields.js';
import type { EmailEventsSettings } from './config.js';
import {
  EMAIL_EVENT_TYPES,
  emailEventRow,
  hashedEventId,
  parseEventTime,
  referralCodeFromUrl,
} from './event-fields.js';
import { detectFormat } from './providers.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Builds the mapper for one export file; throws `FileSourceError` for a header of neither format. */
export function emailEventsMapper(fileName: string, header: string[], settings: EmailEventsSettings): CsvRecordMapper {
  const format = detectFormat(header);
  if (!format)
    throw new FileSourceError(
      fileName,
      `not an email events export: expected HubSpot ("recipient", "type", "created") or Mailchimp ("email_address", "action", "timestamp") columns (found: ${header.slice(0, 8).join(', ')}${header.length > 8 ? ', ...' : ''})`,
    );
  const find = (names: string[] | undefined) => {
    for (const n of names ?? []) {
      const at = findField(header, n);
      if (at !== undefined) return { at, name: n };
    }
    return { at: undefined, name: names?.[0] ?? '' };
  };
  const c = format.columns;
  const col = {
    id: find(c.id),
    time: find(c.time),
    type: find(c.type),
    recipient: find(c.recipient),
    campaign: find(c.campaign),
    send: find(c.send),
    url: find(c.url),
    status: find(c.subscriptionStatus),
  };
  if (col.time.at === undefined)
    throw new FileSourceError(fileName, `not a ${format.what}: the header lacks "${c.time.join('" or "')}"`);
  const codeAt = settings.referralCodeColumn === undefined ? undefined : findField(header, settings.referralCodeColumn);
  if (settings.referralCodeColumn !== undefined && codeAt === undefined)
    throw new FileSourceError(
      fileName,
      `sources.emailEvents.referralCodeColumn: the header has no column "${settings.referralCodeColumn}"`,
    );
  const customerAt = settings.customerIdColumn === undefined ? undefined : findField(header, settings.customerIdColumn);
  const seen = new SeenKeys();

  const map = (rowNumber: number, f: readonly string[]): MappedRecord => {
    const get = (k: keyof typeof col) => cell(f, col[k].at);
    const givenId = get('id');
    const row = startRow(
      header,
      rowNumber,
      f,
      `${fileName} row ${rowNumber}${givenId ? ` (${col.id.name} ${givenId})` : ''}`,
    );
    if (row.malformed) return row.malformed;
    const problems: Problem[] = [];
    const typeText = get('type');
    const type = typeText === '' ? null : format.eventType(typeText, get('status'));
    if (typeText === '') problems.push({ reason: 'missing_value', text: `column ${col.type.name}: missing value` });
    else if (type === null)
      problems.push({
        reason: 'invalid_enum',
        text: `column ${col.type.name}: "${typeText}" is not an event type refstack lands (${format.provider} types for ${EMAIL_EVENT_TYPES.join(', ')})`,
      });
    const recipient = get('recipient');
    if (recipient === '')
      problems.push({ reason: 'missing_value', text: `column ${col.recipient.name}: missing value` });
    else if (!EMAIL.test(recipient))
      problems.push({
        reason: 'invalid_enum',
        text: `column ${col.recipient.name}: "${recipient}" is not an email address`,
      });
    const timeText = get('time');
    const time = requiredTimeCell(timeText, col.time.name, parseEventTime, problems);
    if (format.provider === 'hubspot' && givenId === '')
      problems.push({ reason: 'missing_value', text: `column ${col.id.name}: missing value` });
    const campaign = get('campaign');
    const url = get('url');
    const send = get('send');
    const eventId =
      format.provider === 'hubspot'
        ? givenId
        : hashedEventId('mc_', [campaign, recipient.toLowerCase(), typeText.toLowerCase(), timeText, url]);
    const first = eventId === '' ? undefined : seen.repeatOf(eventId, rowNumber);
    if (first !== undefined)
      problems.push({
        reason: 'duplicate_key',
        text: `${format.provider === 'hubspot' ? `column ${col.id.name}: "${eventId}"` : 'the same activity (campaign, email, action, time, url)'} repeats row ${first}`,
      });
    if (problems.length > 0 || type === null || time === null) return row.reject(problems);
    const emailId = format.provider === 'mailchimp' ? (campaign && send ? `${campaign}:${send}` : null) : send || null;
    return {
      ok: true,
      rowNumber,
      values: emailEventRow({
        event_id: eventId,
        program_id: settings.programId,
        provider: format.provider,
        event_type: type,
        occurred_at: time,
        recipient_email: recipient,
        customer_id: cell(f, customerAt) || null,
        campaign_id: campaign || null,
        email_id: emailId,
        referral_code: cell(f, codeAt) || referralCodeFromUrl(url, settings.urlParam),
        url: url || null,
      }),
    };
  };
  return { push: (rowNumber, fields) => [map(rowNumber, fields)], end: () => [] };
}
