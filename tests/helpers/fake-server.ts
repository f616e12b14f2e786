/**
 * A loopback HTTP server for API tests: listens on 127.0.0.1 on a random port, records every request, and
 * answers with whatever the test's handler scripts (JSON pages, a 429 with Retry-After, 500s, a slow
 * response). Bounded: past `maxRequests` it answers 599 and marks itself overrun, so a client bug that loops
 * fails the test instead of hanging it. Close it in `afterEach`/`finally`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Query parameters (the last value wins for repeated keys). */
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  /** The request body as text ('' for none). */
  body: string;
}

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** An object or array is sent as JSON; a string as is. */
  body?: unknown;
  /** Milliseconds to wait before answering (for timeout tests). */
  delayMs?: number;
}

/** Answers request number `n` (1-based, across the server's life). */
export type FakeHandler = (req: RecordedRequest, n: number) => ScriptedResponse | Promise<ScriptedResponse>;

export interface FakeServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  /** True once more than `maxRequests` requests arrived. */
  overrun: boolean;
  /** Replaces the handler (e.g. for a rerun against changed remote data). */
  setHandler(handler: FakeHandler): void;
  close(): Promise<void>;
}

export async function startFakeServer(handler: FakeHandler, maxRequests = 100): Promise<FakeServer> {
  let current = handler;
  const timers = new Set<NodeJS.Timeout>();
  const state: FakeServer = {
    url: '',
    requests: [],
    overrun: false,
    setHandler(h) {
      current = h;
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    state.requests.push(recorded);
    if (state.requests.length > maxRequests) {
      state.overrun = true;
      res.writeHead(599, { 'content-type': 'text/plain' }).end('fake server: request budget exhausted');
      return;
    }
    let scripted: ScriptedResponse;
    try {
      scripted = await current(recorded, state.requests.length);
    } catch (err) {
      res.writeHead(599, { 'content-type': 'text/plain' }).end(`fake server handler threw: ${String(err)}`);
      return;
    }
    const send = () => {
      if (res.destroyed) return;
      const body = scripted.body;
      const isText = typeof body === 'string' || body === undefined;
      const headers = { 'content-type': isText ? 'text/plain' : 'application/json', ...scripted.headers };
      res.writeHead(scripted.status ?? 200, headers).end(isText ? (body ?? '') : JSON.stringify(body));
    };
    if (scripted.delayMs) {
      const t = setTimeout(() => {
        timers.delete(t);
        send();
      }, scripted.delayMs);
      timers.add(t);
    } else send();
  };

  const server: Server = createServer((req, res) => {
    answer(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
