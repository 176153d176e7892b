// The vitest configuration every package shares. Tests import workspace packages from source, so a
// test run never depends on a stale dist; the built output is exercised by `pnpm pack:check`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';
import { PACKAGES_DIR } from '../lib/providers.js';

export interface PackageTestOptions {
  /** Specs to start a Prism mock for (by provider name). */
  mocks?: string[];
  /** Longer limit for tests that start servers of their own. */
  testTimeout?: number;
}

function workspaceAliases(): { find: RegExp; replacement: string }[] {
  const aliases: { find: RegExp; replacement: string }[] = [];
  for (const name of readdirSync(PACKAGES_DIR)) {
    const dir = join(PACKAGES_DIR, name);
    if (!existsSync(join(dir, 'package.json'))) continue;
    // Subpaths (`/node`, `/mock`) from the source file their dist/esm entry is built from.
    const exports: Record<string, { import?: { default?: string } }> = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).exports ?? {};
    for (const [subpath, target] of Object.entries(exports)) {
      const built = target?.import?.default;
      if (subpath === '.' || !built?.startsWith('./dist/esm/')) continue;
      const source = join(dir, 'src', built.slice('./dist/esm/'.length).replace(/\.js$/, '.ts'));
      aliases.push({ find: new RegExp(`^@provider-sdk/${name}${subpath.slice(1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), replacement: source });
    }
    aliases.push({ find: new RegExp(`^@provider-sdk/${name}$`), replacement: join(dir, 'src', 'index.ts') });
  }
  return aliases;
}

export function packageTestConfig(configUrl: string, options: PackageTestOptions = {}): ViteUserConfig {
  const packageDir = dirname(fileURLToPath(configUrl));
  const mocks = options.mocks ?? [];
  // Read by global-setup.ts in this same process.
  process.env.PROVIDER_SDK_MOCKS = mocks.join(',');
  process.env.PROVIDER_SDK_CONTRACT_DIR = join(packageDir, '.contract');
  return defineConfig({
    resolve: { alias: workspaceAliases() },
    test: {
      root: packageDir,
      include: ['test/**/*.test.ts'],
      globalSetup: mocks.length ? [join(dirname(fileURLToPath(import.meta.url)), 'global-setup.ts')] : [],
      testTimeout: options.testTimeout ?? 15_000,
      hookTimeout: 60_000,
      env: { PROVIDER_SDK_CONTRACT_DIR: join(packageDir, '.contract') },
    },
  });
}
