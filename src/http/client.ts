/**
 * The shared HTTP client every API source uses: Node's global fetch behind a p-queue (the only place that
 * knows about concurrency and request rate), retries with exponential backoff and full jitter on 429, 5xx,
 * timeouts and network errors, `Retry-After` and HubSpot rate-limit headers honoured, and a hard ceiling on
 * attempts. Secrets (the `Authorization` header's credential and any `secrets` given) never appear in an
 * error or a log line.
 */
import PQueue from 'p-queue';
import { log } from '../log.js';
import { HttpError, redact, serverMessage } from './http-error.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter, rateLimitPause } from './retry-policy.js';

export interface HttpClientOptions {
  /** Origin and optional path prefix every request path is appended to, e.g. `https://api.hubapi.com`. */
  baseUrl: string;
  /** Headers sent with every request, e.g. `{ authorization: 'Bearer ...' }`. Credentials in them are redacted. */
  headers?: Record<string, string>;
  /** Further strings to redact from errors and logs (API keys sent some other way). @default [] */
  secrets?: string[];
  /** Requests in flight at once. @default 4 */
  concurrency?: number;
  /** Requests started per `interval` (p-queue's `intervalCap`). @default Infinity */
  intervalCap?: number;
  /** Length of the rate window in milliseconds (p-queue's `interval`). @default 0 */
  interval?: number;
  /** Attempts per request, the first included; the hard ceiling on retries. @default 6 */
  maxAttempts?: number;
  /** Backoff ceiling of the first retry; doubles per attempt. @default 500 */
  baseDelayMs?: number;
  /** Largest backoff ceiling, whatever the attempt. @default 30_000 */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this fails the request instead of waiting. @default 300_000 */
  maxRetryAfterMs?: number;
  /** Per attempt, from sending the request to reading the whole body. @default 30_000 */
  timeoutMs?: number;
  /** Uniform [0, 1) source for jitter; inject for deterministic tests. @default Math.random */
  random?: () => number;
  /** Waits between attempts and rate-limit pauses; inject to make tests instant. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Clock for HTTP-date `Retry-After` values. @default () => new Date() */
  now?: () => Date;
  /** Receives one line per retry (already redacted). @default log.warn (stderr) */
  log?: (message: string) => void;
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path below `baseUrl`, starting with `/`. */
  path: string;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | undefined>;
  /** A JSON body (sets `content-type: application/json`). */
  json?: unknown;
  /** A form body (`application/x-www-form-urlencoded`, as Stripe's write API takes); ignored when `json` is set. */
  form?: Record<string, string>;
  /** Headers for this request only, on top of the client's (e.g. Stripe's `Idempotency-Key`). */
  headers?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The body as text: page batches are hashed from exactly these bytes. */
  text: string;
  /** Attempts it took, the successful one included. */
  attempts: number;
}

export interface HttpClient {
  /** Sends a request with retries; resolves with a 2xx response or rejects with an `HttpError`. */
  request(req: HttpRequest): Promise<HttpResponse>;
  /** `request`, then the body parsed as JSON (an `HttpError` if it is not JSON). */
  json<T = unknown>(req: HttpRequest): Promise<{ data: T; response: HttpResponse }>;
  /** Resolves when no request is queued or in flight. */
  onIdle(): Promise<void>;
}

