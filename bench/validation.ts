// Response validation cost per call: the same client and answer with validateResponses 'off' (the
// baseline) and 'warn', in-process (an injected fetch answers at once, so the check is not hidden
// behind network time), on the read operation's example answer and on a page of 200 items. The
// modes take turns within each run; medians of the runs. Built from dist, as users get it.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Provider } from '../scripts/lib/providers.js';
import { callOperation, specExamples } from '../scripts/testing/examples.js';
import { median } from './lib/measure.js';
import { pickOperations } from './request-overhead.js';

type Json = any;

export interface ValidationRow {
  provider: string;
  operation: string;
  answer: string;
  /** Calls per second with validation off (baseline) and warn. */
  off: number;
  warn: number;
  /** Distinct drifts the example answer showed (0 = the spec's example matches its schema). */
  drifts: number;
}

export interface ValidationOptions {
  runs: number;
  calls: number;
}

async function perSecond(call: () => Promise<unknown>, calls: number): Promise<number> {
  for (let i = 0; i < Math.max(20, calls / 10); i++) await call();
  const started = performance.now();
  for (let i = 0; i < calls; i++) await call();
  return calls / ((performance.now() - started) / 1000);
}

/** The example body with the page's item array grown to `n` copies of its first item, or undefined. */
function bigPage(body: Json, itemsPath: string, n: number): Json {
  const copy = structuredClone(body);
  const keys = itemsPath.split('.');
  let parent = copy;
  for (const k of keys.slice(0, -1)) parent = parent?.[k];
  const items = parent?.[keys[keys.length - 1]!];
  if (!Array.isArray(items) || items.length === 0) return undefined;
  parent[keys[keys.length - 1]!] = Array.from({ length: n }, () => structuredClone(items[0]));
  return copy;
}

export async function validationCost(p: Provider, options: ValidationOptions): Promise<ValidationRow[]> {
  const examples = specExamples(p.name);
  const ours = (await import(pathToFileURL(join(p.packageDir, 'dist', 'esm', 'index.js')).href)) as Json;
  const core = (await import(pathToFileURL(join(p.packageDir, '..', 'core', 'dist', 'esm', 'index.js')).href)) as Json;
  const credentials: Record<string, unknown> = {};
  for (const [name, scheme] of Object.entries<Json>(ours.api.securitySchemes)) {
    credentials[name] = scheme.type === 'http' && scheme.scheme === 'basic' ? { username: 'bench', password: 'bench-pass' } : 'bench-token';
  }
  const drop = () => undefined;
  const logger = { debug: drop, info: drop, warn: drop, error: drop };

  const { read } = pickOperations(examples.model.operations);
  const paged = examples.model.operations.find((o) => o.pagination && o.method === 'GET');
  const cases: { op: typeof read; answer: string; body: Json }[] = [{ op: read, answer: 'example', body: examples.responseExample(read.id) }];
  if (paged) {
    const envelope = ours.api.envelope?.result && ours.api.operations[paged.id]?.envelope !== false ? `${ours.api.envelope.result}.` : '';
    const body = bigPage(examples.responseExample(paged.id), `${envelope}${paged.pagination!.items}`, 200);
    if (body) cases.push({ op: paged, answer: '200-item page', body });
  }

  const rows: ValidationRow[] = [];
  for (const { op, answer, body } of cases) {
    const status = Number(/^\d+$/.test(op.success[0]?.status ?? '') ? op.success[0]!.status : 200);
    const text = JSON.stringify(body);
    const fetch = async () => new Response(text, { status, headers: { 'content-type': 'application/json' } });
    const client = (mode: string) => ours[`create${p.typeName}Api`](new core.Runtime(ours.api, { baseUrl: 'http://bench.invalid', credentials, logger, rateLimit: false, fetch, validateResponses: mode }));
    const off = client('off');
    const warnRuntime = new core.Runtime(ours.api, { baseUrl: 'http://bench.invalid', credentials, logger, rateLimit: false, fetch, validateResponses: 'warn' });
    const warn = ours[`create${p.typeName}Api`](warnRuntime);
    // The first call loads the schemas and the walker; it is part of the warm-up, not of the figure.
    await callOperation(warn, examples, op.id);
    const samples = { off: [] as number[], warn: [] as number[] };
    for (let run = 0; run < options.runs; run++) {
      const order: ['off' | 'warn', Json][] = run % 2 ? [['warn', warn], ['off', off]] : [['off', off], ['warn', warn]];
      for (const [mode, c] of order) samples[mode].push(await perSecond(() => callOperation(c, examples, op.id), answer === 'example' ? options.calls : Math.ceil(options.calls / 10)));
    }
    rows.push({ provider: p.name, operation: `${op.id} (${op.method})`, answer, off: median(samples.off), warn: median(samples.warn), drifts: warnRuntime.drift().drifts.length });
  }
  return rows;
}
