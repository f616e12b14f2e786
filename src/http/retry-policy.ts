/**
 * When to retry an HTTP request and how long to wait first. Pure functions of the status, the response
 * headers, the attempt number and an injected random source, so the policy is tested without a network or
 * a clock.
 */

/** Statuses worth another attempt: rate limited, or a server-side failure that may be transient. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015): a
 * uniform draw in [0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))). Full jitter spreads clients that failed
 * together so they do not retry together.
 *
 * @param attempt the attempt that just failed, 1-based
 * @example backoffDelay(3, 500, 30_000, () => 0.5) // 1000 (half of 500 * 2^2)
 */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds a `Retry-After` header asks the client to wait (RFC 9110 section 10.2.3): either
 * delay-seconds (`"120"`) or an HTTP-date (`"Wed, 21 Oct 2015 07:28:00 GMT"`, measured from `now`). A date in
 * the past means 0; an absent or unreadable header means undefined.
 *
 * @example parseRetryAfter('3', new Date()) // 3000
 */
export function parseRetryAfter(header: string | null | undefined, now: Date): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined; // a negative or fractional number is not a valid Retry-After
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/**
 * Milliseconds to hold further requests after a response whose rate-limit headers say the budget is spent.
 * HubSpot sends `X-HubSpot-RateLimit-Remaining` with `X-HubSpot-RateLimit-Interval-Milliseconds` (the
 * rolling window, usually 10 s) and `X-HubSpot-RateLimit-Secondly-Remaining` (a one-second window); a zero in
 * either means the next request would be refused with a 429. Returns 0 when the budget is not spent.
 *
 * @example rateLimitPause(new Headers({ 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': '10000' })) // 10000
 */
export function rateLimitPause(headers: Headers): number {
  const remaining = headers.get('x-hubspot-ratelimit-remaining');
  if (remaining !== null && Number(remaining) <= 0) {
    const interval = Number(headers.get('x-hubspot-ratelimit-interval-milliseconds'));
    return Number.isFinite(interval) && interval > 0 ? interval : 10_000;
  }
  const secondly = headers.get('x-hubspot-ratelimit-secondly-remaining');
  if (secondly !== null && Number(secondly) <= 0) return 1_000;
  return 0;
}
