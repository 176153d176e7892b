// Token stores shared by several processes, and through outages: one token request however many
// processes start at once, a killed lock holder costs little, crashed writers leave nothing behind,
// a file this process cannot decrypt is left alone, Redis's lock cannot be released by someone
// else, and a Redis outage costs a bounded wait per call. Real processes, a real redis-server.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@redis/client';
import { Redis as IoRedis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../src/logger.js';
import { clientCredentials } from '../src/oauth2.js';
import type { StoredToken } from '../src/token-cache.js';
import { EncryptedFileTokenStore } from '../src/token-stores/encrypted-file.js';
import { FileTokenStore } from '../src/token-stores/file.js';
import { nodeRedisAdapter } from '../src/redis.js';
import { RedisTokenStore, type RedisTokenStoreClient } from '../src/token-stores/redis.js';
import { json, startServer } from '../../../scripts/testing/kit.js';
import { SRC, script, startTogether, startWorker, WORKER_PRELUDE, workerDir } from './helpers/processes.js';
import { REDIS_SERVER, startRedis, type TestRedis } from '../../../scripts/testing/redis.js';

const HOUR = 3_600_000;
const token = (value: string, lifetimeMs = HOUR): StoredToken => ({ value, expiresAt: Date.now() + lifetimeMs, refreshAt: Date.now() + lifetimeMs - 60_000 });

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const logger: Logger = {
    debug: (message) => lines.push({ level: 'debug', message }),
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
  return { lines, logger, warnings: () => lines.filter((l) => l.level === 'warn').map((l) => l.message) };
}

/** A token endpoint; `hold` keeps chosen requests waiting (as a slow or dying server would). */
async function tokenEndpoint(options: { delayMs?: number; hold?: (index: number) => boolean } = {}) {
  const held: ServerResponse[] = [];
  let issued = 0;
  const server = await startServer(async (_req, res, index) => {
    if (options.hold?.(index)) {
      held.push(res);
      return;
    }
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    issued += 1;
    json(res, 200, { access_token: `shared-token-${issued}`, expires_in: 86400, token_type: 'Bearer' });
  });
  return {
    server,
    url: `${server.url}/token`,
    close: async () => {
      for (const res of held) res.destroy();
      await server.close();
    },
  };
}

const until = async (condition: () => boolean | Promise<boolean>, ms: number, what: string) => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** The id of a process that has exited (so it is surely not running). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

let dir: string;
beforeEach(async () => {
  dir = await workerDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// A worker process: one clientCredentials provider on a store, asked for its token once.
const workerSource = (store: string) => `
import { clientCredentials } from ${JSON.stringify(`${SRC}oauth2.ts`)};
import { FileTokenStore } from ${JSON.stringify(`${SRC}token-stores/file.ts`)};
import { RedisTokenStore } from ${JSON.stringify(`${SRC}token-stores/redis.ts`)};
import { createClient } from '@redis/client';
const [tokenUrl, where] = process.argv.slice(2);
let redis;
${store}
const auth = clientCredentials({ tokenUrl, clientId: 'fleet', clientSecret: 'cs_fleet_secret', store });
${WORKER_PRELUDE}
print({ token: await auth.get(), requests: auth.tokenRequests });
await redis?.close();
process.exit(0);
`;
const FILE_STORE = 'const store = new FileTokenStore(where);';
const REDIS_STORE = "redis = createClient({ url: where }); redis.on('error', () => {}); await redis.connect(); const store = RedisTokenStore.nodeRedis(redis, { prefix: 'fleet:' });";

describe('FileTokenStore across processes', () => {
  it('makes one token request when 8 processes start at once on a cold file', async () => {
    const endpoint = await tokenEndpoint({ delayMs: 100 });
    try {
      const path = join(dir, 'tokens.json');
      const worker = await script(dir, 'cold-file', workerSource(FILE_STORE));
      const workers = await startTogether(worker, () => [endpoint.url, path], 8);
      const results = await Promise.all(workers.map((w) => w.done));
      expect(results.map((r) => r.code), results.map((r) => r.output).join('\n')).toEqual(Array(8).fill(0));
      expect(endpoint.server.requests).toHaveLength(1);
      expect(new Set(results.map((r) => (r.lines[0] as { token: string }).token))).toEqual(new Set(['shared-token-1']));
      // Nothing left behind but the file: no lock, no temporary file.
      expect(await readdir(dir)).toEqual(expect.arrayContaining(['tokens.json']));
      expect((await readdir(dir)).filter((f) => f.includes('tokens.json'))).toEqual(['tokens.json']);
    } finally {
      await endpoint.close();
    }
  }, 60_000);

  it('costs the others under a second when the process fetching the token is killed (its lock names a dead process)', async () => {
    const endpoint = await tokenEndpoint({ hold: (i) => i === 0 });
    try {
      const path = join(dir, 'tokens.json');
      const holder = startWorker(await script(dir, 'holder', workerSource(FILE_STORE)), [endpoint.url, path]);
      await holder.ready;
      holder.go();
      await until(() => endpoint.server.requests.length === 1, 20_000, 'the holder to ask for its token');
      const waiter = clientCredentials({ tokenUrl: endpoint.url, clientId: 'fleet', clientSecret: 'cs_fleet_secret', store: new FileTokenStore(path) });
      let got: string | undefined;
      const waiting = waiter.get().then((t) => {
        got = t;
        return Date.now();
      });
      // While the holder lives (and renews its lock past the lock's 1.5 s lifetime), the waiter waits for its token.
      await new Promise((r) => setTimeout(r, 2_000));
      expect(got).toBeUndefined();
      expect(endpoint.server.requests).toHaveLength(1);
      const killedAt = Date.now();
      holder.child.kill('SIGKILL');
      const servedAt = await waiting;
      expect(servedAt - killedAt).toBeLessThanOrEqual(1_000);
      expect(got).toBe('shared-token-1');
      expect(endpoint.server.requests).toHaveLength(2);
    } finally {
      await endpoint.close();
    }
  }, 60_000);

  it('breaks a write lock left by a killed process at once, and removes crashed writers\' temporary files', async () => {
    const path = join(dir, 'tokens.json');
    const dead = await deadPid();
    // A lock written a moment ago by a process that is gone (before: a 5 s wait, then a write without the lock).
    await writeFile(`${path}.lock`, JSON.stringify({ owner: 'crashed', pid: dead, host: hostname(), ttlMs: 10_000 }));
    const tag = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
    const orphan = join(dir, `.tokens.json.${tag}.${dead}.0123456789ab.tmp`);
    const oldStyle = join(dir, `.tokens.json.${dead}.ba9876543210.tmp`);
    const live = join(dir, `.tokens.json.${tag}.${process.ppid}.abcdefabcdef.tmp`);
    for (const f of [orphan, oldStyle, live]) await writeFile(f, JSON.stringify({ version: 1, tokens: { a: token('a-full-token-document') } }));
    const past = new Date(Date.now() - 20_000);
    for (const f of [orphan, oldStyle, live]) await utimes(f, past, past);
    const fresh = join(dir, `.tokens.json.${tag}.${dead}.fedcba987654.tmp`); // its writer may have just died: kept for now

    await writeFile(fresh, '{}');
    const started = Date.now();
    await new FileTokenStore(path).set('k', token('after-the-crash'));
    expect(Date.now() - started).toBeLessThanOrEqual(1_000);
    const left = (await readdir(dir)).filter((f) => f.includes('tokens.json')).sort();
    expect(left).toEqual([`.tokens.json.${tag}.${dead}.fedcba987654.tmp`, `.tokens.json.${tag}.${process.ppid}.abcdefabcdef.tmp`, 'tokens.json'].sort());
  });

  it('leaves a file it cannot decrypt alone, says so through the client\'s logger, and keeps its token in memory', async () => {
    const path = join(dir, 'tokens.enc');
    const key = randomBytes(32);
    const endpoint = await tokenEndpoint();
    try {
      const options = { tokenUrl: endpoint.url, clientId: 'fleet', clientSecret: 'cs_fleet_secret' };
      const right = clientCredentials({ ...options, store: new EncryptedFileTokenStore(path, { key }) });
      expect(await right.get()).toBe('shared-token-1');
      const before = await readFile(path);

      const { logger, warnings } = recordingLogger();
      const wrong = clientCredentials({ ...options, store: new EncryptedFileTokenStore(path, { key: randomBytes(32) }), logger });
      expect(await wrong.get()).toBe('shared-token-2');
      expect(await wrong.get()).toBe('shared-token-2'); // from memory
      expect(wrong.tokenRequests).toBe(1);
      expect(await readFile(path)).toEqual(before); // not overwritten
      expect(warnings()).toEqual(
        expect.arrayContaining([expect.stringMatching(/tokens\.enc is rejected: it failed authentication .*left as it is/), expect.stringMatching(/write failed; the token is kept in memory only/)]),
      );
      expect(warnings().join('\n')).not.toContain('shared-token');

      // A process with the right key still uses the file: no new token request.
      const another = clientCredentials({ ...options, store: new EncryptedFileTokenStore(path, { key }) });
      expect(await another.get()).toBe('shared-token-1');
      expect(another.tokenRequests).toBe(0);
    } finally {
      await endpoint.close();
    }
  });
});

describe('any store', () => {
  it('never stalls a call: a store that never answers costs storeTimeoutMs per operation, logged, and the token is kept in memory', async () => {
    const endpoint = await tokenEndpoint();
    try {
      const never = () => new Promise<never>(() => undefined);
      const hanging = { get: never, set: never, delete: never, tryLock: never, unlock: never };
      const { logger, warnings } = recordingLogger();
      const auth = clientCredentials({ tokenUrl: endpoint.url, clientId: 'hang', clientSecret: 'cs_hang_secret', store: hanging, storeTimeoutMs: 100, logger });
      const started = Date.now();
      expect(await auth.get()).toBe('shared-token-1');
      expect(Date.now() - started).toBeLessThanOrEqual(1_500); // read, lock and write: 100 ms each at most
      expect(await auth.get()).toBe('shared-token-1');
      expect(warnings()).toEqual([
        expect.stringMatching(/read failed.*no answer within 100 ms \(read\)/),
        expect.stringMatching(/lock failed, fetching without it.*no answer within 100 ms \(lock\)/),
        expect.stringMatching(/write failed; the token is kept in memory only.*no answer within 100 ms \(write\)/),
      ]);
    } finally {
      await endpoint.close();
    }
  });
});

if (!REDIS_SERVER) console.warn('token-stores-shared.test.ts: redis-server is not installed; the Redis tests are skipped (CI installs it)');

describe.skipIf(!REDIS_SERVER)('RedisTokenStore across processes and outages', () => {
  let redis: TestRedis;
  const closers: (() => Promise<unknown>)[] = [];
  const nodeRedis = async () => {
    const client = createClient({ url: redis.url });
    client.on('error', () => undefined); // the README's advice: without a listener, a restart crashes the process
    await client.connect();
    closers.push(() => client.close().catch(() => undefined));
    return client;
  };
  const prefix = () => `t${randomBytes(4).toString('hex')}:`;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await redis?.stop();
  });

  it('costs the others at most the lock\'s lifetime (≤ 2 s) when the worker fetching the token is killed', async () => {
    const endpoint = await tokenEndpoint({ hold: (i) => i === 0 });
    try {
      const holder = startWorker(await script(dir, 'redis-holder', workerSource(REDIS_STORE)), [endpoint.url, redis.url]);
      await holder.ready;
      holder.go();
      await until(() => endpoint.server.requests.length === 1, 20_000, 'the holder to ask for its token');
      const waiter = clientCredentials({ tokenUrl: endpoint.url, clientId: 'fleet', clientSecret: 'cs_fleet_secret', store: RedisTokenStore.nodeRedis(await nodeRedis(), { prefix: 'fleet:' }) });
      let got: string | undefined;
      const waiting = waiter.get().then((t) => {
        got = t;
        return Date.now();
      });
      await new Promise((r) => setTimeout(r, 2_000)); // longer than the lock's 1.5 s: the holder renews it
      expect(got).toBeUndefined();
      expect(endpoint.server.requests).toHaveLength(1);
      const killedAt = Date.now();
      holder.child.kill('SIGKILL');
      const servedAt = await waiting;
      expect(servedAt - killedAt).toBeLessThanOrEqual(2_000);
      expect(got).toBe('shared-token-1');
    } finally {
      await endpoint.close();
    }
  }, 60_000);

  it('keeps one token request when the token endpoint answers slower than the lock lives (the holder renews it)', async () => {
    const endpoint = await tokenEndpoint({ delayMs: 2_500 });
    try {
      const p = prefix();
      const workers = await Promise.all(
        Array.from({ length: 3 }, async () => clientCredentials({ tokenUrl: endpoint.url, clientId: 'slow', clientSecret: 'cs_slow_secret', store: RedisTokenStore.nodeRedis(await nodeRedis(), { prefix: p }) })),
      );
      const tokens = await Promise.all(workers.map((w) => w.get()));
      expect(new Set(tokens)).toEqual(new Set(['shared-token-1']));
      expect(endpoint.server.requests).toHaveLength(1);
    } finally {
      await endpoint.close();
    }
  }, 30_000);

  it('never releases a lock another worker took after the holder\'s expired (compare-and-delete)', async () => {
    const raw = await nodeRedis();
    const p = prefix();
    const other = RedisTokenStore.nodeRedis(raw, { prefix: p });
    // The slow holder's client stalls just before each step of its unlock, long enough for its lock to
    // expire and for another worker to take the lock.
    let stall: (() => Promise<void>) | undefined;
    const base = nodeRedisAdapter(raw);
    const slowClient: RedisTokenStoreClient = {
      ...base,
      get: async (key) => {
        const value = await base.get(key);
        if (key.endsWith(':lock') && stall) await stall();
        return value;
      },
      eval: async (scriptText, keys, args) => {
        if (stall) await stall();
        return base.eval!(scriptText, keys, args);
      },
    };
    const slow = new RedisTokenStore(slowClient, { prefix: p, timeoutMs: 5_000 });
    expect(await slow.tryLock('k', 'slow-holder', 150)).toBe(true);
    stall = async () => {
      stall = undefined;
      await new Promise((r) => setTimeout(r, 300)); // the holder's lock expires meanwhile
      expect(await other.tryLock('k', 'second-worker', 10_000)).toBe(true);
    };
    await slow.unlock('k', 'slow-holder');
    expect(await raw.get(`${p}k:lock`)).toBe('second-worker');
  });

  it('encrypts tokens at rest (the EncryptedFileTokenStore key format), binds each to its key, and leaves another key\'s tokens alone', async () => {
    const raw = await nodeRedis();
    const p = prefix();
    const key = randomBytes(32);
    const { errors, onError } = (() => {
      const errors: Error[] = [];
      return { errors, onError: (e: Error) => errors.push(e) };
    })();
    const store = RedisTokenStore.nodeRedis(raw, { prefix: p, encryptionKey: key.toString('hex'), onError });
    expect(store.encrypted).toBe(true);
    await store.set('k', token('secret-access-token-value'));
    const stored = (await raw.get(`${p}k`))!;
    expect(stored).not.toContain('secret-access-token-value');
    expect(JSON.parse(stored)).toMatchObject({ v: 1, alg: 'AES-256-GCM' });
    expect(await store.get('k')).toMatchObject({ value: 'secret-access-token-value' });
    expect(await RedisTokenStore.nodeRedis(raw, { prefix: p, encryptionKey: key.toString('base64') }).get('k')).toMatchObject({ value: 'secret-access-token-value' });

    // Copied under another key, the value fails authentication.
    await raw.set(`${p}copy`, stored);
    expect(await store.get('copy')).toBeUndefined();
    // Another key (or none) reads nothing, reports it, and does not overwrite it.
    const wrong = RedisTokenStore.nodeRedis(raw, { prefix: p, encryptionKey: randomBytes(32), onError });
    expect(await wrong.get('k')).toBeUndefined();
    await expect(wrong.set('k', token('wrong-key-token'))).rejects.toThrow(/left as it is/);
    await expect(RedisTokenStore.nodeRedis(raw, { prefix: p }).set('k', token('plain-token'))).rejects.toThrow(/left as it is/);
    expect(await raw.get(`${p}k`)).toBe(stored);
    // A plain value is not trusted by an encrypting store, and is replaced by its next write.
    await raw.set(`${p}plain`, JSON.stringify(token('injected-token')));
    expect(await store.get('plain')).toBeUndefined();
    await store.set('plain', token('own-token'));
    expect(await store.get('plain')).toMatchObject({ value: 'own-token' });
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/copy is rejected: it failed authentication/),
      expect.stringMatching(/k is rejected: it failed authentication/),
      expect.stringMatching(/plain is not encrypted/),
    ]);
    expect(() => RedisTokenStore.nodeRedis(raw, { encryptionKey: 'too-short' })).toThrow(/must be 32 bytes/);
  });

  it.each(['node-redis', 'ioredis'])('costs a bounded wait per call when Redis is down (%s): the token is fetched, kept in memory, and it all comes back', async (library) => {
    const endpoint = await tokenEndpoint();
    const { lines, logger, warnings } = recordingLogger();
    let store: RedisTokenStore;
    const p = prefix();
    const options = { prefix: p, retryIntervalMs: 200 };
    if (library === 'node-redis') store = RedisTokenStore.nodeRedis(await nodeRedis(), options);
    else {
      const client = new IoRedis(redis.url);
      client.on('error', () => undefined);
      closers.push(async () => client.disconnect());
      await until(() => client.status === 'ready', 5_000, 'ioredis to connect');
      store = RedisTokenStore.ioredis(client, options);
    }
    const newClient = () => clientCredentials({ tokenUrl: endpoint.url, clientId: `outage-${library}`, clientSecret: 'cs_outage_secret', store, logger });
    try {
      await redis.kill();
      const timed = async (f: () => Promise<string>) => {
        const started = Date.now();
        const value = await f();
        return { value, ms: Date.now() - started };
      };
      const first = newClient();
      const cold = await timed(() => first.get());
      expect(cold.value).toBe('shared-token-1');
      expect(cold.ms).toBeLessThanOrEqual(1_000); // one bounded Redis wait (≤ 250 ms) plus a local token request; before: 20–300 s
      expect((await timed(() => first.get())).ms).toBeLessThanOrEqual(50); // from memory
      const second = await timed(() => newClient().get()); // another client while Redis is still down
      expect(second.ms).toBeLessThanOrEqual(1_000);
      expect(warnings()).toEqual(expect.arrayContaining([expect.stringMatching(/token store: Redis is unreachable/)]));

      await redis.start();
      await until(
        async () => {
          await newClient().get();
          return lines.some((l) => l.level === 'info' && /Redis is reachable again/.test(l.message));
        },
        15_000,
        'the store to come back',
      );
      const after = newClient();
      await after.get();
      const check = await nodeRedis();
      expect(await check.exists(`${p}${after.storeKey}`)).toBe(1);
    } finally {
      await endpoint.close();
      if (!(await redisAnswers(redis))) await redis.start();
    }
  }, 60_000);
});

async function redisAnswers(redis: TestRedis): Promise<boolean> {
  const probe = createClient({ url: redis.url, socket: { reconnectStrategy: false } });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    await probe.close();
    return true;
  } catch {
    return false;
  }
}
