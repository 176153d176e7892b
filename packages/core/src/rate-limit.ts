import type { Logger } from './logger.js';
import { type Clock, systemClock } from './clock.js';

/**
 * Client-side rate limits. A client waits on its Limiter before every attempt it sends.
 *
 * `RateLimiter` is the in-process one: a sliding window that never lets more than `limit` requests
 * through in any window of `intervalMs` (plus a small margin, see `marginMs`), whatever the moment
 * the window starts. (A token bucket that starts full lets up to twice the limit through in the
 * first interval, and a fixed-window counter twice the limit across a window boundary; a server
 * that counts in a sliding window answers both with 429s.) Callers beyond the budget wait their
 * turn in arrival order (FIFO); a waiting caller whose AbortSignal fires leaves the queue at once.
 *
 * `RedisRateLimiter` (redis-rate-limit.ts) enforces one budget across every process and host that
 * shares a Redis; any other object with `acquire` can be given as a client's `rateLimit` too.
 */
export interface RateLimitOptions {
  /** Requests allowed per interval: a positive integer. */
  limit: number;
  /** Interval length. Default one minute. */
  intervalMs?: number;
  /**
   * How much longer than `intervalMs` the enforced window is, so that requests that take different
   * times to reach the server (a new TLS connection, a busy event loop) still arrive within the
   * server's limit. Default 3 % of `intervalMs`, at most 1 s (1 s for 1000 per minute, 300 ms for
   * 300 per 10 s). 0 for an exact window.
   */
  marginMs?: number;
  /**
   * The longest a `pause` (a 429's Retry-After) holds the callers. Default 60 s, the retry policy's
   * default `maxRetryAfterMs`: a longer Retry-After comes back at once as a RateLimitError anyway.
   */
  maxPauseMs?: number;
  /** Clock, injectable for tests. */
  clock?: Clock;
}

/**
 * What a client waits on before each attempt it sends (`ClientOptions.rateLimit`). Any object with
 * `acquire` will do; `pause` is optional.
 *
 * ```ts
 * const limiter: Limiter = {
 *   acquire: (signal) => myQueue.take(signal),        // resolve when a request may go
 *   pause: (untilMs) => myQueue.holdUntil(untilMs),   // the server said: not before untilMs
 * };
 * createPax8Client({ clientId, clientSecret, rateLimit: limiter });
 * ```
 */
export interface Limiter {
  /**
   * Resolves when one request may be sent (the request counts against the budget from then on);
   * rejects with the signal's reason when it aborts first. Must not reject otherwise: a limiter
   * that cannot reach its store lets the request through on a local budget instead.
   */
  acquire(signal?: AbortSignal): Promise<void>;
  /**
   * The server answered 429 with Retry-After: nobody sharing this limiter sends before `untilMs`
   * (epoch ms, the client's clock). Called by the client for every such answer; never throws.
   */
  pause?(untilMs: number): void;
  /** Given the client's logger when the client is created, for a limiter without a logger of its own. */
  useLogger?(logger: Logger): void;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * Callers in arrival order in front of a `take` step that either takes one slot (returns 0) or says
 * how long to wait before asking again (ms > 0). Only the head of the queue asks; an aborted caller
 * leaves at once, and a slot taken for a caller who left goes to the next one.
 * @internal
 */
export class WaitQueue {
  private readonly waiters: Waiter[] = [];
  private pumping = false;
  private nap: AbortController | undefined;

  constructor(
    private readonly take: () => number | Promise<number>,
    private readonly clock: Clock,
    /** Called with nobody left to give a slot that was just taken. */
    private readonly unused?: () => void,
  ) {}

  get length(): number {
    return this.waiters.length;
  }

  enqueue(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const at = this.waiters.indexOf(waiter);
          if (at === -1) return;
          this.waiters.splice(at, 1);
          reject(signal.reason);
          if (this.waiters.length === 0) this.nap?.abort();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      void this.pump();
    });
  }

  /** Cuts the current wait short (e.g. the budget changed); the head asks again at once. */
  wake(): void {
    this.nap?.abort();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        let waitMs: number;
        try {
          waitMs = await this.take();
        } catch {
          waitMs = 1; // a take step must not throw; if it does, ask again shortly rather than stall
        }
        if (!(waitMs > 0)) {
          const waiter = this.waiters.shift();
          if (!waiter) {
            this.unused?.();
            continue;
          }
          if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
          waiter.resolve();
          continue;
        }
        const nap = new AbortController();
        this.nap = nap;
        await this.clock.sleep(Math.ceil(waitMs), nap.signal).catch(() => undefined);
        this.nap = undefined;
      }
    } finally {
      this.pumping = false;
    }
  }
}

