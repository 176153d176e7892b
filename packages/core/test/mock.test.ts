import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMock, type MockExamples } from '../src/mock.js';
import type { ApiSpec } from '../src/spec.js';

const api: ApiSpec = {
  provider: 'Widgets',
  servers: [{ url: 'https://api.widgets.test/v1' }],
  securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } },
  schemas: { Widget: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 }, size: { type: 'integer', minimum: 1 } } } },
  operations: {
    listWidgets: {
      id: 'listWidgets',
      method: 'GET',
      path: '/widgets',
      security: [['key']],
      params: [
        { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } },
        { name: 'tags', in: 'query', explode: false, schema: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } } },
        { name: 'X-Trace', in: 'header', required: true, schema: { type: 'string', pattern: '^t-' } },
        { name: 'filter', in: 'query', json: true, schema: { type: 'object', properties: { size: { type: 'integer' } } } },
      ],
    },
    searchWidgets: { id: 'searchWidgets', method: 'GET', path: '/widgets/search', security: [] },
    getWidget: { id: 'getWidget', method: 'GET', path: '/widgets/{id}', security: [], params: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }] },
    createWidget: {
      id: 'createWidget',
      method: 'POST',
      path: '/widgets',
      security: [['key']],
      body: { required: true, mediaType: 'application/json', schema: { $ref: '#/components/schemas/Widget' } },
    },
    tokenForm: {
      id: 'tokenForm',
      method: 'POST',
      path: '/token',
      security: [],
      body: { required: true, mediaType: 'application/x-www-form-urlencoded', schema: { type: 'object', properties: { ttl: { type: 'integer', minimum: 60 } } } },
    },
  },
};

const examples: MockExamples = {
  listWidgets: { success: '200', responses: { '200': { mediaType: 'application/json', example: [{ name: 'one' }] }, '4XX': { mediaType: 'application/json', example: { error: 'bad' } } } },
  searchWidgets: { success: '200', responses: { '200': { mediaType: 'application/json', example: ['search'] } } },
  getWidget: { success: '200', responses: { '200': { mediaType: 'application/json', example: { name: 'by id' } } } },
  createWidget: { success: '201', responses: { '201': { mediaType: 'application/json', example: { name: 'new' } }, '409': {} } },
  tokenForm: { success: '200', responses: { '200': { mediaType: 'text/plain', example: 'token' } } },
};

const mock = createMock(api, examples, {}, 'createWidgetsMock');
const url = (path: string) => `https://api.widgets.test/v1${path}`;
const headers = { 'X-Key': 'k', 'X-Trace': 't-1' };
type Json = any;
const json = async (response: Response | undefined): Promise<{ status: number | undefined; body: Json }> => ({ status: response?.status, body: await response?.json() });

