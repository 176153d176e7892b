// pnpm test:readmes [--only <readme substring>]
// Every TypeScript code block of every README is a complete program: this compiles all of them and
// runs each against Prism mocks of the specs. A block lives, as a file, in the package it imports
// (a package may import itself by name, so it runs against that package's build, as a user's program
// would). Options left out come from the environment: every variable of every spec's table is set, to
// the mocks and to made-up credentials. Requests to a provider's real host are routed to its mock, so a
// sample can say `panel: 'cp.example.com'` or call `https://api.pax8.com/v1`. A sample that reads
// REDIS_URL gets a real redis-server of its own (skipped, and said so, where none is installed).
// Needs `pnpm build`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { allProviders, PACKAGES_DIR, ROOT } from './lib/providers.js';
import { parseSpec } from './lib/spec-check.js';
import { buildModel } from './lib/spec-model.js';
import { type PrismServer, startPrism } from './testing/prism.js';
import { REDIS_SERVER, startRedis } from './testing/redis.js';

export interface Sample {
  readme: string;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  /** The package directory the sample runs in. */
  host: string;
  file: string;
}

const FENCE = /^```(ts|typescript|js|javascript|mjs)\s*$/;

/** Every README of the repository that users read. */
export function readmes(): string[] {
  const out = [join(ROOT, 'README.md')];
  for (const dir of readdirSync(PACKAGES_DIR)) if (existsSync(join(PACKAGES_DIR, dir, 'README.md'))) out.push(join(PACKAGES_DIR, dir, 'README.md'));
  for (const extra of ['ecosystem-tests/README.md']) if (existsSync(join(ROOT, extra))) out.push(join(ROOT, extra));
  return out;
}

export function samplesOf(readme: string): Sample[] {
  const lines = readFileSync(readme, 'utf8').split('\n');
  const out: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE.test(lines[i]!)) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
    const code = `${body.join('\n')}\n`;
    const imported = [...code.matchAll(/from '@provider-sdk\/([a-z0-9-]+)(?:\/[a-z]+)?'/g)].map((m) => m[1]!);
    // Hosted by the package that depends on the others it imports (pax8-webhooks over pax8), else core.
    const hostName = imported.find((n) => n !== 'core' && n !== 'pax8') ?? imported.find((n) => n !== 'core') ?? 'core';
    const host = join(PACKAGES_DIR, hostName);
    const slug = relative(ROOT, readme).replace(/[^A-Za-z0-9]+/g, '-').replace(/-md$/i, '');
    // A test (it imports vitest) runs under vitest, as a user's test file would.
    const suffix = /from 'vitest'/.test(code) ? '.test.ts' : '.ts';
    out.push({ readme, line: start + 1, code, host, file: join(host, '.samples', `${slug}-${start + 1}${suffix}`) });
  }
  return out;
}

/** Type-checks the samples of one host package as the user's program: strict, nodenext, exactOptionalPropertyTypes. */
export function typeCheck(samples: Sample[]): string[] {
  const program = ts.createProgram(
    samples.map((s) => s.file),
    {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
    },
  );
  const byFile = new Map(samples.map((s) => [s.file, s]));
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const sample = d.file ? byFile.get(d.file.fileName) : undefined;
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const at = sample && where ? `${relative(ROOT, sample.readme)}:${sample.line + 1 + where.line}` : (d.file?.fileName ?? '');
    return `${at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]}`;
  });
}

/** The environment every sample runs with: each spec's variables set to its mock or a made-up credential. */
function sampleEnvironment(mocks: Map<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of allProviders()) {
    const model = buildModel(parseSpec(p.specPath), p.name);
    const mock = mocks.get(p.name)!;
    for (const v of model.environment) {
      if (v.option === 'baseUrl') env[v.name] = mock;
      else if (v.option === 'tokenUrl') env[v.name] = `${mocks.get('pax8')}/token`;
      else if (v.serverVariable || v.option === 'port') continue;
      else env[v.name] ??= `sample-${v.name.toLowerCase().replace(/_/g, '-')}`;
    }
  }
  return env;
}

/** Where each provider's real hosts go: `[host, path prefix of its server, mock URL]`, longest prefix first. */
function routes(mocks: Map<string, string>): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const p of allProviders()) {
    for (const server of parseSpec(p.specPath).servers ?? []) {
      const url = new URL(String(server.url).replace(/\{[^}]+\}/g, (v: string) => (v === '{port}' ? '80' : v === '{basePath}' ? '/appserver/rest' : 'any-host')));
      out.push([url.host.replace(/^any-host(:80)?$/, '*'), url.pathname.replace(/\/$/, ''), mocks.get(p.name)!]);
    }
  }
  return out.sort((a, b) => b[1].length - a[1].length);
}

async function run(sample: Sample, env: Record<string, string>, preload: string): Promise<{ ok: boolean; output: string }> {
  // A vitest sample mocks its own requests (msw), so it needs no routing to Prism; the config is only its include.
  const vitestConfig = join(dirname(preload), 'vitest.samples.config.mjs');
  if (sample.file.endsWith('.test.ts')) writeFileSync(vitestConfig, "export default { test: { include: ['.samples/*.test.ts'] } };\n");
  const args = sample.file.endsWith('.test.ts')
    ? [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', sample.host, '--config', vitestConfig, sample.file]
    : ['--import', 'tsx', '--import', preload, sample.file];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: sample.host,
      // A test gets no settings from the environment: its client must reach the msw handlers, not Prism.
      env: { ...process.env, ...(sample.file.endsWith('.test.ts') ? { HOME: env.HOME! } : env), NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, output });
    });
  });
}

export async function main(only?: string): Promise<number> {
  const samples = readmes()
    .filter((r) => !only || r.includes(only))
    .flatMap(samplesOf);
  const hosts = [...new Set(samples.map((s) => s.host))];
  // Only this run's files are written and removed, so runs for different READMEs may overlap.
  for (const host of hosts) mkdirSync(join(host, '.samples'), { recursive: true });
  for (const s of samples) writeFileSync(s.file, s.code);
  const home = mkdtempSync(join(tmpdir(), 'provider-sdk-samples-home-'));
  try {
    return await checkAndRun(samples, hosts, home);
  } finally {
    for (const s of samples) rmSync(s.file, { force: true });
    for (const host of hosts) if (readdirSync(join(host, '.samples')).length === 0) rmSync(join(host, '.samples'), { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}

async function checkAndRun(samples: Sample[], hosts: string[], home: string): Promise<number> {
  const problems = hosts.flatMap((host) => typeCheck(samples.filter((s) => s.host === host)));
  if (problems.length) {
    console.error(`✗ README samples do not compile:\n${problems.join('\n')}`);
    return 1;
  }
  console.log(`✓ ${samples.length} README samples compile (strict, nodenext, exactOptionalPropertyTypes)`);

  const mocks = new Map<string, string>();
  const servers: PrismServer[] = [];
  try {
    await Promise.all(
      allProviders().map(async (p) => {
        const server = await startPrism(p.specPath);
        servers.push(server);
        mocks.set(p.name, server.url);
      }),
    );
    const preload = join(home, 'sample-routes.mjs');
    writeFileSync(preload, routingPreload(routes(mocks)));
    // HOME is a fresh directory, so a sample that keeps tokens in ~/.config writes nowhere that matters.
    const env = { ...sampleEnvironment(mocks), HOME: home };
    let failed = 0;
    let skipped = 0;
    for (const s of samples) {
      const needsRedis = s.code.includes('REDIS_URL');
      if (needsRedis && !REDIS_SERVER) {
        console.warn(`- ${relative(ROOT, s.readme)}:${s.line} compiled, not run: it needs redis-server, which is not installed (scripts/install-system-deps.sh installs it)`);
        skipped++;
        continue;
      }
      const redis = needsRedis ? await startRedis() : undefined;
      const result = await run(s, redis ? { ...env, REDIS_URL: redis.url } : env, preload).finally(() => redis?.stop());
      const where = `${relative(ROOT, s.readme)}:${s.line}`;
      if (result.ok) console.log(`✓ ${where}`);
      else {
        failed++;
        console.error(`✗ ${where}\n${result.output.trim().split('\n').slice(-15).join('\n')}`);
      }
    }
    console.log(`${samples.length - skipped - failed} of ${samples.length} README samples ran against the mocks${skipped ? ` (${skipped} not run: no redis-server)` : ''}`);
    return failed ? 1 : 0;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** A module loaded before each sample: its fetch sends requests for a provider's real host to that provider's mock. */
function routingPreload(table: [string, string, string][]): string {
  return `const table = ${JSON.stringify(table)};
const original = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.hostname === '127.0.0.1') return original(input, init);
  const route = table.find(([host, prefix]) => (host === '*' || host === url.host) && (url.pathname === prefix || url.pathname.startsWith(prefix + '/'))) ?? table.find(([host, prefix]) => host === '*' && url.pathname.startsWith(prefix));
  if (!route) return original(input, init);
  return original(route[2] + url.pathname.slice(route[1].length) + url.search, init);
};
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--only');
  process.exit(await main(i === -1 ? undefined : process.argv[i + 1]));
}