/** The window a limit is enforced over: the interval plus its margin. @internal */
export function windowOf(options: Pick<RateLimitOptions, 'limit' | 'intervalMs' | 'marginMs'>, what = 'rateLimit'): { limit: number; intervalMs: number; windowMs: number } {
  const limit = options.limit;
  if (!(typeof limit === 'number' && Number.isInteger(limit) && limit >= 1)) throw new RangeError(`${what}.limit must be a positive integer`);
  const intervalMs = options.intervalMs ?? 60_000;
  if (!(typeof intervalMs === 'number' && Number.isFinite(intervalMs) && intervalMs > 0)) throw new RangeError(`${what}.intervalMs must be a positive number`);
  const marginMs = options.marginMs ?? Math.min(1_000, (intervalMs * 3) / 100);
  if (!(typeof marginMs === 'number' && Number.isFinite(marginMs) && marginMs >= 0)) throw new RangeError(`${what}.marginMs must be a number ≥ 0`);
  return { limit, intervalMs, windowMs: intervalMs + marginMs };
}

export class RateLimiter implements Limiter {
  readonly limit: number;
  readonly intervalMs: number;
  /** The enforced window: `intervalMs` plus the margin. */
  readonly windowMs: number;
  private readonly clock: Clock;
  private readonly maxPauseMs: number;
  /** When each request of the current window was let through, oldest first (from `start`). */
  private grants: number[] = [];
  private start = 0;
  private notBefore = 0;
  private readonly queue: WaitQueue;

  constructor(options: RateLimitOptions) {
    const { limit, intervalMs, windowMs } = windowOf(options);
    this.limit = limit;
    this.intervalMs = intervalMs;
    this.windowMs = windowMs;
    this.maxPauseMs = options.maxPauseMs ?? 60_000;
    this.clock = options.clock ?? systemClock;
    this.queue = new WaitQueue(() => this.take(), this.clock, () => this.grants.pop());
  }

  /** Requests that may be sent right now without waiting. */
  available(): number {
    const now = this.clock.now();
    if (now < this.notBefore) return 0;
    this.expire(now);
    return this.limit - (this.grants.length - this.start);
  }

  /** Waits until a request may be sent, in arrival order, and counts it. */
  acquire(signal?: AbortSignal): Promise<void> {
    return this.queue.enqueue(signal);
  }

  /** Holds every caller until `untilMs` (at most `maxPauseMs` from now). */
  pause(untilMs: number): void {
    if (typeof untilMs !== 'number' || !Number.isFinite(untilMs)) return;
    const until = Math.min(untilMs, this.clock.now() + this.maxPauseMs);
    if (until > this.notBefore) this.notBefore = until;
  }

  /**
   * Takes one slot now (0) or says how many ms until one frees up. Used by the queue, and by the
   * Redis limiter while Redis is unreachable.
   * @internal
   */
  take(): number {
    const now = this.clock.now();
    if (now < this.notBefore) return this.notBefore - now;
    this.expire(now);
    if (this.grants.length - this.start < this.limit) {
      this.grants.push(now);
      return 0;
    }
    return Math.max(1, this.grants[this.start]! + this.windowMs - now);
  }

  /**
   * Records a request let through elsewhere (the Redis limiter's grants), so that this process's
   * own window is right when it has to fall back on it.
   * @internal
   */
  record(at = this.clock.now()): void {
    this.expire(at);
    this.grants.push(at);
    // Never more than `limit` remembered: the oldest beyond it no longer decide anything.
    if (this.grants.length - this.start > this.limit) this.start = this.grants.length - this.limit;
  }

  /** Grants recorded since `since` (the Redis limiter's grants while it was down). @internal */
  grantsSince(since: number): number[] {
    return this.grants.slice(this.start).filter((t) => t >= since);
  }

  private expire(now: number): void {
    const oldest = now - this.windowMs;
    while (this.start < this.grants.length && this.grants[this.start]! <= oldest) this.start++;
    if (this.start > 1024 && this.start * 2 > this.grants.length) {
      this.grants = this.grants.slice(this.start);
      this.start = 0;
    }
  }
}
