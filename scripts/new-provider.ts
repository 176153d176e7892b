// pnpm new-provider <name> [--title "Human title"] [--no-install]
// Scaffolds specs/<name>.yaml (unless it exists) and packages/<name>, wired into the workspace:
// package.json, tsconfigs, turbo.json (the spec as the package's own input), vitest config with a
// Prism mock, an every-operation contract test, a demo, a README; then installs and generates.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { provider, rel, ROOT, VALID_PROVIDER_NAME } from './lib/providers.js';

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('-'));
const titleIndex = args.indexOf('--title');
const install = !args.includes('--no-install');
if (!name || !VALID_PROVIDER_NAME.test(name)) {
  console.error('usage: pnpm new-provider <name> [--title "Human title"] [--no-install]\n<name>: lower-case letters, digits and dashes, e.g. acme-billing');
  process.exit(2);
}
const p = provider(name);
if (existsSync(p.packageDir)) {
  console.error(`${rel(p.packageDir)} already exists`);
  process.exit(1);
}
const title = titleIndex !== -1 ? args[titleIndex + 1]! : `${p.typeName} API`;
const vars: Record<string, string> = { name, typeName: p.typeName, title };
const fill = (text: string) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => vars[key] ?? `{{${key}}}`);

const templates = join(ROOT, 'scripts', 'templates', 'provider');
const written: string[] = [];
for (const file of walk(templates)) {
  const target = relative(templates, file).replace(/\.tmpl$/, '');
  if (target === 'spec.yaml') {
    if (existsSync(p.specPath)) continue;
    writeFileSync(p.specPath, fill(readFileSync(file, 'utf8')));
    written.push(rel(p.specPath));
    continue;
  }
  const out = join(p.packageDir, target);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, fill(readFileSync(file, 'utf8')));
  written.push(rel(out));
}
console.log(`created ${written.join(', ')}`);

if (install) {
  execFileSync('pnpm', ['install', '--prefer-offline'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync('pnpm', ['generate', name], { cwd: ROOT, stdio: 'inherit' });
  console.log(`\nnext: describe the API in ${rel(p.specPath)}, run \`pnpm generate ${name}\`, then \`pnpm turbo run test --filter ${p.npmName}\``);
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
