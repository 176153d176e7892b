import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@redis/client';
import { Redis as IoRedis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientCredentials } from '../src/oauth2.js';
import { CachedToken, type StoredToken } from '../src/token-cache.js';
import { EncryptedFileTokenStore, parseTokenKey, TOKEN_KEY_ENV } from '../src/token-stores/encrypted-file.js';
import { FileTokenStore } from '../src/token-stores/file.js';
import { RedisTokenStore } from '../src/token-stores/redis.js';
import { json, startServer, type TestServer } from '../../../scripts/testing/kit.js';
import { REDIS_SERVER, startRedis, type TestRedis } from '../../../scripts/testing/redis.js';

const HOUR = 3_600_000;
const token = (value: string, lifetimeMs = HOUR): StoredToken => ({ value, expiresAt: Date.now() + lifetimeMs, refreshAt: Date.now() + lifetimeMs - 60_000 });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provider-sdk-tokens-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function errorsOf() {
  const errors: Error[] = [];
  return { errors, onError: (e: Error) => errors.push(e) };
}

describe('FileTokenStore', () => {
  it('keeps tokens by key in an owner-only JSON file, in a directory it creates owner-only', async () => {
    const path = join(dir, 'nested', 'tokens.json');
    const store = new FileTokenStore(path);
    expect(await store.get('a')).toBeUndefined();
    const a = token('token-a-value');
    await store.set('a', a);
    await store.set('b', token('token-b-value'));
    expect(await store.get('a')).toEqual(a);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ version: 1, tokens: { a, b: { value: 'token-b-value' } } });
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
    expect(await new FileTokenStore(path).get('b')).toMatchObject({ value: 'token-b-value' });
    // Nothing is left behind: no temporary file, no lock file.
    expect(await readdir(join(dir, 'nested'))).toEqual(['tokens.json']);
  });

  it('drops tokens that expired long ago when it writes', async () => {
    const path = join(dir, 'tokens.json');
    const store = new FileTokenStore(path);
    await store.set('old', { value: 'stale-token', expiresAt: Date.now() - 10 * 60_000 });
    await store.set('new', token('fresh-token'));
    expect(await store.get('old')).toBeUndefined();
    expect(await store.get('new')).toMatchObject({ value: 'fresh-token' });
  });

  it.each([
    ['garbage bytes', randomBytes(64)],
    ['truncated JSON', Buffer.from('{"version":1,"tokens":{"a":{"value":"x","expi')],
    ['JSON of another shape', Buffer.from('[1,2,3]')],
    ['a document without tokens', Buffer.from('{"version":1}')],
  ])('treats a corrupt file (%s) as empty, reports it, and replaces it on the next write', async (_label, content) => {
    const path = join(dir, 'tokens.json');
    await writeFile(path, content);
    const { errors, onError } = errorsOf();
    const store = new FileTokenStore(path, { onError });
    expect(await store.get('a')).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/treating it as empty/);
    await store.set('a', token('replacement-token'));
    const reported = errors.length; // the write read the corrupt file once more before replacing it
    expect(JSON.parse(await readFile(path, 'utf8')).tokens.a.value).toBe('replacement-token');
    expect(await store.get('a')).toMatchObject({ value: 'replacement-token' });
    expect(errors).toHaveLength(reported);
  });

  it('treats an empty file as empty without complaint, and skips malformed entries', async () => {
    const path = join(dir, 'tokens.json');
    await writeFile(path, '');
    const { errors, onError } = errorsOf();
    const store = new FileTokenStore(path, { onError });
    expect(await store.get('a')).toBeUndefined();
    await writeFile(path, JSON.stringify({ version: 1, tokens: { a: { value: 42 }, b: { value: 'ok-token', expiresAt: Date.now() + HOUR } } }));
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toMatchObject({ value: 'ok-token' });
    expect(errors).toEqual([]);
  });

  it('treats an unreadable path as empty instead of crashing', async () => {
    const path = join(dir, 'tokens.json');
    await mkdir(path); // a directory where the file should be: reading fails with EISDIR
    const { errors, onError } = errorsOf();
    expect(await new FileTokenStore(path, { onError }).get('a')).toBeUndefined();
    expect(errors[0]?.message).toMatch(/unreadable/);
  });

  it.skipIf(process.getuid?.() === 0)('treats a file it may not read as empty, and replaces it (not run as root, who reads anything)', async () => {
    const path = join(dir, 'tokens.json');
    await writeFile(path, JSON.stringify({ version: 1, tokens: {} }));
    await chmod(path, 0o000);
    const { errors, onError } = errorsOf();
    const store = new FileTokenStore(path, { onError });
    expect(await store.get('a')).toBeUndefined();
    expect(errors.length).toBeGreaterThan(0);
    await store.set('a', token('after-permission-fix'));
    expect(await store.get('a')).toMatchObject({ value: 'after-permission-fix' });
  });

  it('loses no key when many writers in one process write at once', async () => {
    const path = join(dir, 'tokens.json');
    const stores = Array.from({ length: 5 }, () => new FileTokenStore(path));
    await Promise.all(Array.from({ length: 60 }, (_, i) => stores[i % 5]!.set(`k${i}`, token(`value-${i}`))));
    const doc = JSON.parse(await readFile(path, 'utf8'));
    expect(Object.keys(doc.tokens).sort()).toEqual(Array.from({ length: 60 }, (_, i) => `k${i}`).sort());
  });

  it('never leaves a torn file when several processes write at once, and loses no key', async () => {
    const path = join(dir, 'tokens.json');
    const storeModule = fileURLToPath(new URL('../src/token-stores/file.ts', import.meta.url));
    const child = join(dir, 'writer.mts');
    await writeFile(
      child,
      `import { FileTokenStore } from ${JSON.stringify(storeModule)};
const [path, worker] = process.argv.slice(2);
const store = new FileTokenStore(path, { onError: (e) => { console.error('torn: ' + e.message); process.exitCode = 3; } });
for (let i = 0; i < 25; i++) {
  await store.set(worker + '-' + i, { value: 'v-' + worker + '-' + i + '-' + 'x'.repeat(200), expiresAt: Date.now() + 3600000 });
  await store.get(worker + '-' + i);
}
`,
    );
    const workers = ['w1', 'w2', 'w3', 'w4'];
    const exits = workers.map((w) => run(process.execPath, ['--import', 'tsx', child, path, w]));
    // Meanwhile this process keeps reading: every read must parse.
    const { errors, onError } = errorsOf();
    const reader = new FileTokenStore(path, { onError });
    let done = false;
    const reading = (async () => {
      let reads = 0;
      while (!done) {
        await reader.get('w1-0');
        reads++;
        await new Promise((r) => setTimeout(r, 1));
      }
      return reads;
    })();
    const results = await Promise.all(exits);
    done = true;
    expect(await reading).toBeGreaterThan(0);
    expect(results.map((r) => r.code), results.map((r) => r.output).join('\n')).toEqual([0, 0, 0, 0]);
    expect(errors).toEqual([]);
    const doc = JSON.parse(await readFile(path, 'utf8'));
    expect(Object.keys(doc.tokens)).toHaveLength(100);
    expect((await readdir(dir)).sort()).toEqual(['tokens.json', 'writer.mts']);
  }, 60_000);

  it('breaks a lock file abandoned by a crashed process', async () => {
    const path = join(dir, 'tokens.json');
    await writeFile(`${path}.lock`, '99999');
    const old = new Date(Date.now() - 60_000);
    const { utimes } = await import('node:fs/promises');
    await utimes(`${path}.lock`, old, old);
    const store = new FileTokenStore(path, { staleLockMs: 1_000 });
    await store.set('a', token('after-stale-lock'));
    expect(await store.get('a')).toMatchObject({ value: 'after-stale-lock' });
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('shares a token between two CachedToken instances (two processes) through the file', async () => {
    const path = join(dir, 'tokens.json');
    let fetched = 0;
    const fetchToken = async () => ({ value: `file-shared-${++fetched}`, expiresInMs: HOUR });
    const first = new CachedToken({ key: 'pax8', fetchToken, store: new FileTokenStore(path) });
    const second = new CachedToken({ key: 'pax8', fetchToken, store: new FileTokenStore(path) });
    expect(await first.get()).toBe('file-shared-1');
    expect(await second.get()).toBe('file-shared-1');
    expect(fetched).toBe(1);
  });
});

