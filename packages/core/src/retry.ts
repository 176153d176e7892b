/**
 * The retry strategy as its own object: which failures are retried, how long to wait, and when to
 * stop. Retries are bounded by attempts and by the longest wait the caller accepts.
 */

export interface RetryOptions {
  /** Total attempts including the first. 1 disables retries. Default 3. */
  maxAttempts?: number;
  /** First backoff delay; doubles each retry. Default 500 ms. */
  baseDelayMs?: number;
  /** Cap on a computed backoff delay. Default 8 s. */
  maxDelayMs?: number;
  /**
   * Longest `Retry-After` the client will honour. A server asking for more gets the error back
   * at once, with `retryAfterMs` set, instead of a hidden long sleep. Default 60 s.
   */
  maxRetryAfterMs?: number;
  /** Fraction of each backoff that is randomised (0 to 1). Default 0.25. */
  jitter?: number;
  /** HTTP statuses that are retried. Default 408, 429, 500, 502, 503, 504. */
  statuses?: readonly number[];
  /** Random source in [0, 1); injectable for tests. */
  random?: () => number;
}

export const DEFAULT_RETRY_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];

export class RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly jitter: number;
  private readonly statuses: ReadonlySet<number>;
  private readonly random: () => number;

  constructor(options: RetryOptions = {}) {
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 3));
    this.baseDelayMs = Math.max(0, options.baseDelayMs ?? 500);
    this.maxDelayMs = Math.max(this.baseDelayMs, options.maxDelayMs ?? 8_000);
    this.maxRetryAfterMs = Math.max(0, options.maxRetryAfterMs ?? 60_000);
    this.jitter = Math.min(1, Math.max(0, options.jitter ?? 0.25));
    this.statuses = new Set(options.statuses ?? DEFAULT_RETRY_STATUSES);
    this.random = options.random ?? Math.random;
  }

  isRetryableStatus(status: number): boolean {
    return this.statuses.has(status);
  }

  /** Exponential backoff with jitter for the retry after attempt `attempt` (1-based). */
  backoff(attempt: number): number {
    const exp = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    const spread = exp * this.jitter;
    return Math.round(exp - spread + this.random() * spread);
  }

  /**
   * The wait before the next attempt, or undefined to give up. `retryAfterMs` comes from the
   * server; when present it wins over backoff (a date in the past means "now").
   */
  delayBeforeRetry(attempt: number, retryAfterMs: number | undefined): number | undefined {
    if (attempt >= this.maxAttempts) return undefined;
    if (retryAfterMs !== undefined) return retryAfterMs > this.maxRetryAfterMs ? undefined : retryAfterMs;
    return this.backoff(attempt);
  }
}

/**
 * Parses `Retry-After` (delta seconds or an HTTP date) and the common `retry-after-ms` extension.
 * Returns milliseconds from `now` (never negative), or undefined when absent or unparseable.
 */
export function parseRetryAfter(headers: Headers, now: number): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP date always names its day and month; anything else (e.g. "-5") is not a date.
  if (!/[A-Za-z]/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
