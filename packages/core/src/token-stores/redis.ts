import type { TokenStoreLock } from '../oauth2.js';
import { type IoRedisLike, ioredisAdapter, type NodeRedisLike, nodeRedisAdapter, type RedisCommands, RedisGuard, type RedisGuardOptions } from '../redis.js';
import { type StoredToken, type TokenStore, TokenStoreRecovered } from '../token-cache.js';
import { decodeTokenKey, isEnvelope, TokenCipher, TokenValueRejected } from './encryption.js';

export { type IoRedisLike, ioredisAdapter, type NodeRedisLike, nodeRedisAdapter, type RedisCommands } from '../redis.js';

/**
 * Tokens in Redis, so that many workers (processes, containers, hosts) share one token and the
 * token endpoint sees one request however many of them start at once. Each token is one key
 * (`<prefix><store key>`, JSON, or an AES-256-GCM envelope with `encryptionKey`) that expires with
 * the token; a short lock per key (`SET NX PX`, renewed while the fetch runs, released by an atomic
 * compare-and-delete) lets one worker fetch while the others wait for its token (see
 * clientCredentials). A worker killed while it holds the lock costs the others at most the lock's
 * short lifetime (1.5 s by default).
 *
 * Every Redis operation is bounded (`timeoutMs`, default 250 ms): with Redis down, a call pays that
 * once, the failure is reported (and logged by clientCredentials through the client's logger), and
 * the token is fetched and kept in memory; Redis is asked again after `retryIntervalMs`.
 *
 * A value this store cannot read, because it was encrypted with another key (or at all, when this
 * store has no key), is reported and left alone: other workers may be using it.
 *
 * Core depends on no Redis library: give it any client through the small RedisCommands interface,
 * or adapt node-redis (`@redis/client`, `redis`) with `nodeRedisAdapter` and ioredis with
 * `ioredisAdapter` (or use `RedisTokenStore.nodeRedis(client)` / `.ioredis(client)`).
 */
export type RedisTokenStoreClient = RedisCommands;

export interface RedisTokenStoreOptions extends RedisGuardOptions {
  /** Prefix of every key. Default `provider-sdk:token:`. */
  prefix?: string | undefined;
  /** Current time in epoch ms, for the key's expiry. Default `Date.now`. */
  now?: (() => number) | undefined;
  /**
   * Encrypts tokens at rest with AES-256-GCM: 32 bytes, or a string of them as 64 hex digits or
   * base64 (the key format of EncryptedFileTokenStore and PROVIDER_SDK_TOKEN_KEY). Every worker
   * sharing the keys needs the same key.
   */
  encryptionKey?: Uint8Array | string | undefined;
  /** Told about problems the store handles itself (Redis unreachable, a value it cannot read). */
  onError?: ((error: Error) => void) | undefined;
}

// Release the lock only if this owner still holds it: one atomic step, so that a holder whose lock
// expired cannot delete the lock another worker has taken since.
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

export class RedisTokenStore implements TokenStore, TokenStoreLock {
  readonly prefix: string;
  private readonly client: RedisCommands;
  private readonly now: () => number;
  private readonly guard: RedisGuard;
  private readonly cipher: TokenCipher | undefined;
  private readonly listeners = new Set<(error: Error) => void>();

  constructor(client: RedisCommands, options: RedisTokenStoreOptions = {}) {
    this.client = client;
    this.prefix = options.prefix ?? 'provider-sdk:token:';
    this.now = options.now ?? Date.now;
    if (options.onError) this.listeners.add(options.onError);
    this.guard = new RedisGuard(
      options,
      (level, message) => this.report(level === 'info' ? new TokenStoreRecovered(`token store: ${message}`) : new Error(`token store: ${message}`)),
      client.connection?.bind(client),
    );
    this.cipher = options.encryptionKey === undefined ? undefined : new TokenCipher(decodeTokenKey(options.encryptionKey, 'encryptionKey'));
  }

  /** A store on a node-redis client (`createClient()` from `redis` or `@redis/client`). */
  static nodeRedis(client: NodeRedisLike, options?: RedisTokenStoreOptions): RedisTokenStore {
    return new RedisTokenStore(nodeRedisAdapter(client), options);
  }

  /** A store on an ioredis client. */
  static ioredis(client: IoRedisLike, options?: RedisTokenStoreOptions): RedisTokenStore {
    return new RedisTokenStore(ioredisAdapter(client), options);
  }

