import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../lib/spec-check.js';
import { provider } from '../lib/providers.js';
import { bumpFor, diffSpecs, type Level, RULES, type RuleId } from '../lib/spec-diff.js';
import { diffSurface } from '../lib/surface-diff.js';

type Json = any;
const FIXTURE_PATH = join(import.meta.dirname, 'fixtures', 'widgets.yaml');
const base: Json = parseSpec(FIXTURE_PATH);
// Give the base a response-only schema and a request-only schema, so that each direction can change alone.
base.components.schemas.Receipt = { type: 'object', required: ['id', 'state'], properties: { id: { type: 'string' }, state: { type: 'string', enum: ['ok', 'queued'] }, note: { type: 'string' } } };
base.components.schemas.Order = {
  type: 'object',
  required: ['sku'],
  properties: {
    sku: { type: 'string', maxLength: 20 },
    qty: { type: 'integer', minimum: 1 },
    colour: { type: 'string', enum: ['red', 'blue'] },
    when: { type: 'string', nullable: true },
    pay: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
  },
};
base.paths['/orders'] = {
  post: {
    operationId: 'createOrder',
    'x-sdk-method': 'order',
    tags: ['widgets'],
    summary: 'Order',
    requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' }, example: { sku: 'a' } } } },
    responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Receipt' }, example: { id: 'r', state: 'ok' } } } } },
  },
};

const listParams = (d: Json) => d.paths['/widgets'].get.parameters as Json[];
const order = (d: Json) => d.components.schemas.Order;
const receipt = (d: Json) => d.components.schemas.Receipt;

