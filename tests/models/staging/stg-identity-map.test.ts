import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../models/index.js';
import { generateSynthetic } from '../../../ingest/synthetic/index.js';
import type { RefstackConfig } from '../../../src/config.js';
import { demoConfig } from '../../../src/pipeline.js';
import { runModels } from '../../../src/models/runner.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse, testConfig } from '../../helpers/landing.js';

const registry = defaultRegistry();

/** The documented person_id, computed by hand: md5 of "<type>|<value>" of the person's smallest identifier. */
const person = (type: string, value: string) => createHash('md5').update(`${type}|${value}`).digest('hex');

interface MapRow {
  identifier_type: string;
  identifier: string;
  person_id: string;
  customer_id: string | null;
  customer_count: number;
  is_ambiguous: boolean;
  link_reason: string;
}

async function identityMap(wh: Warehouse, config: RefstackConfig = testConfig()): Promise<Map<string, MapRow>> {
  await runModels({ wh, config, registry, select: ['stg_identity_map'] });
  const rows = await wh.query<MapRow>(
    `select identifier_type, identifier, person_id, customer_id, cast(customer_count as integer) as customer_count,
      is_ambiguous, link_reason from main.stg_identity_map order by 1, 2`,
  );
  return new Map(rows.map((r) => [`${r.identifier_type}:${r.identifier}`, r]));
}

