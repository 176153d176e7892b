import { describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { RateLimitError } from '../src/errors.js';
import { RateLimiter } from '../src/rate-limit.js';
import { RetryPolicy } from '../src/retry.js';
import { Runtime } from '../src/runtime.js';
import { testApi } from './helpers/api.js';
import { fakeClock } from '../../../scripts/testing/kit.js';

/** A clock whose sleeps only end when the test advances it (so that callers can be seen waiting). */
function manualClock(start = 1_700_000_000_000) {
  let now = start;
  const sleepers: { until: number; resolve: () => void }[] = [];
  const clock: Clock & { advance(ms: number): Promise<void>; waiting(): number } = {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const sleeper = { until: now + ms, resolve };
        sleepers.push(sleeper);
        signal?.addEventListener('abort', () => {
          sleepers.splice(sleepers.indexOf(sleeper), 1);
          reject(signal.reason);
        });
      });
    },
    async advance(ms) {
      now += ms;
      for (const s of sleepers.filter((x) => x.until <= now)) {
        sleepers.splice(sleepers.indexOf(s), 1);
        s.resolve();
      }
      for (let i = 0; i < 20; i++) await Promise.resolve();
    },
    waiting: () => sleepers.length,
  };
  return clock;
}

/** Lets every pending callback run (no I/O is involved: the fetch is a function). */
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

/** The most grants in any window of `windowMs` (a window (t - windowMs, t] ending at each grant). */
function mostInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let end = 0, begin = 0; end < sorted.length; end++) {
    while (sorted[begin]! <= sorted[end]! - windowMs) begin++;
    most = Math.max(most, end - begin + 1);
  }
  return most;
}

describe('RateLimiter with a fake clock', () => {
  it('lets `limit` requests through at once, then never more than `limit` in any window, in arrival order', async () => {
    const clock = fakeClock();
    const start = clock.now();
    const limiter = new RateLimiter({ limit: 5, intervalMs: 1_000, clock });
    const served: { index: number; at: number }[] = [];
    await Promise.all(Array.from({ length: 17 }, (_, index) => limiter.acquire().then(() => served.push({ index, at: clock.now() }))));
    expect(served.map((s) => s.index)).toEqual(Array.from({ length: 17 }, (_, i) => i));
    expect(served.filter((s) => s.at === start)).toHaveLength(5);
    // The window is the interval plus a 3 % margin (30 ms here): no window of that length holds more than 5.
    expect(limiter.windowMs).toBe(1_030);
    expect(mostInAnyWindow(served.map((s) => s.at), 1_030)).toBe(5);
    expect(served.at(-1)!.at - start).toBe(3 * 1_030);
  });

  it('never lets twice the limit through across the first interval (the full token bucket did)', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ limit: 4, intervalMs: 1_000, marginMs: 0, clock });
    const served: number[] = [];
    const take = (n: number) => Promise.all(Array.from({ length: n }, () => limiter.acquire().then(() => served.push(clock.now()))));
    await take(4); // a full window's worth at once
    await clock.advance(999);
    const late = take(4); // a bucket refilled continuously would have let ~4 more through by now
    await flush();
    expect(served).toHaveLength(4);
    await clock.advance(1);
    await late;
    expect(served).toHaveLength(8);
    expect(mostInAnyWindow(served, 1_000)).toBe(4);
  });

  it('keeps waiting callers waiting until the clock moves, and never lets more through than the budget', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ limit: 2, intervalMs: 60_000, marginMs: 0, clock });
    let served = 0;
    const all = Array.from({ length: 6 }, () => limiter.acquire().then(() => served++));
    await flush();
    expect(served).toBe(2);
    expect(clock.waiting()).toBe(1); // FIFO: only the head of the queue sleeps
    await clock.advance(30_000);
    await flush();
    expect(served).toBe(2); // half an interval frees nothing
    await clock.advance(30_000); // the first two leave the window
    await flush();
    expect(served).toBe(4);
    await clock.advance(60_000);
    await Promise.all(all);
    expect(served).toBe(6);
  });

  it('drops a waiting caller whose signal aborts at once, even behind others, and serves the next one in its place', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ limit: 1, intervalMs: 1_000, marginMs: 0, clock });
    await limiter.acquire();
    const controller = new AbortController();
    const order: string[] = [];
    const first = limiter.acquire().then(() => order.push('first served'));
    const aborted = limiter.acquire(controller.signal).then(
      () => order.push('aborted caller served'),
      (e: Error) => order.push(`aborted caller left: ${e.message}`),
    );
    const next = limiter.acquire().then(() => order.push('next served'));
    await flush();
    controller.abort(new Error('caller gave up'));
    await aborted; // it left while still behind `first`, without waiting for its turn
    expect(order).toEqual(['aborted caller left: caller gave up']);
    await clock.advance(1_000);
    await first;
    await clock.advance(1_000);
    await next;
    expect(order).toEqual(['aborted caller left: caller gave up', 'first served', 'next served']);
    await expect(limiter.acquire(AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });

  it('pause holds every caller until the time given, capped at maxPauseMs', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ limit: 100, intervalMs: 1_000, clock, maxPauseMs: 5_000 });
    limiter.pause(clock.now() + 2_000);
    let served = 0;
    const all = Array.from({ length: 3 }, () => limiter.acquire().then(() => served++));
    await flush();
    expect(served).toBe(0);
    expect(limiter.available()).toBe(0);
    limiter.pause(clock.now() + 1_000); // an earlier time never shortens a pause
    await clock.advance(1_999);
    await flush();
    expect(served).toBe(0);
    await clock.advance(1);
    await Promise.all(all);
    expect(served).toBe(3);
    limiter.pause(clock.now() + 3_600_000); // "Retry-After: 3600": held 5 s, not an hour
    const held = limiter.acquire().then(() => served++);
    await flush();
    await clock.advance(4_999);
    await flush();
    expect(served).toBe(3);
    await clock.advance(1);
    await held;
    expect(served).toBe(4);
  });

  it('refuses a limit that is not a positive integer, and an interval or margin out of range', () => {
    expect(() => new RateLimiter({ limit: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 2.5 })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 10, intervalMs: -1 })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 10, marginMs: -1 })).toThrow(RangeError);
    expect(new RateLimiter({ limit: 1000 }).windowMs).toBe(61_000);
    expect(new RateLimiter({ limit: 10, intervalMs: 3_600_000 }).windowMs).toBe(3_601_000);
  });
});