const cases: [RuleId, (d: Json) => void, Level][] = [
  ['operation-removed', (d) => delete d.paths['/orders'], 'breaking'],
  ['operation-added', (d) => (d.paths['/orders'].get = { ...structuredClone(d.paths['/orders'].post), operationId: 'getOrder', 'x-sdk-method': 'getOrder', requestBody: undefined }), 'additive'],
  ['method-renamed', (d) => (d.paths['/orders'].post['x-sdk-method'] = 'placeOrder'), 'breaking'],
  ['operation-id-changed', (d) => (d.paths['/orders'].post.operationId = 'placeOrder'), 'breaking'],
  ['parameter-removed', (d) => listParams(d).splice(2, 1), 'breaking'],
  ['parameter-added-required', (d) => listParams(d).push({ name: 'shop', in: 'query', required: true, schema: { type: 'string' } }), 'breaking'],
  ['parameter-added-optional', (d) => listParams(d).push({ name: 'shop', in: 'query', schema: { type: 'string' } }), 'additive'],
  ['parameter-made-required', (d) => (listParams(d)[1].required = true), 'breaking'],
  ['parameter-made-optional', () => {}, 'additive'], // filled below from a required parameter
  ['parameter-encoding-changed', (d) => Object.assign(listParams(d)[1], { style: 'deepObject' }), 'breaking'],
  ['body-removed', (d) => delete d.paths['/orders'].post.requestBody, 'breaking'],
  ['body-made-optional', (d) => (d.paths['/orders'].post.requestBody.required = false), 'additive'],
  ['media-type-changed', (d) => {
    const content = d.paths['/orders'].post.requestBody.content;
    content['application/vnd.acme+json'] = content['application/json'];
    delete content['application/json'];
  }, 'breaking'],
  ['success-response-removed', (d) => {
    const r = d.paths['/orders'].post.responses;
    r['201'] = r['200'];
    delete r['200'];
  }, 'breaking'],
  ['error-response-changed', (d) => (d.paths['/orders'].post.responses['404'] = { description: 'no such shop' }), 'docs'],
  ['type-narrowed', (d) => (order(d).properties.qty.type = 'string'), 'breaking'],
  ['type-widened', (d) => (order(d).properties.qty.type = 'number'), 'additive'],
  ['type-changed', (d) => (receipt(d).properties.note.type = 'integer'), 'breaking'],
  ['enum-value-removed', (d) => (order(d).properties.colour.enum = ['red']), 'breaking'],
  ['enum-value-added-request', (d) => order(d).properties.colour.enum.push('green'), 'additive'],
  ['enum-value-added-response', (d) => receipt(d).properties.state.enum.push('failed'), 'additive'],
  ['enum-added-request', (d) => (order(d).properties.sku.enum = ['a', 'b']), 'breaking'],
  ['enum-dropped-request', (d) => delete order(d).properties.colour.enum, 'additive'],
  ['enum-added-response', (d) => (receipt(d).properties.note.enum = ['x']), 'additive'],
  ['enum-dropped-response', (d) => delete receipt(d).properties.state.enum, 'breaking'],
  ['property-removed', (d) => delete receipt(d).properties.note, 'breaking'],
  ['property-added-required-request', (d) => {
    order(d).properties.shop = { type: 'string' };
    order(d).required.push('shop');
  }, 'breaking'],
  ['property-added-optional-request', (d) => (order(d).properties.shop = { type: 'string' }), 'additive'],
  ['property-added-response', (d) => (receipt(d).properties.eta = { type: 'string' }), 'additive'],
  ['property-made-required-request', (d) => order(d).required.push('qty'), 'breaking'],
  ['property-made-optional-request', (d) => (order(d).required = []), 'additive'],
  ['property-made-optional-response', (d) => (receipt(d).required = ['id']), 'breaking'],
  ['property-made-required-response', (d) => receipt(d).required.push('note'), 'additive'],
  ['nullable-request-removed', (d) => delete order(d).properties.when.nullable, 'breaking'],
  ['nullable-response-added', (d) => (receipt(d).properties.note.nullable = true), 'breaking'],
  ['nullable-relaxed', (d) => (order(d).properties.sku.nullable = true), 'additive'],
  ['constraint-tightened', (d) => (order(d).properties.sku.maxLength = 10), 'breaking'],
  ['constraint-relaxed', (d) => (order(d).properties.qty.minimum = 0), 'additive'],
  ['response-constraint-changed', (d) => (receipt(d).properties.note.maxLength = 100), 'docs'],
  ['composition-changed', (d) => order(d).properties.pay.oneOf.pop(), 'breaking'],
  ['security-changed', (d) => (d.paths['/orders'].post.security = []), 'breaking'],
  ['security-scheme-added', (d) => (d.components.securitySchemes.apiKey = { type: 'apiKey', in: 'header', name: 'X-Key' }), 'additive'],
  ['server-changed', (d) => (d.servers[0].url = 'https://widgets.example.test/api/v2'), 'breaking'],
  ['pagination-removed', (d) => delete d.paths['/widgets'].get['x-pagination'], 'breaking'],
  ['pagination-changed', (d) => (d.paths['/widgets'].get['x-pagination'].total = 'count'), 'breaking'],
  ['envelope-changed', (d) => (d['x-envelope'] = { result: 'data' }), 'breaking'],
  ['idempotency-changed', (d) => (d.paths['/orders'].post['x-idempotent'] = true), 'docs'],
  [
    'schema-removed',
    (d) => {
      delete d.components.schemas.Filter;
      listParams(d)[2].content['application/json'].schema = { type: 'object' };
    },
    'breaking',
  ],
  ['schema-added', (d) => (d.components.schemas.Unused = { type: 'string' }), 'additive'],
  ['documentation', (d) => (d.paths['/orders'].post.description = 'Places an order.'), 'docs'],
];

