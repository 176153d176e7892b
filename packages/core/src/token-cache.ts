import { type Clock, systemClock } from './clock.js';
import type { SecretRegistry } from './redact.js';

/**
 * Short-lived tokens (OAuth2 access tokens, per-scope access tokens) fetched lazily, kept in a
 * TokenStore, renewed before they expire, and fetched once however many calls wait on them.
 */

export interface StoredToken {
  value: string;
  /** Expiry as epoch milliseconds. */
  expiresAt: number;
  /** When to renew, as epoch milliseconds; defaults to `expiresAt` minus the refresh margin. */
  refreshAt?: number;
}

/**
 * Where tokens live between calls: memory (default), a file, an encrypted file, Redis... A store
 * may fail (throw, or never answer): clientCredentials bounds every operation, logs the failure
 * through the client's logger, and keeps the token in memory.
 */
export interface TokenStore {
  get(key: string): Promise<StoredToken | undefined>;
  set(key: string, token: StoredToken): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Optional: where the store reports problems it handles itself without failing (a file it cannot
   * decrypt and leaves alone, Redis unreachable and back). clientCredentials passes one that writes
   * to the client's logger. Messages must not contain secrets.
   */
  addErrorListener?(listener: (error: Error) => void): void;
}

/** What a store reports when it works again after a failure (logged as a notice, not a warning). */
export class TokenStoreRecovered extends Error {
  override name = 'TokenStoreRecovered';
}

export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredToken>();
  async get(key: string): Promise<StoredToken | undefined> {
    return this.tokens.get(key);
  }
  async set(key: string, token: StoredToken): Promise<void> {
    this.tokens.set(key, token);
  }
  async delete(key: string): Promise<void> {
    this.tokens.delete(key);
  }
}

/** Supplies one credential value per request; may be asked to drop a value the server refused. */
export interface CredentialProvider {
  get(signal?: AbortSignal): Promise<string>;
  /** Called when the server answered 401 to `value`; the next `get` must not return it. */
  invalidate?(value: string): Promise<void> | void;
  /** Tells the provider where to register the secrets it holds or fetches (a Runtime's registry). */
  registerSecrets?(registry: SecretRegistry): void;
}

export interface FetchedToken {
  value: string;
  /** Lifetime from now. */
  expiresInMs: number;
}

export interface CachedTokenOptions {
  /** Store key; must identify the credentials and audience, and must not contain secrets. */
  key: string;
  fetchToken: (signal?: AbortSignal) => Promise<FetchedToken>;
  store?: TokenStore;
  /** Renew this long before expiry. Default 60 s, at most half the token's lifetime. */
  refreshMarginMs?: number;
  clock?: Clock;
  /** Called with every token value obtained (used to register it for redaction). */
  onToken?: (value: string) => void;
}

export class CachedToken implements CredentialProvider {
  private readonly options: CachedTokenOptions;
  private readonly store: TokenStore;
  private readonly clock: Clock;
  private current: StoredToken | undefined;
  private inflight: Promise<string> | undefined;
  /** Where every token obtained is registered for redaction (a client's registry, via registerSecrets). */
  private readonly registries = new Set<SecretRegistry>();
  private readonly seen = new Set<string>();
  /** Token requests made by this instance (for tests and diagnostics). */
  fetchCount = 0;

  constructor(options: CachedTokenOptions) {
    this.options = options;
    this.store = options.store ?? new MemoryTokenStore();
    this.clock = options.clock ?? systemClock;
  }

  get(signal?: AbortSignal): Promise<string> {
    if (this.current && this.isFresh(this.current)) return Promise.resolve(this.current.value);
    // Single flight: every caller that arrives while a lookup or fetch runs shares its result. The
    // shared fetch is not tied to any one caller's signal; a caller that aborts just stops waiting.
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return signal ? abortable(this.inflight, signal) : this.inflight;
  }

  async invalidate(value: string): Promise<void> {
    if (this.current?.value === value) this.current = undefined;
    const stored = await this.store.get(this.options.key).catch(() => undefined);
    if (stored?.value === value) await this.store.delete(this.options.key);
  }

  private async load(): Promise<string> {
    const stored = await this.store.get(this.options.key);
    if (stored && this.isFresh(stored)) {
      this.remember(stored);
      return stored.value;
    }
    this.fetchCount += 1;
    const fetched = await this.options.fetchToken();
    const now = this.clock.now();
    const margin = Math.min(this.margin(), fetched.expiresInMs / 2);
    const token: StoredToken = {
      value: fetched.value,
      expiresAt: now + fetched.expiresInMs,
      refreshAt: Math.floor(now + fetched.expiresInMs - margin),
    };
    this.remember(token);
    await this.store.set(this.options.key, token);
    return token.value;
  }

  /** Registers every token this provider has obtained, and will obtain, with `registry`. */
  registerSecrets(registry: SecretRegistry): void {
    if (this.registries.has(registry)) return;
    this.registries.add(registry);
    for (const value of this.seen) registry.addValue(value);
  }

  private remember(token: StoredToken): void {
    this.current = token;
    if (!this.seen.has(token.value)) {
      this.seen.add(token.value);
      for (const registry of this.registries) registry.addValue(token.value);
    }
    this.options.onToken?.(token.value);
  }

  private margin(): number {
    return Math.max(0, this.options.refreshMarginMs ?? 60_000);
  }

  private isFresh(token: StoredToken): boolean {
    const renewAt = token.refreshAt ?? token.expiresAt - this.margin();
    return this.clock.now() < renewAt;
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
