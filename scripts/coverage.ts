// pnpm coverage [--min <percent>] [provider ...]
// Operation coverage per spec: which declared operations were called through a package against a
// Prism mock, with a 2xx answer and no validation violation, in the last test run. The records are
// written by scripts/testing/contract.ts into packages/*/.contract/calls.jsonl.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathTemplateRegExp } from '../packages/core/src/spec.js';
import { allProviders, PACKAGES_DIR, provider } from './lib/providers.js';
import { parseSpec } from './lib/spec-check.js';
import { buildModel } from './lib/spec-model.js';

const args = process.argv.slice(2);
const minIndex = args.indexOf('--min');
const min = minIndex === -1 ? undefined : Number(args[minIndex + 1]);
if (min !== undefined && !(min >= 0 && min <= 100)) {
  console.error('--min takes a percentage from 0 to 100');
  process.exit(2);
}
const names = args.filter((a, i) => !a.startsWith('-') && (minIndex === -1 || i !== minIndex + 1));
const providers = names.length ? names.map(provider) : allProviders();

const calls = new Map<string, Set<string>>();
for (const dir of readdirSync(PACKAGES_DIR)) {
  const file = join(PACKAGES_DIR, dir, '.contract', 'calls.jsonl');
  if (!existsSync(file)) continue;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { spec, method, path } = JSON.parse(line) as { spec: string; method: string; path: string };
    const set = calls.get(spec) ?? new Set<string>();
    set.add(`${method} ${path}`);
    calls.set(spec, set);
  }
}

let below = 0;
const rows: string[] = [];
for (const p of providers) {
  const model = buildModel(parseSpec(p.specPath), p.name);
  const seen = calls.get(p.name) ?? new Set<string>();
  const missing = model.operations.filter((op) => {
    const re = pathTemplateRegExp(op.path);
    return ![...seen].some((call) => {
      const [method, path] = call.split(' ', 2);
      return method === op.method && re.test(path ?? '');
    });
  });
  const covered = model.operations.length - missing.length;
  const percent = model.operations.length ? (100 * covered) / model.operations.length : 100;
  if (min !== undefined && percent < min) below++;
  rows.push(`${p.name.padEnd(12)} ${String(covered).padStart(3)} / ${String(model.operations.length).padEnd(3)} ${percent.toFixed(1).padStart(6)} %`);
  for (const op of missing) rows.push(`${''.padEnd(12)}   not called: ${op.id} (${op.method} ${op.path})`);
}
console.log(`spec         called / declared\n${rows.join('\n')}`);
if (below) {
  console.error(`\n${below} spec${below === 1 ? ' is' : 's are'} below ${min} % operation coverage (run the tests first: pnpm turbo run test)`);
  process.exit(1);
}

