import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runModels } from '../../../src/models/runner.js';
import { ModelRegistry } from '../../../src/models/registry.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { MODELS } from '../../../models/index.js';
import { stgEmailEvents } from '../../../models/staging/stg-email-events.js';
import { land, memoryWarehouse, testConfig } from '../../helpers/landing.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
});

const registry = () => new ModelRegistry([...MODELS.filter((m) => m.name !== 'stg_email_events'), stgEmailEvents]);
// stg_identity_map's person id of a person with customer C: md5('customer_id|' || C) (see stg-identity-map.ts).
const personOf = (customerId: string) => createHash('md5').update(`customer_id|${customerId}`).digest('hex');

describe('stg_email_events', () => {
  it('normalizes types, stitches recipients and resolves the referral code from event, url, send or invite', async () => {
    await land(wh, 'customers', [
      { customer_id: 'A1', created_at: '2024-12-01', email: 'ana@example.com', referral_code: 'ana7k2' },
      { customer_id: 'R1', created_at: '2025-01-03', email: 'ben.okafor@example.com', referred_by_code: 'ANA7K2' },
    ]);
    await land(wh, 'referral_events', [
      {
        event_id: 'i1',
        event_type: 'invited',
        occurred_at: '2025-01-02T19:50:00Z',
        referral_code: 'ANA7K2',
        referee_email: ' Ben.Okafor@Example.com',
      },
      // An invite by a code no customer owns; its email goes out an hour later.
      {
        event_id: 'i2',
        event_type: 'invited',
        occurred_at: '2025-01-03T08:00:00Z',
        referral_code: 'ben9q',
        referee_email: 'maria@example.com',
      },
    ]);
    const ev = (
      event_id: string,
      provider: string,
      event_type: string,
      occurred_at: string,
      recipient_email: string,
      rest = {},
    ) => ({
      event_id,
      provider,
      event_type,
      occurred_at,
      recipient_email,
      ...rest,
    });
    await land(wh, 'email_events', [
      ev('H1', 'hubspot', 'sent', '2025-01-02T19:55:00Z', 'ben.okafor@example.com', { email_id: 'S1' }),
      ev('H2', 'HubSpot', 'open', '2025-01-02T20:05:00Z', 'BEN.OKAFOR@example.com', { email_id: 'S1' }),
      ev('H3', 'hubspot', 'clicked', '2025-01-02T20:11:00Z', 'ben.okafor@example.com', {
        email_id: 'S1',
        url: 'https://shop.example.com/join?utm_source=x&ref=ana7k2#top',
      }),
      ev('M1', 'mailchimp', 'sent', '2025-01-03T09:00:00Z', 'maria@example.com', { email_id: 'c1:hash' }),
      ev('M2', 'mailchimp', 'unsub', '2025-01-05T09:00:00Z', 'newsletter@example.com'),
      ev('C1', 'canonical', 'opened', '2025-01-06T09:00:00Z', 'ben.okafor@example.com', {
        customer_id: 'R1',
        referral_code: ' ana7k2 ',
      }),
    ]);
    // H3 landed again by a later batch: one row.
    await land(
      wh,
      'email_events',
      [
        ev('H3', 'hubspot', 'clicked', '2025-01-02T20:11:00Z', 'ben.okafor@example.com', {
          email_id: 'S1',
          url: 'https://shop.example.com/join?utm_source=x&ref=ana7k2#top',
        }),
      ],
      'later',
    );
    await runModels({ wh, config: testConfig(), registry: registry(), select: ['stg_email_events'] });
    const rows = await wh.query(`
      select event_id, provider, event_type, recipient_email, customer_id, person_id, email_id, referral_code,
        referral_code_source, advocate_id
      from stg_email_events order by event_id`);
    const ben = {
      recipient_email: 'ben.okafor@example.com',
      customer_id: 'R1',
      person_id: personOf('R1'),
      referral_code: 'ANA7K2',
      advocate_id: 'A1',
    };
    expect(rows).toEqual([
      // The landed code wins; the customer id given on the event is kept.
      {
        ...ben,
        event_id: 'C1',
        provider: 'canonical',
        event_type: 'opened',
        email_id: null,
        referral_code_source: 'event',
      },
      // Sent and opened carry no code: their send S1's click does.
      { ...ben, event_id: 'H1', provider: 'hubspot', event_type: 'sent', email_id: 'S1', referral_code_source: 'send' },
      {
        ...ben,
        event_id: 'H2',
        provider: 'hubspot',
        event_type: 'opened',
        email_id: 'S1',
        referral_code_source: 'send',
      },
      {
        ...ben,
        event_id: 'H3',
        provider: 'hubspot',
        event_type: 'clicked',
        email_id: 'S1',
        referral_code_source: 'url',
      },
      // No code anywhere on the send: the invite to maria (08:00, before the 09:00 send) gives BEN9Q; nobody owns it.
      {
        event_id: 'M1',
        provider: 'mailchimp',
        event_type: 'sent',
        recipient_email: 'maria@example.com',
        customer_id: null,
        person_id: null,
        email_id: 'c1:hash',
        referral_code: 'BEN9Q',
        referral_code_source: 'invite',
        advocate_id: null,
      },
      // Not a referral email: no code.
      {
        event_id: 'M2',
        provider: 'mailchimp',
        event_type: 'unsubscribed',
        recipient_email: 'newsletter@example.com',
        customer_id: null,
        person_id: null,
        email_id: null,
        referral_code: null,
        referral_code_source: null,
        advocate_id: null,
      },
    ]);
  });

  it('runs on an empty warehouse', async () => {
    await runModels({ wh, config: testConfig(), registry: registry(), select: ['stg_email_events'] });
    expect(await wh.query(`select count(*) as n from stg_email_events`)).toEqual([{ n: 0 }]);
  });
});
