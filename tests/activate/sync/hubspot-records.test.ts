import { describe, expect, it } from 'vitest';
import type { CrmPerson } from '../../../activate/sync/crm-records.js';
import { hubspotRecords } from '../../../activate/sync/hubspot.js';
import { runSync, type SyncTarget } from '../../../activate/sync/run-sync.js';
import type { HubspotProperties } from '../../../activate/sync/hubspot.js';
import { memoryWarehouse } from '../../helpers/landing.js';

const person = (over: Partial<CrmPerson> & Pick<CrmPerson, 'customer_id'>): CrmPerson => ({
  program_id: 'main',
  email: null,
  full_name: null,
  score: null,
  tier: null,
  referral_code: null,
  referrals: 0,
  referred_by: null,
  ...over,
});

// C1 and C2 are one person under two customer ids (same email, different case); C2 holds the referral code.
const PEOPLE: CrmPerson[] = [
  person({ customer_id: 'C1', email: 'Ana@Example.com', referrals: 3 }),
  person({ customer_id: 'C2', email: 'ana@example.com', referral_code: 'ANA7K2', referrals: 1 }),
  person({ customer_id: 'C3', email: 'bo@example.com' }),
  person({ customer_id: 'C4', email: 'bo@example.com' }),
  person({ customer_id: 'C5' }),
];

describe('hubspotRecords', () => {
  it('gives one record per email: referral code first, then more referrals, then the smallest customer id', () => {
    expect(hubspotRecords(PEOPLE)).toEqual([
      {
        objectId: 'ana@example.com',
        payload: {
          refstack_advocate_score: '',
          refstack_tier: '',
          refstack_referral_code: 'ANA7K2',
          refstack_referrals: '1',
          refstack_referred_by: '',
        },
      },
      {
        objectId: 'bo@example.com',
        payload: {
          refstack_advocate_score: '',
          refstack_tier: '',
          refstack_referral_code: '',
          refstack_referrals: '0',
          refstack_referred_by: '',
        },
      },
    ]);
  });

  it('makes a rerun send nothing when two customers share an email', async () => {
    const wh = await memoryWarehouse();
    try {
      const sent: string[][] = [];
      const target: SyncTarget<HubspotProperties> = {
        name: 'hubspot_contacts',
        batchSize: 100,
        sendBatch: async (batch) => {
          sent.push(batch.map((r) => r.objectId));
          return batch.map((r) => ({ objectId: r.objectId, ok: true, summary: 'upserted' }));
        },
      };
      const records = hubspotRecords(PEOPLE);
      const first = await runSync(wh, 'main', target, records, { apply: true });
      const second = await runSync(wh, 'main', target, records, { apply: true });
      expect(sent).toEqual([['ana@example.com', 'bo@example.com']]);
      expect([first.sent, second.toSend, second.unchanged]).toEqual([2, 0, 2]);
    } finally {
      await wh.close();
    }
  });
});
