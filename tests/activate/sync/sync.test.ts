import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefstackConfig } from '../../../src/config.js';
import { runModels } from '../../../src/models/runner.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { assignCodes } from '../../../activate/codes/assign.js';
import { syncTo, type SyncTargetName } from '../../../activate/sync/index.js';
import { startFakeServer, type FakeHandler, type FakeServer } from '../../helpers/fake-server.js';
import { memoryWarehouse } from '../../helpers/landing.js';
import {
  activationRegistry,
  activationTestConfig,
  landActivationFixture,
} from '../../models/marts/activation/fixture.js';

/*
 * The activation fixture (tests/models/marts/activation/fixture.ts): advocates A1-A6 with emails, referees R1 (with
 * an email), R5, R6a, R6b and the non-referred N1; every one has a paid order, so all 11 get a code and are CRM people. Approved cash
 * rewards: A5 for R5 (Jan 15 + 30 days holding) and A6 for R6a and R6b; A1's is still held on Jun 30.
 */
let wh: Warehouse;
let server: FakeServer | undefined;
const TOKEN = 'test-token-5ecret';

const config = (url: string): RefstackConfig =>
  activationTestConfig({
    sync: {
      hubspot: { baseUrl: url, batchSize: 3 },
      salesforce: { batchSize: 4 },
      stripe: { baseUrl: url, customerIdPattern: '^A', basis: 'approved' },
    },
  });
const env = (url: string) => ({
  HUBSPOT_ACCESS_TOKEN: TOKEN,
  SALESFORCE_INSTANCE_URL: url,
  SALESFORCE_ACCESS_TOKEN: TOKEN,
  STRIPE_API_KEY: TOKEN,
});
/** Every wait the HTTP client asked for (instant in tests). */
let sleeps: number[] = [];
const sync = (name: SyncTargetName, apply = true) =>
  syncTo(wh, config(server!.url), name, {
    apply,
    env: env(server!.url),
    client: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, log: () => {} },
  });
const pushes = (target: string) =>
  wh.query<{ object_id: string; status: string; response_summary: string }>(
    `select object_id, status, response_summary from main.sync_pushes where target = '${target}' order by pushed_at, object_id`,
  );
/** 429 with Retry-After: 2 (seconds) on the first call, 500 on the third (the second batch), otherwise `ok`. */
const throttleThenFailOnce =
  (ok: FakeHandler): FakeHandler =>
  (req, n) =>
    n === 1
      ? { status: 429, headers: { 'retry-after': '2' }, body: { message: 'rate limited' } }
      : n === 3
        ? { status: 500, body: { message: 'internal error' } }
        : ok(req, n);

beforeEach(async () => {
  sleeps = [];
  wh = await memoryWarehouse();
  await landActivationFixture(wh);
  const c = activationTestConfig();
  await runModels({ wh, config: c, registry: activationRegistry(), select: ['stg_customers', 'stg_orders'] });
  await assignCodes(wh, c, { secret: 'test' });
  await runModels({ wh, config: c, registry: activationRegistry(), select: ['reward_ledger', 'stg_referrals'] });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await wh.close();
});