describe('stg_identity_map', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await memoryWarehouse();
  });
  afterEach(async () => {
    await wh.close();
  });

  it('stitches one person using two devices and two emails differing in case into ONE person_id, explaining each link', async () => {
    // Ann signed up on her laptop as C1 and, a month later, on her phone as C7 with the same email typed differently
    // (a duplicate CRM record). Each device browsed anonymously first and then logged in (T2, T4).
    await land(wh, 'customers', [
      { customer_id: 'C1', email: 'Ann@Example.com', created_at: '2025-03-01T10:00:00Z', signup_device_id: 'D-LAPTOP' },
      {
        customer_id: 'C7',
        email: ' ann@EXAMPLE.com ',
        created_at: '2025-04-02T09:00:00Z',
        signup_device_id: 'D-PHONE',
      },
    ]);
    await land(wh, 'touches', [
      {
        touch_id: 'T1',
        anonymous_id: 'A-LAPTOP',
        device_id: 'D-LAPTOP',
        occurred_at: '2025-02-28T09:00:00Z',
        touch_type: 'click',
      },
      {
        touch_id: 'T2',
        anonymous_id: 'A-LAPTOP',
        device_id: 'D-LAPTOP',
        customer_id: 'C1',
        occurred_at: '2025-03-01T10:05:00Z',
        touch_type: 'visit',
      },
      {
        touch_id: 'T3',
        anonymous_id: 'A-PHONE',
        device_id: 'D-PHONE',
        occurred_at: '2025-04-01T08:00:00Z',
        touch_type: 'visit',
      },
      {
        touch_id: 'T4',
        anonymous_id: 'A-PHONE',
        device_id: 'D-PHONE',
        customer_id: 'C7',
        occurred_at: '2025-04-02T09:01:00Z',
        touch_type: 'visit',
      },
    ]);
    const map = await identityMap(wh);
    const ann = person('customer_id', 'C1'); // C1 < C7: the smallest customer id of the component
    const expected: [string, string][] = [
      ['customer_id:C1', 'customer record; one person with customers C1 and C7, linked by shared normalized emails'],
      ['customer_id:C7', 'customer record; one person with customers C1 and C7, linked by shared normalized emails'],
      [
        'email:ann@example.com',
        'same normalized email as customers C1 and C7 (duplicate customer records, merged into one person)',
      ],
      ['anonymous_id:A-LAPTOP', 'anonymous id identified as customer C1 by touch T2 at 2025-03-01 10:05:00'],
      ['anonymous_id:A-PHONE', 'anonymous id identified as customer C7 by touch T4 at 2025-04-02 09:01:00'],
      // D-LAPTOP's first evidence is C1's sign-up (10:00), before touch T2 (10:05).
      ['device_id:D-LAPTOP', 'device seen with customer C1 (sign-up at 2025-03-01 10:00:00)'],
      ['device_id:D-PHONE', 'device seen with customer C7 (sign-up at 2025-04-02 09:00:00)'],
    ];
    expect([...map.keys()].sort()).toEqual(expected.map((e) => e[0]).sort());
    for (const [key, reason] of expected) {
      expect(map.get(key), key).toMatchObject({ person_id: ann, link_reason: reason, is_ambiguous: false });
      // Two customer ids in one person: customer_id is NULL and customer_count says how many.
      expect(map.get(key), key).toMatchObject({ customer_id: null, customer_count: 2 });
    }
  });

  it('never merges different customers through a shared device, browser or IP: ambiguous ids link to neither', async () => {
    await land(wh, 'customers', [
      { customer_id: 'C2', email: 'bob@example.com', created_at: '2025-03-05T00:00:00Z', signup_device_id: 'D-SHARED' },
      { customer_id: 'C3', email: 'cat@example.com', created_at: '2025-03-06T00:00:00Z', signup_device_id: 'D-SHARED' },
    ]);
    const ip = '203.0.113.5';
    await land(wh, 'touches', [
      {
        touch_id: 'T6',
        anonymous_id: 'A-BOB',
        device_id: 'D-SHARED',
        customer_id: 'C2',
        ip,
        occurred_at: '2025-03-05T00:01:00Z',
        touch_type: 'visit',
      },
      {
        touch_id: 'T7',
        anonymous_id: 'A-CAT',
        device_id: 'D-SHARED',
        customer_id: 'C3',
        ip,
        occurred_at: '2025-03-06T00:01:00Z',
        touch_type: 'visit',
      },
      // A shared browser cookie that logged in as both.
      {
        touch_id: 'T9',
        anonymous_id: 'A-FAMILY',
        customer_id: 'C2',
        ip,
        occurred_at: '2025-03-07T00:00:00Z',
        touch_type: 'visit',
      },
      {
        touch_id: 'T10',
        anonymous_id: 'A-FAMILY',
        customer_id: 'C3',
        ip,
        occurred_at: '2025-03-08T00:00:00Z',
        touch_type: 'visit',
      },
      {
        touch_id: 'T11',
        anonymous_id: 'A-STRANGER',
        device_id: 'D-STRANGER',
        ip,
        occurred_at: '2025-03-09T00:00:00Z',
        touch_type: 'visit',
      },
    ]);
    // A referee id from a referral event whose customer record has not landed yet.
    await land(wh, 'referral_events', [
      {
        event_id: 'E1',
        event_type: 'signed_up',
        occurred_at: '2025-03-10T00:00:00Z',
        referral_code: 'RX',
        referee_id: 'C9',
      },
    ]);
    const map = await identityMap(wh);
    expect(map.get('customer_id:C2')).toMatchObject({ person_id: person('customer_id', 'C2'), customer_id: 'C2' });
    expect(map.get('customer_id:C3')).toMatchObject({ person_id: person('customer_id', 'C3'), customer_id: 'C3' });
    expect(map.get('device_id:D-SHARED')).toMatchObject({
      person_id: person('device_id', 'D-SHARED'),
      customer_id: null,
      customer_count: 0,
      is_ambiguous: true,
      link_reason: 'ambiguous: device seen with customers C2 and C3, who are 2 different people; linked to none',
    });
    expect(map.get('anonymous_id:A-FAMILY')).toMatchObject({
      person_id: person('anonymous_id', 'A-FAMILY'),
      is_ambiguous: true,
      link_reason:
        'ambiguous: anonymous id identified as customers C2 and C3, who are 2 different people; linked to none',
    });
    expect(map.get('anonymous_id:A-BOB')).toMatchObject({ person_id: person('customer_id', 'C2'), customer_id: 'C2' });
    expect(map.get('anonymous_id:A-STRANGER')).toMatchObject({
      person_id: person('anonymous_id', 'A-STRANGER'),
      customer_count: 0,
      link_reason: 'anonymous id never identified as a customer',
    });
    expect(map.get('device_id:D-STRANGER')?.link_reason).toBe('device never seen with a customer');
    expect(map.get('customer_id:C9')).toMatchObject({
      person_id: person('customer_id', 'C9'),
      customer_id: 'C9',
      link_reason: 'referee of referral event E1 (signed_up) at 2025-03-10 00:00:00',
    });
    // IPs are never identifiers.
    expect([...map.keys()].filter((k) => k.includes(ip))).toEqual([]);
    // Two customers, two people: nothing merged them.
    const people = new Set([...map.values()].filter((r) => r.customer_count > 0).map((r) => r.person_id));
    expect(people).toEqual(
      new Set([person('customer_id', 'C2'), person('customer_id', 'C3'), person('customer_id', 'C9')]),
    );
  });

  it('fails loudly, naming the cap, when label propagation has not converged', async () => {
    // C1 - email - C2 needs two rounds (C2 takes C1's label in round 1; round 2 confirms), so a cap of 1 must fail.
    await land(wh, 'customers', [
      { customer_id: 'C1', email: 'x@example.com', created_at: '2025-01-01' },
      { customer_id: 'C2', email: 'X@example.com', created_at: '2025-01-02' },
    ]);
    const config = { ...testConfig(), identity: { maxIterations: 1 } } as RefstackConfig;
    await expect(runModels({ wh, config, registry, select: ['stg_identity_map'] })).rejects.toThrow(
      /did not converge after 1 label-propagation rounds \(1 identifiers still changing\)/,
    );
    const ok = await identityMap(wh, { ...testConfig(), identity: { maxIterations: 2 } } as RefstackConfig);
    expect(ok.get('customer_id:C2')?.person_id).toBe(person('customer_id', 'C1'));
  });

  it('on the synthetic demo: merges no two customers and leaves only the fraud ring shared device ambiguous', async () => {
    const config = demoConfig();
    const report = await generateSynthetic(wh, {
      customers: 2000,
      seed: 5,
      start: '2025-01-01',
      months: 18,
      programs: config.programs,
    });
    const ring = [...report.fraudRing.advocateIds, ...report.fraudRing.refereeIds].sort();
    // TRUTHS.md "Fraud ring": 48 accounts sharing one signup_device_id (and touch device_id).
    expect(ring.length).toBe(48);
    const map = await identityMap(wh, config);
    const customers = [...map.values()].filter((r) => r.identifier_type === 'customer_id');
    expect(customers.length).toBe(2000);
    // Synthetic emails are unique (first.last<number>@example.com), so every customer is their own person.
    expect(new Set(customers.map((r) => r.person_id)).size).toBe(2000);
    expect(customers.every((r) => r.person_id === person('customer_id', r.identifier))).toBe(true);
    const ambiguous = [...map.values()].filter((r) => r.is_ambiguous);
    expect(ambiguous.map((r) => [r.identifier_type, r.link_reason])).toEqual([
      [
        'device_id',
        `ambiguous: device seen with customers ${ring[0]} .. ${ring[47]} (48 in all), who are 48 different people; linked to none`,
      ],
    ]);
  });
});
