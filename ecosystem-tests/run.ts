// pnpm test:ecosystem [--ts 5.4.5,5.9.3] [--keep]
// Every package, from its packed tarball, in every runtime users deploy to, and under every
// compiler setting they type-check with. See ecosystem-tests/README.md. Needs `pnpm build` first.
//
// 1. packs every package and installs all the tarballs into one empty consumer project outside the
//    repository (npm, as a user would), with the programs of ecosystem-tests/programs beside them;
// 2. starts one Prism mock per spec (Prism answers CORS preflights, so browsers can call it);
// 3. bundles the programs with esbuild: for Node.js, Bun and Deno with the packages left to the
//    runtime's own resolution (ESM, and CJS for Node), for Chromium and for workerd with everything
//    in the bundle, `--platform=browser`, no `node:*` marked external;
// 4. runs them: Node 20 and 24 (ESM and CJS), Bun, Deno, headless Chromium, workerd without
//    nodejs_compat; and the dual-package test on Node 20 and 24;
// 5. type-checks each program with tsc (the minimum supported TypeScript and the current one) under
//    moduleResolution nodenext (ESM and CJS), bundler and node10, with exactOptionalPropertyTypes,
//    skipLibCheck false and no @types/node; each package's `./node` entry with @types/node; and its
//    `./mock` entry with msw installed (DOM and Node types, which msw's declarations need);
// 6. prints the package × runtime table and the type-check matrix, and exits non-zero on any failure.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { allProviders, PACKAGES_DIR, ROOT } from '../scripts/lib/providers.js';
import { specExamples } from '../scripts/testing/examples.js';
import { type PrismServer, startPrism } from '../scripts/testing/prism.js';
import { BUN, CACHE_DIR, cachedPackage, DENO, nodeBinary, npmBinary, WORKERD } from '../scripts/testing/runtimes.js';

/** The oldest TypeScript the packages' declarations compile with (see the README's "Toolchain"). */
export const TYPESCRIPT_MINIMUM = '5.4.5';
/** @types/node for the `./node` entries' check (the one the workspace pins). */
const TYPES_NODE = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@types', 'node', 'package.json'), 'utf8')).version as string;
/** msw for the `./mock` entries' check: an optional peer, installed as a user of the mocks would (the workspace's version). */
const MSW = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies.msw as string;
const TYPESCRIPT_CURRENT = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'typescript', 'package.json'), 'utf8')).version as string;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** No nodejs_compat, and a date this workerd supports. */
const WORKERD_COMPATIBILITY_DATE = '2025-09-01';
const HERE = join(ROOT, 'ecosystem-tests');
const RUN_TIMEOUT_MS = 120_000;

const args = process.argv.slice(2);
const tsIndex = args.indexOf('--ts');
const typescripts = tsIndex === -1 ? [TYPESCRIPT_MINIMUM, TYPESCRIPT_CURRENT] : args[tsIndex + 1]!.split(',');
const keep = args.includes('--keep');
/** For working on one half: `--no-types` skips the type-check matrix, `--no-runtimes` the runs. */
const withTypes = !args.includes('--no-types');
const withRuntimes = !args.includes('--no-runtimes');

const started = Date.now();
const providers = allProviders();
const packageNames = providers.map((p) => p.npmName);
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const step = (what: string) => console.log(`[${elapsed()}] ${what}`);

interface Verdict {
  package: string;
  ok: boolean;
  detail: string;
  runtime?: string;
}
/** runtime column → package → verdict */
const results = new Map<string, Map<string, Verdict>>();
const mocks = new Map<string, PrismServer>();
const versions = new Map<string, string>();
function record(column: string, verdict: Verdict): void {
  if (!results.has(column)) results.set(column, new Map());
  results.get(column)!.set(verdict.package, verdict);
  if (verdict.runtime && !versions.has(column)) versions.set(column, verdict.runtime);
}
function recordAll(column: string, names: readonly string[], ok: boolean, detail: string): void {
  for (const name of names) record(column, { package: name, ok, detail });
}