/** A fetch that answers from a script and records what was sent, with the fake clock's time. */
function scripted(clock: Clock, answers: ((n: number) => Response) | Response[]) {
  const sent: { url: string; method: string; at: number }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    sent.push({ url: request.url, method: request.method, at: clock.now() });
    const n = sent.length;
    const answer = typeof answers === 'function' ? answers(n) : answers[Math.min(n, answers.length) - 1]!;
    return answer.clone();
  };
  return { fetch, sent };
}

const ok = () => Response.json({ id: 'x', name: 'thing' });
const tooMany = (headers: Record<string, string> = {}) => Response.json({ type: 'TOO_MANY_REQUESTS', message: 'Too many requests', status: 429 }, { status: 429, headers });

describe('the client-side limit in the runtime', () => {
  it('is shared by every call of one client: the calls beyond the budget wait for the clock', async () => {
    const clock = manualClock();
    const { fetch, sent } = scripted(clock, () => ok());
    const runtime = new Runtime(testApi, { baseUrl: 'https://api.test.invalid/v1', credentials: { bearer: 'tok-1234' }, fetch, clock, rateLimit: { limit: 3, intervalMs: 60_000, marginMs: 0 } });
    const calls = Promise.all(Array.from({ length: 7 }, (_, i) => runtime.call(testApi.operations.getThing!, { id: String(i) })));
    await settle();
    expect(sent).toHaveLength(3);
    await clock.advance(20_000);
    await settle();
    expect(sent).toHaveLength(3); // nothing leaves the window before a whole interval
    await clock.advance(40_000); // the first three leave it
    await settle();
    expect(sent).toHaveLength(6);
    await clock.advance(60_000);
    await settle();
    expect(sent).toHaveLength(7);
    await calls;
    // Served in the order the calls were made.
    expect(sent.map((s) => s.url.split('/').pop())).toEqual(['0', '1', '2', '3', '4', '5', '6']);
  });

  it('accepts any object with acquire (and pause) as the limiter, and pauses it on a 429 with Retry-After', async () => {
    const clock = fakeClock();
    const { fetch, sent } = scripted(clock, [tooMany({ 'retry-after': '2' }), tooMany(), ok()]);
    const seen: string[] = [];
    const limiter = {
      acquire: async () => {
        seen.push(`acquire at +${clock.now() - 1_700_000_000_000}`);
      },
      pause: (untilMs: number) => {
        seen.push(`pause until +${untilMs - 1_700_000_000_000}`);
      },
    };
    const retry = { maxAttempts: 3, baseDelayMs: 100, jitter: 0 };
    const runtime = new Runtime(testApi, { baseUrl: 'https://api.test.invalid/v1', credentials: { bearer: 'tok-1234' }, fetch, clock, rateLimit: limiter, retry });
    expect(runtime.limiter).toBe(limiter);
    await runtime.call(testApi.operations.getThing!, { id: '1' });
    expect(sent).toHaveLength(3);
    // Only the 429 that said how long to wait pauses the limiter; one without Retry-After does not.
    expect(seen).toEqual(['acquire at +0', 'pause until +2000', 'acquire at +2000', expect.stringMatching(/^acquire at \+2\d{3}$/)]);
  });

  it('is separate per client, and off unless configured', async () => {
    const clock = fakeClock();
    const { fetch, sent } = scripted(clock, () => ok());
    const options = { baseUrl: 'https://api.test.invalid/v1', credentials: { bearer: 'tok-1234' }, fetch, clock };
    const a = new Runtime(testApi, { ...options, rateLimit: { limit: 1, intervalMs: 60_000 } });
    const b = new Runtime(testApi, { ...options, rateLimit: { limit: 1, intervalMs: 60_000 } });
    await Promise.all([a.call(testApi.operations.getThing!, { id: 'a' }), b.call(testApi.operations.getThing!, { id: 'b' })]);
    expect(clock.sleeps).toEqual([]);
    const unlimited = new Runtime(testApi, { ...options, rateLimit: false });
    await Promise.all(Array.from({ length: 50 }, () => unlimited.call(testApi.operations.getThing!, { id: 'u' })));
    expect(clock.sleeps).toEqual([]);
    expect(sent).toHaveLength(52);
  });
});

