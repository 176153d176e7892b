import { type Clock, systemClock } from './clock.js';
import { InvalidArgumentError, TokenError } from './errors.js';
import { sha256Hex } from './hash.js';
import { type LevelledLogger, type Logger, type LogLevel, levelledLogger } from './logger.js';
import { SecretRegistry } from './redact.js';
import { RetryPolicy, type RetryOptions } from './retry.js';
import { CachedToken, type CredentialProvider, type FetchedToken, MemoryTokenStore, type StoredToken, type TokenStore, TokenStoreRecovered } from './token-cache.js';
import { httpErrorInit } from './pipeline/classify.js';
import { send, type TransportResponse } from './pipeline/send.js';

/**
 * OAuth2 client credentials (RFC 6749 §4.4) as a CredentialProvider: the token is fetched lazily,
 * kept in a TokenStore, renewed before `expires_in` runs out, fetched once however many calls wait
 * on it (and, with a store that can lock, once however many workers share the store), and dropped
 * and renewed when the API answers 401. A failed token request is a TokenError naming the token URL
 * and the status; the client secret and the tokens never appear in an error or a log line.
 */

export interface ClientCredentialsOptions {
  /** The token endpoint, e.g. `https://api.pax8.com/v1/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** The `audience` parameter (Auth0-style APIs such as Pax8). Omitted when undefined. */
  audience?: string;
  /** The `scope` parameter; an array is joined with spaces. Omitted when undefined. */
  scope?: string | readonly string[];
  /**
   * How the token request body is encoded: `json` (Pax8, Auth0) or `form`
   * (`application/x-www-form-urlencoded`, the RFC's default). Default `json`.
   */
  bodyFormat?: 'json' | 'form';
  /** More body parameters some servers need (e.g. `resource`). */
  extraParams?: Readonly<Record<string, string>>;
  /** Where tokens live between calls and processes. Default: a MemoryTokenStore of this provider. */
  store?: TokenStore;
  /**
   * Store key. Default: `oauth2:` + a SHA-256 of token URL, client id, audience and scope, so that
   * the key identifies the credentials without containing the secret. Must not contain the secret.
   */
  storeKey?: string;
  /** Renew this long before expiry (at most half the lifetime). Default 60 s. */
  refreshMarginMs?: number;
  /** Lifetime assumed when the server sends no `expires_in`. Default one hour. */
  defaultExpiresInMs?: number;
  /** The fetch used for token requests. Default: the global one. */
  fetch?: typeof fetch;
  clock?: Clock;
  /** Timeout of one token request. Default 30 s. */
  timeoutMs?: number;
  /** Redirects of the token request: `same-origin` (default) or `any` (credentials are never sent to another origin). */
  followRedirects?: 'same-origin' | 'any';
  /**
   * Retries of the token request after a connection failure, 408, 429 or 5xx (Retry-After is
   * honoured). `false` = one attempt. Default 3 attempts. A 400 or 401 is never retried.
   */
  retry?: RetryOptions | false;
  /** Registries (e.g. a Runtime's `secrets`) that must learn the client secret and every token. */
  secrets?: SecretRegistry | readonly SecretRegistry[];
  logger?: Logger;
  /** Default `info` when a logger is given. */
  logLevel?: LogLevel;
  /** Name used in error messages, e.g. `Pax8`. Default `OAuth2`. */
  provider?: string;
  /**
   * With a store that can lock (RedisTokenStore, FileTokenStore): how long a worker waits for the
   * token another, live worker is fetching before fetching one itself. Default: `timeoutMs` + 5 s.
   * A worker that dies while fetching costs the others only `lockTtlMs`, not this.
   */
  sharedFetchWaitMs?: number;
  /**
   * With a store that can lock: the lifetime of the fetch lock, renewed every third of it while
   * the token request runs. A worker killed while it holds the lock costs the others at most this
   * (then one of them takes the lock and fetches). Default 1.5 s.
   */
  lockTtlMs?: number;
  /**
   * The longest one token-store operation may take before the client carries on without it (a
   * read counts as a miss, a write is skipped and the token kept in memory), logged as a warning.
   * Stores bound their own operations more tightly (RedisTokenStore: 250 ms). Default 10 s.
   */
  storeTimeoutMs?: number;
}

