// pnpm bench:scale [--workers 1,2,4,8] [--modes shared,local,none] [--limit 300] [--interval 10000] [--latency 20] [--only fleet,bulk,algorithms]
// Many workers, one account. Starts a real redis-server and a local Pax8-like server that enforces
// one limit per credential (a sliding window: at most --limit requests in any --interval, a 429
// with Retry-After beyond it) and adds a fixed latency to every answer, then:
//   fleet:      1, 2, 4 and 8 worker processes (bench/scale-worker.ts, the Pax8 client from dist)
//               export one data set together, with a shared Redis limiter and token store, with a
//               limiter per process, and with none;
//   bulk:       one worker's export of 50 pages, sequential vs prefetch and/or mapConcurrent;
//   algorithms: rate-limiter-flexible's Redis limiter (a fixed-window counter) vs ours (a Lua
//               sliding-window log), most requests admitted in any window.
// Writes its section of bench/RESULTS.md. Needs `pnpm build` first. Not part of `pnpm test`.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@redis/client';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { median } from './lib/measure.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1]!;
};
const WORKERS = option('--workers', '1,2,4,8').split(',').map(Number);
const MODES = option('--modes', 'shared,local,none').split(',') as Mode[];
const LIMIT = Number(option('--limit', '300'));
const INTERVAL_MS = Number(option('--interval', '10000'));
const LATENCY_MS = Number(option('--latency', '20'));
const ONLY = new Set(option('--only', 'fleet,bulk,algorithms').split(','));
const MARGIN = option('--margin', 'default'); // the limiters' marginMs; default: theirs
const REPEAT = Number(option('--repeat', '1')); // runs of each fleet (mode, workers)
const CONCURRENCY = 4;
// The fleet's data set: 60 companies (3 pages of 20), each with 140 subscriptions (14 pages of 10).
const COMPANIES = 60;
const SUBSCRIPTIONS = 140;
const ROOT = join(import.meta.dirname, '..');

type Mode = 'shared' | 'local' | 'none';
const MODE_NAMES: Record<Mode, string> = {
  shared: 'shared: RedisRateLimiter + RedisTokenStore',
  local: 'per process: a RateLimiter each (the default client)',
  none: 'no limiter (`rateLimit: false`)',
};

for (const pkg of ['core', 'pax8']) {
  if (!existsSync(join(ROOT, 'packages', pkg, 'dist', 'esm', 'index.js'))) throw new Error(`packages/${pkg} is not built: run pnpm build first`);
}

// ---------------------------------------------------------------------------------------------
// The server: Pax8's token, companies and subscriptions endpoints, one sliding-window limit per
// credential, a fixed latency on every answer.

const uuid = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const companies = Array.from({ length: COMPANIES }, (_, i) => ({ id: uuid(1, i), name: `Company ${i}`, status: 'Active' }));

interface ServerStats {
  tokenRequests: number;
  accepted: number[];
  arrivals: number[];
  tooMany: number;
}

