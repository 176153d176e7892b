// pnpm demo [provider ...]
// Starts a Prism mock for every spec (or the named ones) and runs each package's examples/demo.ts
// against it, printing what each call returned. Needs `pnpm build` first (packages import core's build).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { allProviders, provider, type Provider } from './lib/providers.js';
import { type PrismServer, startPrism } from './testing/prism.js';

type Demo = (baseUrl: string, print: (label: string, value: unknown) => void, mocks: Record<string, string>) => Promise<void>;

const names = process.argv.slice(2);
const providers = (names.length ? names.map(provider) : allProviders()).filter((p) => existsSync(demoPath(p)));
if (!providers.length) {
  console.error('no package has an examples/demo.ts');
  process.exit(1);
}

const started = Date.now();
const servers = new Map<string, PrismServer>();
let failed = 0;
try {
  // Every mock at once: each costs about 2 s to start, so this is the slow part.
  const all = allProviders().filter((p) => existsSync(p.specPath));
  await Promise.all(all.map(async (p) => servers.set(p.name, await startPrism(p.specPath))));
  const mocks = Object.fromEntries([...servers].map(([name, s]) => [name, s.url]));
  console.log(`started ${servers.size} Prism mocks in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  for (const p of providers) {
    console.log(`── ${p.npmName} (mock of specs/${p.name}.yaml at ${mocks[p.name]})`);
    try {
      const { demo } = (await import(pathToFileURL(demoPath(p)).href)) as { demo: Demo };
      await demo(mocks[p.name]!, print, mocks);
    } catch (error) {
      failed++;
      console.log(`   ✗ ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    console.log('');
  }
} finally {
  await Promise.all([...servers.values()].map((s) => s.stop()));
}
console.log(failed ? `${failed} demo(s) failed` : `all ${providers.length} demos ran against their mocks`);
process.exit(failed ? 1 : 0);

function demoPath(p: Provider): string {
  return join(p.packageDir, 'examples', 'demo.ts');
}

function print(label: string, value: unknown): void {
  const text = value === undefined ? 'undefined (no content)' : JSON.stringify(value);
  console.log(`   ${label}\n     → ${text.length > 240 ? `${text.slice(0, 240)}…` : text}`);
}
