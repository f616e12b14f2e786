import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCursor } from '../../../ingest/cursors.js';
import { ingestHubspotContacts, type IngestHubspotOptions } from '../../../ingest/hubspot/index.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import {
  startFakeServer,
  type FakeHandler,
  type FakeServer,
  type ScriptedResponse,
} from '../../helpers/fake-server.js';
import { memoryWarehouse, testConfig } from '../../helpers/landing.js';

const TOKEN = 'pat-na1-11111111-2222-SECRET';
const fixture = (n: number) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/hubspot/contacts-page-${n}.json`, import.meta.url), 'utf8')) as {
    results: Record<string, unknown>[];
    paging?: unknown;
  };
const NOW = new Date('2026-01-01T00:00:00Z');

/** Serves the three fixture pages by their `after` token, through `override` for scripted failures. */
function pages(override?: (after: string | undefined, n: number) => ScriptedResponse | undefined): FakeHandler {
  return (req, n) => {
    const after = req.query['after'];
    const scripted = override?.(after, n);
    if (scripted) return scripted;
    return { body: fixture(after === undefined ? 1 : after === '104' ? 2 : 3) };
  };
}

let wh: Warehouse;
let server: FakeServer | undefined;
let sleeps: number[];
let logs: string[];
beforeEach(async () => {
  wh = await memoryWarehouse();
  sleeps = [];
  logs = [];
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await wh.close();
});

async function run(extra: Partial<IngestHubspotOptions> = {}) {
  return ingestHubspotContacts(wh, {
    config: testConfig(),
    baseUrl: server!.url,
    token: TOKEN,
    now: NOW,
    http: {
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.5,
      log: (l) => logs.push(l),
      intervalCap: Infinity,
    },
    ...extra,
  });
}

const count = async (sql: string) => Number((await wh.query<{ n: number }>(sql))[0]!.n);

describe('ingestHubspotContacts', () => {
  it('pages through three pages, maps contacts to raw.customers and quarantines the malformed one', async () => {
    server = await startFakeServer(pages());
    const report = await run();
    // 8 contacts in the fixtures; contact 105 has createdate "yesterday".
    expect(report).toMatchObject({ status: 'loaded', pages: 3, read: 8, loaded: 7, quarantined: 1, unchanged: 0 });
    expect(report.reasons).toEqual({ invalid_timestamp: 1 });
    expect(server.requests.map((r) => r.query['after'])).toEqual([undefined, '104', '107']);
    expect(server.requests[0]!.path).toBe('/crm/v3/objects/contacts');
    expect(server.requests[0]!.query).toMatchObject({
      limit: '100',
      archived: 'false',
      properties: 'email,firstname,lastname,createdate,country,referral_code,referred_by_code',
    });
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);

    const rows = await wh.query(
      `select customer_id, program_id, email, full_name, created_at, country, referral_code, referred_by_code, _row_number
       from raw.customers order by customer_id`,
    );
    expect(rows.map((r) => r['customer_id'])).toEqual(['101', '102', '103', '104', '106', '107', '108']);
    expect(rows[0]).toEqual({
      customer_id: '101',
      program_id: 'friends',
      email: 'ada@example.com',
      full_name: 'Ada Lovelace',
      created_at: new Date('2025-01-05T10:00:00Z'),
      country: 'GB',
      referral_code: 'ADA-1',
      referred_by_code: null,
      _row_number: 1,
    });
    // Free-text country is not an ISO code: landed as null. A lower-case code is upper-cased.
    expect(rows[1]!['country']).toBeNull();
    expect(rows[2]).toMatchObject({ full_name: 'Chen', country: 'DE', referred_by_code: 'ADA-1' });
    expect(rows[4]).toMatchObject({ customer_id: '106', email: null, full_name: null, referred_by_code: 'BRO-2' });

    const q = await wh.query(
      `select _source, _row_number, target_table, reason_code, message, record from raw.quarantine`,
    );
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({
      _source: 'hubspot-api:contacts',
      _row_number: 2,
      target_table: 'customers',
      reason_code: 'invalid_timestamp',
    });
    expect(q[0]!['message']).toMatch(
      /^hubspot contacts page 2 record 2 \(id 105\): property createdate: "yesterday" is not a timestamp/,
    );
    expect(JSON.parse(String(q[0]!['record']))).toMatchObject({ id: '105', properties: { createdate: 'yesterday' } });

    const batches = await wh.query<{ read: number; loaded: number; quarantined: number }>(
      `select read, loaded, quarantined from raw.batches order by file`,
    );
    expect(batches).toHaveLength(3);
    for (const b of batches) expect(Number(b.read)).toBe(Number(b.loaded) + Number(b.quarantined));
    // Watermark: the largest updatedAt in the fixtures (contact 106, 2025-04-01), below NOW - 5 min.
    expect(JSON.parse((await getCursor(wh, 'raw', 'hubspot-api:contacts'))!)).toEqual({
      v: 1,
      watermark: '2025-04-01T00:00:00.000Z',
      scan: null,
    });
  });

  it('adds nothing when rerun against the same remote data', async () => {
    server = await startFakeServer(pages());
    await run();
    const report = await run({ now: new Date('2026-01-02T00:00:00Z') });
    expect(report).toMatchObject({ status: 'up_to_date', pages: 3, read: 0, unchanged: 8 });
    expect(await count('select count(*) as n from raw.customers')).toBe(7);
    expect(await count('select count(*) as n from raw.quarantine')).toBe(1);
    expect(await count('select count(*) as n from raw.batches')).toBe(3);
  });

  it('lands only contacts updated after the watermark on a rerun', async () => {
    server = await startFakeServer(pages());
    await run();
    const page2 = fixture(2);
    page2.results[0] = { ...page2.results[0], updatedAt: '2025-06-01T00:00:00.000Z' }; // contact 104 edited
    const page3 = fixture(3);
    page3.results.push({
      id: '109',
      properties: { createdate: '2025-06-02T00:00:00.000Z', email: 'ivy@example.com' },
      createdAt: '2025-06-02T00:00:00.000Z',
      updatedAt: '2025-06-02T00:00:00.000Z',
      archived: false,
    });
    server.setHandler((req) => ({
      body: req.query['after'] === undefined ? fixture(1) : req.query['after'] === '104' ? page2 : page3,
    }));
    const report = await run({ now: new Date('2026-01-02T00:00:00Z') });
    // The list endpoint cannot filter: every page is read again, from the start.
    expect(server.requests.slice(3).map((r) => r.query['after'])).toEqual([undefined, '104', '107']);
    expect(report).toMatchObject({ status: 'loaded', read: 2, loaded: 2, quarantined: 0, unchanged: 7 });
    const ids = await wh.query(`select customer_id from raw.customers where _loaded_at = '2026-01-02' order by 1`);
    expect(ids.map((r) => r['customer_id'])).toEqual(['104', '109']);
    expect(JSON.parse(report.cursor).watermark).toBe('2025-06-02T00:00:00.000Z');
  });

  it('caps the watermark at the scan start minus the clock-skew margin', async () => {
    server = await startFakeServer(pages());
    // Contact 106 was updated at 2025-04-01T00:00:00Z, two minutes before this scan started.
    const first = await run({ now: new Date('2025-04-01T00:02:00Z') });
    // min(largest updatedAt 2025-04-01T00:00:00Z, start - 300 s = 2025-03-31T23:57:00Z)
    expect(JSON.parse(first.cursor).watermark).toBe('2025-03-31T23:57:00.000Z');
    // So the next scan lands contact 106 again (a superseding copy), and the one after lands nothing.
    const second = await run({ now: new Date('2025-04-02T00:00:00Z') });
    expect(second).toMatchObject({ read: 1, loaded: 1, unchanged: 7 });
    expect(JSON.parse(second.cursor).watermark).toBe('2025-04-01T00:00:00.000Z');
    const third = await run({ now: new Date('2025-04-03T00:00:00Z') });
    expect(third).toMatchObject({ status: 'up_to_date', read: 0 });
  });

  it('waits as long as Retry-After says on a 429, then carries on', async () => {
    server = await startFakeServer(
      pages((after, n) =>
        after === '104' && n === 2 ? { status: 429, headers: { 'retry-after': '2' }, body: {} } : undefined,
      ),
    );
    const report = await run();
    expect(report.loaded).toBe(7);
    expect(sleeps).toEqual([2000]);
    expect(server.requests.map((r) => r.query['after'])).toEqual([undefined, '104', '104', '107']);
  });

  it('after a crash on page 2, a rerun resumes there and leaves exactly one copy of each contact', async () => {
    server = await startFakeServer(
      pages((after) =>
        after === '104'
          ? { status: 500, body: { status: 'error', message: `backend down (token ${TOKEN})` } }
          : undefined,
      ),
    );
    const error = (await run().catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      'GET /crm/v3/objects/contacts failed with HTTP 500 after 6 attempts: backend down (token [redacted])',
    );
    expect(String(error.stack)).not.toContain(TOKEN);
    expect(logs).toHaveLength(5);
    for (const line of logs) expect(line).not.toContain(TOKEN);
    // Page 1 committed with its cursor; pages 2 and 3 not.
    expect(await count('select count(*) as n from raw.customers')).toBe(3);
    expect(JSON.parse((await getCursor(wh, 'raw', 'hubspot-api:contacts'))!)).toMatchObject({
      watermark: null,
      scan: { after: '104', startedAt: NOW.toISOString(), maxSeen: '2025-03-10T12:00:00.000Z' },
    });

    server.setHandler(pages());
    const before = server.requests.length;
    const report = await run({ now: new Date('2026-01-01T01:00:00Z') });
    expect(server.requests.slice(before).map((r) => r.query['after'])).toEqual(['104', '107']);
    expect(report).toMatchObject({ pages: 2, read: 5, loaded: 4, quarantined: 1 });
    expect(await count('select count(*) as n from raw.customers')).toBe(7);
    expect(await count('select count(distinct customer_id) as n from raw.customers')).toBe(7);
    expect(JSON.parse(report.cursor)).toEqual({ v: 1, watermark: '2025-04-01T00:00:00.000Z', scan: null });
  });

  it('refuses to run without a token, naming the environment variable', async () => {
    server = await startFakeServer(pages());
    const saved = process.env['HUBSPOT_ACCESS_TOKEN'];
    delete process.env['HUBSPOT_ACCESS_TOKEN'];
    try {
      const error = (await run({ token: undefined }).catch((e: unknown) => e)) as Error;
      expect(error).toMatchObject({ name: 'MissingCredentialError', envVar: 'HUBSPOT_ACCESS_TOKEN' });
      expect(error.message).toMatch(/^HUBSPOT_ACCESS_TOKEN is not set: /);
    } finally {
      if (saved !== undefined) process.env['HUBSPOT_ACCESS_TOKEN'] = saved;
    }
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a response that is not a contacts page', async () => {
    server = await startFakeServer(() => ({ body: { results: 'nope' } }));
    await expect(run()).rejects.toThrow(
      'GET /crm/v3/objects/contacts: the response is not a contacts page: results: Invalid input: expected array, received string',
    );
    expect(await count('select count(*) as n from raw.customers')).toBe(0);
  });
});
