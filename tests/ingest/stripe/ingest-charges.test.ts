import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCursor } from '../../../ingest/cursors.js';
import { ingestStripeCharges, stripeAmountToMinor, type IngestStripeOptions } from '../../../ingest/stripe/index.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import {
  startFakeServer,
  type FakeHandler,
  type FakeServer,
  type ScriptedResponse,
} from '../../helpers/fake-server.js';
import { memoryWarehouse, testConfig } from '../../helpers/landing.js';

const KEY = 'sk_test_51SECRETKEYvalue0000';
type Charge = Record<string, unknown> & { id: string; created: number };
const fixture = (n: number) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/stripe/charges-page-${n}.json`, import.meta.url), 'utf8')) as {
    data: Charge[];
  };
const ALL: Charge[] = [1, 2, 3].flatMap((n) => fixture(n).data);
const NOW = new Date('2026-01-01T00:00:00Z');
/** 2025-03-08T00:00:00Z, the newest `created` in the fixtures (ch_8). */
const NEWEST = 1741392000;

/**
 * A fake `GET /v1/charges` over `charges`: newest first, `created[gt]` and `starting_after` honoured, pages of
 * `limit`; `override` may script a failure first.
 */
function stripeList(
  charges: () => Charge[],
  override?: (q: Record<string, string>) => ScriptedResponse | undefined,
): FakeHandler {
  return (req) => {
    const scripted = override?.(req.query);
    if (scripted) return scripted;
    const gt = req.query['created[gt]'];
    let list = [...charges()]
      .sort((a, b) => b.created - a.created)
      .filter((c) => gt === undefined || c.created > Number(gt));
    const after = req.query['starting_after'];
    if (after !== undefined) list = list.slice(list.findIndex((c) => c.id === after) + 1);
    const limit = Number(req.query['limit']);
    return { body: { object: 'list', url: '/v1/charges', has_more: list.length > limit, data: list.slice(0, limit) } };
  };
}

let wh: Warehouse;
let server: FakeServer | undefined;
let logs: string[];
beforeEach(async () => {
  wh = await memoryWarehouse();
  logs = [];
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await wh.close();
});

async function run(extra: Partial<IngestStripeOptions> = {}) {
  return ingestStripeCharges(wh, {
    config: testConfig(),
    baseUrl: server!.url,
    apiKey: KEY,
    settings: { pageSize: 3 },
    now: NOW,
    http: { sleep: async () => {}, random: () => 0.5, log: (l) => logs.push(l), intervalCap: Infinity },
    ...extra,
  });
}

const count = async (sql: string) => Number((await wh.query<{ n: number }>(sql))[0]!.n);

describe('ingestStripeCharges', () => {
  it('pages through three pages, maps charges to raw.orders and quarantines the malformed one', async () => {
    server = await startFakeServer(stripeList(() => ALL));
    const report = await run();
    // 8 charges in the fixtures; ch_4 has amount -100.
    expect(report).toMatchObject({ status: 'loaded', pages: 3, read: 8, loaded: 7, quarantined: 1 });
    expect(report.reasons).toEqual({ negative_amount: 1 });
    expect(server.requests.map((r) => r.query)).toEqual([
      { limit: '3' },
      { limit: '3', starting_after: 'ch_6' },
      { limit: '3', starting_after: 'ch_3' },
    ]);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);

    const rows = await wh.query(
      `select order_id, customer_id, program_id, ordered_at, currency, gross_minor, refunded_minor, refunded_at, status,
              referral_code, payment_fingerprint from raw.orders order by order_id desc`,
    );
    expect(rows.map((r) => [r['order_id'], r['status']])).toEqual([
      ['ch_8', 'paid'],
      ['ch_7', 'partially_refunded'],
      ['ch_6', 'refunded'],
      ['ch_5', 'chargeback'],
      ['ch_3', 'unpaid'],
      ['ch_2', 'paid'],
      ['ch_1', 'paid'],
    ]);
    expect(rows[0]).toEqual({
      order_id: 'ch_8',
      customer_id: 'cus_A',
      program_id: 'friends',
      ordered_at: new Date('2025-03-08T00:00:00Z'), // created 1741392000
      currency: 'USD',
      gross_minor: 2500,
      refunded_minor: 0,
      refunded_at: null,
      status: 'paid',
      referral_code: 'ADA-1',
      payment_fingerprint: 'fp_card1',
    });
    // ch_7: 400 of 1000 refunded one hour after creation (2025-03-07T00:00Z + 3600 s).
    expect(rows[1]).toMatchObject({ refunded_minor: 400, refunded_at: new Date('2025-03-07T01:00:00Z') });
    // ch_2: JPY is zero-decimal in both Stripe and ISO 4217; no card fingerprint.
    expect(rows[5]).toMatchObject({ currency: 'JPY', gross_minor: 1500, payment_fingerprint: null });
    // ch_1: ISK 150000 in Stripe's two-decimal form is 1500 kronur, ISO exponent 0; the code is trimmed.
    expect(rows[6]).toMatchObject({ currency: 'ISK', gross_minor: 1500, referral_code: 'BRO-2' });

    const q = await wh.query(`select _row_number, reason_code, message from raw.quarantine`);
    expect(q).toEqual([
      {
        _row_number: 2,
        reason_code: 'negative_amount',
        message: 'stripe charges page 2 record 2 (id ch_4): field amount: -100 Too small: expected number to be >=0',
      },
    ]);
    const sums = await wh.query(
      `select sum(read) as r, sum(loaded) as l, sum(quarantined) as q, count(*) as n from raw.batches`,
    );
    expect(sums[0]).toEqual({ r: 8, l: 7, q: 1, n: 3 });
    expect(JSON.parse(report.cursor)).toEqual({ v: 1, watermark: NEWEST, scan: null });
  });

  it('asks only for newer charges on a rerun, and adds nothing when there are none', async () => {
    server = await startFakeServer(stripeList(() => ALL));
    await run();
    const report = await run({ now: new Date('2026-01-02T00:00:00Z') });
    expect(server.requests[3]!.query).toEqual({ limit: '3', 'created[gt]': String(NEWEST) });
    expect(report).toMatchObject({ status: 'up_to_date', pages: 1, read: 0 });
    expect(await count('select count(*) as n from raw.orders')).toBe(7);
    expect(await count('select count(*) as n from raw.batches')).toBe(3);
  });

  it('lands only the charges created after the watermark', async () => {
    const charges = [...ALL];
    server = await startFakeServer(stripeList(() => charges));
    await run();
    charges.push({ ...ALL[0]!, id: 'ch_9', created: NEWEST + 60, customer: 'cus_Z' });
    const report = await run({ now: new Date('2026-01-02T00:00:00Z') });
    expect(server.requests.slice(3).map((r) => r.query)).toEqual([{ limit: '3', 'created[gt]': String(NEWEST) }]);
    expect(report).toMatchObject({ status: 'loaded', read: 1, loaded: 1 });
    expect(JSON.parse(report.cursor).watermark).toBe(NEWEST + 60);
    expect(await count('select count(*) as n from raw.orders')).toBe(8);
  });

  it('after a crash on page 2, a rerun resumes there and leaves exactly one copy of each charge', async () => {
    server = await startFakeServer(
      stripeList(
        () => ALL,
        (q) =>
          q['starting_after'] === 'ch_6'
            ? { status: 503, body: { error: { type: 'api_error', message: `Service unavailable for ${KEY}` } } }
            : undefined,
      ),
    );
    const error = (await run().catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      'GET /v1/charges failed with HTTP 503 after 6 attempts: Service unavailable for [redacted]',
    );
    for (const line of [String(error.stack), ...logs]) expect(line).not.toContain(KEY);
    expect(await count('select count(*) as n from raw.orders')).toBe(3);
    expect(JSON.parse((await getCursor(wh, 'raw', 'stripe-api:charges'))!)).toEqual({
      v: 1,
      watermark: null,
      scan: { startingAfter: 'ch_6', startedAt: NOW.getTime() / 1000, maxSeen: NEWEST },
    });

    server.setHandler(stripeList(() => ALL));
    const before = server.requests.length;
    const report = await run({ now: new Date('2026-01-01T01:00:00Z') });
    expect(server.requests.slice(before).map((r) => r.query)).toEqual([
      { limit: '3', starting_after: 'ch_6' },
      { limit: '3', starting_after: 'ch_3' },
    ]);
    expect(report).toMatchObject({ pages: 2, read: 5, loaded: 4, quarantined: 1 });
    expect(await count('select count(*) as n from raw.orders')).toBe(7);
    expect(await count('select count(distinct order_id) as n from raw.orders')).toBe(7);
    expect(JSON.parse(report.cursor)).toEqual({ v: 1, watermark: NEWEST, scan: null });
  });

  it('re-lists everything with full: true, skipping pages already landed', async () => {
    server = await startFakeServer(stripeList(() => ALL));
    await run();
    const report = await run({ full: true, now: new Date('2026-01-02T00:00:00Z') });
    expect(server.requests[3]!.query).toEqual({ limit: '3' });
    expect(report).toMatchObject({ status: 'up_to_date', pages: 3, read: 0 });
    expect(await count('select count(*) as n from raw.orders')).toBe(7);
  });

  it('refuses to run without a key, naming the environment variable', async () => {
    server = await startFakeServer(stripeList(() => ALL));
    const saved = process.env['STRIPE_API_KEY'];
    delete process.env['STRIPE_API_KEY'];
    try {
      const error = (await run({ apiKey: undefined }).catch((e: unknown) => e)) as Error;
      expect(error).toMatchObject({ name: 'MissingCredentialError', envVar: 'STRIPE_API_KEY' });
      expect(error.message).toMatch(/^STRIPE_API_KEY is not set: /);
    } finally {
      if (saved !== undefined) process.env['STRIPE_API_KEY'] = saved;
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('stripeAmountToMinor', () => {
  it('converts Stripe amounts to ISO 4217 minor units', () => {
    expect(stripeAmountToMinor(1099, 'USD')).toEqual({ ok: true, minor: 1099 });
    expect(stripeAmountToMinor(500, 'JPY')).toEqual({ ok: true, minor: 500 });
    expect(stripeAmountToMinor(5120, 'KWD')).toEqual({ ok: true, minor: 5120 });
    // ISK: Stripe two-decimal (100 = 1 krona), ISO exponent 0 (Stripe support, fractional ISK deprecation).
    expect(stripeAmountToMinor(150000, 'ISK')).toEqual({ ok: true, minor: 1500 });
    expect(stripeAmountToMinor(4010, 'ISK')).toEqual({
      ok: false,
      problem: 'is not a whole number of ISK minor units',
    });
    // MGA: zero-decimal in Stripe, exponent 2 in ISO 4217: 1500 ariary = 150000 minor units.
    expect(stripeAmountToMinor(1500, 'MGA')).toEqual({ ok: true, minor: 150000 });
    expect(stripeAmountToMinor(1, 'XYZ')).toEqual({ ok: false, problem: 'unknown currency' });
  });
});
