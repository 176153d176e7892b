// pnpm size:check — fails when a package's minified+gzipped size passes its budget in
// bench/size-budget.json. Budgets are set from measured sizes with headroom; raise one on purpose,
// in the same commit as the change that needs it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allProviders } from '../scripts/lib/providers.js';
import { packageSize } from './size.js';

const budgets = JSON.parse(readFileSync(join(import.meta.dirname, 'size-budget.json'), 'utf8')) as Record<string, { ownGzip: number; bundleGzip: number; inlinedGzip: number }>;
const packages = [{ name: 'core', factory: 'Runtime' }, ...allProviders().map((p) => ({ name: p.name, factory: `create${p.typeName}Client` }))];
let over = 0;
for (const { name, factory } of packages) {
  const size = await packageSize(name, factory);
  const budget = budgets[size.package];
  if (!budget) {
    over++;
    console.error(`✗ ${size.package}: no budget in bench/size-budget.json (now ${size.ownGzip} B own, ${size.bundleGzip} B bundled, ${size.inlinedGzip} B inlined, gzip)`);
    continue;
  }
  const fits = size.ownGzip <= budget.ownGzip && size.bundleGzip <= budget.bundleGzip && size.inlinedGzip <= budget.inlinedGzip;
  if (!fits) over++;
  console.log(
    `${fits ? '✓' : '✗'} ${size.package.padEnd(26)} own ${String(size.ownGzip).padStart(6)} / ${budget.ownGzip} B   bundled ${String(size.bundleGzip).padStart(6)} / ${budget.bundleGzip} B   inlined ${String(size.inlinedGzip).padStart(6)} / ${budget.inlinedGzip} B (gzip)`,
  );
}
process.exit(over ? 1 : 0);