describe('spec diff rules: one spec pair per rule', () => {
  // A base where the first list parameter is required, so that making it optional can be tested.
  const requiredBase = structuredClone(base);
  listParams(requiredBase)[0].required = true;

  for (const [rule, mutate, level] of cases) {
    it(`${rule} → ${level}`, () => {
      const before = rule === 'parameter-made-optional' ? requiredBase : base;
      const after = structuredClone(before);
      if (rule === 'parameter-made-optional') listParams(after)[0].required = false;
      else mutate(after);
      const diff = diffSpecs(before, after);
      expect(diff.changes.map((c) => c.rule)).toContain(rule);
      expect(RULES[rule].level).toBe(level);
      expect(diff.level).toBe(level);
    });
  }

  // Pairs where the base is the newer side: `mutate` builds the older spec.
  const reversed: [RuleId, (d: Json) => void, Level][] = [
    ['body-added-required', (d) => delete d.paths['/orders'].post.requestBody, 'breaking'],
    ['body-added-optional', (d) => delete d.paths['/orders'].post.requestBody, 'additive'],
    ['body-made-required', (d) => (d.paths['/orders'].post.requestBody.required = false), 'breaking'],
    ['success-response-added', (d) => (d.paths['/orders'].post.responses['202'] = { description: 'queued' }), 'breaking'],
    ['pagination-added', (d) => delete d.paths['/widgets'].get['x-pagination'], 'additive'],
  ];
  for (const [rule, mutateOld, level] of reversed) {
    it(`${rule} → ${level}`, () => {
      const before = structuredClone(base);
      mutateOld(before);
      const after = structuredClone(base);
      if (rule === 'body-added-optional') after.paths['/orders'].post.requestBody.required = false;
      if (rule === 'success-response-added') {
        before.paths['/orders'].post.responses = { '202': before.paths['/orders'].post.responses['202'] };
        after.paths['/orders'].post.responses['202'] = { description: 'queued' };
      }
      const diff = diffSpecs(before, after);
      expect(diff.changes.map((c) => c.rule)).toContain(rule);
      expect(diff.level).toBe(level);
    });
  }

  it('covers every rule of the table', () => {
    const tested = new Set<RuleId>([...cases, ...reversed].map(([rule]) => rule));
    for (const rule of SURFACE_RULES) tested.add(rule);
    expect((Object.keys(RULES) as RuleId[]).filter((r) => !tested.has(r))).toEqual([]);
  });

  it('reverses: what is additive one way is breaking or additive the other way, never docs', () => {
    for (const [rule, mutate] of cases.filter(([, , level]) => level === 'additive')) {
      if (rule === 'parameter-made-optional') continue;
      const after = structuredClone(base);
      mutate(after);
      expect(diffSpecs(after, base).level, rule).not.toBe('docs');
    }
  });

  it('finds no change between a spec and itself', () => {
    expect(diffSpecs(base, structuredClone(base))).toEqual({ level: 'none', changes: [] });
  });

  it('maps levels to bumps, 0.x taking breaking changes in its minor', () => {
    expect([bumpFor('breaking', '0.4.1'), bumpFor('breaking', '1.0.0'), bumpFor('additive', '0.1.0'), bumpFor('docs', '2.3.4'), bumpFor('none', '1.0.0')]).toEqual([
      'minor',
      'major',
      'minor',
      'patch',
      'none',
    ]);
  });
});

