import type { Clock } from '../clock.js';
import { AbortError, ConnectionError, RedirectError, TimeoutError } from '../errors.js';
import type { LevelledLogger } from '../logger.js';
import type { Limiter } from '../rate-limit.js';
import type { SecretRegistry } from '../redact.js';
import { parseRetryAfter, type RetryPolicy } from '../retry.js';
import type { HttpRequest } from './build.js';

/**
 * Stage 4, send: one logical request on the wire. Rate limit, a per-attempt timeout that covers the
 * headers and the body and closes the connection when it fires, retries with backoff and
 * Retry-After, and redirects decided hop by hop (below). Resolves the last answer, whatever its
 * status (the classify stage decides what it means); rejects only when no usable answer came:
 * ConnectionError, TimeoutError, AbortError, RedirectError.
 *
 * Redirects are followed here, not by fetch (which keeps custom credential headers, query keys and
 * bodies when the origin changes). At most MAX_REDIRECTS hops:
 * - to the same origin: followed (303 becomes a GET without body; 307 and 308 keep method and body);
 * - to another origin: a RedirectError, unless `followRedirects: 'any'`; then every credential the
 *   request carried is removed first (secret headers, cookies, secret query parameters, registered
 *   secret values), and a 307/308 that would carry a body there is refused;
 * - a 301 or 302 answering anything but GET or HEAD is never turned into a GET: a RedirectError.
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

/** `same-origin` (default): follow redirects within the origin only. `any`: also to other origins, without credentials. */
export type RedirectPolicy = 'same-origin' | 'any';

export interface SendOptions {
  operationId?: string | undefined;
  idempotent: boolean;
  retry: RetryPolicy;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  followRedirects?: RedirectPolicy | undefined;
}

export const MAX_REDIRECTS = 5;

/** The reason an attempt's own controller aborts with (compared by identity). */
const TIMED_OUT = new Error('timed out');

interface Attempt {
  signal: AbortSignal;
  /** Rejects when the attempt is aborted: bounds it even under a fetch that ignores its signal. */
  aborted: Promise<never>;
  /** Aborts the attempt: closes its connection. */
  abort(reason: unknown): void;
  done(): void;
}

/**
 * One AbortController per attempt, armed with the timeout and following the caller's signal. The
 * timer and the caller's listener abort it and reject `aborted` directly: no AbortSignal.any and no
 * listener on the attempt's own signal, which cost more per request than the rest of this stage.
 */