describe('EncryptedFileTokenStore', () => {
  const key = randomBytes(32);

  it('round-trips tokens while the file holds neither token nor key in clear, with a fresh IV per write', async () => {
    const path = join(dir, 'tokens.enc');
    const store = new EncryptedFileTokenStore(path, { key });
    await store.set('a', token('plaintext-access-token-123'));
    const first = await readFile(path, 'utf8');
    expect(await store.get('a')).toMatchObject({ value: 'plaintext-access-token-123' });
    expect(first).not.toContain('plaintext-access-token-123');
    expect(first).not.toContain(key.toString('base64'));
    expect(JSON.parse(first)).toMatchObject({ v: 1, alg: 'AES-256-GCM' });
    await store.set('a', (await store.get('a'))!);
    const second = JSON.parse(await readFile(path, 'utf8'));
    expect(second.iv).not.toBe(JSON.parse(first).iv);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('reads the key from PROVIDER_SDK_TOKEN_KEY (hex or base64) when none is given', async () => {
    const path = join(dir, 'tokens.enc');
    const saved = process.env[TOKEN_KEY_ENV];
    try {
      process.env[TOKEN_KEY_ENV] = key.toString('hex');
      await new EncryptedFileTokenStore(path).set('a', token('from-env-key'));
      process.env[TOKEN_KEY_ENV] = key.toString('base64');
      expect(await new EncryptedFileTokenStore(path).get('a')).toMatchObject({ value: 'from-env-key' });
      expect(await new EncryptedFileTokenStore(path, { key: key.toString('base64url') }).get('a')).toMatchObject({ value: 'from-env-key' });
      delete process.env[TOKEN_KEY_ENV];
      expect(() => new EncryptedFileTokenStore(path)).toThrow(/PROVIDER_SDK_TOKEN_KEY/);
    } finally {
      if (saved === undefined) delete process.env[TOKEN_KEY_ENV];
      else process.env[TOKEN_KEY_ENV] = saved;
    }
  });

  it('refuses a key that is not 32 bytes, without showing it', () => {
    const short = 'c2hvcnQta2V5LXZhbHVl';
    expect(() => parseTokenKey(short)).toThrow(/must be 32 bytes/);
    expect(() => parseTokenKey(short)).not.toThrow(new RegExp(short));
    expect(() => parseTokenKey('not base64 !!')).toThrow(/got 0 bytes/);
    expect(parseTokenKey(new Uint8Array(32)).length).toBe(32);
  });

  it.each([
    ['a flipped ciphertext byte', (env: Record<string, string>) => ({ ...env, data: flip(env.data!) })],
    ['a flipped tag byte', (env: Record<string, string>) => ({ ...env, tag: flip(env.tag!) })],
    ['a replaced IV', (env: Record<string, string>) => ({ ...env, iv: randomBytes(12).toString('base64') })],
  ])('rejects a tampered file (%s), treats it as empty, and leaves it alone', async (_label, tamper) => {
    const path = join(dir, 'tokens.enc');
    const { errors, onError } = errorsOf();
    const store = new EncryptedFileTokenStore(path, { key, onError });
    await store.set('a', token('genuine-token'));
    const envelope = JSON.parse(await readFile(path, 'utf8'));
    const tampered = JSON.stringify(tamper(envelope));
    await writeFile(path, tampered);
    expect(await store.get('a')).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/failed authentication.*left as it is/);
    await expect(store.set('b', token('after-tampering'))).rejects.toThrow(/left as it is/);
    expect(await readFile(path, 'utf8')).toBe(tampered);
  });

  it('rejects a file written with another key, and a plain (unencrypted) token file, and overwrites neither', async () => {
    const path = join(dir, 'tokens.enc');
    await new EncryptedFileTokenStore(path, { key: randomBytes(32) }).set('a', token('other-key-token'));
    const { errors, onError } = errorsOf();
    const store = new EncryptedFileTokenStore(path, { key, onError });
    expect(await store.get('a')).toBeUndefined();
    const otherKeys = await readFile(path);
    await expect(store.set('a', token('mine'))).rejects.toThrow(/left as it is/);
    expect(await readFile(path)).toEqual(otherKeys);
    await rm(path);
    await new FileTokenStore(path).set('a', token('plain-token'));
    expect(await store.get('a')).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/failed authentication/),
      expect.stringMatching(/failed authentication/),
      expect.stringMatching(/not an encrypted token file/),
    ]);
    // And the plain store leaves an encrypted file alone too.
    const enc = join(dir, 'second.enc');
    await new EncryptedFileTokenStore(enc, { key }).set('a', token('encrypted'));
    const before = await readFile(enc);
    await expect(new FileTokenStore(enc).set('b', token('plain'))).rejects.toThrow(/encrypted token file/);
    expect(await readFile(enc)).toEqual(before);
  });

  it('replaces a file that is not even JSON (nobody can use it)', async () => {
    const path = join(dir, 'tokens.enc');
    await writeFile(path, randomBytes(40));
    const store = new EncryptedFileTokenStore(path, { key });
    await store.set('a', token('after-garbage'));
    expect(await store.get('a')).toMatchObject({ value: 'after-garbage' });
  });
});

