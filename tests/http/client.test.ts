import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, HttpError, type HttpClientOptions } from '../../src/http/index.js';
import { startFakeServer, type FakeHandler, type FakeServer } from '../helpers/fake-server.js';

const TOKEN = 'pat-na1-0000-SECRET-TOKEN-1234';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A client against a fresh fake server, with recorded sleeps and log lines and a fixed jitter draw. */
async function setup(handler: FakeHandler, options: Partial<HttpClientOptions> = {}) {
  server = await startFakeServer(handler);
  const sleeps: number[] = [];
  const logs: string[] = [];
  const http = createHttpClient({
    baseUrl: server.url,
    headers: { authorization: `Bearer ${TOKEN}` },
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    log: (line) => logs.push(line),
    ...options,
  });
  return { http, sleeps, logs, server };
}

describe('createHttpClient', () => {
  it('sends the headers and query, and returns the body text', async () => {
    const { http, server } = await setup(() => ({ body: { ok: true } }));
    const { data, response } = await http.json<{ ok: boolean }>({
      path: '/v1/things',
      query: { limit: 100, x: undefined },
    });
    expect(data).toEqual({ ok: true });
    expect(response.text).toBe('{"ok":true}');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.query).toEqual({ limit: '100' });
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('honours Retry-After on a 429, then succeeds', async () => {
    const { http, sleeps, server } = await setup((_req, n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '3' }, body: { message: 'slow down' } } : { body: [1] },
    );
    const { data, response } = await http.json({ path: '/p' });
    expect(data).toEqual([1]);
    expect(response.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([3000]); // Retry-After: 3 seconds, not the jittered backoff (which would be 250)
  });

  it('reads a Retry-After HTTP-date against the injected clock', async () => {
    const { http, sleeps } = await setup(
      (_req, n) =>
        n === 1 ? { status: 503, headers: { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, body: '' } : { body: {} },
      { now: () => new Date('2015-10-21T07:27:30Z') },
    );
    await http.request({ path: '/p' });
    expect(sleeps).toEqual([30_000]); // 07:28:00 - 07:27:30
  });

  it('backs off with full jitter on 500s and stops at the attempt ceiling with a clear error', async () => {
    const { http, sleeps, logs, server } = await setup(() => ({
      status: 500,
      body: { status: 'error', message: `internal error for token ${TOKEN}` },
    }));
    const error = await http.request({ path: '/crm/v3/objects/contacts', query: { hapikey: TOKEN } }).catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(server.requests).toHaveLength(6); // the default ceiling, maxAttempts = 6
    // backoff = floor(0.5 * min(30000, 500 * 2^(n-1))) for n = 1..5: 250, 500, 1000, 2000, 4000
    expect(sleeps).toEqual([250, 500, 1000, 2000, 4000]);
    expect(error.message).toBe(
      'GET /crm/v3/objects/contacts failed with HTTP 500 after 6 attempts: internal error for token [redacted]',
    );
    expect(error.status).toBe(500);
    expect(error.attempts).toBe(6);
    expect(logs).toHaveLength(5);
    expect(logs[0]).toBe('GET /crm/v3/objects/contacts: HTTP 500; retrying in 0.3 s (attempt 2 of 6)');
    for (const text of [error.message, String(error.stack), ...logs]) expect(text).not.toContain(TOKEN);
  }, 10_000);

  it('rejects a 2xx body that is not JSON, quoting its start', async () => {
    const { http } = await setup(() => ({ body: '<html>maintenance</html>' }));
    await expect(http.json({ path: '/v1/charges' })).rejects.toThrow(
      'GET /v1/charges failed with HTTP 200 after 1 attempt: the response is not JSON: "<html>maintenance</html>"',
    );
  });

  it('does not retry a 4xx other than 429', async () => {
    const { http, sleeps, server } = await setup(() => ({
      status: 401,
      body: { error: { message: 'Invalid API Key' } },
    }));
    const error = await http.request({ path: '/v1/charges' }).catch((e) => e);
    expect(error.message).toBe('GET /v1/charges failed with HTTP 401 after 1 attempt: Invalid API Key');
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries a timed-out attempt', async () => {
    const { http, server } = await setup(
      (_req, n) => (n === 1 ? { delayMs: 10_000, body: { late: true } } : { body: { late: false } }),
      {
        timeoutMs: 500, // generous: the prompt second answer must not time out on a busy machine
      },
    );
    const { data } = await http.json({ path: '/slow' });
    expect(data).toEqual({ late: false });
    expect(server.requests).toHaveLength(2);
  });

  it('reports a timeout at the ceiling without a status', async () => {
    const { http } = await setup(() => ({ delayMs: 2000, body: {} }), { timeoutMs: 50, maxAttempts: 2 });
    const error = await http.request({ path: '/slow' }).catch((e) => e);
    expect(error.message).toBe('GET /slow failed with no response after 2 attempts: timed out after 50 ms');
    expect(error.status).toBeNull();
  });

  it('pauses for the HubSpot rate-limit interval once the budget is spent', async () => {
    const { http, sleeps } = await setup((_req, n) =>
      n === 1
        ? {
            headers: { 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': '10000' },
            body: { page: 1 },
          }
        : { body: { page: 2 } },
    );
    await http.json({ path: '/a' });
    expect(sleeps).toEqual([10_000]);
    const { data } = await http.json({ path: '/b' });
    expect(data).toEqual({ page: 2 });
  });

  it('fails instead of waiting for a Retry-After beyond maxRetryAfterMs', async () => {
    const { http, sleeps } = await setup(() => ({ status: 429, headers: { 'retry-after': '3600' }, body: 'busy' }));
    const error = await http.request({ path: '/x' }).catch((e) => e);
    expect(error.message).toBe(
      'GET /x failed with HTTP 429 after 1 attempt: busy (the server asked to retry after 3600 s, beyond maxRetryAfterMs 300000)',
    );
    expect(sleeps).toEqual([]);
  });

  it('reports a connection failure with the path only', async () => {
    const { http } = await setup(() => ({ body: {} }), { maxAttempts: 2 });
    await server!.close();
    server = undefined;
    const error = await http.request({ path: '/gone', query: { key: TOKEN } }).catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toMatch(/^GET \/gone failed with no response after 2 attempts: fetch failed/);
    expect(error.message).not.toContain(TOKEN);
  });

  it('limits requests in flight to `concurrency`', async () => {
    let inFlight = 0;
    let peak = 0;
    const { http } = await setup(
      async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 50));
        inFlight--;
        return { body: {} };
      },
      { concurrency: 2 },
    );
    await Promise.all(Array.from({ length: 6 }, (_, i) => http.request({ path: `/r${i}` })));
    // Without the queue all six would be in flight during the handler's wait; never more than two with it.
    expect(peak).toBeLessThanOrEqual(2);
    expect(server!.requests).toHaveLength(6);
  });
});