function startServer(limit: number, intervalMs: number, latencyMs: number) {
  const stats: ServerStats = { tokenRequests: 0, accepted: [], arrivals: [], tooMany: 0 };
  const windows = new Map<string, number[]>();
  const tokens = new Map<string, string>();
  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    setTimeout(() => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    }, latencyMs);
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const now = Date.now();
    if (req.method === 'POST' && url.pathname === '/v1/token') {
      stats.tokenRequests++;
      const { client_id: clientId } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const value = `tok-${stats.tokenRequests}-${Math.random().toString(36).slice(2)}`;
      tokens.set(value, String(clientId));
      return answer(res, 200, { access_token: value, expires_in: 86400, token_type: 'Bearer' });
    }
    const credential = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!credential) return answer(res, 401, { type: 'UNAUTHORIZED', message: 'Unauthorized', status: 401 });
    // The limit: at most `limit` accepted requests in any window of `intervalMs`, per credential.
    stats.arrivals.push(now);
    const log = windows.get(credential) ?? [];
    windows.set(credential, log);
    while (log.length && log[0]! <= now - intervalMs) log.shift();
    if (log.length >= limit) {
      stats.tooMany++;
      const retryAfter = Math.max(1, Math.ceil((log[0]! + intervalMs - now) / 1000));
      return answer(res, 429, { type: 'TOO_MANY_REQUESTS', message: 'Too many requests', status: 429 }, { 'retry-after': String(retryAfter) });
    }
    log.push(now);
    stats.accepted.push(now);
    const page = Number(url.searchParams.get('page') ?? 0);
    const size = Number(url.searchParams.get('size') ?? 10);
    const list = (all: unknown[]) => ({
      content: all.slice(page * size, page * size + size),
      page: { size, totalElements: all.length, totalPages: Math.ceil(all.length / size), number: page },
    });
    if (url.pathname === '/v1/companies') return answer(res, 200, list(companies));
    if (url.pathname === '/v1/subscriptions') {
      const companyId = url.searchParams.get('companyId') ?? '';
      const n = companies.findIndex((c) => c.id === companyId);
      const subs = Array.from({ length: n === -1 ? 0 : SUBSCRIPTIONS }, (_, i) => ({ id: uuid(2, n * 1000 + i), companyId, productId: uuid(3, i % 7), quantity: 1 + (i % 5), status: 'Active' }));
      return answer(res, 200, list(subs));
    }
    return answer(res, 404, { type: 'NOT_FOUND', message: 'Not found', status: 404 });
  });
  return new Promise<{ url: string; stats: ServerStats; reset(): void; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        stats,
        reset: () => {
          stats.tokenRequests = 0;
          stats.accepted = [];
          stats.arrivals = [];
          stats.tooMany = 0;
          windows.clear();
          tokens.clear();
        },
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Redis

async function startRedis(): Promise<{ url: string; stop(): void }> {
  const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
  if (!bin) throw new Error('redis-server is not installed (scripts/install-system-deps.sh installs it)');
  const port = await new Promise<number>((resolve) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'provider-sdk-bench-redis-'));
  const child: ChildProcess = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const probe = createClient({ url, socket: { reconnectStrategy: false } });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      await probe.close();
      break;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    stop: () => {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Measures

/** The most events in any window of `windowMs`. */
function mostInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let end = 0, begin = 0; end < sorted.length; end++) {
    while (sorted[begin]! <= sorted[end]! - windowMs) begin++;
    most = Math.max(most, end - begin + 1);
  }
  return most;
}

/**
 * Requests per second as a fraction of the limit, over the whole windows of the run: the requests
 * served in the first k windows from the first one served (k = the whole windows the run lasted),
 * over k × limit. A fleet that keeps the server's budget busy scores 1.00; the server refuses
 * anything beyond its limit, so no mode can score more.
 */
function sustainedRatio(accepted: number[], limit: number, intervalMs: number): number | undefined {
  const sorted = [...accepted].sort((a, b) => a - b);
  if (sorted.length < 2) return undefined;
  const k = Math.floor((sorted.at(-1)! - sorted[0]!) / intervalMs);
  if (k < 1) return undefined;
  const end = sorted[0]! + k * intervalMs;
  return sorted.filter((t) => t < end).length / (k * limit);
}

interface FleetRow {
  mode: Mode;
  workers: number;
  seconds: number;
  ratio: number | undefined;
  mostInWindow: number;
  tooMany: number;
  tokenRequests: number;
  rateLimitErrors: number;
  otherFailures: number;
  items: number;
  redisWarnings: number;
}

