import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, parseRetryAfter, rateLimitPause } from '../../src/http/retry-policy.js';

describe('backoffDelay (full jitter)', () => {
  it('draws uniformly below min(max, base * 2^(attempt-1))', () => {
    // Hand calculation: ceiling = min(30000, 500 * 2^(n-1)); delay = floor(random * ceiling).
    expect(backoffDelay(1, 500, 30_000, () => 0.5)).toBe(250); // 0.5 * 500
    expect(backoffDelay(3, 500, 30_000, () => 0.5)).toBe(1000); // 0.5 * 2000
    expect(backoffDelay(4, 500, 30_000, () => 0.999)).toBe(3996); // floor(0.999 * 4000)
    expect(backoffDelay(10, 500, 30_000, () => 0.5)).toBe(15_000); // 500 * 2^9 = 256000, capped at 30000
    expect(backoffDelay(2, 500, 30_000, () => 0)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2015-10-21T07:27:00Z');
  it('reads delay-seconds and HTTP-dates (RFC 9110 10.2.3)', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    // 07:28:00 minus 07:27:00 = 60 s
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('rateLimitPause', () => {
  it('pauses for the HubSpot interval when the budget is spent', () => {
    const spent = new Headers({
      'x-hubspot-ratelimit-remaining': '0',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
    });
    expect(rateLimitPause(spent)).toBe(10_000);
    expect(rateLimitPause(new Headers({ 'x-hubspot-ratelimit-secondly-remaining': '0' }))).toBe(1000);
    expect(rateLimitPause(new Headers({ 'x-hubspot-ratelimit-remaining': '57' }))).toBe(0);
    expect(rateLimitPause(new Headers())).toBe(0);
  });
  it('retries 429 and 5xx only', () => {
    expect([429, 500, 503, 599, 400, 401, 404, 200].map(isRetryableStatus)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