type Attempt =
  { kind: 'response'; status: number; headers: Headers; text: string } | { kind: 'network'; message: string };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates a client. Every attempt of every request goes through one p-queue, so `concurrency` and
 * `intervalCap`/`interval` bound the whole source, retries included; the waits between attempts happen
 * outside the queue so a sleeping retry holds no slot.
 *
 * @example
 * const http = createHttpClient({ baseUrl: 'https://api.stripe.com', headers: { authorization: `Bearer ${key}` }, intervalCap: 25, interval: 1000 });
 * const { data } = await http.json({ path: '/v1/charges', query: { limit: 100 } });
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const {
    baseUrl,
    headers = {},
    concurrency = 4,
    intervalCap = Number.POSITIVE_INFINITY,
    interval = 0,
    maxAttempts = 6,
    baseDelayMs = 500,
    maxDelayMs = 30_000,
    maxRetryAfterMs = 300_000,
    timeoutMs = 30_000,
    random = Math.random,
    sleep = defaultSleep,
    now = () => new Date(),
    log: logLine = log.warn,
  } = options;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new Error(`createHttpClient: maxAttempts must be a positive integer, got ${maxAttempts}`);
  const secrets = [...(options.secrets ?? []), ...credentialsIn(headers)];
  const queue = new PQueue({ concurrency, intervalCap, interval });
  const prefix = baseUrl.replace(/\/+$/, '');
  // A rate-limit pause every request waits on before it is queued (set when a response says the budget is spent).
  let gate: Promise<void> = Promise.resolve();

  async function attempt(method: string, url: string, req: HttpRequest): Promise<Attempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const form = req.json === undefined && req.form !== undefined ? new URLSearchParams(req.form).toString() : null;
      const contentType =
        req.json !== undefined ? 'application/json' : form !== null ? 'application/x-www-form-urlencoded' : null;
      const res = await fetch(url, {
        method,
        headers: { ...headers, ...(contentType ? { 'content-type': contentType } : {}), ...req.headers },
        body: req.json !== undefined ? JSON.stringify(req.json) : form,
        signal: controller.signal,
      });
      const text = await res.text();
      return { kind: 'response', status: res.status, headers: res.headers, text };
    } catch (err) {
      if (controller.signal.aborted) return { kind: 'network', message: `timed out after ${timeoutMs} ms` };
      return { kind: 'network', message: networkMessage(err) };
    } finally {
      clearTimeout(timer);
    }
  }

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const method = req.method ?? 'GET';
    const url = new URL(prefix + req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const path = redact(url.pathname, secrets);
    for (let n = 1; ; n++) {
      await gate;
      const outcome = await queue.add(() => attempt(method, url.href, req));
      let wait: number;
      let what: string;
      let shown: number;
      if (outcome.kind === 'response') {
        const response: HttpResponse = {
          status: outcome.status,
          headers: outcome.headers,
          text: outcome.text,
          attempts: n,
        };
        const pause = rateLimitPause(response.headers);
        if (pause > 0) gate = sleep(pause);
        if (response.status >= 200 && response.status < 300) return response;
        const detail = serverMessage(response.text, secrets);
        if (!isRetryableStatus(response.status) || n >= maxAttempts)
          throw new HttpError(method, path, response.status, n, detail);
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
        if (retryAfter !== undefined && retryAfter > maxRetryAfterMs)
          throw new HttpError(
            method,
            path,
            response.status,
            n,
            `${detail} (the server asked to retry after ${retryAfter / 1000} s, beyond maxRetryAfterMs ${maxRetryAfterMs})`,
          );
        // A 429 that spent the rate-limit budget has already paused every request through `gate`.
        wait =
          retryAfter ?? (response.status === 429 && pause > 0 ? 0 : backoffDelay(n, baseDelayMs, maxDelayMs, random));
        what = `HTTP ${response.status}`;
        shown = wait > 0 ? wait : pause;
      } else {
        const detail = redact(outcome.message, secrets);
        if (n >= maxAttempts) throw new HttpError(method, path, null, n, detail);
        wait = backoffDelay(n, baseDelayMs, maxDelayMs, random);
        what = detail;
        shown = wait;
      }
      logLine(
        `${method} ${path}: ${what}; retrying in ${(shown / 1000).toFixed(1)} s (attempt ${n + 1} of ${maxAttempts})`,
      );
      if (wait > 0) await sleep(wait);
    }
  }

  async function json<T>(req: HttpRequest): Promise<{ data: T; response: HttpResponse }> {
    const response = await request(req);
    try {
      return { data: JSON.parse(response.text) as T, response };
    } catch {
      const path = redact(new URL(prefix + req.path).pathname, secrets);
      const start = redact(response.text.slice(0, 80), secrets);
      throw new HttpError(
        req.method ?? 'GET',
        path,
        response.status,
        response.attempts,
        `the response is not JSON: ${JSON.stringify(start)}`,
      );
    }
  }

  return { request, json, onIdle: () => queue.onIdle() };
}

/** Credentials in `Authorization`-style headers: the whole value and the token after the scheme. */
function credentialsIn(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!/^(authorization|proxy-authorization|x-api-key|api-key)$/i.test(name)) continue;
    out.push(value);
    const m = /^\s*(?:Bearer|Basic|Token)\s+(.+)$/i.exec(value);
    if (m?.[1]) {
      out.push(m[1]);
      if (/^basic$/i.test(value.trim().split(/\s+/)[0] ?? '')) {
        const decoded = Buffer.from(m[1], 'base64').toString('utf8');
        out.push(...decoded.split(':').filter((part) => part.length > 0));
      }
    }
  }
  return out;
}

/** A network error's most specific text (undici puts the system error code in `cause`). */
function networkMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const causeMessage = typeof cause?.message === 'string' ? cause.message : undefined;
  return [err.message, code ?? causeMessage].filter(Boolean).join(': ');
}
