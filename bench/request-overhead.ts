// Request overhead: for one read and one write operation per provider, requests per second and
// median latency against a local server that answers at once with the operation's example, through
//   (a) plain fetch with the URL, headers and body our client sends (the baseline),
//   (b) our generated client with its default runtime (auth, argument checks, retries and a logger on,
//       rate limiter off), built from dist as users get it,
//   (c) the client openapi-generator's typescript-fetch generator makes from the same spec.
// Clients take turns within each run (the order rotates), several runs, medians reported.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pathTemplateRegExp } from '../packages/core/src/spec.js';
import { camelCase, pascalCase, type Provider } from '../scripts/lib/providers.js';
import type { OperationModel } from '../scripts/lib/spec-model.js';
import { methodFor } from '../scripts/lib/surface.js';
import { callOperation, methodParams, specExamples } from '../scripts/testing/examples.js';
import { median } from './lib/measure.js';
import { generateTsFetch, requestKeys, WORK } from './lib/tsfetch.js';

type Json = any;
type Call = () => Promise<unknown>;

export interface OverheadRow {
  provider: string;
  kind: 'read' | 'write';
  operation: string;
  rps: { fetch: number; ours: number; typescriptFetch: number | undefined };
  medianMs: { fetch: number; ours: number; typescriptFetch: number | undefined };
  note?: string;
}

export interface OverheadOptions {
  runs: number;
  requests: number;
  warmup: number;
}

/** The read and the write operation measured for a provider. */
export function pickOperations(ops: OperationModel[]): { read: OperationModel; write: OperationModel | undefined } {
  const reads = ops.filter((o) => o.method === 'GET' && o.idempotent !== false);
  const read = reads.find((o) => o.pagination) ?? reads[0] ?? ops[0]!;
  const write = ops.find((o) => o.method !== 'GET' && o.method !== 'HEAD') ?? ops.find((o) => o.idempotent === false);
  return { read, write };
}

