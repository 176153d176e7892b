// Compare one of our specs with a provider's official OpenAPI document, fact by fact.
//   pnpm spec:compare <provider> <official.json|official.yaml|https://...>
// <provider> names specs/<provider>.yaml (or is a path to a spec file). The official document may be
// Swagger 2.0 or OpenAPI 3.x, JSON or YAML, a local file or an http(s) URL. Prints, per category, the
// official facts our spec matches, and every difference; differences our spec explains with
// `x-observed` show as "kept: observed quirk". Informational, not part of CI: exits 0 whenever it
// ran, 2 on bad usage or an unreadable document.
import { existsSync, readFileSync } from 'node:fs';
import { provider, rel, VALID_PROVIDER_NAME } from './lib/providers.js';
import { compareSpecs, formatComparison, loadDocument, parseDocument } from './lib/spec-compare.js';

const USAGE = 'usage: pnpm spec:compare <provider | path/to/spec.yaml> <official document: path or http(s) URL, JSON or YAML>';

function fail(message: string): never {
  process.stderr.write(`spec:compare: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (args.length !== 2) fail(`expected 2 arguments, got ${args.length}`);
  const [name, source] = args as [string, string];
  const isPath = /[\\/]|\.(ya?ml|json)$/i.test(name);
  if (!isPath && !VALID_PROVIDER_NAME.test(name)) fail(`not a provider name: ${JSON.stringify(name)}`);
  const specPath = isPath ? name : provider(name).specPath;
  if (!existsSync(specPath)) fail(`no spec at ${isPath ? specPath : rel(specPath)}`);

  let ours: unknown;
  let official: unknown;
  try {
    ours = parseDocument(readFileSync(specPath, 'utf8'), specPath);
  } catch (error) {
    fail((error as Error).message);
  }
  try {
    official = await loadDocument(source);
  } catch (error) {
    fail(`cannot read the official document: ${(error as Error).message}`);
  }
  const comparison = compareSpecs(ours, official);
  process.stdout.write(formatComparison(comparison, { ours: isPath ? specPath : rel(specPath), official: source }));
}

await main();
