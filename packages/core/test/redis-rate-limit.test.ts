import { rm } from 'node:fs/promises';
import { createClient } from '@redis/client';
import { Redis as IoRedis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../src/logger.js';
import { RedisRateLimiter } from '../src/redis-rate-limit.js';
import { json, startServer } from '../../../scripts/testing/kit.js';
import { SRC, script, startTogether, WORKER_PRELUDE, workerDir } from './helpers/processes.js';
import { REDIS_SERVER, startRedis, type TestRedis } from '../../../scripts/testing/redis.js';
import { freePort } from '../../../scripts/testing/ports.js';

if (!REDIS_SERVER) console.warn('redis-rate-limit.test.ts: redis-server is not installed; these tests are skipped (CI installs it)');

/** The most events in any window of `windowMs` (a window (t - windowMs, t] ending at each event). */
function mostInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let end = 0, begin = 0; end < sorted.length; end++) {
    while (sorted[begin]! <= sorted[end]! - windowMs) begin++;
    most = Math.max(most, end - begin + 1);
  }
  return most;
}

function recordingLogger() {
  const lines: { level: string; message: string; at: number }[] = [];
  const logger: Logger = {
    debug: (message) => lines.push({ level: 'debug', message, at: Date.now() }),
    info: (message) => lines.push({ level: 'info', message, at: Date.now() }),
    warn: (message) => lines.push({ level: 'warn', message, at: Date.now() }),
    error: (message) => lines.push({ level: 'error', message, at: Date.now() }),
  };
  return { lines, logger };
}