async function runFleet(server: Awaited<ReturnType<typeof startServer>>, redisUrl: string, mode: Mode, workers: number): Promise<FleetRow> {
  const flush = createClient({ url: redisUrl });
  await flush.connect();
  await flush.flushAll();
  await flush.close();
  server.reset();
  const children = Array.from({ length: workers }, (_, i) =>
    spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'scale-worker.ts'), mode, String(i), String(workers), server.url, redisUrl, String(LIMIT), String(INTERVAL_MS), String(CONCURRENCY), MARGIN], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const outputs = children.map((child) => {
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const ready = new Promise<void>((resolve) => {
      const check = () => (out.includes('ready\n') ? resolve() : setTimeout(check, 20));
      check();
    });
    const done = new Promise<string>((resolve) => child.on('exit', () => resolve(out)));
    return { child, ready, done };
  });
  await Promise.all(outputs.map((o) => o.ready));
  const started = Date.now();
  for (const o of outputs) o.child.stdin!.write('go\n');
  const results = (await Promise.all(outputs.map((o) => o.done))).map((out) => JSON.parse(out.split('\n').find((l) => l.startsWith('{')) ?? '{}'));
  const seconds = (Date.now() - started) / 1000;
  const failures = (name: string) => results.reduce((n, r) => n + (r.failures?.[name] ?? 0), 0);
  const allFailures = results.reduce((n, r) => n + Object.values((r.failures ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0), 0);
  return {
    mode,
    workers,
    seconds,
    ratio: sustainedRatio(server.stats.accepted, LIMIT, INTERVAL_MS),
    mostInWindow: mostInAnyWindow(server.stats.arrivals, INTERVAL_MS),
    tooMany: server.stats.tooMany,
    tokenRequests: server.stats.tokenRequests,
    rateLimitErrors: failures('RateLimitError'),
    otherFailures: allFailures - failures('RateLimitError'),
    items: results.reduce((n, r) => n + (r.items ?? 0), 0),
    redisWarnings: results.reduce((n, r) => n + (r.redisWarnings ?? 0), 0),
  };
}

// ---------------------------------------------------------------------------------------------
// One worker, 50 pages: sequential vs prefetch vs concurrency

interface BulkRow {
  name: string;
  ms: number;
  speedup: number;
}

async function bulk(serverUrl: string): Promise<{ rows: BulkRow[]; pages: number; workMs: number; runs: number }> {
  const pax8 = await import(pathToFileURL(join(ROOT, 'packages', 'pax8', 'dist', 'esm', 'index.js')).href);
  const core = await import(pathToFileURL(join(ROOT, 'packages', 'core', 'dist', 'esm', 'index.js')).href);
  const WORK_MS = 10; // what the consumer does with each page (writes it somewhere)
  const chosen = companies.slice(0, 10); // 10 companies × 5 pages of 28 subscriptions = 50 pages
  const variants: { name: string; prefetch: boolean; concurrency: number }[] = [
    { name: 'sequential (prefetch off, one company at a time)', prefetch: false, concurrency: 1 },
    { name: 'prefetch only', prefetch: true, concurrency: 1 },
    { name: `mapConcurrent only (concurrency ${CONCURRENCY})`, prefetch: false, concurrency: CONCURRENCY },
    { name: `prefetch + mapConcurrent (concurrency ${CONCURRENCY})`, prefetch: true, concurrency: CONCURRENCY },
  ];
  const RUNS = 5;
  const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  let pages = 0;
  for (let run = 0; run < RUNS; run++) {
    for (const v of run % 2 ? [...variants].reverse() : variants) {
      // A fresh client each time (its own default limiter, 1000 per minute, far from this export).
      const client = pax8.createPax8Client({ clientId: 'bulk-account', clientSecret: 'cs_bulk_secret', tokenUrl: `${serverUrl}/v1/token`, baseUrl: `${serverUrl}/v1` });
      await client.companies.list({ size: 1 }); // the token, outside the measure
      pages = 0;
      const started = performance.now();
      await core.mapConcurrent(
        chosen,
        async (company: { id: string }) => {
          for await (const page of client.subscriptions.list({ companyId: company.id, size: 28 }, { prefetch: v.prefetch }).pages()) {
            pages++;
            void page;
            await new Promise((r) => setTimeout(r, WORK_MS));
          }
        },
        { concurrency: v.concurrency },
      );
      times.get(v.name)!.push(performance.now() - started);
    }
  }
  const base = median(times.get(variants[0]!.name)!);
  return { rows: variants.map((v) => ({ name: v.name, ms: median(times.get(v.name)!), speedup: base / median(times.get(v.name)!) })), pages, workMs: WORK_MS, runs: RUNS };
}

