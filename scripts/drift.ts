// pnpm drift <provider> <report.json>
// Prints a drift report (from `client.drift()` with validateResponses 'warn', or `pnpm contract
// --report`) as a readable summary with a proposed spec change per drift. Never changes the spec.
import { existsSync, readFileSync } from 'node:fs';
import { parseDriftReport, summarise } from './lib/drift-report.js';
import { provider, VALID_PROVIDER_NAME } from './lib/providers.js';
import { parseSpec } from './lib/spec-check.js';

const [name, file, ...rest] = process.argv.slice(2);
if (!name || !file || rest.length || !VALID_PROVIDER_NAME.test(name)) {
  console.error('usage: pnpm drift <provider> <report.json>');
  process.exit(2);
}
const p = provider(name);
if (!existsSync(file)) {
  console.error(`no such file: ${file}`);
  process.exit(2);
}
let report: ReturnType<typeof parseDriftReport>;
try {
  report = parseDriftReport(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`${file}: ${(error as Error).message}`);
  process.exit(2);
}
const specFile = `specs/${p.name}.yaml`;
if (report.spec && report.spec.file !== specFile) console.warn(`note: the report is of ${report.spec.file}, not ${specFile}`);
const doc = existsSync(p.specPath) ? parseSpec(p.specPath) : undefined;
if (doc && report.spec && String(doc.info?.version) !== report.spec.version) {
  console.warn(`note: the report was made against version ${report.spec.version}; ${specFile} is now ${doc.info?.version}`);
}
console.log(summarise(report, doc));
