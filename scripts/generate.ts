// pnpm generate [provider ...] [--check]
// Regenerates packages/<provider> from specs/<provider>.yaml (every provider when none is named).
// --check writes nothing and fails when a committed generated file differs from what the spec gives.
import { allProviders, provider, rel, VALID_PROVIDER_NAME } from './lib/providers.js';
import { generateProvider, staleFiles, writeFiles } from './lib/generate.js';
import { formatProblem, SpecError } from './lib/spec-check.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const unknownFlags = args.filter((a) => a.startsWith('-') && a !== '--check');
if (unknownFlags.length) {
  console.error(`unknown option ${unknownFlags.join(' ')}\nusage: pnpm generate [provider ...] [--check]`);
  process.exit(2);
}
const names = args.filter((a) => !a.startsWith('-'));
for (const n of names) {
  if (!VALID_PROVIDER_NAME.test(n)) {
    console.error(`"${n}" is not a provider name (lower-case letters, digits and dashes)`);
    process.exit(2);
  }
}
const providers = names.length ? names.map(provider) : allProviders();
if (providers.length === 0) {
  console.error('no specs found in specs/');
  process.exit(1);
}

let failed = 0;
const results = await mapLimit(providers, 2, async (p) => {
  const started = Date.now();
  try {
    const result = await generateProvider(p);
    for (const w of result.warnings) console.warn(formatProblem(w));
    if (check) {
      const stale = staleFiles(result.files);
      if (stale.length) {
        failed++;
        return `✗ ${p.name}: generated files are stale: ${stale.join(', ')} (run \`pnpm generate ${p.name}\`)`;
      }
      return `✓ ${p.name}: up to date (${plural(result.operations, "operation")})`;
    }
    const written = writeFiles(result.files);
    const what = written.length ? `wrote ${written.join(', ')}` : 'no changes';
    return `✓ ${p.name}: ${plural(result.operations, "operation")}, ${what} (${Date.now() - started} ms)`;
  } catch (error) {
    failed++;
    if (error instanceof SpecError) {
      return `✗ ${p.name}: ${rel(p.specPath)} is invalid; ${rel(p.packageDir)} was left unchanged\n${error.problems.map(formatProblem).join('\n')}`;
    }
    return `✗ ${p.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
});
for (const line of results) (line.startsWith('✗') ? console.error : console.log)(line);
process.exit(failed ? 1 : 0);

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