// ---------------------------------------------------------------------------------------------
// Algorithms: a fixed-window counter (rate-limiter-flexible) vs a sliding-window log (ours)

interface AlgorithmRow {
  name: string;
  boundary: number;
  saturated: number;
  rate: number;
}

async function algorithms(redisUrl: string): Promise<{ rows: AlgorithmRow[]; limit: number; windowMs: number }> {
  const core = await import(pathToFileURL(join(ROOT, 'packages', 'core', 'dist', 'esm', 'index.js')).href);
  const limit = 20;
  const windowMs = 1_000;
  const clients = await Promise.all(Array.from({ length: 4 }, async () => {
    const c = createClient({ url: redisUrl });
    await c.connect();
    return c;
  }));
  await clients[0]!.flushAll();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // rate-limiter-flexible: `points` per `duration` seconds, one counter per key in Redis.
  const flexible = clients.map((c) => new RateLimiterRedis({ storeClient: c, useRedisPackage: true, points: limit, duration: windowMs / 1000, keyPrefix: 'flex' }));
  const ours = clients.map((c) => core.RedisRateLimiter.nodeRedis(c, { key: 'algorithms', limit, intervalMs: windowMs })); // its default margin (30 ms)
  // Acquire with waiting: ours waits in its queue; flexible's consume rejects with msBeforeNext, so wait and retry (as RateLimiterQueue does).
  const flexAcquire = async (l: RateLimiterRedis, key: string) => {
    for (;;) {
      try {
        await l.consume(key);
        return;
      } catch (res) {
        await sleep(Math.max(1, (res as { msBeforeNext: number }).msBeforeNext));
      }
    }
  };
  const measure = async (acquire: (worker: number) => Promise<void>) => {
    // Boundary: one request opens a window; 900 ms later, the rest of the budget and a whole budget more at once.
    const early: number[] = [];
    await acquire(0).then(() => early.push(Date.now()));
    await sleep(windowMs - 100);
    await Promise.all(Array.from({ length: 2 * limit - 1 }, (_, i) => acquire(i % 4).then(() => early.push(Date.now()))));
    const boundary = mostInAnyWindow(early, windowMs);
    await sleep(windowMs * 2);
    // Saturated: 4 workers asking as fast as they can for 5 s.
    const grants: number[] = [];
    const stop = Date.now() + 5_000;
    await Promise.all(
      Array.from({ length: 4 }, async (_, w) => {
        while (Date.now() < stop) {
          await acquire(w);
          grants.push(Date.now());
        }
      }),
    );
    return { boundary, saturated: mostInAnyWindow(grants, windowMs), rate: sustainedRatio(grants, limit, windowMs) ?? 0 };
  };
  const flex = await measure((w) => flexAcquire(flexible[w]!, 'account'));
  await clients[0]!.flushAll();
  const lua = await measure((w) => ours[w]!.acquire());
  await Promise.all(clients.map((c) => c.close()));
  return {
    limit,
    windowMs,
    rows: [
      { name: 'rate-limiter-flexible 11.4 `RateLimiterRedis` (fixed window, INCR + EXPIRE)', ...flex },
      { name: 'ours: `RedisRateLimiter` (sliding-window log, one Lua script)', ...lua },
    ],
  };
}

// ---------------------------------------------------------------------------------------------