describe('sync hubspot', () => {
  it('upserts contacts in batches through a 429 and a 500; a rerun resends only the failed record', async () => {
    server = await startFakeServer(
      throttleThenFailOnce((req) => {
        const inputs = (JSON.parse(req.body) as { inputs: { id: string }[] }).inputs;
        const bad = inputs.find((i) => i.id === 'a4@example.com');
        return {
          status: bad ? 207 : 200,
          body: {
            status: 'COMPLETE',
            results: inputs.filter((i) => i !== bad).map((i, k) => ({ id: `90${k}`, properties: { email: i.id } })),
            ...(bad
              ? {
                  errors: [
                    { status: 'error', category: 'VALIDATION_ERROR', message: 'bad tier', context: { ids: [bad.id] } },
                  ],
                }
              : {}),
          },
        };
      }),
    );
    const dry = await sync('hubspot', false);
    // 7 people have an email (A1-A6, R1); N1, R5, R6a, R6b have none and are skipped.
    expect(dry).toMatchObject({ apply: false, records: 7, toSend: 7, skipped: 4, sent: 0 });
    expect(dry.preview[0]).toEqual({
      objectId: 'a1@example.com',
      payload: {
        refstack_advocate_score: '',
        refstack_tier: '',
        refstack_referral_code: 'ALICE',
        refstack_referrals: '1',
        refstack_referred_by: '',
      },
    });
    expect(server.requests).toHaveLength(0);

    const first = await sync('hubspot');
    // Batches of 3: [A1 A2 A3] 429 then 200; [A4 A5 A6] 500 then 207 with A4 failing; [R1] 200.
    expect(first).toMatchObject({ records: 7, toSend: 7, sent: 6, failed: 1, batches: 3 });
    // Retry-After: 2 -> 2000 ms; the 500 -> full-jitter backoff 0.5 x 500 ms (baseDelayMs default, random 0.5).
    expect(sleeps).toEqual([2000, 250]);
    expect(server.requests).toHaveLength(5);
    expect(
      server.requests.every((r) => r.method === 'POST' && r.path === '/crm/v3/objects/contacts/batch/upsert'),
    ).toBe(true);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(server.requests[2]!.body).toBe(server.requests[3]!.body);
    const rows = await pushes('hubspot_contacts');
    expect(rows.filter((r) => r.status === 'error')).toEqual([
      { object_id: 'a4@example.com', status: 'error', response_summary: 'VALIDATION_ERROR: bad tier' },
    ]);
    expect(JSON.stringify(rows)).not.toContain(TOKEN);

    server.setHandler((req) => ({
      body: { status: 'COMPLETE', results: [{ id: '999', properties: { email: 'a4@example.com' } }] },
    }));
    const second = await sync('hubspot');
    expect(second).toMatchObject({ unchanged: 6, toSend: 1, sent: 1, failed: 0 });
    expect(JSON.parse(server.requests[5]!.body).inputs.map((i: { id: string }) => i.id)).toEqual(['a4@example.com']);
    expect(await sync('hubspot')).toMatchObject({ unchanged: 7, toSend: 0, batches: 0 });
    expect(server.requests).toHaveLength(6);
  });
});

describe('sync salesforce', () => {
  it('upserts by external id with PATCH through a 429 and a 500; per-record errors are retried next run', async () => {
    server = await startFakeServer(
      throttleThenFailOnce((req) => {
        const records = (JSON.parse(req.body) as { records: { Refstack_Id__c: string }[] }).records;
        return {
          body: records.map((r, k) =>
            r.Refstack_Id__c === 'A6'
              ? {
                  id: null,
                  success: false,
                  errors: [{ statusCode: 'DUPLICATE_VALUE', message: 'duplicate', fields: [] }],
                }
              : { id: `003${k}`, success: true, created: k === 0, errors: [] },
          ),
        };
      }),
    );
    const first = await sync('salesforce');
    // 11 people in batches of 4: [A1-A4] 429 then 200; [A5 A6 N1 R1] 500 then 200 with A6 failing; [R5 R6a R6b] 200.
    expect(first).toMatchObject({ records: 11, sent: 10, failed: 1, batches: 3 });
    expect(sleeps).toEqual([2000, 250]);
    expect(server.requests).toHaveLength(5);
    const req = server.requests[1]!;
    expect(req.method).toBe('PATCH');
    expect(req.path).toBe('/services/data/v60.0/composite/sobjects/Contact/Refstack_Id__c');
    expect(JSON.parse(req.body)).toMatchObject({
      allOrNone: false,
      records: [
        {
          attributes: { type: 'Contact' },
          Refstack_Id__c: 'A1',
          Email: 'a1@example.com',
          LastName: 'A1',
          Refstack_Referral_Code__c: 'ALICE',
          Refstack_Referrals__c: 1,
          Refstack_Referred_By__c: null,
        },
        {},
        {},
        {},
      ],
    });
    expect((await pushes('salesforce_contacts')).find((r) => r.object_id === 'A6')).toMatchObject({
      status: 'error',
      response_summary: 'DUPLICATE_VALUE: duplicate',
    });
    server.setHandler(() => ({ body: [{ id: '003X', success: true, created: false, errors: [] }] }));
    expect(await sync('salesforce')).toMatchObject({ unchanged: 10, toSend: 1, sent: 1 });
    expect(await sync('salesforce')).toMatchObject({ unchanged: 11, toSend: 0, batches: 0 });
    expect(server.requests).toHaveLength(6);
  });
});