const until = async (condition: () => boolean | Promise<boolean>, ms: number, what: string) => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.skipIf(!REDIS_SERVER)('RedisRateLimiter against a real redis-server', () => {
  let redis: TestRedis;
  let dir: string;
  const closers: (() => Promise<unknown>)[] = [];
  const nodeRedis = async () => {
    const client = createClient({ url: redis.url });
    client.on('error', () => undefined); // reconnect attempts while the server is down
    await client.connect();
    closers.push(() => client.close().catch(() => undefined));
    return client;
  };

  beforeAll(async () => {
    redis = await startRedis();
    dir = await workerDir();
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  // A worker process: a client on the test API whose limiter is a RedisRateLimiter on its own connection.
  const workerSource = (body: string) => `
import { createClient } from '@redis/client';
import { Runtime } from ${JSON.stringify(`${SRC}runtime.ts`)};
import { RedisRateLimiter } from ${JSON.stringify(`${SRC}redis-rate-limit.ts`)};
const [redisUrl, serverUrl, key, limit, intervalMs, marginMs, count] = process.argv.slice(2);
const api = { provider: 'T', servers: [{ url: serverUrl }], securitySchemes: {}, schemas: {}, operations: { ping: { id: 'ping', method: 'GET', path: '/ping', security: [] } } };
const redis = createClient({ url: redisUrl });
redis.on('error', () => undefined);
await redis.connect();
const quiet = { debug() {}, info() {}, warn: (m) => console.error(m), error: (m) => console.error(m) };
const limiter = RedisRateLimiter.nodeRedis(redis, { key, limit: Number(limit), intervalMs: Number(intervalMs), marginMs: Number(marginMs), logger: quiet });
const client = new Runtime(api, { rateLimit: limiter, retry: { maxAttempts: 3 } });
// A first request opens the connection (a cold first request takes far longer than the others), unlimited and not counted.
await (await fetch(serverUrl + '/warm-up')).text();
${WORKER_PRELUDE}
${body}
await redis.close();
process.exit(0);
`;

  it('holds four processes sharing one budget to it in every window, at the server', async () => {
    const arrivals: number[] = [];
    const server = await startServer((req, res) => {
      if (req.url !== '/warm-up') arrivals.push(Date.now());
      json(res, 200, { ok: true });
    });
    try {
      const path = await script(dir, 'budget-worker', workerSource(`await Promise.all(Array.from({ length: Number(count) }, () => client.call(api.operations.ping, {})));\nprint({ sent: Number(count) });`));
      // 4 processes × 10 requests against 10 per second: each would send all 10 at once on a budget of its own.
      // (The margin covers the travel time of requests on a busy machine: up to 200 ms here.)
      const workers = await startTogether(path, () => [redis.url, server.url, 'shared-budget', '10', '1000', '200', '10'], 4);
      const results = await Promise.all(workers.map((w) => w.done));
      expect(results.map((r) => r.code), results.map((r) => r.output).join('\n')).toEqual([0, 0, 0, 0]);
      expect(arrivals).toHaveLength(40);
      expect(mostInAnyWindow(arrivals, 1_000)).toBeLessThanOrEqual(10);
    } finally {
      await server.close();
    }
  }, 30_000);

  it('pauses every process when one of them gets a 429 with Retry-After', async () => {
    const arrivals: number[] = [];
    let tooManyAt: number | undefined;
    const server = await startServer((req, res) => {
      const now = Date.now();
      if (req.url === '/warm-up') return json(res, 200, {});
      arrivals.push(now);
      if (tooManyAt === undefined && arrivals.length === 10) {
        tooManyAt = now;
        json(res, 429, { message: 'slow down' }, { 'retry-after': '2' });
        return;
      }
      json(res, 200, { ok: true });
    });
    try {
      // Each process keeps calling, one request at a time, for three and a half seconds.
      const path = await script(dir, 'pause-worker', workerSource(`const stop = Date.now() + 3_500;\nlet n = 0;\nwhile (Date.now() < stop) { await client.call(api.operations.ping, {}); n++; }\nprint({ sent: n });`));
      const workers = await startTogether(path, () => [redis.url, server.url, 'shared-pause', '1000', '1000', '0', '0'], 3);
      const results = await Promise.all(workers.map((w) => w.done));
      expect(results.map((r) => r.code), results.map((r) => r.output).join('\n')).toEqual([0, 0, 0, 0].slice(0, 3));
      expect(tooManyAt).toBeDefined();
      // Requests already on their way may still arrive just after the 429 (300 ms: a loaded 2-core
      // CI machine); after that, none until the 2 s pause ends.
      const during = arrivals.filter((t) => t > tooManyAt! + 300 && t < tooManyAt! + 1_900);
      expect(during).toEqual([]);
      expect(arrivals.filter((t) => t >= tooManyAt! + 1_900).length).toBeGreaterThanOrEqual(3); // and all of them go on afterwards
    } finally {
      await server.close();
    }
  }, 30_000);

  it('serves one process in arrival order, and lets an aborted caller leave at once', async () => {
    const limiter = RedisRateLimiter.nodeRedis(await nodeRedis(), { key: 'fifo', limit: 2, intervalMs: 60_000 });
    const order: string[] = [];
    const controller = new AbortController();
    const calls = ['a', 'b', 'c', 'd', 'e'].map((name) =>
      limiter.acquire(name === 'd' ? controller.signal : name === 'c' || name === 'e' ? AbortSignal.timeout(1_500) : undefined).then(
        () => order.push(`${name} served`),
        () => order.push(`${name} left`),
      ),
    );
    await until(() => order.length >= 2, 2_000, 'the first two grants');
    controller.abort();
    await until(() => order.length >= 3, 1_000, 'the aborted caller to leave');
    await Promise.all(calls);
    expect(order).toEqual(['a served', 'b served', 'd left', 'c left', 'e left']);
  });

  it.each(['node-redis', 'ioredis'])('degrades to the local limit within 250 ms per call when Redis dies (%s), warns, and recovers', async (library) => {
    const { lines, logger } = recordingLogger();
    let limiter: RedisRateLimiter;
    if (library === 'node-redis') {
      limiter = RedisRateLimiter.nodeRedis(await nodeRedis(), { key: `outage-${library}`, limit: 500, intervalMs: 1_000, logger, retryIntervalMs: 200 });
    } else {
      const client = new IoRedis(redis.url, { lazyConnect: false });
      client.on('error', () => undefined);
      closers.push(async () => client.disconnect());
      limiter = RedisRateLimiter.ioredis(client, { key: `outage-${library}`, limit: 500, intervalMs: 1_000, logger, retryIntervalMs: 200 });
    }
    const timed = async () => {
      const started = Date.now();
      await limiter.acquire();
      return Date.now() - started;
    };
    for (let i = 0; i < 20; i++) await timed();
    expect(limiter.shared).toBe(true);

    await redis.kill();
    const during: number[] = [];
    for (let i = 0; i < 30; i++) during.push(await timed());
    // The first call after the crash waits for the bound (250 ms) at most; the rest not at all (the margins
    // are for a loaded 2-core machine; a client without the bound waits for Redis's own timeouts, seconds).
    expect(Math.max(...during)).toBeLessThanOrEqual(400);
    expect(during.filter((ms) => ms > 200).length).toBeLessThanOrEqual(1);
    expect(limiter.shared).toBe(false);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringMatching(/Redis is unreachable.*using a local limit of 500 per 1000 ms/)]);

    await redis.start();
    await until(
      async () => {
        await timed();
        return limiter.shared;
      },
      10_000,
      'the shared limit to come back',
    );
    expect(lines.filter((l) => l.level === 'info').map((l) => l.message)).toEqual([expect.stringMatching(/Redis is reachable again; the shared limit applies again/)]);
    // Back on Redis: the grants are in the shared log again.
    const check = await nodeRedis();
    await until(async () => (await check.zCard(limiter.redisKeys.log)) > 0, 5_000, 'grants in Redis');
  }, 30_000);

  it('never waits more than 250 ms when Redis is unreachable from the start (ioredis queues commands meanwhile)', async () => {
    const { lines, logger } = recordingLogger();
    const port = await freePort(); // nothing listens there
    const client = new IoRedis({ host: '127.0.0.1', port, lazyConnect: false, retryStrategy: () => 100 });
    client.on('error', () => undefined);
    closers.push(async () => client.disconnect());
    const limiter = RedisRateLimiter.ioredis(client, { key: 'never-up', limit: 3, intervalMs: 60_000, logger });
    const started = Date.now();
    await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    expect(Date.now() - started).toBeLessThanOrEqual(400);
    expect(lines.some((l) => l.level === 'warn' && /Redis is unreachable/.test(l.message))).toBe(true);
    // The local budget still holds: a fourth request waits (here: until its caller gives up).
    await expect(limiter.acquire(AbortSignal.timeout(300))).rejects.toThrow();
  });

  it('refuses a client that cannot run scripts, and a missing key', () => {
    const bare = { get: async () => null, set: async () => 'OK', del: async () => 1 };
    expect(() => new RedisRateLimiter(bare, { key: 'k', limit: 1 })).toThrow(/run scripts/);
    expect(() => new RedisRateLimiter({ ...bare, eval: async () => [] }, { key: '', limit: 1 })).toThrow(/needs a key/);
    expect(() => new RedisRateLimiter({ ...bare, eval: async () => [] }, { key: 'k', limit: 0 })).toThrow(RangeError);
  });
});