const fixed = (x: number | undefined, digits = 2) => (x === undefined ? 'n/a' : x.toFixed(digits));
const redis = await startRedis();
const server = await startServer(LIMIT, INTERVAL_MS, LATENCY_MS);
const parts: Record<string, string[]> = {};
const headlines: Record<string, string> = {};
let lines: string[] = [];
const headline = { push: (text: string) => (headlines[current] = text) };
let current = 'fleet';
const part = (name: string) => {
  current = name;
  lines = parts[name] = [];
};
try {
  if (ONLY.has('fleet')) {
    part('fleet');
    const rows: FleetRow[] = [];
    for (const mode of MODES) {
      for (const n of WORKERS) {
        for (let run = 1; run <= REPEAT; run++) {
          console.log(`fleet: ${mode}, ${n} worker(s), run ${run}`);
          const row = await runFleet(server, redis.url, mode, n);
          console.log(`  ${JSON.stringify(row)}`);
          rows.push(row);
        }
      }
    }
    const shared = rows.filter((r) => r.mode === 'shared');
    if (shared.length) {
      const worst = Math.min(...shared.map((r) => r.ratio ?? 0));
      headline.push(
        `- Fleet, shared limiter: ${fixed(worst)}–${fixed(Math.max(...shared.map((r) => r.ratio ?? 0)))} of the server's limit in ${shared.length} runs at ${[...new Set(shared.map((r) => r.workers))].join(', ')} workers, 429s per run: ${shared.map((r) => r.tooMany).join(', ')}, token requests per fleet: ${shared.map((r) => r.tokenRequests).join(', ')} (goal: ≥ 0.95, 0, 1). Per-process limiters: ${rows.filter((r) => r.mode === 'local').map((r) => r.tooMany).join(', ')} 429s; no limiter: ${rows.filter((r) => r.mode === 'none').map((r) => r.tooMany).join(', ')} 429s and ${rows.filter((r) => r.mode === 'none').reduce((n, r) => n + r.rateLimitErrors, 0)} failed company exports.`,
      );
    }
    const expected = COMPANIES * SUBSCRIPTIONS;
    lines.push(
      `A local Pax8-like server enforcing one limit per credential, **${LIMIT} requests in any ${INTERVAL_MS / 1000} s** (a sliding window counted at arrival; beyond it a 429 with \`Retry-After\`), with ${LATENCY_MS} ms of latency on every answer, and a real \`redis-server\`. ${WORKERS.join(', ')} worker processes (the Pax8 client from \`dist\`, ${CONCURRENCY} calls at once each through \`mapConcurrent\`, pages prefetched) export one data set together: ${COMPANIES} companies × ${SUBSCRIPTIONS} subscriptions in pages of 10 (${COMPANIES * (SUBSCRIPTIONS / 10)} subscription pages, plus 3 company pages per worker). Modes: *${MODE_NAMES.shared}*, every process on one Redis; *${MODE_NAMES.local}*, set to the account's limit; *${MODE_NAMES.none}*. Retries: the default 3 attempts, Retry-After honoured.${REPEAT > 1 ? ` Each fleet ran ${REPEAT} times (one row per run).` : ''}`,
      '',
      `*rate ÷ limit*: requests served per second over the run's whole ${INTERVAL_MS / 1000} s windows (from the first request served), ÷ ${LIMIT} per ${INTERVAL_MS / 1000} s; 1.00 keeps the server's budget exactly busy, and the server refuses anything beyond it. *most sent in a window*: requests that reached the server (served or refused) in the busiest ${INTERVAL_MS / 1000} s, ÷ ${LIMIT}. *failed exports*: companies whose export ended in an error that reached the caller (\`RateLimitError\` after the retries).`,
      '',
      '| mode | workers | wall s | rate ÷ limit | most sent in a window ÷ limit | 429s | token requests | RateLimitErrors to callers | other errors | subscriptions exported |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map(
        (r) =>
          `| ${r.mode === 'shared' ? 'shared (Redis)' : r.mode === 'local' ? 'per process' : 'none'} | ${r.workers} | ${r.seconds.toFixed(1)} | ${fixed(r.ratio)} | ${fixed(r.mostInWindow / LIMIT)} | ${r.tooMany} | ${r.tokenRequests} | ${r.rateLimitErrors} | ${r.otherFailures} | ${r.items} / ${expected} |`,
      ),
      '',
      `The limiters' window is the interval plus a margin (${MARGIN === 'default' ? `the default 3 %, ${(INTERVAL_MS * 3) / 100} ms here` : `${MARGIN} ms`}) that absorbs the difference in travel time between requests (a busy host, a cold connection); measured over whole windows the margin costs nothing here, as each window's burst fits in the interval. Redis warnings in the shared runs (the limiter falling back to its local budget): ${rows.filter((r) => r.mode === 'shared').map((r) => r.redisWarnings).join(', ')}.`,
    );
  }
  if (ONLY.has('bulk')) {
    part('bulk');
    console.log('bulk: one worker, 50 pages');
    server.reset();
    // No limit for this part: latency decides.
    const free = await startServer(1_000_000, 1_000, LATENCY_MS);
    const result = await bulk(free.url);
    await free.close();
    const best = result.rows.at(-1)!;
    headline.push(`- Bulk reads, one worker, 50 pages at ${LATENCY_MS} ms latency: prefetch + mapConcurrent ${best.speedup.toFixed(2)}× faster than sequential (goal ≥ 1.8×).`);
    lines.push(
      '### One worker, 50 pages',
      '',
      `One process exports 10 companies' subscriptions (5 pages each, 50 pages) from the same server without a limit, ${LATENCY_MS} ms latency, the consumer spending ${result.workMs} ms on each page. Median of ${result.runs} runs, the variants taking turns.`,
      '',
      '| variant | ms | speed-up vs sequential |',
      '| --- | ---: | ---: |',
      ...result.rows.map((r) => `| ${r.name} | ${r.ms.toFixed(0)} | ${r.speedup.toFixed(2)}× |`),
    );
  }
  if (ONLY.has('algorithms')) {
    part('algorithms');
    console.log('algorithms: fixed window vs sliding-window log');
    const result = await algorithms(redis.url);
    lines.push(
      '### Which algorithm: a fixed-window counter or a sliding-window log',
      '',
      `Four Redis connections share one budget of ${result.limit} per ${result.windowMs / 1000} s (ours with its default margin, 3 %). *Boundary*: one request, then ${result.windowMs - 100} ms later ${2 * result.limit - 1} at once (the rest of the budget, and the next window's). *Saturated*: four workers asking as fast as they can for 5 s. Figures: the most requests admitted in any ${result.windowMs / 1000} s window (times taken by the workers, as they were let through), and the rate over whole windows ÷ the limit.`,
      '',
      '| limiter | boundary | saturated | rate ÷ limit |',
      '| --- | ---: | ---: | ---: |',
      ...result.rows.map((r) => `| ${r.name} | ${r.boundary} / ${result.limit} | ${r.saturated} / ${result.limit} | ${r.rate.toFixed(2)} |`),
    );
  }
} finally {
  await server.close();
  redis.stop();
}

