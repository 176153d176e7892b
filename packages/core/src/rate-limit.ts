import { type Clock, systemClock } from './clock.js';

/**
 * A client-side token bucket shared by every call of one client: `limit` requests per `intervalMs`,
 * refilled continuously. Callers beyond the budget wait their turn in order (FIFO), and a waiting
 * caller whose AbortSignal fires leaves the queue.
 */
export interface RateLimitOptions {
  /** Requests allowed per interval. */
  limit: number;
  /** Interval length. Default one minute. */
  intervalMs?: number;
  /** Clock, injectable for tests. */
  clock?: Clock;
}

/**
 * What a client waits on before each attempt. Any object with `acquire` will do (e.g. a limiter
 * shared through Redis); RateLimiter is the in-process one.
 */
export interface Limiter {
  /** Resolves when a request may be sent; rejects with the signal's reason when it aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
}

export class RateLimiter implements Limiter {
  readonly limit: number;
  readonly intervalMs: number;
  private readonly clock: Clock;
  private tokens: number;
  private updatedAt: number;
  private tail: Promise<void> = Promise.resolve();

  constructor(options: RateLimitOptions) {
    if (!(options.limit > 0)) throw new RangeError('rateLimit.limit must be a positive number');
    this.limit = options.limit;
    this.intervalMs = options.intervalMs ?? 60_000;
    if (!(this.intervalMs > 0)) throw new RangeError('rateLimit.intervalMs must be a positive number');
    this.clock = options.clock ?? systemClock;
    this.tokens = this.limit;
    this.updatedAt = this.clock.now();
  }

  /** Tokens available right now (fractional). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Waits until a request may be sent, then takes one token. */
  acquire(signal?: AbortSignal): Promise<void> {
    // Chain callers so that they are served in arrival order.
    const turn = this.tail.then(() => this.take(signal));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) * this.intervalMs) / this.limit);
      await this.clock.sleep(waitMs, signal);
    }
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = now - this.updatedAt;
    if (elapsed > 0) {
      this.tokens = Math.min(this.limit, this.tokens + (elapsed * this.limit) / this.intervalMs);
      this.updatedAt = now;
    }
  }
}