// --- processes -------------------------------------------------------------------------------

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function run(cmd: string, cmdArgs: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${options.timeoutMs ?? RUN_TIMEOUT_MS} ms)`;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? RUN_TIMEOUT_MS);
    child.on('error', (e) => {
      stderr += String(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

async function must(cmd: string, cmdArgs: readonly string[], cwd: string): Promise<string> {
  const r = await run(cmd, cmdArgs, { cwd, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** At most `limit` of the tasks at once (the machine has two cores). */
async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}

/** The ECOSYSTEM lines a run printed, or a failure for every package when it printed none for one. */
function verdictsOf(column: string, r: Run, expected: readonly string[]): void {
  const seen = new Set<string>();
  for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) {
    const at = line.indexOf('ECOSYSTEM {');
    if (at === -1) continue;
    const verdict = JSON.parse(line.slice(at + 'ECOSYSTEM '.length)) as Verdict;
    seen.add(verdict.package);
    record(column, verdict);
  }
  const missing = expected.filter((name) => !seen.has(name));
  const why = `no verdict (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(-1500)}`;
  recordAll(column, missing, false, why);
}

// --- the consumer project ---------------------------------------------------------------------

/** `pnpm pack` (workspace ranges become versions) into a folder of its own. */
async function pack(dir: string, dest: string): Promise<string> {
  mkdirSync(dest, { recursive: true });
  await must('pnpm', ['pack', '--pack-destination', dest], dir);
  const created = readdirSync(dest).find((f) => f.endsWith('.tgz'));
  if (!created) throw new Error(`pnpm pack produced no tarball in ${dir}`);
  return join(dest, created);
}

async function makeConsumer(work: string): Promise<string> {
  const tarballs = join(work, 'tarballs');
  const dirs = ['core', ...providers.map((p) => p.name)];
  for (const dir of dirs) if (!existsSync(join(PACKAGES_DIR, dir, 'dist'))) throw new Error(`${dir} is not built: run pnpm build first`);
  const files = await pool(2, dirs.map((dir) => () => pack(join(PACKAGES_DIR, dir), join(tarballs, dir))));
  const consumer = join(work, 'consumer');
  mkdirSync(consumer, { recursive: true });
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'ecosystem-consumer', private: true, type: 'module' }, null, 2)}\n`);
  // One install of every tarball: what a user with several of the packages gets (one core, deduplicated).
  await must('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files, `msw@${MSW}`], consumer);
  cpSync(join(HERE, 'programs'), join(consumer, 'src', 'programs'), { recursive: true });
  cpSync(join(HERE, 'shims'), join(consumer, 'src', 'shims'), { recursive: true });
  return consumer;
}

// --- what the programs are given ----------------------------------------------------------------

const envName = (name: string) => name.toUpperCase().replace(/-/g, '_');
/** Made-up credentials, in the variables the programs read (as a user's would read process.env). */
const CREDENTIALS: Record<string, string> = {
  ENHANCE_TOKEN: 'ecosystem-enhance-token',
  PAX8_CLIENT_ID: 'ecosystem-client-id',
  PAX8_CLIENT_SECRET: 'ecosystem-client-secret',
  CASCADE_USERNAME: 'ecosystem-user',
  CASCADE_PASSWORD: 'ecosystem-password',
  KANDY_ACCOUNT_KEY: 'ecosystem-account-key',
  KANDY_ACCOUNT_SECRET: 'ecosystem-account-secret',
  CLOUD_API_USERNAME: 'ecosystem-admin',
  CLOUD_API_PASSWORD: 'ecosystem-password',
};

function programConfig(mocks: Map<string, PrismServer>) {
  const env: Record<string, string> = { ...CREDENTIALS };
  for (const p of providers) env[`${envName(p.name)}_BASE_URL`] = mocks.get(p.name)!.url;
  // The Pax8 mock's POST /token stands in for the token endpoint.
  env.PAX8_TOKEN_URL = `${mocks.get('pax8')!.url}/token`;
  const expected: Record<string, Record<string, unknown>> = {};
  for (const p of providers) {
    const examples = specExamples(p.name);
    expected[p.name] = {};
    for (const op of examples.model.operations) {
      if (op.method !== 'GET') continue;
      try {
        expected[p.name]![op.id] = examples.expectedResult(op.id);
      } catch {
        // an operation without a success example: no program calls it
      }
    }
  }
  return { env, expected };
}

// --- bundles ----------------------------------------------------------------------------------

