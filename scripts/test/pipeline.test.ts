import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = readFileSync(join(import.meta.dirname, 'fixtures', 'widgets.yaml'), 'utf8');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

let workspace: string;

/** Runs a pipeline script against the temporary workspace; never throws, returns exit code and output. */
async function pipeline(script: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(TSX, [join(ROOT, 'scripts', script), ...args], {
      env: { ...process.env, PROVIDER_SDK_WORKSPACE: workspace },
    });
    return { code: 0, out: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function writeSpec(text: string) {
  writeFileSync(join(workspace, 'specs', 'widgets.yaml'), text);
}

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'provider-sdk-pipeline-'));
  process.env.PROVIDER_SDK_WORKSPACE = workspace;
  mkdirSync(join(workspace, 'specs'));
  mkdirSync(join(workspace, 'packages'));
  writeSpec(FIXTURE);
  const scaffold = await pipeline('new-provider.ts', 'widgets', '--title', 'Widgets fixture API', '--no-install');
  expect(scaffold.code, scaffold.out).toBe(0);
});

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('pnpm new-provider', () => {
  it('scaffolds a package wired to its spec, and keeps an existing spec', () => {
    const pkg = join(workspace, 'packages', 'widgets');
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: '@provider-sdk/widgets', version: '0.1.0', dependencies: { '@provider-sdk/core': 'workspace:^' } });
    expect(manifest.scripts.generate).toBe('tsx ../../scripts/generate.ts widgets');
    expect(manifest.exports['./mock'].import.default).toBe('./dist/esm/generated/mock.js');
    expect(manifest.peerDependenciesMeta).toEqual({ msw: { optional: true } });
    expect(readFileSync(join(pkg, 'turbo.json'), 'utf8')).toContain('$TURBO_ROOT$/specs/widgets.yaml');
    expect(readFileSync(join(pkg, 'vitest.config.ts'), 'utf8')).toContain("mocks: ['widgets']");
    expect(readFileSync(join(pkg, 'src', 'index.ts'), 'utf8')).toContain('export function createWidgetsClient');
    expect(readFileSync(join(workspace, 'specs', 'widgets.yaml'), 'utf8')).toBe(FIXTURE);
  });

  it('refuses a bad name and an existing package', async () => {
    expect((await pipeline('new-provider.ts', 'Bad_Name', '--no-install')).code).toBe(2);
    const again = await pipeline('new-provider.ts', 'widgets', '--no-install');
    expect(again.code).toBe(1);
    expect(again.out).toContain('packages/widgets already exists');
  });

  it('writes a template spec that generates cleanly', async () => {
    const scaffold = await pipeline('new-provider.ts', 'acme-billing', '--no-install');
    expect(scaffold.code, scaffold.out).toBe(0);
    const generated = await pipeline('generate.ts', 'acme-billing');
    expect(generated.code, generated.out).toBe(0);
    expect(readFileSync(join(workspace, 'packages', 'acme-billing', 'src', 'generated', 'client.ts'), 'utf8')).toContain('export function createAcmeBillingApi');
    rmSync(join(workspace, 'packages', 'acme-billing'), { recursive: true });
    rmSync(join(workspace, 'specs', 'acme-billing.yaml'));
  });

  it("passes its own contract test right after scaffolding (against a Prism mock of the template spec)", async () => {
    const scaffold = await pipeline('new-provider.ts', 'acme-status', '--no-install');
    expect(scaffold.code, scaffold.out).toBe(0);
    expect((await pipeline('generate.ts', 'acme-status')).code).toBe(0);
    // What `pnpm install` would give it: the repository's tools and core.
    for (const [link, target] of [
      [join(workspace, 'scripts'), join(ROOT, 'scripts')],
      [join(workspace, 'node_modules'), join(ROOT, 'node_modules')],
      [join(workspace, 'packages', 'core'), join(ROOT, 'packages', 'core')],
      [join(workspace, 'tsconfig.base.json'), join(ROOT, 'tsconfig.base.json')],
    ] as const) {
      if (!existsSync(link)) symlinkSync(target, link);
    }
    const pkg = join(workspace, 'packages', 'acme-status');
    const tested = await run(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', pkg], {
      cwd: pkg,
      env: { ...process.env, PROVIDER_SDK_WORKSPACE: workspace },
    }).then(
      (r) => ({ code: 0, out: `${r.stdout}${r.stderr}` }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }),
    );
    expect(tested.code, tested.out).toBe(0);
    // The contract test (Prism) and the mock test (its own ./mock handlers, through msw), one operation each.
    const summary = stripVTControlCharacters(tested.out);
    expect(summary).toMatch(/Test Files\s+2 passed/);
    expect(summary).toMatch(/Tests\s+2 passed/);
    rmSync(pkg, { recursive: true });
    rmSync(join(workspace, 'specs', 'acme-status.yaml'));
  });
});