function flip(b64: string): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[0] = bytes[0]! ^ 0x01;
  return bytes.toString('base64');
}

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('RedisTokenStore without Node.js', () => {
  it('decodes byte replies (node-redis with RESP_TYPES.BLOB_STRING: Buffer) where there is no Buffer, as in browsers and workers', async () => {
    const bytes = new Map<string, Uint8Array>();
    const client = {
      get: async (key: string) => bytes.get(key) ?? null,
      set: async (key: string, value: string, options: { PX: number; NX?: boolean }) => {
        if (options.NX && bytes.has(key)) return null;
        bytes.set(key, new TextEncoder().encode(value));
        return 'OK';
      },
      del: async (key: string) => (bytes.delete(key) ? 1 : 0),
    };
    const store = RedisTokenStore.nodeRedis(client);
    vi.stubGlobal('Buffer', undefined);
    try {
      await store.set('k', token('tøken'));
      await expect(store.get('k')).resolves.toMatchObject({ value: 'tøken' });
      await expect(store.tryLock('k', 'me', 1000)).resolves.toBe(true);
      await store.unlock('k', 'me');
      expect(bytes.has('provider-sdk:token:k:lock')).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Redis: a real redis-server, started by the tests on a free port, without persistence.

if (!REDIS_SERVER) console.warn('token-stores.test.ts: redis-server is not installed; the Redis token-store tests are skipped (CI installs it)');

describe.skipIf(!REDIS_SERVER)('RedisTokenStore against a real redis-server', () => {
  let redis: TestRedis;
  let url: string;
  const clients: { quit(): Promise<unknown> }[] = [];
  const connect = async () => {
    const client = createClient({ url });
    await client.connect();
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    redis = await startRedis();
    url = redis.url;
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
    await redis?.stop();
  });

  it('stores a token under its prefix with an expiry that matches the token, and deletes it', async () => {
    const client = await connect();
    const store = RedisTokenStore.nodeRedis(client, { prefix: 'test:a:' });
    const t = token('redis-token-value', 120_000);
    await store.set('k', t);
    expect(await store.get('k')).toEqual(t);
    const ttl = await client.pTTL('test:a:k');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(120_000);
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
    // An already expired token is not stored at all.
    await store.set('gone', { value: 'expired', expiresAt: Date.now() - 1 });
    expect(await client.exists('test:a:gone')).toBe(0);
    // A foreign or broken value is a miss.
    await client.set('test:a:junk', 'not json');
    expect(await store.get('junk')).toBeUndefined();
  });

  it('works with an ioredis client too, and its lock is released only by its holder', async () => {
    const client = new IoRedis(url);
    client.on('error', () => undefined);
    clients.push(client);
    const store = RedisTokenStore.ioredis(client, { prefix: 'test:io:' });
    await store.set('k', token('ioredis-token'));
    expect(await store.get('k')).toMatchObject({ value: 'ioredis-token' });
    expect(await store.tryLock('k', 'owner-1', 10_000)).toBe(true);
    expect(await store.tryLock('k', 'owner-2', 10_000)).toBe(false);
    await store.unlock('k', 'owner-2'); // not the holder: no effect
    expect(await store.tryLock('k', 'owner-3', 10_000)).toBe(false);
    expect(await store.renewLock('k', 'owner-1', 20_000)).toBe(true);
    expect(await store.renewLock('k', 'owner-2', 20_000)).toBe(false);
    await store.unlock('k', 'owner-1');
    expect(await store.tryLock('k', 'owner-3', 10_000)).toBe(true);
  });

  it('lets two CachedToken workers on separate connections share one token (one token request)', async () => {
    let requests = 0;
    const fetchToken = async () => ({ value: `shared-worker-token-${++requests}`, expiresInMs: HOUR });
    const workerA = new CachedToken({ key: 'pax8-shared', fetchToken, store: RedisTokenStore.nodeRedis(await connect(), { prefix: 'test:cached:' }) });
    const workerB = new CachedToken({ key: 'pax8-shared', fetchToken, store: RedisTokenStore.nodeRedis(await connect(), { prefix: 'test:cached:' }) });
    expect(await workerA.get()).toBe('shared-worker-token-1');
    expect(await workerB.get()).toBe('shared-worker-token-1');
    expect(requests).toBe(1);
    expect(workerB.fetchCount).toBe(0);
  });

  describe('many OAuth2 workers', () => {
    let tokenServer: TestServer;
    beforeAll(async () => {
      let issued = 0;
      tokenServer = await startServer(async (_req, res) => {
        issued += 1;
        await new Promise((r) => setTimeout(r, 40));
        json(res, 200, { access_token: `redis-oauth-token-${issued}`, expires_in: 86400, token_type: 'Bearer' });
      });
    });
    afterAll(() => tokenServer.close());

    it('make one token request even when they all start cold at the same moment', async () => {
      const workers = await Promise.all(
        Array.from({ length: 5 }, async () =>
          clientCredentials({
            tokenUrl: `${tokenServer.url}/token`,
            clientId: 'many-workers',
            clientSecret: 'cs_many_workers_secret',
            store: RedisTokenStore.nodeRedis(await connect(), { prefix: 'test:oauth:' }),
          }),
        ),
      );
      const tokens = await Promise.all(workers.flatMap((w) => [w.get(), w.get(), w.get()]));
      expect(new Set(tokens)).toEqual(new Set(['redis-oauth-token-1']));
      expect(tokenServer.requests).toHaveLength(1);
      expect(workers.reduce((n, w) => n + w.tokenRequests, 0)).toBe(1);

      // A refused token is dropped from Redis for everyone: the next worker fetches a new one.
      await workers[0]!.invalidate('redis-oauth-token-1');
      const fresh = clientCredentials({
        tokenUrl: `${tokenServer.url}/token`,
        clientId: 'many-workers',
        clientSecret: 'cs_many_workers_secret',
        store: RedisTokenStore.nodeRedis(await connect(), { prefix: 'test:oauth:' }),
      });
      expect(await fresh.get()).toBe('redis-oauth-token-2');
    });
  });
});