  /** Whether the store encrypts tokens at rest. */
  get encrypted(): boolean {
    return this.cipher !== undefined;
  }

  addErrorListener(listener: (error: Error) => void): void {
    this.listeners.add(listener);
  }

  async get(key: string): Promise<StoredToken | undefined> {
    const raw = await this.guard.run('get', () => this.client.get(this.prefix + key));
    if (!raw) return undefined;
    const { json } = await this.read(raw, key);
    if (json === undefined) return undefined;
    try {
      const t = JSON.parse(json) as Partial<StoredToken>;
      if (typeof t.value !== 'string' || typeof t.expiresAt !== 'number') return undefined;
      return { value: t.value, expiresAt: t.expiresAt, ...(typeof t.refreshAt === 'number' ? { refreshAt: t.refreshAt } : {}) };
    } catch {
      return undefined;
    }
  }

  async set(key: string, token: StoredToken): Promise<void> {
    const redisKey = this.prefix + key;
    const ttlMs = Math.floor(token.expiresAt - this.now());
    const existing = await this.guard.run('get', () => this.client.get(redisKey));
    const current = existing ? await this.read(existing, key, false) : undefined;
    if (current && current.json === undefined && current.leaveAlone) {
      throw new TokenValueRejected(`the token under ${redisKey} cannot be read with this store's key; it is left as it is`);
    }
    if (ttlMs <= 0) {
      await this.guard.run('del', () => this.client.del(redisKey));
      return;
    }
    const json = JSON.stringify({ value: token.value, expiresAt: token.expiresAt, ...(token.refreshAt === undefined ? {} : { refreshAt: token.refreshAt }) });
    const value = this.cipher ? await this.cipher.seal(json, associated(redisKey)) : json;
    await this.guard.run('set', () => this.client.set(redisKey, value, ttlMs));
  }

  async delete(key: string): Promise<void> {
    await this.guard.run('del', () => this.client.del(this.prefix + key));
  }

  async tryLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    // Without SET NX and scripts, every worker fetches for itself, as if it had the lock.
    if (!this.client.setIfAbsent || !this.client.eval) return true;
    const setIfAbsent = this.client.setIfAbsent;
    return this.guard.run('lock', () => setIfAbsent(this.lockKey(key), owner, Math.max(1, Math.floor(ttlMs))));
  }

  async renewLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const run = this.client.eval;
    if (!run) return false;
    return Number(await this.guard.run('renew lock', () => run(RENEW, [this.lockKey(key)], [owner, String(Math.max(1, Math.floor(ttlMs)))]))) === 1;
  }

  async unlock(key: string, owner: string): Promise<void> {
    const run = this.client.eval;
    if (!run) return;
    await this.guard.run('unlock', () => run(UNLOCK, [this.lockKey(key)], [owner]));
  }

  private lockKey(key: string): string {
    return `${this.prefix}${key}:lock`;
  }

  /**
   * The JSON text of a stored value, or why this store will not use it (reported): encrypted with
   * another key, or at all when this store has none (left alone: other workers may use it), or
   * plain text when this store encrypts (not trusted: anyone who can write to Redis could have put
   * it there; replaced by the next write).
   */
  private async read(raw: string, key: string, report = true): Promise<{ json: string } | { json: undefined; leaveAlone: boolean }> {
    const redisKey = this.prefix + key;
    const reject = (why: string, leaveAlone: boolean) => {
      if (report) this.report(new TokenValueRejected(`token store: the token under ${redisKey} ${why}`));
      return { json: undefined, leaveAlone };
    };
    if (!this.cipher) return isEnvelope(raw) ? reject('is encrypted and this store has no encryptionKey; it is left as it is', true) : { json: raw };
    if (!isEnvelope(raw)) return reject('is not encrypted; it is ignored and replaced by the next token', false);
    try {
      return { json: await this.cipher.open(raw, associated(redisKey)) };
    } catch (error) {
      return reject(`is rejected: ${error instanceof Error ? error.message : 'unreadable'}; it is left as it is`, true);
    }
  }

  private report(error: Error): void {
    for (const listener of this.listeners) {
      try {
        listener(error);
      } catch {
        // a listener's failure is not the store's
      }
    }
  }
}

/** The associated data of a value: binds it to its key, so that a value copied to another key fails. */
function associated(redisKey: string): string {
  return `provider-sdk token store v1\u0000${redisKey}`;
}