async function startExampleServer(p: Provider, examples: ReturnType<typeof specExamples>): Promise<{ url: string; stop: () => void }> {
  const routes = examples.model.operations.map((op) => {
    const status = op.success[0]?.status ?? '200';
    return {
      method: op.method,
      pattern: pathTemplateRegExp(op.path).source,
      status: Number(/^\d+$/.test(status) ? status : 200),
      body: examples.responseExample(op.id),
    };
  });
  mkdirSync(join(WORK, p.name), { recursive: true });
  const file = join(WORK, p.name, 'routes.json');
  writeFileSync(file, JSON.stringify(routes));
  const child = spawn(process.execPath, [join(import.meta.dirname, 'lib', 'example-server.mjs'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim())));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function measure(call: Call, options: OverheadOptions): Promise<{ rps: number; medianMs: number }> {
  for (let i = 0; i < options.warmup; i++) await call();
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < options.requests; i++) {
    const t = performance.now();
    await call();
    latencies.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;
  return { rps: options.requests / seconds, medianMs: median(latencies) };
}

export async function requestOverhead(p: Provider, options: OverheadOptions): Promise<OverheadRow[]> {
  const examples = specExamples(p.name);
  const server = await startExampleServer(p, examples);
  const ours = (await import(pathToFileURL(join(p.packageDir, 'dist', 'esm', 'index.js')).href)) as Json;
  const core = (await import(pathToFileURL(join(p.packageDir, '..', 'core', 'dist', 'esm', 'index.js')).href)) as Json;
  let tsfetch: Json;
  let tsfetchClient: Awaited<ReturnType<typeof generateTsFetch>> | undefined;
  let note: string | undefined;
  try {
    tsfetchClient = await generateTsFetch(p);
    tsfetch = await import(pathToFileURL(tsfetchClient.bundle).href);
  } catch (error) {
    // esbuild lists the first error after its summary line.
    const lines = (error as Error).message.split('\n').map((l) => l.trim()).filter(Boolean);
    note = `typescript-fetch failed: ${lines.slice(0, 2).join(' ')}`;
  }

  // (b): the default runtime, with a credential for every scheme and a logger that formats and drops lines.
  const credentials: Record<string, unknown> = {};
  for (const [name, scheme] of Object.entries<Json>(ours.api.securitySchemes)) {
    credentials[name] = scheme.type === 'http' && scheme.scheme === 'basic' ? { username: 'bench', password: 'bench-pass' } : 'bench-token';
  }
  const drop = () => undefined;
  const runtime = new core.Runtime(ours.api, { baseUrl: server.url, credentials, logger: { debug: drop, info: drop, warn: drop, error: drop }, rateLimit: false });
  const client = ours[`create${p.typeName}Api`](runtime);

  const rows: OverheadRow[] = [];
  try {
    const { read, write } = pickOperations(examples.model.operations);
    for (const [kind, op] of [['read', read], ['write', write]] as const) {
      if (!op) continue;
      // (a) replays exactly what (b) sends.
      let captured: { url: string; init: RequestInit } | undefined;
      const capture = new core.Runtime(ours.api, {
        baseUrl: server.url,
        credentials,
        fetch: async (url: string, init: RequestInit) => {
          captured = { url, init: { method: init.method, headers: init.headers, body: init.body } };
          return fetch(url, init);
        },
      });
      await callOperation(ours[`create${p.typeName}Api`](capture), examples, op.id);
      const replay = captured!;
      const plain: Call = async () => (await fetch(replay.url, replay.init)).json().catch(() => undefined);
      // Arguments are built once, outside the measured loop, for every client alike.
      const m = methodFor(examples.model, op.id);
      const tag = m.tag;
      const group = client[tag.property];
      const method = group[m.name] as (params: unknown) => Promise<unknown>;
      const example = examples.exampleArgs(op.id);
      const params = methodParams(example);
      const mine: Call = () => method.call(group, params);

      let theirs: Call | undefined;
      if (tsfetch && tsfetchClient) {
        const Api = tsfetch[`${pascalCase(tag.name)}Api`];
        const config = new tsfetch.Configuration({
          basePath: server.url,
          fetchApi: fetch,
          accessToken: 'bench-token',
          apiKey: () => 'bench-token',
          username: 'bench',
          password: 'bench-pass',
        });
        const api = new Api(config);
        const args = example;
        const request: Record<string, unknown> = {};
        const params = new Map<string, unknown>([...Object.entries(args.path), ...Object.entries(args.params ?? {})].map(([k, v]) => [camelCase(k), v]));
        for (const key of requestKeys(tsfetchClient, tag.name, op.id)) {
          if (params.has(key)) request[key] = params.get(key);
          else if (args.body !== undefined) request[key] = args.body;
        }
        const generated = api[camelCase(op.id)] ?? api[op.id];
        theirs = () => generated.call(api, request);
        try {
          await theirs();
        } catch (error) {
          note = `typescript-fetch ${op.id}: ${(error as Error).message}`;
          theirs = undefined;
        }
      }

      const clients: [keyof OverheadRow['rps'], Call | undefined][] = [
        ['fetch', plain],
        ['ours', mine],
        ['typescriptFetch', theirs],
      ];
      const samples: Record<string, { rps: number[]; ms: number[] }> = {};
      for (let run = 0; run < options.runs; run++) {
        const order = [...clients.slice(run % 3), ...clients.slice(0, run % 3)];
        for (const [name, call] of order) {
          if (!call) continue;
          const result = await measure(call, options);
          samples[name] ??= { rps: [], ms: [] };
          samples[name].rps.push(result.rps);
          samples[name].ms.push(result.medianMs);
        }
      }
      const pick = (name: string, field: 'rps' | 'ms') => (samples[name] ? median(samples[name][field]) : undefined);
      rows.push({
        provider: p.name,
        kind,
        operation: `${op.id} (${op.method})`,
        rps: { fetch: pick('fetch', 'rps')!, ours: pick('ours', 'rps')!, typescriptFetch: pick('typescriptFetch', 'rps') },
        medianMs: { fetch: pick('fetch', 'ms')!, ours: pick('ours', 'ms')!, typescriptFetch: pick('typescriptFetch', 'ms') },
        ...(note ? { note } : {}),
      });
    }
  } finally {
    server.stop();
  }
  return rows;
}
