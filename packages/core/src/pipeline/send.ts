import type { Clock } from '../clock.js';
import { AbortError, ConnectionError, TimeoutError } from '../errors.js';
import type { LevelledLogger } from '../logger.js';
import type { Limiter } from '../rate-limit.js';
import type { SecretRegistry } from '../redact.js';
import { parseRetryAfter, type RetryPolicy } from '../retry.js';
import type { HttpRequest } from './build.js';

/**
 * Stage 4, send: one logical request on the wire. Rate limit, per-attempt timeout (covering the
 * body too), retries with backoff and Retry-After. Resolves the last answer, whatever its status
 * (the classify stage decides what it means); rejects only when no answer came: ConnectionError,
 * TimeoutError, AbortError.
 */

/** A complete answer: the body is already read (under the attempt's timeout). */
export interface TransportResponse {
  status: number;
  statusText: string;
  headers: Headers;
  body: ArrayBuffer;
  /** The request URL with secrets removed, for messages. */
  shownUrl: string;
  attempts: number;
  /** How long the server asked us to wait (Retry-After), when it said. */
  retryAfterMs: number | undefined;
  durationMs: number;
}

export interface TransportConfig {
  provider: string;
  fetch: typeof fetch;
  clock: Clock;
  logger: LevelledLogger;
  secrets: SecretRegistry;
  limiter?: Limiter | undefined;
}

export interface SendOptions {
  operationId?: string | undefined;
  idempotent: boolean;
  retry: RetryPolicy;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** The rejection of an attempt's timer (compared by identity). */
const TIMED_OUT = Symbol('timed out');

/** The whole body, read chunk by chunk so that a stalled body can be cancelled (which closes its connection). */
async function readBody(response: Response, timedOut: Promise<never>): Promise<ArrayBuffer> {
  if (!response.body) return new ArrayBuffer(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), timedOut]);
      if (done) break;
      chunks.push(value);
      length += value.byteLength;
    }
  } catch (error) {
    reader.cancel().catch(() => undefined);
    throw error;
  }
  if (chunks.length === 1) return chunks[0]!.buffer.slice(chunks[0]!.byteOffset, chunks[0]!.byteOffset + length) as ArrayBuffer;
  const all = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all.buffer;
}

/** After a timeout: drop the answer to a request left waiting for its headers, when it comes. */
function discard(response: Response | undefined, fetching: Promise<Response> | undefined): void {
  if (!response) fetching?.then((late) => late.body?.cancel().catch(() => undefined), () => undefined);
}

export async function send(config: TransportConfig, request: HttpRequest, options: SendOptions): Promise<TransportResponse> {
  const { clock, logger, secrets } = config;
  const shownUrl = secrets.redactUrl(request.url);
  const base = { operationId: options.operationId, method: request.method, url: shownUrl };

  for (let attempt = 1; ; attempt++) {
    throwIfCallerAborted(options.signal, base);
    if (config.limiter) await config.limiter.acquire(options.signal).catch((e) => rethrowAbort(e, options.signal, base));

    const started = clock.now();
    if (logger.enabled('debug')) logger.debug(`→ ${request.method} ${shownUrl}`, { ...base, attempt });
    // The timeout races the request instead of aborting it through a signal: handing undici a signal
    // costs more per request than the rest of this runtime together. A stalled body is cancelled;
    // a request still waiting for headers is abandoned and its late answer, if any, discarded.
    // A caller who wants the socket closed at once passes an AbortSignal, which goes to fetch as is.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(TIMED_OUT), options.timeoutMs);
    });
    timedOut.catch(() => undefined);

    let response: Response | undefined;
    let body: ArrayBuffer;
    let fetching: Promise<Response> | undefined;
    try {
      fetching = config.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'follow',
        ...(options.signal ? { signal: options.signal } : {}),
      });
      response = await Promise.race([fetching, timedOut]);
      body = await readBody(response, timedOut);
    } catch (cause) {
      clearTimeout(timer);
      throwIfCallerAborted(options.signal, base, cause);
      const isTimeout = cause === TIMED_OUT;
      if (isTimeout) discard(response, fetching);
      const error = isTimeout
        ? new TimeoutError(`${config.provider}: no complete answer within ${options.timeoutMs} ms`, { ...base, attempts: attempt })
        : new ConnectionError(`${config.provider}: connection failed: ${secrets.scrub(describeCause(cause))}`, {
            ...base,
            attempts: attempt,
            cause: scrubCause(cause, secrets),
          });
      const delay = options.idempotent ? options.retry.delayBeforeRetry(attempt, undefined) : undefined;
      if (delay === undefined) {
        logger.error(`✗ ${request.method} ${shownUrl}: ${error.message}`, { ...base, attempt, error: error.name });
        throw error;
      }
      logger.warn(`↻ ${request.method} ${shownUrl}: ${error.name}, retrying`, { ...base, attempt, retryInMs: delay });
      await clock.sleep(delay, options.signal).catch((e) => rethrowAbort(e, options.signal, base));
      continue;
    }
    clearTimeout(timer);

    const durationMs = clock.now() - started;
    if (response.ok) {
      if (logger.enabled('info')) logger.info(`← ${response.status} ${request.method} ${shownUrl}`, { ...base, attempt, status: response.status, durationMs });
      return { status: response.status, statusText: response.statusText, headers: response.headers, body, shownUrl, attempts: attempt, retryAfterMs: undefined, durationMs };
    }

    const retryAfterMs = parseRetryAfter(response.headers, clock.now());
    // The server's "not before" holds every caller sharing the limiter (across processes with a shared one).
    if (response.status === 429 && retryAfterMs !== undefined) config.limiter?.pause?.(clock.now() + retryAfterMs);
    // A 429 means the request was not processed, so it is safe to repeat whatever the method.
    const retryable = options.retry.isRetryableStatus(response.status) && (options.idempotent || response.status === 429);
    const delay = retryable ? options.retry.delayBeforeRetry(attempt, retryAfterMs) : undefined;
    if (delay !== undefined) {
      logger.warn(`↻ ${response.status} ${request.method} ${shownUrl}, retrying`, {
        ...base,
        attempt,
        status: response.status,
        durationMs,
        retryInMs: delay,
      });
      await clock.sleep(delay, options.signal).catch((e) => rethrowAbort(e, options.signal, base));
      continue;
    }

    return { status: response.status, statusText: response.statusText, headers: response.headers, body, shownUrl, attempts: attempt, retryAfterMs, durationMs };
  }
}

function throwIfCallerAborted(signal: AbortSignal | undefined, base: { method: string; url: string }, cause?: unknown): void {
  if (signal?.aborted) {
    throw new AbortError(`request aborted by the caller [${base.method} ${base.url}]`, { cause: cause ?? signal.reason });
  }
}

function rethrowAbort(error: unknown, signal: AbortSignal | undefined, base: { method: string; url: string }): never {
  throwIfCallerAborted(signal, base, error);
  throw error;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? cause.cause.message : undefined;
    return inner ? `${cause.message} (${inner})` : cause.message;
  }
  return String(cause);
}

/** The original error, reduced to name and scrubbed message so that no secret survives in `cause`. */
function scrubCause(cause: unknown, secrets: SecretRegistry): Error {
  const error = new Error(secrets.scrub(describeCause(cause)));
  error.name = cause instanceof Error ? cause.name : 'Error';
  const code = (cause as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  if (typeof code === 'string') (error as Error & { code?: string }).code = code;
  return error;
}
