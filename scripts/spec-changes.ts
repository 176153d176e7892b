// Spec change → version bump.
//   pnpm spec:diff [provider ...] [--base <ref>]   what changed in each spec, rule by rule, and its level
//   pnpm changeset:spec [--base <ref>]             write .changeset/spec-<provider>.md for every changed spec
//   pnpm changeset:check [--base <ref>]            fail when a changed spec has no changeset of the level it needs
// The baseline of a package, unless --base names a git ref: its release tag `<npm name>@<version>` (what
// `changeset tag` creates on publish); without a tag, the commit that last changed its version; a package
// still at its first, unpublished version (0.1.0, no tag) has no baseline: nothing to compare against yet.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allProviders, provider, type Provider, rel, WORKSPACE } from './lib/providers.js';
import { parseSpec } from './lib/spec-check.js';
import { type Bump, bumpFor, diffSpecs, type Level, maxLevel, RULES, type SpecDiff } from './lib/spec-diff.js';
import { diffSurface } from './lib/surface-diff.js';

const INITIAL_VERSION = '0.1.0';
const BUMP_ORDER: Record<Bump | 'none', number> = { none: 0, patch: 1, minor: 2, major: 3 };

const [command, ...rest] = process.argv.slice(2);
const baseIndex = rest.indexOf('--base');
const baseRef = baseIndex === -1 ? undefined : rest[baseIndex + 1];
const names = rest.filter((a, i) => !a.startsWith('--') && (baseIndex === -1 || i !== baseIndex + 1));
const providers = names.length ? names.map(provider) : allProviders();

interface Result {
  p: Provider;
  version: string;
  base?: string;
  note?: string;
  diff?: SpecDiff;
  bump: Bump | 'none';
}

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: WORKSPACE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function tryGit(args: string[]): string | undefined {
  try {
    return git(args);
  } catch {
    return undefined;
  }
}

function baselineOf(p: Provider, version: string): { ref?: string; note?: string } {
  if (baseRef) return { ref: baseRef };
  const tag = `${p.npmName}@${version}`;
  if (tryGit(['rev-parse', '-q', '--verify', `refs/tags/${tag}`])) return { ref: tag };
  if (version === INITIAL_VERSION) return { note: `unreleased (${version}, no tag ${tag}): no baseline yet` };
  const commit = tryGit(['log', '-1', '--format=%H', '-G', '"version"', '--', rel(join(p.packageDir, 'package.json'))]);
  return commit ? { ref: commit } : { note: 'no commit changed its version' };
}

async function analyse(p: Provider): Promise<Result> {
  const version = JSON.parse(readFileSync(join(p.packageDir, 'package.json'), 'utf8')).version as string;
  const { ref, note } = baselineOf(p, version);
  if (!ref) return { p, version, note, bump: 'none' };
  const oldText = tryGit(['show', `${ref}:${rel(p.specPath)}`]);
  if (oldText === undefined) return { p, version, base: ref, note: `no ${rel(p.specPath)} at ${ref}: a new package`, bump: 'none' };
  const before = parseSpec(`${ref}:${rel(p.specPath)}`, oldText);
  const after = parseSpec(p.specPath);
  const diff = diffSpecs(before, after);
  // The spec rules, then the generated surface: a change that breaks a caller at the type level is breaking.
  if (diff.level !== 'none') {
    for (const b of await diffSurface(p, before, after)) {
      const rule = b.kind === 'call' ? 'surface-call-breaks' : 'surface-result-changed';
      diff.changes.push({ rule, level: RULES[rule].level, where: b.method, detail: b.detail });
    }
    diff.level = maxLevel(diff.changes.map((c) => c.level));
  }
  return { p, version, base: ref, diff, bump: bumpFor(diff.level, version) };
}

/** The highest bump pending changesets request for each package. */
function pendingBumps(): Map<string, Bump> {
  const dir = join(WORKSPACE, '.changeset');
  const out = new Map<string, Bump>();
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const front = readFileSync(join(dir, file), 'utf8').match(/^---\n([\s\S]*?)\n---/);
    for (const line of front?.[1]?.split('\n') ?? []) {
      const m = line.match(/^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/);
      if (!m) continue;
      const [, name, bump] = m as unknown as [string, string, Bump];
      if (BUMP_ORDER[bump] > BUMP_ORDER[out.get(name) ?? 'none']) out.set(name, bump);
    }
  }
  return out;
}

function describe(r: Result): string {
  if (!r.diff) return `${r.p.name}: ${r.note}`;
  if (r.diff.level === 'none') return `${r.p.name}: no change since ${short(r.base!)}`;
  const lines = [`${r.p.name}: ${r.diff.level} since ${short(r.base!)} → ${r.bump} (version ${r.version})`];
  for (const c of r.diff.changes) lines.push(`  ${c.level.padEnd(8)} ${c.rule.padEnd(32)} ${c.where}${c.detail ? ` (${c.detail})` : ''}`);
  return lines.join('\n');
}

function short(ref: string): string {
  return /^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 10) : ref;
}

function changesetText(r: Result): string {
  const byLevel = (level: Level) => r.diff!.changes.filter((c) => c.level === level);
  const lines = ['---', `"${r.p.npmName}": ${r.bump}`, '---', '', `Spec change in \`specs/${r.p.name}.yaml\` (${r.diff!.level}):`, ''];
  for (const level of ['breaking', 'additive', 'docs'] as const) {
    for (const c of byLevel(level)) lines.push(`- ${level}: ${RULES[c.rule].text}: \`${c.where}\`${c.detail ? ` (${c.detail})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

if (command === 'rules') {
  console.log('| rule | level | meaning |\n| --- | --- | --- |');
  for (const [id, r] of Object.entries(RULES)) console.log(`| \`${id}\` | ${r.level} | ${r.text} |`);
  process.exit(0);
}

// One at a time: each surface comparison runs the TypeScript checker.
const results: Result[] = [];
for (const p of providers) results.push(await analyse(p));
switch (command) {
  case 'diff':
    for (const r of results) console.log(describe(r));
    break;
  case 'changeset': {
    for (const r of results) {
      if (!r.diff || r.bump === 'none') {
        console.log(`${describe(r)}: no changeset written`);
        continue;
      }
      const file = join(WORKSPACE, '.changeset', `spec-${r.p.name}.md`);
      writeFileSync(file, changesetText(r));
      console.log(`wrote ${rel(file)}: ${r.p.npmName} ${r.bump} (${r.diff.level}, ${r.diff.changes.length} changes)`);
    }
    break;
  }
  case 'check': {
    const pending = pendingBumps();
    let failures = 0;
    for (const r of results) {
      const have = pending.get(r.p.npmName) ?? 'none';
      if (BUMP_ORDER[have] < BUMP_ORDER[r.bump]) {
        failures++;
        console.error(`✗ ${describe(r)}\n  ${r.p.npmName} needs a ${r.bump} changeset, has ${have === 'none' ? 'none' : `only ${have}`}: run \`pnpm changeset:spec\``);
      } else {
        console.log(`✓ ${r.diff ? `${r.p.name}: ${r.diff.level === 'none' ? 'unchanged' : `${r.diff.level} → needs ${r.bump}, has ${have}`}` : describe(r)}`);
      }
    }
    if (failures) process.exit(1);
    break;
  }
  default:
    console.error('usage: spec-changes.ts diff|changeset|check|rules [provider ...] [--base <ref>]');
    process.exit(2);
}

