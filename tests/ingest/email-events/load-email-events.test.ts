import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEmailEvents, referralCodeFromUrl } from '../../../ingest/email-events/index.js';
import { NOW, ONE_PROGRAM, scratch, type Scratch } from '../canonical-csv/helpers.js';

const HUBSPOT = 'tests/fixtures/email-events/hubspot-email-events.csv';
const MAILCHIMP = 'tests/fixtures/email-events/mailchimp-email-activity.csv';
const COLUMNS = `event_id, program_id, provider, event_type, occurred_at, recipient_email, customer_id, campaign_id, email_id,
  referral_code, url, _source, _row_number`;

describe('loadEmailEvents', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await s.close();
  });

  it('lands HubSpot email events with the ?ref= code of clicks, and quarantines what it cannot land', async () => {
    const report = await loadEmailEvents(s.wh, { file: HUBSPOT, config: ONE_PROGRAM, now: NOW });
    // 9 rows: PROCESSED (row 6) is not a landed type, row 8's created is "yesterday", row 9 repeats row 3's id.
    expect(report).toMatchObject({ table: 'email_events', status: 'loaded', read: 9, loaded: 6, quarantined: 3 });
    expect(report.reasons).toEqual({ invalid_enum: 1, invalid_timestamp: 1, duplicate_key: 1 });
    const rows = await s.rows(`select ${COLUMNS} from raw.email_events order by _row_number`);
    const ben = {
      program_id: 'default',
      provider: 'hubspot',
      recipient_email: 'ben.okafor@example.com',
      customer_id: null,
      campaign_id: '98765432',
      email_id: '7e0a6f8c-0001',
      referral_code: null,
      url: null,
      _source: 'email-events:hubspot-email-events.csv',
    };
    const id = (n: number) => `5c3f8a20-1b2d-4e5f-9a01-00000000000${n}`;
    // created is epoch milliseconds: 1735847700000 = 2025-01-02T19:55:00Z (new Date(1735847700000).toISOString()).
    expect(rows).toEqual([
      { ...ben, event_id: id(1), event_type: 'sent', occurred_at: new Date('2025-01-02T19:55:00Z'), _row_number: 1 },
      {
        ...ben,
        event_id: id(2),
        event_type: 'delivered',
        occurred_at: new Date('2025-01-02T19:55:02Z'),
        _row_number: 2,
      },
      { ...ben, event_id: id(3), event_type: 'opened', occurred_at: new Date('2025-01-02T20:05:00Z'), _row_number: 3 },
      {
        ...ben,
        event_id: id(4),
        event_type: 'clicked',
        occurred_at: new Date('2025-01-02T20:11:00Z'),
        referral_code: 'ANA7K2',
        url: 'https://shop.example.com/join?utm_source=hubspot&ref=ANA7K2',
        _row_number: 4,
      },
      {
        ...ben,
        event_id: id(5),
        event_type: 'bounced',
        occurred_at: new Date('2025-01-03T08:00:00Z'),
        recipient_email: 'nobody@example.invalid',
        email_id: '7e0a6f8c-0002',
        _row_number: 5,
      },
      // STATUSCHANGE with portalSubscriptionStatus UNSUBSCRIBED is an unsubscribe.
      {
        ...ben,
        event_id: id(7),
        event_type: 'unsubscribed',
        occurred_at: new Date('2025-01-04T10:00:00Z'),
        _row_number: 7,
      },
    ]);
    const q = await s.rows(`select _row_number, reason_code, message from raw.quarantine order by 1`);
    expect(q.map((r) => [r['_row_number'], r['reason_code']])).toEqual([
      [6, 'invalid_enum'],
      [8, 'invalid_timestamp'],
      [9, 'duplicate_key'],
    ]);
    expect(q[0]!['message']).toBe(
      `hubspot-email-events.csv row 6 (id ${id(6)}): column type: "PROCESSED" is not an event type refstack lands (hubspot types for sent, delivered, opened, clicked, bounced, unsubscribed, spam_report)`,
    );
  });

  it('lands Mailchimp activity with hashed event ids and the merge-field code on every event', async () => {
    const report = await loadEmailEvents(s.wh, {
      file: MAILCHIMP,
      config: ONE_PROGRAM,
      now: NOW,
      settings: { referralCodeColumn: 'REFCODE' },
    });
    // 7 rows: row 5 repeats row 2 exactly, row 6 is a forward (not landed), row 7's address is not an email.
    expect(report).toMatchObject({ read: 7, loaded: 4, quarantined: 3 });
    expect(report.reasons).toEqual({ duplicate_key: 1, invalid_enum: 2 });
    const rows = await s.rows(
      `select event_type, occurred_at, recipient_email, campaign_id, email_id, referral_code, url, length(event_id) as id_len, left(event_id, 3) as id_prefix
       from raw.email_events order by _row_number`,
    );
    // email_id = campaign_id ':' subscriber hash (md5 of the lower-cased address), one send per campaign and member.
    const maria = {
      recipient_email: 'maria.garcia@example.com',
      campaign_id: '42694e9e57',
      email_id: '42694e9e57:884317a36d655a539c6c0d7e3cec5102',
      referral_code: 'BEN9Q',
      url: null,
      id_len: 35,
      id_prefix: 'mc_',
    };
    expect(rows).toEqual([
      { ...maria, event_type: 'sent', occurred_at: new Date('2025-01-03T09:00:00Z') },
      { ...maria, event_type: 'opened', occurred_at: new Date('2025-01-03T12:30:00Z') },
      {
        ...maria,
        event_type: 'clicked',
        occurred_at: new Date('2025-01-03T12:31:05Z'),
        url: 'https://shop.example.com/?ref=BEN9Q',
      },
      {
        ...maria,
        event_type: 'bounced',
        occurred_at: new Date('2025-01-03T09:00:04Z'),
        recipient_email: 'li.chen@example.com',
        email_id: '42694e9e57:a699339d724c9964f27942d780bb2915',
      },
    ]);
    const [{ n }] = (await s.rows(`select count(distinct event_id) as n from raw.email_events`)) as [{ n: bigint }];
    expect(Number(n)).toBe(4);
  });

  it('reloading the same file adds nothing', async () => {
    await loadEmailEvents(s.wh, { file: HUBSPOT, config: ONE_PROGRAM, now: NOW });
    const again = await loadEmailEvents(s.wh, { file: HUBSPOT, config: ONE_PROGRAM, now: NOW });
    expect(again).toMatchObject({ status: 'already_loaded', read: 9, loaded: 6, quarantined: 3 });
    expect(await s.count('raw.email_events')).toBe(6);
  });

  it('refuses a file of neither format', async () => {
    const file = s.write('contacts.csv', 'Email,Name\na@example.com,A\n');
    await expect(loadEmailEvents(s.wh, { file, config: ONE_PROGRAM })).rejects.toThrow(
      'contacts.csv: not an email events export: expected HubSpot ("recipient", "type", "created") or Mailchimp ("email_address", "action", "timestamp") columns (found: Email, Name)',
    );
  });
});

describe('referralCodeFromUrl', () => {
  it('reads the parameter and ignores what is not a URL', () => {
    expect(referralCodeFromUrl('https://shop.example.com/?utm_source=email&ref=ANA7K2', 'ref')).toBe('ANA7K2');
    expect(referralCodeFromUrl('https://shop.example.com/?ref=', 'ref')).toBeNull();
    expect(referralCodeFromUrl('shop.example.com/?ref=X', 'ref')).toBeNull();
    expect(referralCodeFromUrl('https://x.example/?code=K1', 'code')).toBe('K1');
  });
});