describe('sync stripe', () => {
  it('credits each approved reward once, with the ledger entry id as the idempotency key', async () => {
    let cbtx = 0;
    server = await startFakeServer(
      throttleThenFailOnce(() => ({ body: { id: `cbtx_${++cbtx}`, object: 'customer_balance_transaction' } })),
    );
    const first = await sync('stripe');
    // Approved: A5 (R5) and A6 (R6a, R6b), 1000 each; one request per credit: 429+200, 500+200, 200.
    expect(first).toMatchObject({ records: 3, sent: 3, failed: 0, skipped: 0 });
    expect(sleeps).toEqual([2000, 250]);
    expect(server.requests).toHaveLength(5);
    const [a, b] = [server.requests[0]!, server.requests[1]!];
    expect(a.path).toBe('/v1/customers/A5/balance_transactions');
    expect(a.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(a.headers['idempotency-key']).toBe(b.headers['idempotency-key']);
    const form = new URLSearchParams(b.body);
    expect(form.get('amount')).toBe('-1000');
    expect(form.get('currency')).toBe('usd');
    expect(form.get('metadata[ledger_entry_id]')).toBe(b.headers['idempotency-key']);
    // The 500 and its retry carry the same key, so Stripe applies the credit once.
    expect(server.requests[2]!.headers['idempotency-key']).toBe(server.requests[3]!.headers['idempotency-key']);
    expect(new Set(server.requests.map((r) => r.headers['idempotency-key'])).size).toBe(3);
    expect(await sync('stripe')).toMatchObject({ unchanged: 3, toSend: 0 });
    expect(server.requests).toHaveLength(5);
  });

  it('needs the key only to apply', async () => {
    server = await startFakeServer(() => ({ body: {} }));
    await expect(syncTo(wh, config(server.url), 'stripe', { apply: true, env: {} })).rejects.toThrow(
      /STRIPE_API_KEY is not set/,
    );
    expect(await syncTo(wh, config(server.url), 'stripe', { apply: false, env: {} })).toMatchObject({ toSend: 3 });
  });
});

describe('stripe credits basis', () => {
  it('reads payout entries instead of approvals when the program pays through payout batches', async () => {
    const { stripeCredits } = await import('../../../activate/sync/stripe.js');
    const lw = await memoryWarehouse();
    try {
      // A literal ledger: one approval and one payout of the same 1000-cent reward of cus_1.
      await lw.exec(`create table main.reward_ledger as select * from (values
        ('e-appr', 'cus_1', 'ref-1', 'approved', 'cash', 1000, 0, 'USD', timestamp '2025-02-01'),
        ('e-pay', 'cus_1', 'ref-1', 'payout', 'cash', -1000, 1000, 'USD', timestamp '2025-03-01')
      ) t(ledger_entry_id, beneficiary_id, referral_id, entry_type, reward_kind, approved_delta_minor,
          paid_delta_minor, currency, decided_at)`);
      const c = activationTestConfig();
      const approved = await stripeCredits(lw, c, '^cus_', 'approved');
      const payout = await stripeCredits(lw, c, '^cus_', 'payout');
      expect(approved.records.map((r) => [r.objectId, r.payload.amount])).toEqual([['e-appr', -1000]]);
      expect(payout.records.map((r) => [r.objectId, r.payload.amount])).toEqual([['e-pay', -1000]]);
    } finally {
      await lw.close();
    }
  });
});