describe('pnpm changeset:spec and changeset:check', () => {
  const ROOT = join(import.meta.dirname, '..', '..');
  const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

  function repo(version: string) {
    const dir = mkdtempSync(join(tmpdir(), 'provider-sdk-changes-'));
    const sh = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    mkdirSync(join(dir, 'specs'));
    mkdirSync(join(dir, 'packages', 'widgets'), { recursive: true });
    mkdirSync(join(dir, '.changeset'));
    writeFileSync(join(dir, 'specs', 'widgets.yaml'), readFileSync(FIXTURE_PATH, 'utf8'));
    writeFileSync(join(dir, 'packages', 'widgets', 'package.json'), JSON.stringify({ name: '@provider-sdk/widgets', version }));
    sh('init', '-q', '-b', 'main');
    sh('-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '-A');
    sh('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'release');
    sh('tag', `@provider-sdk/widgets@${version}`);
    return dir;
  }

  function changes(dir: string, ...args: string[]) {
    try {
      const out = execFileSync(TSX, [join(ROOT, 'scripts', 'spec-changes.ts'), ...args], { env: { ...process.env, PROVIDER_SDK_WORKSPACE: dir }, encoding: 'utf8', stdio: 'pipe' });
      return { code: 0, out };
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      return { code: err.status, out: `${err.stdout}${err.stderr}` };
    }
  }

  it('requires a minor changeset for a breaking change in 0.x, writes it, then passes', () => {
    const dir = repo('0.3.0');
    try {
      const spec = join(dir, 'specs', 'widgets.yaml');
      writeFileSync(spec, readFileSync(spec, 'utf8').replace('        - name: limit\n          in: query\n          schema:\n            type: integer\n', ''));
      const check = changes(dir, 'check');
      expect(check.code).toBe(1);
      expect(check.out).toContain('@provider-sdk/widgets needs a minor changeset, has none');
      expect(check.out).toMatch(/breaking\s+parameter-removed\s+GET \/widgets query\.limit/);

      const written = changes(dir, 'changeset');
      expect(written.code, written.out).toBe(0);
      const changeset = readFileSync(join(dir, '.changeset', 'spec-widgets.md'), 'utf8');
      expect(changeset).toContain('"@provider-sdk/widgets": minor');
      expect(changeset).toContain('- breaking: a parameter was removed: `GET /widgets query.limit`');
      expect(changes(dir, 'check').code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('requires a major changeset after 1.0, and a patch one is not enough', () => {
    const dir = repo('1.2.0');
    try {
      const spec = join(dir, 'specs', 'widgets.yaml');
      // Widget loses its `name`: requests and responses both lose a property.
      writeFileSync(spec, readFileSync(spec, 'utf8').replace('          readOnly: true\n        name:\n          type: string\n', '          readOnly: true\n'));
      writeFileSync(join(dir, '.changeset', 'tidy.md'), '---\n"@provider-sdk/widgets": patch\n---\n\nTidy.\n');
      const check = changes(dir, 'check');
      expect(check.code).toBe(1);
      expect(check.out).toContain('needs a major changeset, has only patch');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks only for a patch when only documentation changed, and nothing for an unreleased package', () => {
    const dir = repo('1.0.0');
    try {
      const spec = join(dir, 'specs', 'widgets.yaml');
      writeFileSync(spec, readFileSync(spec, 'utf8').replace('summary: List widgets', 'summary: List every widget'));
      expect(changes(dir, 'diff').out).toContain('widgets: docs since @provider-sdk/widgets@1.0.0 → patch');
      expect(changes(dir, 'check').out).toContain('needs a patch changeset, has none');
      writeFileSync(join(dir, 'packages', 'widgets', 'package.json'), JSON.stringify({ name: '@provider-sdk/widgets', version: '0.1.0' }));
      const unreleased = changes(dir, 'check');
      expect(unreleased.code).toBe(0);
      expect(unreleased.out).toContain('unreleased (0.1.0, no tag @provider-sdk/widgets@0.1.0)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Rules that come from the generated surface, tested below. */
const SURFACE_RULES: RuleId[] = ['surface-call-breaks', 'surface-result-changed'];

describe('the generated surface: a change that breaks a caller at the type level is breaking', () => {
  const widgets = provider('widgets');
  const surfaceBase: Json = structuredClone(base);
  surfaceBase.paths['/widgets/{id}'] = {
    get: {
      operationId: 'getWidget',
      'x-sdk-method': 'get',
      tags: ['widgets'],
      summary: 'One widget',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' }, example: { id: 'w', name: 'n' } } } } },
    },
  };
  surfaceBase.paths['/orders'].get = {
    operationId: 'listOrders',
    'x-sdk-method': 'orders',
    tags: ['widgets'],
    summary: 'Orders',
    parameters: [
      { name: 'offset', in: 'query', schema: { type: 'integer' } },
      { name: 'limit', in: 'query', schema: { type: 'integer' } },
    ],
    responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/WidgetPage' }, example: { items: [], total: 0 } } } } },
  };

  it('adding the first optional query parameter moves nothing (the positional surface broke here): additive', async () => {
    const after = structuredClone(surfaceBase);
    after.paths['/widgets/{id}'].get.parameters.push({ name: 'include', in: 'query', schema: { type: 'string' } });
    const diff = diffSpecs(surfaceBase, after);
    expect(diff.changes.map((c) => c.rule)).toEqual(['parameter-added-optional']);
    expect(await diffSurface(widgets, surfaceBase, after)).toEqual([]);
  });

  it('a previously optional parameter made required breaks every call that left it out', async () => {
    const after = structuredClone(surfaceBase);
    after.paths['/widgets'].get.parameters[2].required = true;
    expect(diffSpecs(surfaceBase, after).changes.map((c) => c.rule)).toContain('parameter-made-required');
    const breaks = await diffSurface(widgets, surfaceBase, after);
    expect(breaks).toEqual([expect.objectContaining({ method: 'widgets.list', kind: 'call' })]);
  });

  it('paging added to a list is additive by the spec rules, but changes what the method resolves: breaking', async () => {
    const after = structuredClone(surfaceBase);
    after.paths['/orders'].get['x-pagination'] = { style: 'offset', offset: 'offset', limit: 'limit', items: 'items', total: 'total' };
    const diff = diffSpecs(surfaceBase, after);
    expect(diff.level).toBe('additive');
    const breaks = await diffSurface(widgets, surfaceBase, after);
    expect(breaks).toEqual([expect.objectContaining({ method: 'widgets.orders', kind: 'result' })]);
  });
});