describe('429 Too Many Requests', () => {
  const base = { baseUrl: 'https://api.test.invalid/v1', credentials: { bearer: 'tok-1234', basic: { username: 'u', password: 'p4ssw0rd' } } };

  it('waits as long as Retry-After says, then retries', async () => {
    const clock = fakeClock();
    const { fetch, sent } = scripted(clock, [tooMany({ 'retry-after': '3' }), ok()]);
    const runtime = new Runtime(testApi, { ...base, fetch, clock });
    await expect(runtime.call(testApi.operations.getThing!, { id: '1' })).resolves.toEqual({ id: 'x', name: 'thing' });
    expect(sent).toHaveLength(2);
    expect(clock.sleeps).toEqual([3_000]);
  });

  it('backs off when no Retry-After is sent, and retries even a POST (a 429 was not processed)', async () => {
    const clock = fakeClock();
    const { fetch, sent } = scripted(clock, [tooMany(), tooMany(), ok()]);
    const retry = { maxAttempts: 4, baseDelayMs: 100, random: () => 0.5 };
    const runtime = new Runtime(testApi, { ...base, fetch, clock, retry });
    await runtime.call(testApi.operations.createThing!, { body: { name: 'n' } });
    expect(sent.map((s) => s.method)).toEqual(['POST', 'POST', 'POST']);
    const policy = new RetryPolicy(retry);
    expect(clock.sleeps).toEqual([policy.backoff(1), policy.backoff(2)]);
  });

  it('gives up within its budget: a RateLimitError after maxAttempts, never an endless loop', async () => {
    const clock = fakeClock();
    const { fetch, sent } = scripted(clock, () => tooMany({ 'retry-after': '1' }));
    const runtime = new Runtime(testApi, { ...base, fetch, clock, retry: { maxAttempts: 3 } });
    const error = (await runtime.call(testApi.operations.getThing!, { id: '1' }).catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, attempts: 3, retryAfterMs: 1_000 });
    expect(sent).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('does not sleep for a Retry-After beyond maxRetryAfterMs: the error comes back at once, saying how long', async () => {
    const clock = fakeClock();
    const { fetch, sent } = scripted(clock, () => tooMany({ 'retry-after': '600' }));
    const runtime = new Runtime(testApi, { ...base, fetch, clock, retry: { maxAttempts: 5, maxRetryAfterMs: 60_000 } });
    const error = await runtime.call(testApi.operations.getThing!, { id: '1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RateLimitError', retryAfterMs: 600_000, attempts: 1 });
    expect(sent).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });
});
