import { ApiPromise, requestIdOf, type WithResponse } from './api-promise.js';
import { type Clock, systemClock } from './clock.js';
import { AbortError, ApiError, AuthenticationError, InvalidArgumentError, TimeoutError, TokenError } from './errors.js';
import { type CallContext, type CallParams, type Hooks, hooksFor, type OperationHooks, type RequestOptions } from './hooks.js';
import { checkValidateResponses, DriftLog, type DriftReport, VALIDATE_RESPONSES_VARIABLE, type ValidateResponses, validateResponsesFrom } from './drift.js';
import { environmentValue, LOG_LEVEL_VARIABLE, missingSetting } from './environment.js';
import { consoleLogger, type LevelledLogger, type Logger, type LogLevel, levelledLogger } from './logger.js';
import { firstPage, type PagePromise } from './pagination.js';
import { Authenticator, type Credentials } from './pipeline/authenticate.js';
import { assemble, buildRequest, querySerializerFor } from './pipeline/build.js';
import { checkOptions, checkRedirectPolicy, checkRequest, checkRetry, checkTimeout } from './pipeline/check.js';
import { type ClassifyContext, classify } from './pipeline/classify.js';
import { decodeResult } from './pipeline/decode.js';
import { type RedirectPolicy, type SendOptions, send, type TransportConfig } from './pipeline/send.js';
import type { QuerySerializer } from './query.js';
import { createRawClient, type RawClient } from './raw.js';
import { type Limiter, RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { SecretRegistry } from './redact.js';
import { RetryPolicy, type RetryOptions } from './retry.js';
import { type ApiSpec, isIdempotent, type OperationSpec, serverUrl } from './spec.js';

/** Options every client accepts. */
export interface ClientOptions {
  /** Overrides the spec's first server URL. */
  baseUrl?: string | undefined;
  /** Values for the server URL's variables (e.g. `{ panel: 'cp.example.com' }`). */
  serverVariables?: Readonly<Record<string, string>> | undefined;
  /** Credentials by security scheme name. */
  credentials?: Credentials | undefined;
  /** Retry policy, or `false` for a single attempt. */
  retry?: RetryOptions | false | undefined;
  /** Per-attempt timeout, covering headers and body. Default 30 s. */
  timeoutMs?: number | undefined;
  /**
   * Client-side rate limit shared by every call of this client; off unless set. Pass a Limiter
   * (a RateLimiter, or any object with `acquire`) to share one budget between clients.
   */
  rateLimit?: RateLimitOptions | Limiter | false | undefined;
  logger?: Logger | undefined;
  /** Default `info` when a logger is given. */
  logLevel?: LogLevel | undefined;
  /** Headers added to every request. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Check arguments against the spec before sending. Default true. The safety checks always run. */
  validate?: boolean | undefined;
  /**
   * Check answers against the spec's response schemas: `off` (default, costs nothing), `warn` (log
   * each distinct drift once, count them: see `drift()`), `throw` (a break is a
   * ResponseValidationError carrying the data). Default from PROVIDER_SDK_VALIDATE_RESPONSES.
   */
  validateResponses?: ValidateResponses | undefined;
  /** The fetch implementation; defaults to the global one. */
  fetch?: typeof fetch | undefined;
  clock?: Clock | undefined;
  /**
   * `same-origin` (default): redirects within the API's origin are followed, others are a
   * RedirectError. `any`: redirects to other origins are followed too, with every credential removed
   * first (and never with a request body).
   */
  followRedirects?: RedirectPolicy | undefined;
  /** The provider package's customisations of the pipeline (see hooks.ts). */
  hooks?: readonly Hooks[] | undefined;
}

/** What a derived client may change; it keeps the transport, secrets, tokens and limiter. */
export interface DerivedOptions {
  timeoutMs?: number | undefined;
  followRedirects?: RedirectPolicy | undefined;
  retry?: RetryOptions | false | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
  validate?: boolean | undefined;
  validateResponses?: ValidateResponses | undefined;
  logger?: Logger | undefined;
  logLevel?: LogLevel | undefined;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** What every view of one client shares. */
interface Shared {
  api: ApiSpec;
  secrets: SecretRegistry;
  clock: Clock;
  fetch: typeof fetch;
  limiter: Limiter | undefined;
  ops: Map<string, { hooks: OperationHooks; serialize: QuerySerializer }>;
  drifts: DriftLog;
}

/** What a view may change. */
interface ViewConfig {
  baseUrl: string;
  auth: Authenticator;
  hooks: readonly Hooks[];
  retry: RetryPolicy;
  timeoutMs: number;
  headers: Readonly<Record<string, string>>;
  validate: boolean;
  validateResponses: ValidateResponses;
  followRedirects: RedirectPolicy;
  logger: LevelledLogger;
  loggerOptions: { logger: Logger | undefined; logLevel: LogLevel };
}

/**
 * The request pipeline of one client: each call runs build → check → authenticate → send →
 * classify → decode, one module per stage (see pipeline/), with the provider's hooks at their
 * named points. Generated methods call `call` and `page`; `raw` is the openapi-fetch-typed client on
 * the same pipeline.
 */
export class Runtime<Paths extends object = object> {
  readonly api: ApiSpec;
  readonly secrets: SecretRegistry;
  readonly #shared: Shared;
  readonly #view: ViewConfig;
  #raw: RawClient<Paths> | undefined;

  constructor(api: ApiSpec, options: ClientOptions = {}, derived?: { shared: Shared; view: ViewConfig }) {
    this.api = api;
    if (derived) {
      this.#shared = derived.shared;
      this.#view = derived.view;
      this.secrets = derived.shared.secrets;
      return;
    }
    checkClientOptions(options);
    const secrets = new SecretRegistry();
    const clock = options.clock ?? systemClock;
    const rateLimit = options.rateLimit;
    this.secrets = secrets;
    this.#shared = {
      api,
      secrets,
      clock,
      // Called through globalThis: browsers and workers refuse a fetch detached from it ("Illegal invocation").
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      limiter: !rateLimit ? undefined : isLimiter(rateLimit) ? rateLimit : new RateLimiter({ clock, ...rateLimit }),
      ops: new Map(),
      drifts: new DriftLog(api),
    };
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [k, v] of Object.entries(options.headers ?? {})) headers[k.toLowerCase()] = v;
    // PROVIDER_SDK_LOG=debug|info|warn|error: a console logger at that level, unless a logger was given.
    const fromEnvironment = logLevelFromEnvironment();
    const loggerOptions = {
      logger: options.logger ?? (fromEnvironment ? consoleLogger() : undefined),
      logLevel: options.logLevel ?? fromEnvironment ?? 'info',
    };
    this.#view = {
      baseUrl: resolveBaseUrl(api, options),
      auth: new Authenticator(api, options.credentials ?? {}, secrets),
      hooks: options.hooks ?? [],
      retry: retryPolicy(options.retry),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      headers,
      validate: options.validate ?? true,
      validateResponses: options.validateResponses ?? validateResponsesFrom(environmentValue(VALIDATE_RESPONSES_VARIABLE)) ?? 'off',
      followRedirects: options.followRedirects ?? 'same-origin',
      logger: levelledLogger(loggerOptions.logger, loggerOptions.logLevel, (s) => secrets.scrub(s)),
      loggerOptions,
    };
    // A shared limiter's outages (Redis down) go through this client's logger unless it has its own.
    if (loggerOptions.logger) this.#shared.limiter?.useLogger?.(this.#view.logger);
  }

  get baseUrl(): string {
    return this.#view.baseUrl;
  }

  get logger(): LevelledLogger {
    return this.#view.logger;
  }

  /** The limiter every call of this client (and its views) waits on, if any. */
  get limiter(): Limiter | undefined {
    return this.#shared.limiter;
  }

  /** The typed openapi-fetch client on the same pipeline, for what the methods do not cover. */
  get raw(): RawClient<Paths> {
    this.#raw ??= createRawClient<Paths>(this);
    return this.#raw;
  }

  /** Calls one operation; the promise gives its result, `.withResponse()` the response too. */
  call<T>(op: OperationSpec, params?: object, options?: RequestOptions): ApiPromise<T> {
    return new ApiPromise(this.#execute<T>(op, (params ?? {}) as CallParams, options ?? {}));
  }

  /** Calls a paged list operation: a promise of its page that also iterates every item. */
  page<Item, Result = unknown, Params extends object = Record<string, unknown>>(op: OperationSpec, params?: Params, options?: RequestOptions): PagePromise<Item, Result, Params> {
    if (!op.pagination) throw new TypeError(`${op.id} is not a paged operation`);
    const callOptions = options ?? {};
    // Reads prefetch the next page while the caller works on this one (one page ahead at most).
    const read = op.method === 'GET' || op.method === 'HEAD';
    return firstPage<Item, Result, Params>(op.pagination, { ...params } as Params, (query) => this.#execute<Result>(op, query, callOptions), callOptions, { prefetch: read });
  }

  /** A view with some credentials added or replaced (e.g. one user's token), sharing everything else. */
  withCredentials(extra: Credentials): Runtime<Paths> {
    return this.#derive({ auth: this.#view.auth.with(extra) });
  }

  /** A view with more hooks, run after this one's (e.g. the same calls started as background jobs). */
  withHooks(...hooks: Hooks[]): Runtime<Paths> {
    return this.#derive({ hooks: [...this.#view.hooks, ...hooks] }, true);
  }

  /** A view with other call defaults (timeout, retry, headers, validation, logging), sharing transport, tokens and limiter. */
  withOptions(options: DerivedOptions): Runtime<Paths> {
    checkClientOptions(options);
    const view: Partial<ViewConfig> = {};
    if (options.timeoutMs !== undefined) view.timeoutMs = options.timeoutMs;
    if (options.retry !== undefined) view.retry = retryPolicy(options.retry);
    if (options.validate !== undefined) view.validate = options.validate;
    if (options.validateResponses !== undefined) view.validateResponses = options.validateResponses;
    if (options.followRedirects !== undefined) view.followRedirects = options.followRedirects;
    if (options.headers !== undefined) {
      const headers: Record<string, string> = { ...this.#view.headers };
      for (const [k, v] of Object.entries(options.headers)) headers[k.toLowerCase()] = v;
      view.headers = headers;
    }
    if (options.logger !== undefined || options.logLevel !== undefined) {
      const loggerOptions = { logger: options.logger ?? this.#view.loggerOptions.logger, logLevel: options.logLevel ?? this.#view.loggerOptions.logLevel };
      view.loggerOptions = loggerOptions;
      view.logger = levelledLogger(loggerOptions.logger, loggerOptions.logLevel, (s) => this.secrets.scrub(s));
    }
    return this.#derive(view);
  }

  /** The distinct drifts of answers from the spec seen so far by this client and its views (see `validateResponses`). */
  drift(): DriftReport {
    return this.#shared.drifts.report();
  }

  #derive(changes: Partial<ViewConfig>, newHooks = false): Runtime<Paths> {
    const shared = newHooks ? { ...this.#shared, ops: new Map() } : this.#shared;
    return new Runtime<Paths>(this.api, {}, { shared, view: { ...this.#view, ...changes } });
  }

  #operation(op: OperationSpec): { hooks: OperationHooks; serialize: QuerySerializer } {
    let prepared = this.#shared.ops.get(op.id);
    if (!prepared) {
      prepared = { hooks: hooksFor(this.#view.hooks, op.id), serialize: querySerializerFor(op) };
      this.#shared.ops.set(op.id, prepared);
    }
    return prepared;
  }

  async #execute<T>(op: OperationSpec, params: CallParams, options: RequestOptions): Promise<WithResponse<T>> {
    const view = this.#view;
    const { api, secrets } = this.#shared;
    const { hooks, serialize } = this.#operation(op);
    const call: CallContext = { api, op, options, validate: options.validate ?? view.validate };
    try {
      checkOptions(options, 'options');
      let callParams = params;
      if (typeof callParams !== 'object' || callParams === null) throw new InvalidArgumentError(op.id, [{ path: 'params', message: 'must be an object' }]);
      for (const hook of hooks.params) callParams = hook(callParams, call);
      const parts = buildRequest(op, callParams, view.headers, options.headers, api.schemas);
      view.auth.registerCallSecrets(op, callParams, parts.body);
      checkRequest(op, callParams, parts, api.schemas, call, hooks);
      const credentialSet = view.auth.credentialSet(op);
      const idempotencyKey = idempotencyKeyFor(op, options);
      if (idempotencyKey) parts.headers[idempotencyKey.header] = idempotencyKey.value;
      const transport: TransportConfig = { provider: api.provider, fetch: this.#shared.fetch, clock: this.#shared.clock, logger: view.logger, secrets, limiter: this.#shared.limiter };
      const classifyContext: ClassifyContext = { provider: api.provider, secrets, envelope: api.envelope };
      const sendOptions: SendOptions = {
        operationId: op.id,
        // With an idempotency key the server recognises a repeat, so even a POST may be retried.
        idempotent: isIdempotent(op) || idempotencyKey !== undefined,
        retry: options.retry === undefined ? view.retry : retryPolicy(options.retry),
        timeoutMs: options.timeoutMs ?? view.timeoutMs,
        signal: options.signal,
        followRedirects: options.followRedirects ?? view.followRedirects,
      };
      for (let renewal = 0; ; renewal++) {
        // A call's signal and timeout bound its wait for a token too (a shared fetch goes on for the others).
        const applying = view.auth.apply(credentialSet, options.signal);
        const credentials = view.auth.isPlain(credentialSet) ? await applying : await bounded(applying, sendOptions, op);
        const request = assemble(op, parts, credentials, view.baseUrl, serialize);
        try {
          const response = await send(transport, request, sendOptions);
          const decoded = classify(response, op, classifyContext, call, hooks);
          const data = decodeResult(decoded, op, api.envelope, response, api.provider, call, hooks) as T;
          const validateResponses = options.validateResponses ?? view.validateResponses;
          // The whole body is checked: the spec's response schema describes it, envelope and all.
          if (validateResponses !== 'off') await this.#shared.drifts.check(validateResponses, op.id, response.status, decoded.value, data, view.logger, secrets, this.#shared.clock.now());
          return {
            data,
            response: {
              status: response.status,
              statusText: response.statusText,
              headers: response.headers,
              requestId: requestIdOf(response.headers),
              url: response.shownUrl,
              attempts: response.attempts,
              body: decoded.value,
            },
          };
        } catch (error) {
          if (renewal > 0 || credentials.refreshable.length === 0 || !isRefusal(error, call, hooks)) {
            // One line for the answer that ends the call (an attempt that led to a renewal is only a warning).
            if (error instanceof ApiError) view.logger.error(`✗ ${error.status} ${error.method} ${error.url}: ${error.providerMessage ?? error.name}`, { operationId: op.id, status: error.status, attempt: error.attempts });
            throw error;
          }
          for (const { provider, value } of credentials.refreshable) await provider.invalidate?.(value);
          view.logger.warn(`${error.status} from ${error.url}: the credential was refused; renewing it and retrying once`, { operationId: op.id });
        }
      }
    } catch (error) {
      let failure = error;
      for (const hook of hooks.failure) failure = hook(failure, call);
      throw failure;
    }
  }
}

/**
 * The idempotency key of a call: when the spec names a header for it (`x-idempotency-header`), a
 * non-idempotent call gets the caller's key or a new one, the same on every attempt.
 */
function idempotencyKeyFor(op: OperationSpec, options: RequestOptions): { header: string; value: string } | undefined {
  const header = op.idempotencyHeader;
  if (options.idempotencyKey !== undefined) {
    if (!header) throw new InvalidArgumentError(op.id, [{ path: 'options.idempotencyKey', message: `is not supported: the spec names no idempotency header for ${op.id}` }]);
    if (typeof options.idempotencyKey !== 'string' || options.idempotencyKey === '') throw new TypeError('options.idempotencyKey must be a non-empty string');
    return { header: header.toLowerCase(), value: options.idempotencyKey };
  }
  if (!header || isIdempotent(op)) return undefined;
  return { header: header.toLowerCase(), value: globalThis.crypto.randomUUID() };
}

/** Waits for credentials within the call's signal and timeout; an abort is the SDK's AbortError. */
async function bounded<T>(work: Promise<T>, options: SendOptions, op: OperationSpec): Promise<T> {
  const shown = { method: op.method, url: op.path };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const limits = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no credentials within ${options.timeoutMs} ms (waiting for a token)`, { ...shown, attempts: 0 })), options.timeoutMs);
    const signal = options.signal;
    if (!signal) return;
    onAbort = () => reject(new AbortError(`request aborted by the caller while waiting for a token [${op.method} ${op.path}]`, { cause: signal.reason }));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  limits.catch(() => undefined);
  try {
    return await Promise.race([work, limits]);
  } catch (error) {
    // A provider that honours the signal rejects with the signal's reason: the SDK's AbortError instead.
    if (options.signal?.aborted && !(error instanceof AbortError)) throw new AbortError(`request aborted by the caller while waiting for a token [${op.method} ${op.path}]`, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}

/** A refused credential: a 401 (but not a refused token request), or whatever a hook says. */
function isRefusal(error: unknown, call: CallContext, hooks: OperationHooks): error is ApiError {
  if (!(error instanceof Error) || !('status' in error) || error instanceof TokenError) return false;
  if (error instanceof AuthenticationError) return true;
  return hooks.isCredentialRefusal.some((hook) => hook(error as ApiError, call));
}

function logLevelFromEnvironment(): LogLevel | undefined {
  const level = environmentValue(LOG_LEVEL_VARIABLE)?.toLowerCase();
  return level === 'debug' || level === 'info' || level === 'warn' || level === 'error' || level === 'off' ? level : undefined;
}

function isLimiter(value: RateLimitOptions | Limiter): value is Limiter {
  return typeof (value as Partial<Limiter>).acquire === 'function';
}

function retryPolicy(retry: RetryOptions | false | undefined): RetryPolicy {
  return new RetryPolicy(retry === false ? { maxAttempts: 1 } : retry);
}

function checkClientOptions(options: ClientOptions | DerivedOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('client options must be an object');
  if (options.timeoutMs !== undefined) checkTimeout(options.timeoutMs, 'timeoutMs');
  if (options.retry !== undefined && options.retry !== false) checkRetry(options.retry, 'retry');
  if ('fetch' in options && options.fetch !== undefined && typeof options.fetch !== 'function') throw new TypeError('fetch must be a function');
  checkRedirectPolicy(options.followRedirects, 'followRedirects');
  checkValidateResponses(options.validateResponses, 'validateResponses');
}

function resolveBaseUrl(api: ApiSpec, options: ClientOptions): string {
  let url: string;
  if (options.baseUrl !== undefined) {
    url = options.baseUrl;
  } else {
    const server = api.servers[0];
    if (!server) throw new InvalidArgumentError(undefined, [{ path: 'baseUrl', message: 'is required (the spec declares no server)' }]);
    url = serverUrl(server, options.serverVariables, (name) => {
      // A required server variable (a placeholder default, such as a panel's host) names what stands for it.
      const names = (api.environment ?? []).filter((v) => v.serverVariable === name || v.option === 'baseUrl').map((v) => v.option);
      throw missingSetting(api, names.length ? [...new Set(names)] : ['baseUrl'], `${api.provider} has no default for the server's ${name}`);
    });
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(undefined, [{ path: 'baseUrl', message: 'must be an absolute http(s) URL' }]);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidArgumentError(undefined, [{ path: 'baseUrl', message: 'must be an absolute http(s) URL' }]);
  }
  if (parsed.username || parsed.password) {
    throw new InvalidArgumentError(undefined, [{ path: 'baseUrl', message: 'must not contain credentials; pass them as credentials instead' }]);
  }
  return url.replace(/\/+$/, '');
}