function startAttempt(timeoutMs: number, caller: AbortSignal | undefined): Attempt {
  const controller = new AbortController();
  let reject!: (reason: unknown) => void;
  const aborted = new Promise<never>((_, r) => {
    reject = r;
  });
  aborted.catch(() => undefined);
  const abort = (reason: unknown) => {
    if (controller.signal.aborted) return;
    controller.abort(reason);
    reject(reason);
  };
  const timer = setTimeout(() => abort(TIMED_OUT), timeoutMs);
  const onCallerAbort = caller && (() => abort(caller.reason));
  if (caller && onCallerAbort) {
    if (caller.aborted) onCallerAbort();
    else caller.addEventListener('abort', onCallerAbort, { once: true });
  }
  return {
    signal: controller.signal,
    aborted,
    abort,
    done: () => {
      clearTimeout(timer);
      if (caller && onCallerAbort) caller.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** The whole body. The attempt's signal aborts the read too, which closes the connection. */
async function readBody(response: Response): Promise<ArrayBuffer> {
  return response.body ? response.arrayBuffer() : new ArrayBuffer(0);
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
    const current = startAttempt(options.timeoutMs, options.signal);
    let response: Response;
    let body: ArrayBuffer;
    try {
      response = await Promise.race([follow(config, request, options, current.signal, base), current.aborted]);
      body = await Promise.race([readBody(response), current.aborted]);
    } catch (cause) {
      current.done();
      const isTimeout = current.signal.reason === TIMED_OUT;
      // Whatever happened, this attempt's connection is closed before anything else.
      current.abort(cause);
      throwIfCallerAborted(options.signal, base, cause);
      if (cause instanceof RedirectError) throw logged(logger, cause, request.method, shownUrl, attempt);
      const error = isTimeout
        ? new TimeoutError(`${config.provider}: no complete answer within ${options.timeoutMs} ms`, { ...base, attempts: attempt })
        : new ConnectionError(`${config.provider}: connection failed: ${secrets.scrub(describeCause(cause))}`, {
            ...base,
            attempts: attempt,
            cause: scrubCause(cause, secrets),
          });
      const delay = options.idempotent ? options.retry.delayBeforeRetry(attempt, undefined) : undefined;
      if (delay === undefined) throw logged(logger, error, request.method, shownUrl, attempt);
      logger.warn(`↻ ${request.method} ${shownUrl}: ${error.name}, retrying`, { ...base, attempt, retryInMs: delay });
      await clock.sleep(delay, options.signal).catch((e) => rethrowAbort(e, options.signal, base));
      continue;
    }
    current.done();

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
      logger.warn(`↻ ${response.status} ${request.method} ${shownUrl}, retrying`, { ...base, attempt, status: response.status, durationMs, retryInMs: delay });
      await clock.sleep(delay, options.signal).catch((e) => rethrowAbort(e, options.signal, base));
      continue;
    }
    return { status: response.status, statusText: response.statusText, headers: response.headers, body, shownUrl, attempts: attempt, retryAfterMs, durationMs };
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** One attempt: the request, and the redirects it may follow, each hop decided by the rules above. */
async function follow(config: TransportConfig, request: HttpRequest, options: SendOptions, signal: AbortSignal, base: { operationId: string | undefined; method: string; url: string }): Promise<Response> {
  const origin = new URL(request.url).origin;
  let hop: HttpRequest = request;
  for (let hops = 0; ; hops++) {
    const response = await config.fetch(hop.url, { method: hop.method, headers: hop.headers, body: hop.body, redirect: 'manual', signal });
    if (response.type === 'opaqueredirect') {
      // A browser hides where a manual redirect goes: it cannot be checked, so it is not followed.
      throw redirectError(config, base, response.status || 302, undefined, 'the runtime hides the redirect target (a browser), so it was not followed');
    }
    if (!REDIRECT_STATUSES.has(response.status)) return response;
    await response.body?.cancel().catch(() => undefined);
    const location = response.headers.get('location');
    if (!location) return response;
    let target: URL;
    try {
      target = new URL(location, hop.url);
    } catch {
      throw redirectError(config, base, response.status, location, 'the Location is not a URL');
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw redirectError(config, base, response.status, location, 'it leaves http(s)');
    if (hops + 1 > MAX_REDIRECTS) throw redirectError(config, base, response.status, location, `more than ${MAX_REDIRECTS} redirects`);
    const status = response.status;
    let method = hop.method;
    let body = hop.body;
    if (status === 303) {
      if (method !== 'HEAD') method = 'GET';
      body = undefined;
    } else if ((status === 301 || status === 302) && method !== 'GET' && method !== 'HEAD') {
      throw redirectError(config, base, status, location, `a ${status} to a ${method} would turn it into a GET`);
    }
    let headers = hop.headers;
    let url = target.toString();
    if (target.origin !== origin) {
      if ((options.followRedirects ?? 'same-origin') !== 'any') {
        throw redirectError(config, base, status, location, 'it goes to another origin (allow with followRedirects: "any")');
      }
      if (body !== undefined) throw redirectError(config, base, status, location, `a ${status} would send the request body to another origin`);
      headers = withoutCredentials(hop.headers, config.secrets);
      url = urlWithoutCredentials(target, config.secrets);
    }
    if (body === undefined && headers['content-type']) {
      headers = { ...headers };
      delete headers['content-type'];
    }
    if (config.logger.enabled('debug')) config.logger.debug(`↪ ${status} → ${config.secrets.redactUrl(url)}`, { ...base, status });
    hop = { method, url, headers, body };
  }
}

/** Headers without any that carry a credential (by name, or holding a registered secret). */
function withoutCredentials(headers: Record<string, string>, secrets: SecretRegistry): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!secrets.isSecretHeader(name) && !secrets.containsSecret(value)) out[name] = value;
  return out;
}

/** A URL without query parameters that carry a credential (by name, or holding a registered secret), and without userinfo. */
function urlWithoutCredentials(url: URL, secrets: SecretRegistry): string {
  const clean = new URL(url);
  clean.username = '';
  clean.password = '';
  for (const [name, value] of [...clean.searchParams]) if (secrets.isSecretQueryName(name) || secrets.containsSecret(value)) clean.searchParams.delete(name);
  return clean.toString();
}

function redirectError(config: TransportConfig, base: { operationId: string | undefined; method: string; url: string }, status: number, location: string | undefined, why: string): RedirectError {
  const shown = location === undefined ? undefined : config.secrets.redactUrl(location);
  return new RedirectError({
    provider: config.provider,
    status,
    method: base.method,
    url: base.url,
    operationId: base.operationId,
    location: shown,
    providerMessage: `redirect${shown ? ` to ${shown}` : ''} not followed: ${why}`,
  });
}

function logged<E extends Error>(logger: LevelledLogger, error: E, method: string, url: string, attempt: number): E {
  logger.error(`✗ ${method} ${url}: ${error.message}`, { method, url, attempt, error: error.name });
  return error;
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