describe('createMock: matching', () => {
  it('answers a valid request with the success example, and nothing outside its base URL', async () => {
    expect(await json(await mock.handle(new Request(url('/widgets?limit=5&tags=a,b'), { headers })))).toEqual({ status: 200, body: [{ name: 'one' }] });
    expect(await mock.handle(new Request('https://api.widgets.test/v2/widgets'))).toBeUndefined();
    expect(await mock.handle(new Request('https://other.test/v1/widgets'))).toBeUndefined();
  });

  it('prefers the literal path over the template, and decodes path parameters by their schema', async () => {
    expect((await json(await mock.handle(new Request(url('/widgets/search'))))).body).toEqual(['search']);
    expect((await json(await mock.handle(new Request(url('/widgets/x'))))).body).toMatchObject({ issues: [{ path: 'path.id', message: 'must be an integer' }] });
    expect((await mock.handle(new Request(url('/widgets/7'))))?.status).toBe(200);
  });

  it('answers 404 for no operation and 405 for another method', async () => {
    expect(await json(await mock.handle(new Request(url('/gadgets'))))).toMatchObject({ status: 404, body: { detail: 'no operation of Widgets matches GET /gadgets' } });
    expect(await json(await mock.handle(new Request(url('/widgets/search'), { method: 'DELETE' })))).toMatchObject({ status: 405 });
  });

  it('throws a TypeError naming the factory when a required server variable has no value', () => {
    const panel: ApiSpec = { ...api, servers: [{ url: 'https://{panel}/api', variables: { panel: { default: 'x', required: true } } }] };
    expect(() => createMock(panel, examples, {}, 'createWidgetsMock')).toThrow(/^createWidgetsMock: Widgets's server https:\/\/\{panel\}\/api has no default for "panel"/);
    expect(createMock(panel, examples, { serverVariables: { panel: 'cp.test' } }).baseUrl).toBe('https://cp.test/api');
    expect(() => createMock(api, examples, { baseUrl: 'not a url' })).toThrow(TypeError);
  });
});

describe('createMock: checking the request', () => {
  it('refuses missing credentials with a 401, unless told not to check them', async () => {
    expect((await mock.handle(new Request(url('/widgets'), { headers: { 'X-Trace': 't-1' } })))?.status).toBe(401);
    const lax = createMock(api, examples, { checkCredentials: false });
    expect((await lax.handle(new Request(url('/widgets'), { headers: { 'X-Trace': 't-1' } })))?.status).toBe(200);
  });

  it('names every bad parameter: query numbers, comma-separated arrays, JSON, required headers', async () => {
    const answer = await json(await mock.handle(new Request(url('/widgets?limit=500&tags=a,c&filter=%7Bnope'), { headers: { 'X-Key': 'k' } })));
    expect(answer.status).toBe(422);
    expect(answer.body.issues).toEqual([
      { path: 'query.limit', message: 'must be <= 100' },
      { path: 'query.tags[1]', message: 'must be one of "a", "b"' },
      { path: 'header.X-Trace', message: 'is required' },
      { path: 'query.filter', message: 'must be JSON' },
    ]);
    expect(answer.body.detail).toBe('listWidgets: query.limit must be <= 100; query.tags[1] must be one of "a", "b"; header.X-Trace is required; query.filter must be JSON');
  });

  it('checks a JSON body against its schema, and refuses malformed JSON and another media type', async () => {
    const post = (body: string, type = 'application/json') => mock.handle(new Request(url('/widgets'), { method: 'POST', headers: { ...headers, 'content-type': type }, body }));
    expect(await json(await post('{"name":"w","size":2}'))).toEqual({ status: 201, body: { name: 'new' } });
    expect((await json(await post('{"size":0}'))).body.issues).toEqual([
      { path: 'body.name', message: 'is required' },
      { path: 'body.size', message: 'must be >= 1' },
    ]);
    expect((await post('{"name":'))?.status).toBe(400);
    expect((await post('name=w', 'text/plain'))?.status).toBe(415);
    expect((await json(await mock.handle(new Request(url('/widgets'), { method: 'POST', headers })))).body.issues).toEqual([{ path: 'body', message: 'is required' }]);
  });

  it('decodes and checks a form body; answers a text example as text', async () => {
    const form = (body: string) => mock.handle(new Request(url('/token'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }));
    const ok = await form('ttl=120');
    expect([ok?.status, ok?.headers.get('content-type'), await ok?.text()]).toEqual([200, 'text/plain', 'token']);
    expect((await json(await form('ttl=5'))).body.issues).toEqual([{ path: 'body.ttl', message: 'must be >= 60' }]);
  });
});

describe('createMock: overrides', () => {
  const server = setupServer(...mock.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('answers a status with its documented example (ranges too), or without a body', async () => {
    server.use(mock.override('listWidgets', { status: 418 }), mock.override('createWidget', { status: 409 }));
    expect(await json(await fetch(url('/widgets'), { headers }))).toEqual({ status: 418, body: { error: 'bad' } });
    const conflict = await fetch(url('/widgets'), { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"name":"w"}' });
    expect([conflict.status, await conflict.text()]).toEqual([409, '']);
    server.resetHandlers();
  });

  it('answers once, from a function of the checked request, and still refuses invalid requests first', async () => {
    server.use(mock.override('getWidget', ({ params }) => ({ body: { name: `widget ${params.id as number}` }, headers: { 'x-mocked': '1' } }), { once: true }));
    expect((await mock.handle(new Request(url('/widgets/x'))))?.status).toBe(422);
    const first = await fetch(url('/widgets/7'));
    expect([first.headers.get('x-mocked'), await first.json()]).toEqual(['1', { name: 'widget 7' }]);
    expect(await (await fetch(url('/widgets/7'))).json()).toEqual({ name: 'by id' });
    server.use(mock.override('searchWidgets', new Response('raw', { status: 503 })));
    const raw = await fetch(url('/widgets/search'));
    expect([raw.status, await raw.text()]).toEqual([503, 'raw']);
    expect((await fetch(url('/widgets/search'))).status).toBe(503);
    server.resetHandlers();
  });

  it('gives the examples, and refuses an operation it does not have', () => {
    expect(mock.example('createWidget')).toEqual({ name: 'new' });
    expect(mock.example('listWidgets', 404)).toEqual({ error: 'bad' });
    // A copy each time: a test that changes its example changes no other operation's answer.
    (mock.example('listWidgets', 404) as { error: string }).error = 'changed';
    expect(mock.example('listWidgets', 404)).toEqual({ error: 'bad' });
    expect(() => mock.override('dropWidgets', {})).toThrow(/Widgets has no operation "dropWidgets"/);
  });
});
