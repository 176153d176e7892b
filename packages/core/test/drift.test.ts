import { afterEach, describe, expect, it } from 'vitest';
import { findDrifts } from '../src/drift-walk.js';
import { ResponseValidationError, VALIDATE_RESPONSES_VARIABLE } from '../src/drift.js';
import { Runtime } from '../src/runtime.js';
import type { ApiSpec, SchemaSpec } from '../src/spec.js';
import { capturingLogger, json, startServer, type TestServer } from '../../../scripts/testing/kit.js';

const schemas: Record<string, SchemaSpec> = {
  Thing: {
    type: 'object',
    required: ['id', 'kind'],
    properties: {
      id: { type: 'integer' },
      kind: { type: 'string', enum: ['a', 'b'] },
      note: { type: 'string', nullable: true },
      secret: { type: 'string', writeOnly: true },
      tags: { type: 'array', items: { type: 'string' } },
      meta: { type: 'object' },
      extra: { type: 'object', properties: { x: { type: 'number' } }, additionalProperties: { type: 'string' } },
    },
  },
  Named: { allOf: [{ $ref: '#/components/schemas/Thing' }, { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }] },
  Shape: { oneOf: [{ type: 'object', required: ['r'], properties: { r: { type: 'number' } } }, { type: 'object', required: ['w', 'h'], properties: { w: { type: 'number' }, h: { type: 'number' } } }] },
};
const ref = (name: string): SchemaSpec => ({ $ref: `#/components/schemas/${name}` });
const drifts = (value: unknown, schema: SchemaSpec) => findDrifts(value, schema, schemas).map((d) => `${d.kind} ${d.path}: ${d.expected} / ${d.received}${d.schema ? ` in ${d.schema}` : ''}`);

describe('the drift walker', () => {
  it('finds nothing in a conforming answer, writeOnly and nullable properties included', () => {
    expect(drifts({ id: 1, kind: 'a', note: null, tags: ['x'], meta: { anything: 1 }, extra: { x: 1.5, y: 'z' } }, ref('Thing'))).toEqual([]);
  });

  it('reports breaks (missing, type, enum, null) and additions, once per path across array items', () => {
    const answer = [
      { id: '1', kind: 'c', tags: [1], color: 'red', extra: { y: 2 } },
      { id: '2', kind: null, note: 3, color: 'blue' },
      { kind: 'a' },
    ];
    expect(drifts(answer, { type: 'array', items: ref('Thing') })).toEqual([
      'break $[*].id: integer / string in Thing',
      'break $[*].kind: one of "a", "b" / "c" in Thing',
      'break $[*].tags[*]: string / integer in Thing',
      'addition $[*].color: no such property / string in Thing',
      'break $[*].extra.y: string / integer in Thing',
      'break $[*].kind: one of "a", "b" (not nullable) / null in Thing',
      'break $[*].note: string / integer in Thing',
      'break $[*].id: integer / missing in Thing',
    ]);
  });

  it('merges allOf parts, and judges oneOf by the closest branch', () => {
    expect(drifts({ id: 1, kind: 'a' }, ref('Named'))).toEqual(['break $.name: string / missing in Named']);
    expect(drifts({ id: 1, kind: 'a', name: 'n', more: true }, ref('Named'))).toEqual(['addition $.more: no such property / boolean in Named']);
    expect(drifts({ w: 1, h: 2 }, ref('Shape'))).toEqual([]);
    expect(drifts({ w: 1, h: 'tall' }, ref('Shape'))).toEqual(['break $.h: number / string in Shape']);
    expect(drifts('round', ref('Shape'))).toEqual(['break $: object / string in Shape']);
  });

  it('names a property that is no identifier in brackets, and shortens long enum values', () => {
    const found = findDrifts({ id: 1, kind: 'x'.repeat(100), 'odd-name': 1 }, ref('Thing'), schemas);
    expect(found.map((d) => d.path)).toEqual(['$.kind', '$["odd-name"]']);
    expect(found[0]!.received.length).toBeLessThanOrEqual(40);
  });
});

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  delete process.env[VALIDATE_RESPONSES_VARIABLE];
});

function api(responses?: ApiSpec['responses']): ApiSpec {
  return {
    provider: 'Test',
    spec: { file: 'specs/test.yaml', version: '1.0.0' },
    servers: [{ url: 'http://localhost' }],
    securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'x-key' } },
    schemas: {},
    operations: { getThing: { id: 'getThing', method: 'GET', path: '/thing', security: [['key']], jsonStatuses: ['200'] } },
    ...(responses ? { responses } : {}),
  };
}
const thingResponses: ApiSpec['responses'] = async () => ({ operations: { getThing: { '2XX': ref('Thing') } }, schemas });