/** The token endpoint's answer (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type?: string;
  /** Lifetime in seconds (Pax8: 86400). */
  expires_in?: number;
  scope?: string;
}

/**
 * A store that can also hold a short lock per key, so that only one of many workers sharing the
 * store asks the token endpoint while the others wait for its token. The lock must expire by
 * itself after `ttlMs` (so that a worker that dies while holding it blocks nobody for long); the
 * holder renews it while its token request runs.
 */
export interface TokenStoreLock {
  /** Takes the lock for `ttlMs` unless someone holds it; resolves whether it was taken. */
  tryLock(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends the lock to `ttlMs` from now if `owner` still holds it; resolves whether it did. */
  renewLock?(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Releases the lock if `owner` still holds it (atomically: never someone else's lock). */
  unlock(key: string, owner: string): Promise<void>;
}

function canLock(store: TokenStore): store is TokenStore & TokenStoreLock {
  const s = store as Partial<TokenStoreLock>;
  return typeof s.tryLock === 'function' && typeof s.unlock === 'function';
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MARGIN_MS = 60_000;
const DEFAULT_LOCK_TTL_MS = 1_500;
const DEFAULT_STORE_TIMEOUT_MS = 10_000;
const POLL_MS = 50;

/** The default store key: identifies token URL, client, audience and scope; never the secret. */
export function clientCredentialsStoreKey(options: Pick<ClientCredentialsOptions, 'tokenUrl' | 'clientId' | 'audience' | 'scope'>): string {
  const scope = Array.isArray(options.scope) ? options.scope.join(' ') : (options.scope ?? '');
  const digest = sha256Hex(JSON.stringify([options.tokenUrl, options.clientId, options.audience ?? '', scope]));
  return `oauth2:${digest.slice(0, 40)}`;
}

/** Creates an OAuth2 client-credentials CredentialProvider. */
export function clientCredentials(options: ClientCredentialsOptions): ClientCredentialsProvider {
  return new ClientCredentialsProvider(options);
}

export class ClientCredentialsProvider implements CredentialProvider {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly audience: string | undefined;
  readonly storeKey: string;
  /** Requests sent to the token endpoint (including retries), for tests and diagnostics. */
  tokenRequests = 0;

  private readonly options: ClientCredentialsOptions;
  private readonly clock: Clock;
  private readonly own = new SecretRegistry();
  private readonly registries = new Set<SecretRegistry>();
  private readonly tokens = new Set<string>();
  private readonly logger: LevelledLogger;
  private readonly store: ResilientStore;
  private readonly cache: CachedToken;
  private readonly retry: RetryPolicy;

  constructor(options: ClientCredentialsOptions) {
    const issues = [];
    if (!options.tokenUrl || !/^https?:\/\//i.test(options.tokenUrl)) issues.push({ path: 'tokenUrl', message: 'must be an absolute http(s) URL' });
    else if (hasUserinfo(options.tokenUrl)) issues.push({ path: 'tokenUrl', message: 'must not contain a user name or password (it would be shown and sent as is); pass clientId and clientSecret' });
    if (!options.clientId) issues.push({ path: 'clientId', message: 'is required' });
    if (!options.clientSecret) issues.push({ path: 'clientSecret', message: 'is required' });
    if (options.storeKey !== undefined && options.clientSecret && options.storeKey.includes(options.clientSecret)) {
      issues.push({ path: 'storeKey', message: 'must not contain the client secret' });
    }
    if (issues.length) throw new InvalidArgumentError(undefined, issues);

    this.options = options;
    this.tokenUrl = options.tokenUrl;
    this.clientId = options.clientId;
    this.audience = options.audience;
    this.clock = options.clock ?? systemClock;
    this.storeKey = options.storeKey ?? clientCredentialsStoreKey(options);
    this.own.addValue(options.clientSecret);
    this.registries.add(this.own);
    const extra = options.secrets === undefined ? [] : options.secrets instanceof SecretRegistry ? [options.secrets] : options.secrets;
    for (const registry of extra) this.registerSecrets(registry);
    this.logger = levelledLogger(options.logger, options.logLevel ?? 'info', (s) => this.own.scrub(s));
    this.retry = new RetryPolicy(options.retry === false ? { maxAttempts: 1 } : options.retry);
    this.store = new ResilientStore(options.store ?? new MemoryTokenStore(), this.logger, options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS);
    this.cache = new CachedToken({
      key: this.storeKey,
      store: this.store,
      clock: this.clock,
      refreshMarginMs: options.refreshMarginMs,
      fetchToken: (signal) => this.obtain(signal),
      onToken: (value) => this.remember(value),
    });
  }

  /** The current access token, fetched or renewed when needed. */
  get(signal?: AbortSignal): Promise<string> {
    return this.cache.get(signal);
  }

  /** The API refused `value` (401): the next `get` fetches a new token. */
  invalidate(value: string): Promise<void> {
    this.logger.info(`token refused by the API: dropping it (${this.own.redactUrl(this.tokenUrl)})`);
    return this.cache.invalidate(value);
  }

  /**
   * Registers the client secret and every token (present and future) with `registry`, so that a
   * Runtime scrubs them from its errors and logs. Idempotent.
   */
  registerSecrets(registry: SecretRegistry): void {
    if (this.registries.has(registry)) return;
    this.registries.add(registry);
    registry.addValue(this.options.clientSecret);
    for (const token of this.tokens) registry.addValue(token);
  }

  private remember(value: string): void {
    if (this.tokens.has(value)) return;
    this.tokens.add(value);
    for (const registry of this.registries) registry.addValue(value);
  }

  /**
   * CachedToken's fetchToken. With a store that can lock: one worker takes the lock and asks the
   * server (renewing the lock while it waits for the answer); the others poll the store for its
   * token and try the lock as they poll, so that if the holder dies its lock lapses within
   * `lockTtlMs` and one of them takes over. Without a lock (or when the store fails): ask the server.
   */
  private async obtain(signal?: AbortSignal): Promise<FetchedToken> {
    if (!canLock(this.store.inner)) return this.request(signal);
    const owner = globalThis.crypto.randomUUID();
    const ttlMs = this.options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
    const waitMs = this.options.sharedFetchWaitMs ?? (this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 5_000;
    const deadline = this.clock.now() + waitMs;
    for (let round = 0; ; round++) {
      const locked = await this.store.tryLock(this.storeKey, owner, ttlMs);
      if (locked === 'failed') return this.request(signal);
      if (locked) {
        this.store.holdLock(this.storeKey, owner, ttlMs);
        if (round > 0) {
          // The worker we waited for may have stored its token just before it let go of the lock.
          const stored = await this.store.get(this.storeKey);
          if (stored && this.isFresh(stored)) {
            await this.store.releaseLock(this.storeKey);
            return { value: stored.value, expiresInMs: stored.expiresAt - this.clock.now() };
          }
        }
        try {
          // Released by the store wrapper right after the new token is stored (or at once on failure).
          return await this.request(signal);
        } catch (error) {
          await this.store.releaseLock(this.storeKey);
          throw error;
        }
      }
      if (round === 0) this.logger.debug('another worker is fetching the token; waiting for it');
      if (this.clock.now() >= deadline) {
        this.logger.warn(`gave up waiting ${waitMs} ms for another worker's token; fetching one`);
        return this.request(signal);
      }
      await this.clock.sleep(POLL_MS, signal);
      const stored = await this.store.get(this.storeKey);
      if (stored && this.isFresh(stored)) return { value: stored.value, expiresInMs: stored.expiresAt - this.clock.now() };
    }
  }

  private isFresh(token: StoredToken): boolean {
    const margin = Math.max(0, this.options.refreshMarginMs ?? DEFAULT_MARGIN_MS);
    return this.clock.now() < (token.refreshAt ?? token.expiresAt - margin);
  }

  /**
   * One token request through the shared transport (its timeouts, retries of connection failures,
   * 408, 429 and 5xx with Retry-After, and redaction); a refusal becomes a TokenError.
   */
  private async request(signal?: AbortSignal): Promise<FetchedToken> {
    const provider = this.options.provider ?? 'OAuth2';
    const doFetch = this.options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
    const { contentType, body } = this.body();
    this.logger.debug(`token request to ${this.own.redactUrl(this.tokenUrl)}`);
    const response = await send(
      {
        provider,
        clock: this.clock,
        logger: this.logger,
        secrets: this.own,
        fetch: (input, init) => {
          this.tokenRequests += 1;
          return doFetch(input, init);
        },
      },
      { method: 'POST', url: this.tokenUrl, headers: { 'content-type': contentType, accept: 'application/json' }, body },
      // A token request changes nothing on the server: repeating it is safe.
      { idempotent: true, retry: this.retry, timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal, followRedirects: this.options.followRedirects },
    );
    if (response.status < 200 || response.status > 299) {
      const init = httpErrorInit(response, { provider, secrets: this.own }, 'POST');
      const error = new TokenError({ ...init, providerMessage: `token request refused${init.providerMessage ? `: ${init.providerMessage}` : ''}` });
      this.logger.error(`✗ ${response.status} POST ${response.shownUrl}: ${error.message}`, { status: response.status });
      throw error;
    }
    let data: unknown;
    try {
      data = JSON.parse(new TextDecoder().decode(response.body));
    } catch {
      data = undefined;
    }
    return this.readToken(data, response);
  }

  private readToken(data: unknown, response: TransportResponse): FetchedToken {
    const record = (data && typeof data === 'object' ? data : {}) as Partial<Record<keyof TokenResponse, unknown>>;
    const fail = (message: string): never => {
      throw new TokenError({
        provider: this.options.provider ?? 'OAuth2',
        status: response.status,
        statusText: response.statusText,
        method: 'POST',
        url: response.shownUrl,
        providerMessage: message,
      });
    };
    const value = record.access_token;
    if (typeof value !== 'string' || value === '') return fail('the token response has no access_token');
    this.remember(value);
    if (record.token_type !== undefined && String(record.token_type).toLowerCase() !== 'bearer') {
      return fail(`the token type ${JSON.stringify(this.own.scrub(String(record.token_type)))} is not a bearer token`);
    }
    const seconds = typeof record.expires_in === 'string' ? Number(record.expires_in) : record.expires_in;
    if (seconds !== undefined && (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0)) {
      return fail('the token response has an invalid expires_in');
    }
    const expiresInMs = seconds === undefined ? (this.options.defaultExpiresInMs ?? 3_600_000) : seconds * 1000;
    return { value, expiresInMs };
  }

  private body(): { contentType: string; body: string } {
    const o = this.options;
    const params: Record<string, string> = { grant_type: 'client_credentials', client_id: o.clientId, client_secret: o.clientSecret };
    if (o.audience !== undefined) params.audience = o.audience;
    if (o.scope !== undefined) params.scope = Array.isArray(o.scope) ? o.scope.join(' ') : (o.scope as string);
    Object.assign(params, o.extraParams);
    if ((o.bodyFormat ?? 'json') === 'form') {
      return { contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(params).toString() };
    }
    // Pax8's documented order: client_id, client_secret, audience, grant_type.
    const { grant_type, ...rest } = params;
    return { contentType: 'application/json', body: JSON.stringify({ ...rest, grant_type }) };
  }
}

/**
 * Wraps the user's store so that a store failure (Redis down, disk full, a store that never
 * answers) never fails or stalls a call: every operation is bounded by `timeoutMs`, a read that
 * fails is a miss, a write that fails is logged and the token is still used (kept in memory).
 * Problems the store reports itself (addErrorListener) go to the same logger. Also holds the
 * cross-worker fetch lock: renews it while the fetch runs, releases it once the new token is stored.
 */
class ResilientStore implements TokenStore {
  private readonly held = new Map<string, { owner: string; renewal: ReturnType<typeof setInterval> | undefined }>();

  constructor(
    readonly inner: TokenStore,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {
    inner.addErrorListener?.((error) => {
      if (error instanceof TokenStoreRecovered || error?.name === 'TokenStoreRecovered') this.logger.info(error.message);
      else this.logger.warn(error?.message ?? 'token store problem');
    });
  }

  async get(key: string): Promise<StoredToken | undefined> {
    try {
      const token = await this.bounded('read', () => this.inner.get(key));
      if (token === undefined || token === null) return undefined;
      if (typeof token.value !== 'string' || !token.value || typeof token.expiresAt !== 'number') {
        this.logger.warn('token store returned a malformed entry; ignoring it');
        return undefined;
      }
      return token;
    } catch (error) {
      this.logger.warn(`token store read failed, treating it as empty: ${errorName(error)}`);
      return undefined;
    }
  }

  async set(key: string, token: StoredToken): Promise<void> {
    try {
      await this.bounded('write', () => this.inner.set(key, token));
    } catch (error) {
      this.logger.warn(`token store write failed; the token is kept in memory only: ${errorName(error)}`);
    } finally {
      await this.releaseLock(key);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.bounded('delete', () => this.inner.delete(key));
    } catch (error) {
      this.logger.warn(`token store delete failed: ${errorName(error)}`);
    }
  }

  /** Whether the lock was taken; `failed` (logged) when the store could not say. */
  async tryLock(key: string, owner: string, ttlMs: number): Promise<boolean | 'failed'> {
    const inner = this.inner;
    if (!canLock(inner)) return 'failed';
    try {
      return await this.bounded('lock', () => inner.tryLock(key, owner, ttlMs));
    } catch (error) {
      this.logger.warn(`token store lock failed, fetching without it: ${errorName(error)}`);
      return 'failed';
    }
  }

  /** Keeps the lock alive (renewed every third of its lifetime) until releaseLock. */
  holdLock(key: string, owner: string, ttlMs: number): void {
    const inner = this.inner as TokenStore & Partial<TokenStoreLock>;
    let renewal: ReturnType<typeof setInterval> | undefined;
    if (typeof inner.renewLock === 'function') {
      const renew = inner.renewLock.bind(inner);
      renewal = setInterval(
        () => {
          this.bounded('renew lock', () => renew(key, owner, ttlMs)).then(
            (kept) => {
              if (!kept) this.logger.debug('the token fetch lock lapsed while the fetch ran');
            },
            (error: unknown) => this.logger.debug(`token store lock renewal failed: ${errorName(error)}`),
          );
        },
        Math.max(10, Math.floor(ttlMs / 3)),
      );
      // Never keeps a process alive by itself.
      (renewal as { unref?: () => void }).unref?.();
    }
    this.held.set(key, { owner, renewal });
  }

  async releaseLock(key: string): Promise<void> {
    const held = this.held.get(key);
    const inner = this.inner;
    if (held === undefined || !canLock(inner)) return;
    this.held.delete(key);
    if (held.renewal !== undefined) clearInterval(held.renewal);
    await this.bounded('unlock', () => inner.unlock(key, held.owner)).catch((error: unknown) => this.logger.debug(`token store unlock failed: ${errorName(error)}`));
  }

  /** The operation, or a TimeoutError-like rejection after `timeoutMs` (the operation is left to finish on its own). */
  private bounded<T>(what: string, op: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new Error(`no answer within ${this.timeoutMs} ms (${what})`);
        error.name = 'TokenStoreTimeout';
        reject(error);
      }, this.timeoutMs);
      let pending: Promise<T>;
      try {
        pending = Promise.resolve(op());
      } catch (error) {
        clearTimeout(timer);
        reject(error);
        return;
      }
      pending.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}

function hasUserinfo(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

/** Errors whose messages provider-sdk wrote itself (they name keys and paths, never values). */
const OWN_ERRORS = new Set(['RedisUnavailableError', 'TokenStoreTimeout', 'TokenValueRejected', 'TokenFileRejected']);

/** Only the class and code of a store error (its message may quote stored values), or one of our own messages. */
function errorName(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  if (OWN_ERRORS.has(error.name)) return `${error.name}: ${error.message}`;
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name} ${code}` : error.name;
}

