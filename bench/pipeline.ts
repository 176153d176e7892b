// The pipeline's own speed, in a throwaway copy of the workspace (the repository is never touched):
//   pipeline: cold `turbo run build` (generate + build of every package, no turbo cache), the same
//             again with nothing changed (cache), and again after one spec changed;
//   scale:    cold generate + build with N synthetic providers (real specs copied under new names,
//             scaffolded with `pnpm new-provider`), to see how time and memory grow with N.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allProviders, ROOT } from '../scripts/lib/providers.js';
import { type CommandRun, runCommand } from './lib/measure.js';

const ENV = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', CI: '1', FORCE_COLOR: '0' };
const COPY = ['package.json', 'pnpm-workspace.yaml', 'pnpm-lock.yaml', 'turbo.json', 'tsconfig.base.json', 'redocly.yaml', '.changeset'];

export interface Measured {
  label: string;
  seconds: number;
  peakMb: number;
  tasks: string;
}

function copyPackage(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    if (['node_modules', 'dist', '.turbo', '.contract'].includes(entry)) continue;
    cpSync(join(from, entry), join(to, entry), { recursive: true });
  }
}

/**
 * A fresh workspace with the repository's tooling, core, and the given packages. Nothing is
 * installed (which would need the registry's metadata, absent offline): the repository's
 * node_modules are linked in, and each package's workspace dependencies are linked to their copies.
 */
async function workspace(populate: (dir: string) => Promise<void> | void): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'provider-sdk-bench-'));
  for (const f of COPY) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
  cpSync(join(ROOT, 'scripts'), join(dir, 'scripts'), { recursive: true });
  mkdirSync(join(dir, 'specs'));
  copyPackage(join(ROOT, 'packages', 'core'), join(dir, 'packages', 'core'));
  await populate(dir);
  linkDependencies(dir);
  return dir;
}

function linkDependencies(dir: string): void {
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  for (const name of readdirSync(join(dir, 'packages'))) {
    const pkg = join(dir, 'packages', name);
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    mkdirSync(join(pkg, 'node_modules', '@provider-sdk'), { recursive: true });
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      const link = join(pkg, 'node_modules', dep);
      if (dep.startsWith('@provider-sdk/')) symlinkSync(join(dir, 'packages', dep.slice('@provider-sdk/'.length)), link);
      else {
        mkdirSync(join(link, '..'), { recursive: true });
        // The repository's own install of it (core's openapi-fetch, ...), wherever pnpm put it.
        const own = join(ROOT, 'packages', name, 'node_modules', dep);
        symlinkSync(existsSync(own) ? own : join(ROOT, 'packages', 'core', 'node_modules', dep), link);
      }
    }
  }
}

function tasksLine(run: CommandRun): string {
  const tasks = run.output.match(/Tasks:\s+(.*)/)?.[1]?.trim() ?? '?';
  const cached = run.output.match(/Cached:\s+(.*)/)?.[1]?.trim() ?? '?';
  return `${tasks}; cached ${cached}`;
}

async function build(dir: string, label: string): Promise<Measured> {
  const run = await runCommand('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: dir, env: ENV });
  if (run.code !== 0) throw new Error(`${label}: turbo run build failed:\n${run.output.slice(-3000)}`);
  return { label, seconds: run.seconds, peakMb: run.peakMb, tasks: tasksLine(run) };
}

export async function pipelineBench(): Promise<Measured[]> {
  const providers = allProviders();
  const dir = await workspace((d) => {
    for (const p of providers) {
      cpSync(p.specPath, join(d, 'specs', `${p.name}.yaml`));
      copyPackage(p.packageDir, join(d, 'packages', p.name));
    }
  });
  try {
    const cold = await build(dir, `cold generate + build, ${providers.length} providers + core`);
    const cached = await build(dir, 'second run, nothing changed');
    const spec = join(dir, 'specs', 'enhance.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('description: |\n', 'description: |\n    (edited for the benchmark)\n'));
    const one = await build(dir, 'after editing specs/enhance.yaml');
    return [cold, cached, one];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function scaleBench(sizes: number[]): Promise<Measured[]> {
  // Synthetic copies of the packages that depend only on core (pax8-v3 and co. need pax8 itself).

  const sources = allProviders();
  const rows: Measured[] = [];
  for (const n of sizes) {
    const dir = await workspace(async (d) => {
      for (let i = 0; i < n; i++) {
        const source = sources[i % sources.length]!;
        const name = `${source.name}-s${String(i + 1).padStart(2, '0')}`;
        cpSync(source.specPath, join(d, 'specs', `${name}.yaml`));
        const scaffold = await runCommand(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(d, 'scripts', 'new-provider.ts'), name, '--no-install'], {
          cwd: d,
          env: { ...ENV, PROVIDER_SDK_WORKSPACE: d },
        });
        if (scaffold.code !== 0 || !existsSync(join(d, 'packages', name, 'package.json'))) throw new Error(`scaffolding ${name} failed:\n${scaffold.output}`);
      }
    });
    try {
      rows.push(await build(dir, `${n} synthetic providers + core, cold`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