describe('pnpm generate', () => {
  it('generates types, descriptors, client and README table, byte-identical on every run', async () => {
    writeSpec(FIXTURE);
    const first = await pipeline('generate.ts', 'widgets');
    expect(first.code, first.out).toBe(0);
    const before = snapshot(join(workspace, 'packages', 'widgets'));
    rmSync(join(workspace, 'packages', 'widgets', 'src', 'generated'), { recursive: true });
    const second = await pipeline('generate.ts', 'widgets');
    expect(second.code, second.out).toBe(0);
    expect(snapshot(join(workspace, 'packages', 'widgets'))).toEqual(before);
    const third = await pipeline('generate.ts', 'widgets');
    expect(third.out).toContain('no changes');

    expect(before['README.md']).toContain('| `list({ … }?)` | `GET /widgets` | `listWidgets` | paged List widgets |');
    expect(before['README.md']).toContain('| `create({ body })` | `POST /widgets` | `createWidget` | Create a widget |');
    expect(before['src/generated/client.ts']).toContain('list(params?: WidgetsListParams, options?: RequestOptions): PagePromise<WidgetsListItem, WidgetsListResult, WidgetsListParams>');
    expect(before['src/generated/client.ts']).toContain('export type WidgetsListItem = Widget;');
    expect(before['src/generated/client.ts']).toContain('create(params: WidgetsCreateParams, options?: RequestOptions): ApiPromise<WidgetsCreateResult>');
    expect(before['src/generated/client.ts']).toContain('export type Widget = Schemas[\'Widget\'];');
    expect(before['src/generated/core.ts']).toContain('ProviderSdkError,');
    // ./mock: the spec's examples and the wiring to core's handlers.
    expect(before['src/generated/mock.ts']).toContain('export function createWidgetsMock(options?: MockOptions): ProviderMock<operations>');
    expect(before['src/generated/mock.ts']).toMatch(/listWidgets: \{\n\s+success: '200',/);
  });

  it('types a JSON-content query parameter as its schema and marks it for JSON encoding', () => {
    const schema = readFileSync(join(workspace, 'packages', 'widgets', 'src', 'generated', 'schema.ts'), 'utf8');
    const operations = readFileSync(join(workspace, 'packages', 'widgets', 'src', 'generated', 'operations.ts'), 'utf8');
    expect(schema).toMatch(/filter\?: components\['schemas'\]\['Filter'\];/);
    expect(operations).toContain("{ name: 'filter', in: 'query', json: true, schema: { $ref: '#/components/schemas/Filter' } }");
  });

  it('--check passes on fresh output and names the stale file otherwise', async () => {
    expect((await pipeline('generate.ts', 'widgets', '--check')).code).toBe(0);
    const client = join(workspace, 'packages', 'widgets', 'src', 'generated', 'client.ts');
    writeFileSync(client, `${readFileSync(client, 'utf8')}\n// edited by hand\n`);
    const check = await pipeline('generate.ts', 'widgets', '--check');
    expect(check.code).toBe(1);
    expect(check.out).toContain('generated files are stale: packages/widgets/src/generated/client.ts');
    expect(readFileSync(client, 'utf8')).toContain('// edited by hand');
    await pipeline('generate.ts', 'widgets');
  });

  const broken: [string, (spec: string) => string, RegExp][] = [
    ['bad YAML', (s) => s.replace('  /widgets:\n    get:', '  /widgets:\n   get:\n  - oops'), /specs\/widgets\.yaml:\d+:\d+ error yaml:/],
    ['a broken $ref', (s) => s.replace("$ref: '#/components/schemas/WidgetPage'", "$ref: '#/components/schemas/WidgetPaeg'"), /specs\/widgets\.yaml:\d+:\d+ error no-unresolved-refs: Can't resolve \$ref/],
    ['a missing operationId', (s) => s.replace('      operationId: createWidget\n', ''), /specs\/widgets\.yaml:\d+:\d+ error operation-operationId:/],
    ['an example that contradicts its schema', (s) => s.replace('                total: 1', "                total: 'one'"), /error no-invalid-media-type-examples: Example value must conform to the schema: `total` property type must be integer/],
    ['two tags', (s) => s.replace('      tags: [widgets]\n      summary: List', '      tags: [widgets, more]\n      summary: List'), /error rule\/operation-has-exactly-one-tag/],
    ['a response without an example', (s) => s.replace('              example:\n                id: w-1\n                name: Sprocket\n', ''), /error rule\/response-content-has-example/],
    ['two operations with one method name', (s) => s.replace('x-sdk-method: create', 'x-sdk-method: list'), /error sdk-method-unique: createWidget: method "widgets.list" is also produced by listWidgets/],
    // A missing target is a broken $ref (Redocly); one that resolves to something other than a schema is ours to catch.
    ['an x-json-result that is not a schema', (s) => s.replace('      summary: Create a widget\n', "      summary: Create a widget\n      x-json-result:\n        $ref: '#/components/securitySchemes/bearer'\n"), /error sdk-json-result: createWidget: x-json-result must point at a schema under #\/components\/schemas; #\/components\/securitySchemes\/bearer is not one/],
    ['a pagination naming a missing parameter', (s) => s.replace('        limit: limit\n', '        limit: pageSize\n'), /error sdk-pagination: listWidgets: x-pagination names "pageSize"/],
  ];

  for (const [what, breakIt, reason] of broken) {
    it(`fails on ${what} with the file, the place and the reason, and leaves the package untouched`, async () => {
      writeSpec(FIXTURE);
      const pkg = join(workspace, 'packages', 'widgets');
      const before = snapshot(pkg);
      writeSpec(breakIt(FIXTURE));
      const result = await pipeline('generate.ts', 'widgets');
      writeSpec(FIXTURE);
      expect(result.code).toBe(1);
      expect(result.out).toContain('✗ widgets: specs/widgets.yaml is invalid; packages/widgets was left unchanged');
      expect(result.out).toMatch(reason);
      expect(snapshot(pkg)).toEqual(before);
    });
  }

  it('runs openapi-generator as a second, independent validator and reports its findings', async () => {
    // Called directly: the CLI runs the Redocly ruleset first, which also catches this one.
    // Imported here, after PROVIDER_SDK_WORKSPACE is set, so that paths are reported relative to it.
    const { SpecError, validateWithOpenApiGenerator } = await import('../lib/spec-check.js');
    const file = join(workspace, 'specs', 'widgets.yaml');
    writeSpec(FIXTURE.replace('openapi: 3.0.3', 'openapi: 3.0.3\nwebhooks: {}').replace('      type: http\n      scheme: bearer', '      type: http'));
    let error: unknown;
    try {
      validateWithOpenApiGenerator(file);
    } catch (e) {
      error = e;
    }
    writeSpec(FIXTURE);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as InstanceType<typeof SpecError>).problems).toEqual([
      { file: 'specs/widgets.yaml', rule: 'openapi-generator', message: 'attribute webhooks is unexpected', severity: 'error' },
      { file: 'specs/widgets.yaml', rule: 'openapi-generator', message: 'attribute components.securitySchemes.bearer.scheme is missing', severity: 'error' },
    ]);
    expect(() => validateWithOpenApiGenerator(file)).not.toThrow();
  });

  it('reports a missing spec or package clearly', async () => {
    const missing = await pipeline('generate.ts', 'nosuch');
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('specs/nosuch.yaml');
    expect(existsSync(join(workspace, 'packages', 'nosuch'))).toBe(false);
  });
});
