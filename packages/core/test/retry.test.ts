import { describe, expect, it } from 'vitest';
import { parseRetryAfter, RetryPolicy } from '../src/retry.js';

describe('RetryPolicy', () => {
  it('backs off exponentially, capped, with jitter inside its band', () => {
    const low = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, jitter: 0.5, maxAttempts: 10, random: () => 0 });
    const high = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, jitter: 0.5, maxAttempts: 10, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6].map((a) => low.backoff(a))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map((a) => high.backoff(a))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('stops after maxAttempts and refuses a Retry-After beyond its limit', () => {
    const policy = new RetryPolicy({ maxAttempts: 3, maxRetryAfterMs: 5000, random: () => 0.5 });
    expect(policy.delayBeforeRetry(1, undefined)).toBeGreaterThan(0);
    expect(policy.delayBeforeRetry(2, 1200)).toBe(1200);
    expect(policy.delayBeforeRetry(3, 10)).toBeUndefined();
    expect(policy.delayBeforeRetry(1, 5001)).toBeUndefined();
    expect(policy.delayBeforeRetry(1, 0)).toBe(0);
  });

  it('retries the transient statuses only', () => {
    const policy = new RetryPolicy();
    expect([408, 429, 500, 502, 503, 504].every((s) => policy.isRetryableStatus(s))).toBe(true);
    expect([400, 401, 403, 404, 409, 422, 501].some((s) => policy.isRetryableStatus(s))).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  const h = (init: Record<string, string>) => new Headers(init);

  it('reads delta seconds, fractional seconds and retry-after-ms', () => {
    expect(parseRetryAfter(h({ 'retry-after': '3' }), now)).toBe(3000);
    expect(parseRetryAfter(h({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(parseRetryAfter(h({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
  });

  it('reads an HTTP date, and a date in the past means now', () => {
    expect(parseRetryAfter(h({ 'retry-after': 'Mon, 23 Nov 2026 10:00:07 GMT' }), now)).toBe(7000);
    expect(parseRetryAfter(h({ 'retry-after': 'Mon, 23 Nov 2026 09:59:00 GMT' }), now)).toBe(0);
  });

  it('ignores a missing or unparseable value', () => {
    expect(parseRetryAfter(h({}), now)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after': '-5' }), now)).toBeUndefined();
  });
});
