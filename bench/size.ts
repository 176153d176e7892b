// Bundle size: minified and gzipped, measured with esbuild (the bundler users are likeliest to have
// underneath), tree-shaken as a user's bundle would be.
//   own:    the package's own code, with @provider-sdk/* and openapi-fetch left out
//   bundle: what a user's bundle gains by importing the client factory (package + core + openapi-fetch)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { PACKAGES_DIR, type Provider } from '../scripts/lib/providers.js';
import { WORK } from './lib/tsfetch.js';

export interface SizeRow {
  package: string;
  ownBytes: number;
  ownGzip: number;
  bundleGzip: number;
}

async function bundledSize(entry: string, external: string[], resolveDir: string): Promise<{ bytes: number; gzip: number }> {
  const result = await build({
    stdin: { contents: entry, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    external,
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]!.contents;
  return { bytes: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

export async function packageSize(name: string, factory: string): Promise<SizeRow> {
  const dir = join(PACKAGES_DIR, name);
  const own = await bundledSize(`export * from './dist/esm/index.js';`, ['@provider-sdk/*', 'openapi-fetch'], dir);
  const user = await bundledSize(`import { ${factory} } from './dist/esm/index.js'; globalThis.client = ${factory};`, [], dir);
  return { package: `@provider-sdk/${name}`, ownBytes: own.bytes, ownGzip: own.gzip, bundleGzip: user.gzip };
}

/** The same for the typescript-fetch client: its runtime, APIs and models, as an import of every API class. */
export async function typescriptFetchSize(p: Provider, dir: string): Promise<number> {
  mkdirSync(join(WORK, p.name), { recursive: true });
  const entry = join(WORK, p.name, 'size-entry.mjs');
  writeFileSync(entry, `import * as api from ${JSON.stringify(join(dir, 'src', 'index.ts'))}; globalThis.api = api;`);
  const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'node', target: 'es2022', write: false, logLevel: 'error' });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length;
}