describe('validateResponses on a client', () => {
  it('scrubs secrets from paths and values, and takes its default from PROVIDER_SDK_VALIDATE_RESPONSES', async () => {
    const key = 'sk-live-0123456789';
    server = await startServer((_req, res) => json(res, 200, { id: 1, kind: key, [key]: 1 }));
    process.env[VALIDATE_RESPONSES_VARIABLE] = 'WARN';
    const log = capturingLogger();
    const rt = new Runtime(api(thingResponses), { baseUrl: server.url, credentials: { key }, logger: log.logger });
    await rt.call(rt.api.operations.getThing!);
    const report = rt.drift();
    expect(report.drifts.map((d) => [d.kind, d.path, d.received])).toEqual([
      ['break', '$.kind', '"[REDACTED]"'],
      ['addition', '$["[REDACTED]"]', 'integer'],
    ]);
    expect(JSON.stringify(report) + log.text()).not.toContain(key);
    expect(report.drifts[0]!.firstSeen).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('throws only on breaks (additions only warn), and keeps counting in a view', async () => {
    server = await startServer((req, res) => json(res, 200, req.url === '/thing' ? { id: 1, kind: 'a', added: true } : {}));
    const log = capturingLogger();
    const rt = new Runtime(api(thingResponses), { baseUrl: server.url, credentials: { key: 'k-1234' }, logger: log.logger, validateResponses: 'throw' });
    expect(await rt.call(rt.api.operations.getThing!)).toEqual({ id: 1, kind: 'a', added: true });
    await rt.withOptions({ validateResponses: 'warn' }).call(rt.api.operations.getThing!);
    expect(rt.drift().drifts.map((d) => [d.kind, d.path, d.count])).toEqual([['addition', '$.added', 2]]);
    expect(rt.drift().checked).toBe(2);
    expect(log.lines.filter((l) => l.message.startsWith('response drift'))).toHaveLength(1);
    expect(new ResponseValidationError('op', 200, 1, []).message).toContain('op answered 200');
  });

  it('resolves a component that responses.ts leaves out (the same in operations.ts) from the API\'s schemas', async () => {
    server = await startServer((_req, res) => json(res, 200, { id: 'one', kind: 'a' }));
    const shared: ApiSpec = { ...api(async () => ({ operations: { getThing: { '200': ref('Thing') } }, schemas: {} })), schemas };
    const rt = new Runtime(shared, { baseUrl: server.url, credentials: { key: 'k-1234' }, logger: capturingLogger().logger, validateResponses: 'warn' });
    await rt.call(rt.api.operations.getThing!);
    expect(rt.drift().drifts.map((d) => [d.kind, d.path])).toEqual([['break', '$.id']]);
  });

  it('checks nothing without response schemas, and warns once (never fails the call) when they cannot be loaded', async () => {
    server = await startServer((_req, res) => json(res, 200, { id: 'x' }));
    const none = new Runtime(api(), { baseUrl: server.url, credentials: { key: 'k-1234' }, validateResponses: 'throw' });
    expect(await none.call(none.api.operations.getThing!)).toEqual({ id: 'x' });
    const log = capturingLogger();
    const broken = new Runtime(api(() => Promise.reject(new Error('chunk missing'))), { baseUrl: server.url, credentials: { key: 'k-1234' }, logger: log.logger, validateResponses: 'throw' });
    await broken.call(broken.api.operations.getThing!);
    await broken.call(broken.api.operations.getThing!);
    expect(log.lines.filter((l) => l.message.includes('could not be loaded'))).toHaveLength(1);
    expect(broken.drift()).toEqual({ provider: 'Test', spec: { file: 'specs/test.yaml', version: '1.0.0' }, checked: 0, drifts: [] });
  });

  it('keeps at most 500 distinct drifts (an enum turned free text), and says so once', async () => {
    let n = 0;
    server = await startServer((_req, res) => json(res, 200, { id: 1, kind: `k${n++}` }));
    const log = capturingLogger();
    const rt = new Runtime(api(thingResponses), { baseUrl: server.url, credentials: { key: 'k-1234' }, logger: log.logger, validateResponses: 'warn', retry: false });
    for (let i = 0; i < 502; i++) await rt.call(rt.api.operations.getThing!);
    expect(rt.drift().drifts).toHaveLength(500);
    expect(rt.drift().checked).toBe(502);
    expect(log.lines.filter((l) => l.message.includes('no longer recorded'))).toHaveLength(1);
  });

  it('refuses a mode it does not know', () => {
    expect(() => new Runtime(api(), { baseUrl: 'http://x', validateResponses: 'loud' as never })).toThrow(/validateResponses must be 'off', 'warn' or 'throw'/);
    const rt = new Runtime(api(), { baseUrl: 'http://x', credentials: { key: 'k-1234' } });
    return expect(rt.call(rt.api.operations.getThing!, {}, { validateResponses: 'yes' as never })).rejects.toThrow(/options.validateResponses must be/);
  });
});
