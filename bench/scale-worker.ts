// One worker of `pnpm bench:scale` (bench/scale.ts starts 1, 2, 4 or 8 of them): a Pax8 client
// built from dist, as users get it, exporting its share of every company's subscriptions from the
// bench's server. It prints `ready` once loaded, starts on `go` (so that the fleet starts at once),
// and prints one JSON line of what it did.
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@redis/client';

const [mode, index, workers, serverUrl, redisUrl, limit, intervalMs, concurrency, margin] = process.argv.slice(2) as [string, string, string, string, string, string, string, string, string];
const marginMs = margin === 'default' ? undefined : Number(margin);
const root = join(import.meta.dirname, '..');
const pax8 = await import(pathToFileURL(join(root, 'packages', 'pax8', 'dist', 'esm', 'index.js')).href);
const core = await import(pathToFileURL(join(root, 'packages', 'core', 'dist', 'esm', 'index.js')).href);

const warnings: string[] = [];
const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
let redis: ReturnType<typeof createClient> | undefined;
let tokenStore: unknown;
let rateLimit: unknown;
if (mode === 'shared') {
  redis = createClient({ url: redisUrl });
  redis.on('error', () => undefined);
  await redis.connect();
  tokenStore = core.RedisTokenStore.nodeRedis(redis);
  rateLimit = core.RedisRateLimiter.nodeRedis(redis, { key: 'bench-account', limit: Number(limit), intervalMs: Number(intervalMs), marginMs, logger });
} else if (mode === 'local') {
  rateLimit = { limit: Number(limit), intervalMs: Number(intervalMs), marginMs }; // each process: its own limiter at the account's limit
} else {
  rateLimit = false;
}
const client = pax8.createPax8Client({
  clientId: 'bench-account',
  clientSecret: 'cs_bench_secret',
  tokenUrl: `${serverUrl}/v1/token`,
  baseUrl: `${serverUrl}/v1`,
  tokenStore,
  rateLimit,
  logger,
});

process.stdout.write('ready\n');
await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));

const started = Date.now();
const failures: Record<string, number> = {};
let items = 0;
let pages = 0;
// Every worker lists the companies, then exports the subscriptions of its share of them.
const companies: { id: string }[] = [];
for await (const page of client.companies.list({ size: 20 }).pages()) {
  pages++;
  companies.push(...page.items);
}
const mine = companies.filter((_, i) => i % Number(workers) === Number(index));
await core.mapConcurrent(
  mine,
  async (company: { id: string }) => {
    try {
      for await (const page of client.subscriptions.list({ companyId: company.id, size: 10 }).pages()) {
        pages++;
        items += page.items.length;
      }
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      failures[name] = (failures[name] ?? 0) + 1;
    }
  },
  { concurrency: Number(concurrency) },
);
const auth = client.auth as { tokenRequests?: number };
process.stdout.write(
  `${JSON.stringify({ items, pages, companies: mine.length, failures, ms: Date.now() - started, tokenRequests: auth.tokenRequests ?? 0, redisWarnings: warnings.filter((w) => /Redis/.test(w)).length })}\n`,
);
await redis?.close();
process.exit(0);