/** The Node.js / Bun / Deno entry: every program, packages external, as ESM or CJS. */
async function serverEntry(consumer: string, config: unknown, format: 'esm' | 'cjs'): Promise<string> {
  const imports = providers.map((p, i) => `import p${i} from './programs/${p.name}.ts';`).join('\n');
  const table = providers.map((p, i) => `${JSON.stringify(p.name)}: p${i}`).join(', ');
  const outfile = join(consumer, format === 'esm' ? 'entry.mjs' : 'entry.cjs');
  await build({
    stdin: { contents: `import { runAll } from './shims/server.ts';\n${imports}\nvoid runAll({ ${table} }, ${JSON.stringify(config)});\n`, resolveDir: join(consumer, 'src'), loader: 'ts' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format,
    target: 'es2022',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

/**
 * One package's program with everything bundled in, for a browser page or a worker. Nothing is
 * marked external: a `node:*` import anywhere on the main entry's graph fails the build.
 */
async function webBundle(consumer: string, name: string, config: unknown, target: 'browser' | 'worker'): Promise<{ file?: string; error?: string }> {
  const outfile = join(consumer, target, `${name}.js`);
  const contents =
    target === 'browser'
      ? `import { start } from './shims/browser.ts';\nimport program from './programs/${name}.ts';\nvoid start(${JSON.stringify(name)}, program, ${JSON.stringify(config)});\n`
      : `import { worker } from './shims/worker.ts';\nimport program from './programs/${name}.ts';\nexport default worker(${JSON.stringify(name)}, program, ${JSON.stringify(config)});\n`;
  try {
    const result = await build({
      stdin: { contents, resolveDir: join(consumer, 'src'), loader: 'ts', sourcefile: `${target}-${name}.ts` },
      bundle: true,
      platform: 'browser',
      ...(target === 'worker' ? { conditions: ['workerd', 'worker', 'browser'] } : {}),
      format: 'esm',
      target: 'es2022',
      outfile,
      metafile: true,
      logLevel: 'silent',
    });
    const nodeInputs = Object.keys(result.metafile.inputs).filter((f) => f.startsWith('node:') || /\/dist\/esm\/(generated\/)?node\.js$/.test(f));
    if (nodeInputs.length) return { error: `the bundle took in Node-only modules: ${nodeInputs.join(', ')}` };
    return { file: outfile };
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string } }[] }).errors;
    return { error: `esbuild --platform=browser failed: ${errors?.map((e) => `${e.location?.file ?? ''}: ${e.text}`).join('; ') ?? String(error)}` };
  }
}

// --- runtimes -----------------------------------------------------------------------------------

async function nodeRuns(consumer: string, entries: { esm: string; cjs: string }, configFile: string) {
  const tasks: (() => Promise<void>)[] = [];
  for (const major of ['20', '24']) {
    const bin = await nodeBinary(major);
    for (const format of ['esm', 'cjs'] as const) {
      tasks.push(async () => verdictsOf(`Node ${major} ${format.toUpperCase()}`, await run(bin, [entries[format]], { cwd: consumer }), providers.map((p) => p.name)));
    }
    tasks.push(async () => verdictsOf(`dual package (Node ${major})`, await run(bin, ['src/shims/dual.mjs', configFile], { cwd: consumer }), ['@provider-sdk/core', 'one core for every package']));
  }
  return tasks;
}

async function bunRun(consumer: string, entry: string): Promise<void> {
  const bin = await npmBinary(BUN);
  const env = { ...process.env, DO_NOT_TRACK: '1', BUN_INSTALL_CACHE_DIR: join(CACHE_DIR, 'bun-install-cache') };
  verdictsOf('Bun', await run(bin, ['--no-install', entry], { cwd: consumer, env }), providers.map((p) => p.name));
}