const resultsPath = join(import.meta.dirname, 'RESULTS.md');
const existing = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '# Benchmark results\n';
const NAMES = ['fleet', 'bulk', 'algorithms'];
// A part that was not run this time keeps what the file had.
const previousPart = (name: string) => new RegExp(`<!-- scale:${name} -->\\n([\\s\\S]*?)\\n<!-- /scale:${name} -->`).exec(existing)?.[1];
const previousHeadline = (name: string) => new RegExp(`^(- .*)<!-- scale:${name} -->$`, 'm').exec(existing)?.[1];
const body = NAMES.flatMap((name) => {
  const text = parts[name] ? parts[name]!.join('\n') : previousPart(name);
  return text === undefined ? [] : [`<!-- scale:${name} -->`, text, `<!-- /scale:${name} -->`, ''];
});
const heads = NAMES.flatMap((name) => {
  const text = headlines[name] ?? previousHeadline(name);
  return text === undefined ? [] : [`${text}<!-- scale:${name} -->`];
});
const section = [
  '<!-- bench:scale -->',
  '## Many workers, one account (`pnpm bench:scale`)',
  '',
  ...body,
  `Last measured ${new Date().toISOString().slice(0, 10)} (${[...ONLY].join(', ')}) on ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, with \`pnpm bench:scale\` after \`pnpm build\`.`,
  ...(heads.length ? ['', '**Headlines**', '', ...heads] : []),
  '<!-- /bench:scale -->',
].join('\n');
const marked = /<!-- bench:scale -->[\s\S]*?<!-- \/bench:scale -->/;
writeFileSync(resultsPath, marked.test(existing) ? existing.replace(marked, section) : `${existing.trimEnd()}\n\n${section}\n`);
console.log(`\n${Object.values(headlines).join('\n')}\nwrote bench/RESULTS.md`);
