import type { TokenStoreLock } from '../oauth2.js';
import type { StoredToken, TokenStore } from '../token-cache.js';

/**
 * Tokens in Redis, so that many workers (processes, containers, hosts) share one token and the
 * token endpoint sees one request however many of them start at once. Each token is one key
 * (`<prefix><store key>`, JSON) that expires with the token; a short `SET NX PX` lock per key lets
 * one worker fetch while the others wait for its token (see clientCredentials).
 *
 * Core depends on no Redis library: give it any client through the small RedisTokenStoreClient
 * interface, or adapt node-redis (`@redis/client`, `redis`) with `nodeRedisAdapter` and ioredis with
 * `ioredisAdapter`.
 */
export interface RedisTokenStoreClient {
  get(key: string): Promise<string | null | undefined>;
  /** SET key value PX ttlMs. */
  set(key: string, value: string, ttlMs: number): Promise<unknown>;
  /** SET key value PX ttlMs NX; resolves whether the key was set. Enables the cross-worker lock. */
  setIfAbsent?(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<unknown>;
}

/** The part of a node-redis (v4 and later) client the store uses. */
export interface NodeRedisLike {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { PX: number; NX?: boolean }): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

/** The part of an ioredis client the store uses. */
export interface IoRedisLike {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, px: 'PX', ttlMs: number, nx?: 'NX'): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

export function nodeRedisAdapter(client: NodeRedisLike): RedisTokenStoreClient {
  return {
    get: async (key) => text(await client.get(key)),
    set: (key, value, ttlMs) => client.set(key, value, { PX: ttlMs }),
    setIfAbsent: async (key, value, ttlMs) => (await client.set(key, value, { PX: ttlMs, NX: true })) !== null,
    del: (key) => client.del(key),
  };
}

export function ioredisAdapter(client: IoRedisLike): RedisTokenStoreClient {
  return {
    get: async (key) => text(await client.get(key)),
    set: (key, value, ttlMs) => client.set(key, value, 'PX', ttlMs),
    setIfAbsent: async (key, value, ttlMs) => (await client.set(key, value, 'PX', ttlMs, 'NX')) !== null,
    del: (key) => client.del(key),
  };
}

export interface RedisTokenStoreOptions {
  /** Prefix of every key. Default `provider-sdk:token:`. */
  prefix?: string | undefined;
  /** Current time in epoch ms, for the key's expiry. Default `Date.now`. */
  now?: (() => number) | undefined;
}

export class RedisTokenStore implements TokenStore, TokenStoreLock {
  readonly prefix: string;
  private readonly client: RedisTokenStoreClient;
  private readonly now: () => number;

  constructor(client: RedisTokenStoreClient, options: RedisTokenStoreOptions = {}) {
    this.client = client;
    this.prefix = options.prefix ?? 'provider-sdk:token:';
    this.now = options.now ?? Date.now;
  }

  /** A store on a node-redis client (`createClient()` from `redis` or `@redis/client`). */
  static nodeRedis(client: NodeRedisLike, options?: RedisTokenStoreOptions): RedisTokenStore {
    return new RedisTokenStore(nodeRedisAdapter(client), options);
  }

  /** A store on an ioredis client. */
  static ioredis(client: IoRedisLike, options?: RedisTokenStoreOptions): RedisTokenStore {
    return new RedisTokenStore(ioredisAdapter(client), options);
  }

  async get(key: string): Promise<StoredToken | undefined> {
    const raw = await this.client.get(this.prefix + key);
    if (!raw) return undefined;
    try {
      const t = JSON.parse(raw) as Partial<StoredToken>;
      if (typeof t.value !== 'string' || typeof t.expiresAt !== 'number') return undefined;
      return { value: t.value, expiresAt: t.expiresAt, ...(typeof t.refreshAt === 'number' ? { refreshAt: t.refreshAt } : {}) };
    } catch {
      return undefined;
    }
  }

  async set(key: string, token: StoredToken): Promise<void> {
    const ttlMs = Math.floor(token.expiresAt - this.now());
    if (ttlMs <= 0) {
      await this.client.del(this.prefix + key);
      return;
    }
    await this.client.set(this.prefix + key, JSON.stringify(token), ttlMs);
  }

  async delete(key: string): Promise<void> {
    await this.client.del(this.prefix + key);
  }

  async tryLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    // Without SET NX every worker fetches for itself, as if it had the lock.
    if (!this.client.setIfAbsent) return true;
    return this.client.setIfAbsent(`${this.prefix}${key}:lock`, owner, Math.max(1, Math.floor(ttlMs)));
  }

  async unlock(key: string, owner: string): Promise<void> {
    const lockKey = `${this.prefix}${key}:lock`;
    if ((await this.client.get(lockKey)) === owner) await this.client.del(lockKey);
  }
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  // TextDecoder, not Buffer: this store is in the main entry, which browsers and workers load.
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return String(value);
}