async function denoRun(consumer: string, entry: string): Promise<void> {
  const bin = await npmBinary(DENO);
  const env = { ...process.env, DENO_DIR: join(CACHE_DIR, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
  // The least a client needs: the network to the mocks and reading its own files (no env, no write).
  const flags = ['run', '--no-lock', '--no-prompt', '--allow-net=127.0.0.1', `--allow-read=${consumer}`, entry];
  verdictsOf('Deno', await run(bin, flags, { cwd: consumer, env }), providers.map((p) => p.name));
}

async function workerdRun(consumer: string, bundles: Map<string, string>): Promise<void> {
  const names = [...bundles.keys()];
  if (!names.length) return;
  const bin = await npmBinary(WORKERD);
  const dir = join(consumer, 'worker');
  // Cap'n Proto names are camelCase: pax8-v3 → pax8V3.
  const service = (name: string) => name.replace(/-(.)/g, (_, c: string) => c.toUpperCase());
  const config = [
    'using Workerd = import "/workerd/workerd.capnp";',
    '',
    'const config :Workerd.Config = (',
    '  services = [',
    ...names.map((name) => `    (name = "${name}", worker = .${service(name)}),`),
    '    # The default outbound of every worker: the mocks listen on the loopback address.',
    '    (name = "internet", network = (allow = ["public", "private", "local"])),',
    '  ],',
    ');',
    '',
    ...names.map(
      (name) =>
        `const ${service(name)} :Workerd.Worker = (\n  modules = [(name = "worker.js", esModule = embed "${name}.js")],\n  compatibilityDate = "${WORKERD_COMPATIBILITY_DATE}",\n  compatibilityFlags = [],\n);\n`,
    ),
  ].join('\n');
  writeFileSync(join(dir, 'config.capnp'), config);
  const r = await run(bin, ['test', 'config.capnp'], { cwd: dir });
  // `workerd test` prints `[ PASS ] service:test` or `[ FAIL ]`; the worker's log carries the verdict.
  verdictsOf('workerd', r, names);
  const version = (await run(bin, ['--version'], { cwd: dir })).stdout.trim();
  versions.set('workerd', version);
}

async function chromiumRun(bundles: Map<string, string>): Promise<void> {
  if (!bundles.size) return;
  if (!existsSync(CHROMIUM)) {
    recordAll('Chromium', [...bundles.keys()], false, `${CHROMIUM} is missing: install Debian's chromium (scripts/install-system-deps.sh)`);
    return;
  }
  // The page's origin differs from every mock's (another port), so each call is a CORS request.
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const name = url.pathname.slice(1).replace(/\.(html|js)$/, '');
    if (!bundles.has(name)) {
      res.writeHead(404);
      res.end();
      return;
    }
    if (url.pathname.endsWith('.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>${name}</title><script type="module" src="/${name}.js"></script>`);
    } else {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(readFileSync(bundles.get(name)!));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const profile = mkdtempSync(join(tmpdir(), 'provider-sdk-ecosystem-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    versions.set('Chromium', `chromium ${browser.browser()?.version() ?? ''}`.trim());
    for (const name of bundles.keys()) {
      const page = await browser.newPage();
      const log: string[] = [];
      page.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => log.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => log.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
      try {
        await page.goto(`${origin}/${name}.html`);
        const handle = await page.waitForFunction(() => (globalThis as { __ecosystem?: unknown }).__ecosystem, undefined, { timeout: 60_000 });
        const verdict = (await handle.jsonValue()) as Verdict;
        if (!verdict.ok && log.length) verdict.detail += ` | ${log.join(' | ')}`;
        record('Chromium', { ...verdict, runtime: versions.get('Chromium') });
      } catch (error) {
        record('Chromium', { package: name, ok: false, detail: `${error instanceof Error ? error.message : error} | ${log.join(' | ')}` });
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(profile, { recursive: true, force: true });
  }
}

// --- the type-check matrix ----------------------------------------------------------------------

/** One tsc run; its diagnostics are sorted into columns by where they are. */
interface TypeCheckRun {
  options: Record<string, unknown>;
  columns: { label: string; files: (name: string) => string[]; owns: (diagnostic: string) => boolean }[];
}

/**
 * What every run shares: the strictest settings a user may have. skipLibCheck is off, so every
 * declaration file of the packages and their dependencies is checked; skipDefaultLibCheck only
 * skips TypeScript's own lib.*.d.ts.
 */
const STRICT = {
  strict: true,
  exactOptionalPropertyTypes: true,
  skipLibCheck: false,
  skipDefaultLibCheck: true,
  noEmit: true,
  target: 'ES2022',
  forceConsistentCasingInFileNames: true,
};

function typeCheckRuns(consumer: string): TypeCheckRun[] {
  const typesNode = join(CACHE_DIR, `@types+node@${TYPES_NODE}`, 'node_modules', '@types');
  mkdirSync(join(consumer, 'cjs'), { recursive: true });
  mkdirSync(join(consumer, 'node'), { recursive: true });
  mkdirSync(join(consumer, 'mock'), { recursive: true });
  for (const p of providers) {
    // The same program as CommonJS (a .cts file): resolved through the packages' `require` types.
    cpSync(join(consumer, 'src', 'programs', `${p.name}.ts`), join(consumer, 'cjs', `${p.name}.cts`));
    writeFileSync(join(consumer, 'node', `${p.name}.ts`), nodeEntryProgram(p.npmName));
    writeFileSync(join(consumer, 'mock', `${p.name}.ts`), mockEntryProgram(p.npmName, p.typeName, specExamples(p.name).model.operations[0]!.id));
  }
  // No @types/node: the main entry's declarations must stand on the web platform's types alone.
  const web = { ...STRICT, lib: ['ES2022', 'DOM'], types: [] };
  const all = () => true;
  return [
    {
      options: { ...web, module: 'nodenext', moduleResolution: 'nodenext' },
      columns: [
        { label: 'nodenext ESM', files: (n) => [`src/programs/${n}.ts`], owns: (d) => !/(^|\/)cjs\/|\/dist\/cjs\//.test(d) },
        { label: 'nodenext CJS', files: (n) => [`cjs/${n}.cts`], owns: (d) => !/(^|\/)src\/programs\/|\/dist\/esm\//.test(d) },
      ],
    },
    { options: { ...web, module: 'esnext', moduleResolution: 'bundler' }, columns: [{ label: 'bundler', files: (n) => [`src/programs/${n}.ts`], owns: all }] },
    { options: { ...web, module: 'commonjs', moduleResolution: 'node10' }, columns: [{ label: 'node10', files: (n) => [`src/programs/${n}.ts`], owns: all }] },
    // A Node.js project: Node's types and no DOM, the main entry and `./node` together; also with
    // node10, which knows no `exports` (the packages' typesVersions map `./node` for it).
    {
      options: { ...STRICT, lib: ['ES2022'], types: ['node'], typeRoots: [typesNode], module: 'nodenext', moduleResolution: 'nodenext' },
      columns: [{ label: './node + @types/node', files: (n) => [`node/${n}.ts`], owns: all }],
    },
    {
      options: { ...STRICT, lib: ['ES2022'], types: ['node'], typeRoots: [typesNode], module: 'commonjs', moduleResolution: 'node10' },
      columns: [{ label: './node node10', files: (n) => [`node/${n}.ts`], owns: all }],
    },
    // A test project with msw: msw's own declarations need the DOM's types (Node's beside them).
    {
      options: { ...STRICT, lib: ['ES2022', 'DOM'], types: ['node'], typeRoots: [typesNode], module: 'nodenext', moduleResolution: 'nodenext' },
      columns: [{ label: './mock + msw', files: (n) => [`mock/${n}.ts`], owns: all }],
    },
    {
      options: { ...STRICT, lib: ['ES2022', 'DOM'], types: ['node'], typeRoots: [typesNode], module: 'commonjs', moduleResolution: 'node10' },
      columns: [{ label: './mock node10', files: (n) => [`mock/${n}.ts`], owns: all }],
    },
  ];
}

/** A Node.js program of a package's `./node` entry: file token stores, with values as process.env gives them. */
function nodeEntryProgram(npmName: string): string {
  return `import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryTokenStore, type TokenStore } from '${npmName}';
import { EncryptedFileTokenStore, FileTokenStore, parseTokenKey, TOKEN_KEY_ENV, TokenFileRejected } from '${npmName}/node';

export const stores: TokenStore[] = [
  new MemoryTokenStore(),
  new FileTokenStore(join(tmpdir(), 'tokens.json'), { lockTimeoutMs: Number(process.env.LOCK_TIMEOUT_MS) || undefined }),
  new EncryptedFileTokenStore(join(tmpdir(), 'tokens.enc'), { key: process.env[TOKEN_KEY_ENV] }),
];
export const key: Uint8Array = parseTokenKey('00'.repeat(32));
export const rejected = (e: unknown): boolean => e instanceof TokenFileRejected;
`;
}

/** A test's use of a package's `./mock` entry: handlers for msw, and a typed override. */
function mockEntryProgram(npmName: string, typeName: string, operationId: string): string {
  return `import type { HttpHandler } from 'msw';
import { create${typeName}Mock, type MockOptions } from '${npmName}/mock';

const options: MockOptions = { baseUrl: process.env.MOCK_BASE_URL ?? 'https://api.example.test' };
export const mock = create${typeName}Mock(options);
export const handlers: readonly HttpHandler[] = [...mock.handlers, mock.override('${operationId}', { status: 500 }, { once: true })];
`;
}

/** `TS <version> · <column>` → package → diagnostics */
async function typeCheck(consumer: string): Promise<Map<string, Map<string, string[]>>> {
  await cachedPackage('@types/node', TYPES_NODE);
  const runs = typeCheckRuns(consumer);
  const compilers = await Promise.all(
    typescripts.map(async (version) => [version, version === TYPESCRIPT_CURRENT ? join(ROOT, 'node_modules', 'typescript') : await cachedPackage('typescript', version)] as const),
  );
  const matrix = new Map<string, Map<string, string[]>>();
  for (const [version] of compilers) for (const run of runs) for (const column of run.columns) matrix.set(`TS ${version} · ${column.label}`, new Map(providers.map((p) => [p.name, []])));
  const tasks: (() => Promise<void>)[] = [];
  for (const [version, dir] of compilers) {
    for (const [i, tsRun] of runs.entries()) {
      tasks.push(async () => {
        const config = join(consumer, `tsconfig.${version}.${i}.json`);
        const files = tsRun.columns.flatMap((c) => providers.flatMap((p) => c.files(p.name)));
        writeFileSync(config, JSON.stringify({ compilerOptions: tsRun.options, files }, null, 2));
        const r = await run(process.execPath, [join(dir, 'bin', 'tsc'), '-p', config, '--pretty', 'false'], { cwd: consumer, timeoutMs: 300_000 });
        // One diagnostic a line; indented lines continue the one before.
        const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.trim() && !/^\s/.test(l));
        if (r.code !== 0 && !lines.length) lines.push(`tsc exited ${r.code} without diagnostics`);
        for (const line of lines) {
          // In one package's program or in that package: that package; in core, openapi-fetch, ...: all of them.
          const owner = providers.find((p) => new RegExp(`(^|/)(src/programs|cjs|node|mock)/${p.name}\\.c?ts\\(|node_modules/@provider-sdk/${p.name}/`).test(line));
          for (const column of tsRun.columns) {
            if (!column.owns(line)) continue;
            for (const p of owner ? [owner] : providers) matrix.get(`TS ${version} · ${column.label}`)!.get(p.name)!.push(line.slice(0, 600));
          }
        }
      });
    }
  }
  await pool(2, tasks);
  return matrix;
}

// --- report -------------------------------------------------------------------------------------

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

async function runtimes(consumer: string): Promise<void> {
  step('starting a Prism mock per spec');
  // Three Prisms at a time: each one's start is a burst of CPU.
  await pool(3, providers.map((p) => async () => mocks.set(p.name, await startPrism(p.specPath, { startTimeoutMs: 120_000 }))));
  const config = programConfig(mocks);
  const configFile = join(consumer, 'config.json');
  writeFileSync(configFile, JSON.stringify({ ...config, packages: packageNames }));

  step('bundling the programs (esbuild)');
  const entries = { esm: await serverEntry(consumer, config, 'esm'), cjs: await serverEntry(consumer, config, 'cjs') };
  const browserBundles = new Map<string, string>();
  const workerBundles = new Map<string, string>();
  for (const p of providers) {
    for (const [target, bundles, column] of [['browser', browserBundles, 'Chromium'], ['worker', workerBundles, 'workerd']] as const) {
      const bundle = await webBundle(consumer, p.name, config, target);
      if (bundle.file) bundles.set(p.name, bundle.file);
      else record(column, { package: p.name, ok: false, detail: bundle.error! });
    }
  }

  // The check itself: the Node-only entry must NOT bundle for the browser, or the check proves nothing.
  const control = await build({
    stdin: { contents: "export * from '@provider-sdk/core/node';", resolveDir: join(consumer, 'src'), loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  }).then(
    () => 'bundled',
    () => 'refused',
  );
  if (control !== 'refused') failures.push('esbuild --platform=browser bundled @provider-sdk/core/node: the browser bundle check would not notice a node:* import');

  step('running Node 20 and 24 (ESM, CJS, dual package), Bun, Deno, workerd and Chromium');
  await pool(3, [
    ...(await nodeRuns(consumer, entries, configFile)),
    () => bunRun(consumer, entries.esm),
    () => denoRun(consumer, entries.esm),
    () => workerdRun(consumer, workerBundles),
    () => chromiumRun(browserBundles),
  ]);
  step('runtimes done');
  await Promise.all([...mocks.values()].map((m) => m.stop()));
  mocks.clear();
}

// --- main ---------------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'provider-sdk-ecosystem-'));
const failures: string[] = [];
let typeMatrix = new Map<string, Map<string, string[]>>();
try {
  for (const p of providers) if (!existsSync(join(HERE, 'programs', `${p.name}.ts`))) throw new Error(`ecosystem-tests/programs/${p.name}.ts is missing: every package needs a program`);
  step(`packing ${providers.length + 1} packages, installing the tarballs and the runtimes`);
  const [consumer] = await Promise.all([
    makeConsumer(work),
    (async () => {
      for (const binary of [BUN, DENO, WORKERD]) await npmBinary(binary);
      await nodeBinary('24');
      for (const version of typescripts) if (version !== TYPESCRIPT_CURRENT) await cachedPackage('typescript', version);
    })(),
  ]);
  // The compilers need no mock: they run while the runtimes wait on the network.
  const types = withTypes ? typeCheck(consumer) : Promise.resolve(typeMatrix);
  if (withRuntimes) await runtimes(consumer);
  step('waiting for the type-check matrix');
  typeMatrix = await types;
} catch (error) {
  failures.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
} finally {
  await Promise.all([...mocks.values()].map((m) => m.stop()));
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

// The tables.
const columns = ['Node 20 ESM', 'Node 20 CJS', 'Node 24 ESM', 'Node 24 CJS', 'Bun', 'Deno', 'Chromium', 'workerd'];
const cell = (v: Verdict | undefined) => (v ? (v.ok ? '✓' : '✗') : '–');
const runtimeTable = table(
  ['package', ...columns],
  providers.map((p) => [p.npmName, ...columns.map((c) => cell(results.get(c)?.get(p.name)))]),
);
const dualColumns = ['dual package (Node 20)', 'dual package (Node 24)'];
const dualTable = table(
  ['dual-package check', 'Node 20', 'Node 24'],
  ['@provider-sdk/core', 'one core for every package'].map((name) => [name === '@provider-sdk/core' ? 'core ESM × CJS `instanceof`' : name, ...dualColumns.map((c) => cell(results.get(c)?.get(name)))]),
);
const typeKeys = [...typeMatrix.keys()];
const typeTable = table(
  ['package', ...typeKeys],
  providers.map((p) => [p.npmName, ...typeKeys.map((k) => (typeMatrix.get(k)!.get(p.name)!.length ? '✗' : '✓'))]),
);
const runtimeVersions = [...columns, ...dualColumns].map((c) => `${c}: ${versions.get(c) ?? '?'}`).join('; ');

for (const [column, byPackage] of results) for (const v of byPackage.values()) if (!v.ok) failures.push(`${v.package} on ${column}: ${v.detail}`);
for (const [key, byPackage] of typeMatrix) for (const [name, errors] of byPackage) if (errors.length) failures.push(`${name} under ${key}:\n  ${errors.slice(0, 8).join('\n  ')}`);

const report = [
  `## package × runtime (from the packed tarballs)\n\n${runtimeTable}\n\n${runtimeVersions}`,
  `## dual-package hazard\n\n${dualTable}`,
  `## type-check matrix (strict, exactOptionalPropertyTypes, skipLibCheck false; no @types/node except in the ./node and ./mock columns)\n\n${typeTable}`,
  `${failures.length ? `${failures.length} failure(s)` : 'every package works in every runtime and type-checks in every setting'} (${elapsed()})`,
].join('\n\n');
for (const f of failures) console.error(`✗ ${f}`);
console.log(`\n${report}`);
// Kept where the last run's table can be read again; never committed (node_modules is ignored).
mkdirSync(CACHE_DIR, { recursive: true });
writeFileSync(join(CACHE_DIR, 'ecosystem-results.md'), `${report}\n\n${failures.map((f) => `- ${f}`).join('\n')}\n`);
console.log(`(saved to ${relative(ROOT, join(CACHE_DIR, 'ecosystem-results.md'))})`);
process.exit(failures.length ? 1 : 0);
