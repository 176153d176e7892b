// pnpm docs:build [--out site]   (not `pnpm docs`: that is a pnpm command of its own)
// Builds a static, offline-browsable site: for every package an HTML API reference of its spec
// (Redocly build-docs, with Redoc inlined so that it needs no CDN) and its README rendered to HTML,
// plus an index listing every package with its install line, auth, operation count and stability.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { marked } from 'marked';
import { allProviders, type Provider, ROOT } from './lib/providers.js';
import { parseSpec } from './lib/spec-check.js';
import { type ApiModel, buildModel } from './lib/spec-model.js';

type Json = any;

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(ROOT, outIndex === -1 ? 'site' : args[outIndex + 1]!);

export interface PackageSummary {
  p: Provider;
  model: ApiModel;
  auth: string;
  stability: string;
  stable: boolean;
}

function authSummary(model: ApiModel): string {
  const describe = (name: string): string => {
    const s: Json = model.securitySchemes[name];
    if (!s) return name;
    if (s.type === 'http') return s.scheme === 'basic' ? 'HTTP Basic' : `${String(s.scheme).replace(/^./, (c: string) => c.toUpperCase())} token`;
    if (s.type === 'oauth2') return 'OAuth2 client credentials';
    if (s.type === 'apiKey') return `\`${s.name}\` in the ${s.in}`;
    return s.type;
  };
  const sets = new Map<string, string[]>();
  for (const op of model.operations) for (const set of op.security) sets.set(set.join('+'), set);
  const described = [...sets.values()].map((set) => (set.length ? set.map(describe).join(' + ') : 'none'));
  // Several schemes sharing one parameter name (Kandy's `key`) read alike: name the schemes instead.
  if (new Set(described).size < described.length) {
    const places = [...new Set([...sets.values()].flat().map((n) => model.securitySchemes[n]?.in).filter(Boolean))];
    const names = [...sets.values()].map((set) => set.map((n) => `\`${n}\``).join(' + '));
    return `per operation, one of: ${names.join(', ')}${places.length === 1 ? ` (all in the ${places[0]})` : ''}`;
  }
  return described.join('; or ') || 'none';
}

function stabilityOf(model: ApiModel): { stability: string; stable: boolean } {
  const marked = model.operations.filter((o) => o.stability);
  if (marked.length === 0) return { stability: 'stable', stable: true };
  const kinds = [...new Set(marked.map((o) => o.stability!))].join(', ');
  return marked.length === model.operations.length
    ? { stability: `${kinds}: every operation; unstable, may change without notice`, stable: false }
    : { stability: `${marked.length} of ${model.operations.length} operations ${kinds}`, stable: true };
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:.5rem;text-align:left;vertical-align:top}
code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}pre code{display:block;padding:.75rem;overflow:auto}
.unstable{color:#9a3412;font-weight:600}nav a{margin-right:1rem}`;

function page(title: string, body: string, nav = ''): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>${nav}${body}</body></html>\n`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function inline(markdown: string): string {
  return marked.parseInline(markdown, { async: false }) as string;
}

export function summarize(p: Provider): PackageSummary {
  const model = buildModel(parseSpec(p.specPath), p.name);
  return { p, model, auth: authSummary(model), ...stabilityOf(model) };
}

function buildReference(s: PackageSummary, dir: string): void {
  const run = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'redocly'),
    ['build-docs', s.p.specPath, '--inlineBundle', '--title', `${s.model.title}: ${s.p.npmName}`, '-o', join(dir, 'reference.html')],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
  );
  if (run.status !== 0) throw new Error(`redocly build-docs failed for ${s.p.name}:\n${run.stdout}\n${run.stderr}`);
}

function buildReadme(s: PackageSummary, dir: string): void {
  const markdown = readFileSync(join(s.p.packageDir, 'README.md'), 'utf8').replace(/<!-- (BEGIN|END) GENERATED API[^>]*-->/g, '');
  const nav = `<nav><a href="../index.html">All packages</a><a href="reference.html">API reference</a></nav>`;
  writeFileSync(join(dir, 'index.html'), page(s.p.npmName, marked.parse(markdown, { async: false }) as string, nav));
}

function buildIndex(summaries: PackageSummary[]): string {
  const rows = summaries.map(
    (s) => `<tr data-package="${s.p.npmName}">
  <td><strong>${s.p.npmName}</strong><br>${escapeHtml(s.model.title)}</td>
  <td><code>npm i ${s.p.npmName}</code></td>
  <td>${inline(s.auth)}</td>
  <td class="operations">${s.model.operations.length}</td>
  <td class="${s.stable ? 'stable' : 'unstable'}">${escapeHtml(s.stability)}</td>
  <td><a href="${s.p.name}/index.html">README</a> · <a href="${s.p.name}/reference.html">API reference</a></td>
</tr>`,
  );
  const total = summaries.reduce((n, s) => n + s.model.operations.length, 0);
  return page(
    'provider-sdk: API reference',
    `<h1>provider-sdk</h1>
<p>Typed TypeScript clients for the provisioning APIs of cloud resellers and managed service providers: one package per API, generated from a hand-written OpenAPI spec, on the shared runtime <code>@provider-sdk/core</code>. ${summaries.length} packages, ${total} operations.</p>
<table id="packages"><thead><tr><th>Package</th><th>Install</th><th>Authentication</th><th>Operations</th><th>Stability</th><th>Docs</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const summaries = allProviders().map(summarize);
  for (const s of summaries) {
    const dir = join(out, s.p.name);
    mkdirSync(dir, { recursive: true });
    buildReference(s, dir);
    buildReadme(s, dir);
    console.log(`✓ ${s.p.name}: reference and README (${s.model.operations.length} operations)`);
  }
  writeFileSync(join(out, 'index.html'), buildIndex(summaries));
  console.log(`built ${out}/index.html in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
