import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { compareSpecs, type Difference, parseDocument } from '../lib/spec-compare.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(import.meta.dirname, 'fixtures');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const OURS = join(FIXTURES, 'compare-ours.yaml');
const OFFICIAL = join(FIXTURES, 'compare-official.json');
const run = promisify(execFile);

const load = (path: string) => parseDocument(readFileSync(path, 'utf8'), path);
const brief = (d: Difference) => `${d.kept ? 'kept' : d.kind} ${d.category} ${d.where}: ${d.detail}`;

async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run(TSX, [join(ROOT, 'scripts', 'spec-compare.ts'), ...args]);
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

describe('spec:compare over the fixture pair (ours OpenAPI 3, official Swagger 2 with allOf and $refs)', () => {
  const result = compareSpecs(load(OURS), load(OFFICIAL));

  it('reads both documents and joins the base paths', () => {
    expect(result.official).toMatchObject({ format: 'swagger 2.0', basePath: '/v2', operations: 4 });
    expect(result.ours).toMatchObject({ format: 'openapi 3.0.3', basePath: '/v2', operations: 3 });
  });

  it('counts the official facts ours matches, per category', () => {
    expect(result.counts).toEqual({
      operations: { matched: 3, kept: 0, total: 4 },
      operationIds: { matched: 2, kept: 0, total: 4 },
      parameters: { matched: 3, kept: 0, total: 5 },
      requestBodies: { matched: 3, kept: 0, total: 3 },
      responses: { matched: 21, kept: 3, total: 25 },
      enums: { matched: 8, kept: 0, total: 9 },
    });
  });

  it('lists every difference, the observed quirks as kept', () => {
    expect(result.differences.map(brief)).toEqual([
      'differs parameters GET /v2/widgets query limit: required officially, optional in ours',
      'missing enums GET /v2/widgets query color: value blue not in ours',
      'kept enums GET /v2/widgets 200 content[].state: value Retired not in the official document',
      'kept responses GET /v2/widgets 200 content[].label: required officially, optional in ours',
      'kept enums POST /v2/widgets 201 state: value Retired not in the official document',
      'kept responses POST /v2/widgets 201 label: required officially, optional in ours',
      'differs operationIds GET /v2/widgets/{id}: official fetchWidget, ours getWidget',
      'kept enums GET /v2/widgets/{id} 200 state: value Retired not in the official document',
      'kept responses GET /v2/widgets/{id} 200 label: required officially, optional in ours',
      'missing operations DELETE /v2/widgets/{id}: not in ours (official operationId deleteWidget)',
    ]);
  });

  it('matches an operation by method and full path whatever the placeholder is called', () => {
    const renamed = load(OURS);
    renamed.paths['/widgets/{widgetId}'] = renamed.paths['/widgets/{id}'];
    delete renamed.paths['/widgets/{id}'];
    renamed.paths['/widgets/{widgetId}'].parameters[0].name = 'widgetId';
    const again = compareSpecs(renamed, load(OFFICIAL));
    expect(again.counts.operations).toEqual({ matched: 3, kept: 0, total: 4 });
    expect(again.differences.filter((d) => d.category === 'parameters').map(brief)).toEqual([
      'differs parameters GET /v2/widgets query limit: required officially, optional in ours',
      'differs parameters GET /v2/widgets/{id} path id: named widgetId in ours',
    ]);
  });

  it('compares request rules and anyOf alternatives in both directions', () => {
    const official = load(OFFICIAL);
    official.definitions.WidgetInput.anyOf = [{ required: ['name'] }, { required: ['color'] }];
    official.definitions.WidgetInput.properties.name.pattern = '^[a-z]+$';
    const again = compareSpecs(load(OURS), official);
    expect(again.differences.filter((d) => d.category === 'requestBodies').map(brief)).toEqual([
      'differs requestBodies POST /v2/widgets request (body): alternatives: official anyOf: color | name, ours (none)',
      'differs requestBodies POST /v2/widgets request name: pattern: official ^[a-z]+$, ours (none)',
    ]);
    expect(again.counts.requestBodies).toEqual({ matched: 1, kept: 0, total: 3 });
  });
});

describe('pnpm spec:compare (the CLI)', () => {
  it('prints the figures and the differences, and exits 0', async () => {
    const { code, out } = await cli(OURS, OFFICIAL);
    expect(code).toBe(0);
    expect(out).toMatch(/^operations\s+3 \/ 4\b/m);
    expect(out).toMatch(/^responses\s+21 \/ 25\b.*\b3\b/m);
    expect(out).toContain('kept: observed quirk  GET /v2/widgets 200 content[].label: required officially, optional in ours');
    expect(out).toContain('DELETE /v2/widgets/{id}: not in ours');
  });

  it('exits 2 on bad usage and on an unreadable document', async () => {
    expect((await cli(OURS)).code).toBe(2);
    const missing = await cli(OURS, join(FIXTURES, 'no-such-document.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read the official document/);
    const notOpenApi = await cli(OURS, join(FIXTURES, '..', '..', 'vitest.config.ts'));
    expect(notOpenApi.code).toBe(2);
    expect((await cli('no-such-provider', OFFICIAL)).code).toBe(2);
  });
});
