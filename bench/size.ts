// Bundle size: minified and gzipped, measured with esbuild (the bundler users are likeliest to have
// underneath), tree-shaken as a user's bundle would be.
//   own:     the package's own code, with @provider-sdk/* and openapi-fetch left out
//   bundle:  what a user's page or worker loads first by importing the client factory (package + core
//            + openapi-fetch), with code splitting as Vite, Rollup and webpack do by default: what is
//            imported lazily (the response schemas and the drift walker, loaded only when
//            validateResponses is not 'off') is a separate chunk, not counted
//   inlined: the same bundle without splitting (esbuild's default, and Wrangler's), lazy imports inlined
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { PACKAGES_DIR, type Provider } from '../scripts/lib/providers.js';
import { WORK } from './lib/tsfetch.js';

export interface SizeRow {
  package: string;
  ownBytes: number;
  ownGzip: number;
  bundleGzip: number;
  inlinedGzip: number;
}

const gzip = (code: Uint8Array) => gzipSync(code, { level: 9 }).length;

async function bundledSize(entry: string, external: string[], resolveDir: string, splitting: boolean): Promise<{ bytes: number; gzip: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'provider-sdk-size-'));
  try {
    const entryFile = join(resolveDir, `.size-entry-${process.pid}.mjs`);
    writeFileSync(entryFile, entry);
    try {
      const result = await build({
        entryPoints: [entryFile],
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'node',
        target: 'es2022',
        external,
        splitting,
        outdir: dir,
        metafile: true,
        write: false,
        logLevel: 'error',
      });
      const files = new Map(result.outputFiles.map((f) => [f.path, f.contents]));
      const first = firstLoad(result.metafile);
      const chunks = [...first].map((path) => files.get(path)!);
      return { bytes: chunks.reduce((n, c) => n + c.length, 0), gzip: chunks.reduce((n, c) => n + gzip(c), 0) };
    } finally {
      rmSync(entryFile, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The entry chunk and every chunk it imports statically, transitively: what loads before any lazy import. */
function firstLoad(metafile: Metafile): Set<string> {
  const entry = Object.keys(metafile.outputs).find((out) => metafile.outputs[out]!.entryPoint !== undefined)!;
  const seen = new Set<string>();
  const visit = (out: string) => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const dep of metafile.outputs[out]!.imports) if (dep.kind === 'import-statement' && !dep.external) visit(dep.path);
  };
  visit(entry);
  // Metafile paths are relative to the working directory; output files carry absolute paths.
  return new Set([...seen].map((out) => resolve(out)));
}

export async function packageSize(name: string, factory: string): Promise<SizeRow> {
  const dir = join(PACKAGES_DIR, name);
  const own = await bundledSize(`export * from './dist/esm/index.js';`, ['@provider-sdk/*', 'openapi-fetch'], dir, true);
  const userEntry = `import { ${factory} } from './dist/esm/index.js'; globalThis.client = ${factory};`;
  const user = await bundledSize(userEntry, [], dir, true);
  const inlined = await bundledSize(userEntry, [], dir, false);
  return { package: `@provider-sdk/${name}`, ownBytes: own.bytes, ownGzip: own.gzip, bundleGzip: user.gzip, inlinedGzip: inlined.gzip };
}

/** The same for the typescript-fetch client: its runtime, APIs and models, as an import of every API class. */
export async function typescriptFetchSize(p: Provider, dir: string): Promise<number> {
  mkdirSync(join(WORK, p.name), { recursive: true });
  const entry = join(WORK, p.name, 'size-entry.mjs');
  writeFileSync(entry, `import * as api from ${JSON.stringify(join(dir, 'src', 'index.ts'))}; globalThis.api = api;`);
  const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'node', target: 'es2022', write: false, logLevel: 'error' });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length;
}
