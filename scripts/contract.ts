// pnpm contract <provider> --upstream <url> [--writes] [--args <file.json>] [--only <opId,...>] [--report <file.json>]
// Runs the provider's operations through `prism proxy --errors` against a real server, and prints a
// per-operation report of where the real requests and answers broke the spec. Exits non-zero on any
// violation. Read-only operations by default (GET/HEAD that the spec does not mark x-idempotent: false);
// --writes adds the others. Arguments come from the spec's examples unless --args gives
// `{ "<operationId>": { "path": {...}, "params": {...}, "body": ... } }`.
// Credentials: each package's test/upstream.ts names its environment variables (see the README).
// The client also checks every answer itself (validateResponses: 'warn'); --report writes what it
// found as a drift report, the format of `client.drift()`, for `pnpm drift <provider> <file>`
// (Prism then passes answers through instead of replacing violating ones: see below).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DriftReport } from '../packages/core/src/drift.js';
import { provider, VALID_PROVIDER_NAME } from './lib/providers.js';
import { callOperation, type OperationArgs, specExamples } from './testing/examples.js';
import { startPrism } from './testing/prism.js';
import { type PrismViolation, readViolations } from './testing/violations.js';

/** What a package's test/upstream.ts exports. */
export interface UpstreamHook {
  /** Environment variable name → what it holds. */
  environment: Record<string, string>;
  /** Builds the client; spread `options` (base URL of the proxy, its fetch, no retries, response validation) into it. */
  createUpstreamClient(options: { baseUrl: string; fetch: typeof fetch; retry: false; validateResponses: 'warn' }, env: Record<string, string>): unknown;
}

interface Outcome {
  id: string;
  call: string;
  exchanges: { method: string; path: string; status: number; violations: PrismViolation[] }[];
  error?: string;
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const name = args[0];
const upstream = option('--upstream');
if (!name || !VALID_PROVIDER_NAME.test(name) || !upstream) {
  console.error('usage: pnpm contract <provider> --upstream <url> [--writes] [--args <file.json>] [--only <opId,...>] [--report <file.json>]');
  process.exit(2);
}
const p = provider(name);
const hookPath = join(p.packageDir, 'test', 'upstream.ts');
if (!existsSync(hookPath)) {
  console.error(`${p.name} has no test/upstream.ts describing how to authenticate against a real server`);
  process.exit(2);
}
const hook = (await import(pathToFileURL(hookPath).href)) as UpstreamHook;
const missing = Object.keys(hook.environment).filter((v) => !process.env[v]);
if (missing.length) {
  console.error(`set ${missing.map((v) => `${v} (${hook.environment[v]})`).join(', ')}`);
  process.exit(2);
}
const env = Object.fromEntries(Object.keys(hook.environment).map((v) => [v, process.env[v]!]));
const overrides = (option('--args') ? JSON.parse(readFileSync(option('--args')!, 'utf8')) : {}) as Record<string, Partial<OperationArgs>>;
const only = option('--only')?.split(',');
const writes = args.includes('--writes');
const reportFile = option('--report');

const examples = specExamples(p.name);
const selected = examples.model.operations.filter((op) => (!only || only.includes(op.id)));
const readOnly = (op: (typeof selected)[number]) => ['GET', 'HEAD'].includes(op.method) && op.idempotent !== false;
const toRun = selected.filter((op) => writes || readOnly(op));
const skipped = selected.length - toRun.length;

// --errors makes Prism replace a violating answer with its own 500; with --report the client must see
// the real answers to check them, so Prism only lists its violations (the sl-violations header).
const prism = await startPrism(p.specPath, { mode: 'proxy', upstream, errors: reportFile === undefined });
const outcomes: Outcome[] = [];
let current: Outcome | undefined;
let report: DriftReport | undefined;
const watchingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const response = await fetch(request);
  current?.exchanges.push({ method: request.method, path: new URL(request.url).pathname, status: response.status, violations: await readViolations(response) });
  return response;
};

try {
  const client = hook.createUpstreamClient({ baseUrl: prism.url, fetch: watchingFetch, retry: false, validateResponses: 'warn' }, env) as { drift?: () => DriftReport };
  for (const op of toRun) {
    current = { id: op.id, call: `${op.method} ${op.path}`, exchanges: [] };
    outcomes.push(current);
    try {
      await callOperation(client, examples, op.id, overrides[op.id] ?? {});
    } catch (error) {
      // An HTTP error is a normal answer here (Prism judged it against the spec); anything else is not.
      const e = error as { name?: string; status?: number; message?: string };
      if (e.status === undefined) current.error = `${e.name}: ${e.message}`;
    }
  }
  report = client.drift?.();
} finally {
  await prism.stop();
}

let failures = 0;
console.log(`contract of specs/${p.name}.yaml against ${upstream} (through prism proxy --errors)\n`);
for (const o of outcomes) {
  const bad = o.exchanges.flatMap((x) => x.violations.map((v) => ({ ...v, status: x.status })));
  const statuses = [...new Set(o.exchanges.map((x) => x.status))].join(', ') || 'no answer';
  const ok = bad.length === 0 && !o.error;
  if (!ok) failures++;
  console.log(`${ok ? '✓' : '✗'} ${o.id.padEnd(34)} ${o.call.padEnd(60)} ${statuses}`);
  for (const v of bad) {
    const side = v.location.startsWith('response') || /status code/.test(v.message) ? 'response' : 'request';
    console.log(`    ${side} ${v.severity}${v.location ? ` at ${v.location}` : ''}: ${v.message}`);
  }
  if (o.error) console.log(`    ${o.error}`);
}
console.log(
  `\n${outcomes.length - failures} of ${outcomes.length} operations matched the spec` +
    (skipped ? `; ${skipped} write operation${skipped === 1 ? '' : 's'} skipped (pass --writes to include them)` : ''),
);
if (report) {
  const breaks = report.drifts.filter((d) => d.kind === 'break').length;
  console.log(`the client's own response check: ${breaks} break${breaks === 1 ? '' : 's'}, ${report.drifts.length - breaks} addition${report.drifts.length - breaks === 1 ? '' : 's'}`);
  if (reportFile) {
    writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`drift report written to ${reportFile} (read it with \`pnpm drift ${p.name} ${reportFile}\`)`);
  }
}
process.exit(failures ? 1 : 0);
