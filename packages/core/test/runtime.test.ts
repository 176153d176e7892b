import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, AuthenticationError, EnvelopeError, InvalidArgumentError, MissingCredentialsError } from '../src/errors.js';
import { Runtime } from '../src/runtime.js';
import type { ApiSpec } from '../src/spec.js';
import { CachedToken } from '../src/token-cache.js';
import { testApi } from './helpers/api.js';
import { json, startServer, type TestServer } from '../../../scripts/testing/kit.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const op = testApi.operations;

async function echoServer() {
  return startServer((req, res) => json(res, 200, { method: req.method, url: req.url, body: req.body ? JSON.parse(req.body) : null }));
}

describe('credentials from the security schemes', () => {
  it('applies bearer, basic, header, query and cookie credentials where each operation wants them', async () => {
    server = await echoServer();
    const rt = new Runtime(testApi, {
      baseUrl: server.url,
      credentials: { bearer: 'tok-abc', basic: { username: 'ann', password: 'pw:with:colons' }, queryKey: 'q k&1', headerKey: 'hk-1', cookieKey: 's=1' },
    });
    await rt.call(op.getThing!, { id: 'a b/c' });
    await rt.call(op.listThings!, { limit: 2 });
    await rt.call(op.createThing!, { body: { name: 'n' } });
    await rt.call(op.putThing!, { id: 'x', body: { name: 'n' } });
    await rt.call(op.ping!);
    const [get, list, create, put, ping] = server.requests;
    expect(get!.url).toBe('/things/a%20b%2Fc');
    expect(get!.headers.authorization).toBe('Bearer tok-abc');
    expect(list!.url).toBe('/things?limit=2&api_key=q%20k%261');
    expect(list!.headers['x-api-key']).toBeUndefined();
    expect(create!.headers.authorization).toBe(`Basic ${Buffer.from('ann:pw:with:colons').toString('base64')}`);
    expect(put!.headers.cookie).toBe('sid=s%3D1');
    expect(ping!.headers.authorization).toBeUndefined();
  });

  it('falls back to the next accepted credential set', async () => {
    server = await echoServer();
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { headerKey: 'hk-1' } });
    await rt.call(op.listThings!, {});
    expect(server.requests[0]!.headers['x-api-key']).toBe('hk-1');
    expect(server.requests[0]!.url).toBe('/things');
  });

  it('refuses, before sending, an operation whose credentials are missing', async () => {
    server = await echoServer();
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { bearer: 'tok' } });
    await expect(rt.call(op.createThing!, { body: { name: 'n' } })).rejects.toThrow(MissingCredentialsError);
    await expect(rt.call(op.createThing!, { body: { name: 'n' } })).rejects.toThrow('createThing needs credentials for basic');
    expect(server.requests).toHaveLength(0);
  });

  it('renews a refused token once, and only once', async () => {
    let issued = 0;
    server = await startServer((req, res) => {
      if (req.url === '/token') return json(res, 200, { token: `t${++issued}` });
      return req.headers.authorization === 'Bearer t2' ? json(res, 200, { ok: true }) : json(res, 401, { message: 'expired' });
    });
    const url = server.url;
    const token = new CachedToken({
      key: 'k',
      fetchToken: async () => ({ value: ((await (await fetch(`${url}/token`)).json()) as { token: string }).token, expiresInMs: 3_600_000 }),
    });
    const rt = new Runtime(testApi, { baseUrl: url, credentials: { bearer: token } });
    await expect(rt.call(op.getThing!, { id: '1' })).resolves.toEqual({ ok: true });
    expect(issued).toBe(2);

    // A server that refuses every token gets one renewal, then the 401 comes back to the caller.
    await server.close();
    server = await startServer((req, res) => (req.url === '/token' ? json(res, 200, { token: `u${++issued}` }) : json(res, 401, { message: 'no' })));
    const stubborn = new Runtime(testApi, {
      baseUrl: server.url,
      credentials: { bearer: new CachedToken({ key: 'k2', fetchToken: async () => ({ value: `v${++issued}`, expiresInMs: 60_000 }) }) },
    });
    await expect(stubborn.call(op.getThing!, { id: '1' })).rejects.toBeInstanceOf(AuthenticationError);
    expect(server.requests).toHaveLength(2);
  });

  it('refuses a base URL that carries credentials, without repeating them', () => {
    const attempt = () => new Runtime(testApi, { baseUrl: 'https://ann:s3cr3t-pw@api.test.invalid/v1' });
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow(/must not contain credentials/);
    try {
      attempt();
    } catch (e) {
      expect(`${String(e)} ${JSON.stringify(e)}`).not.toContain('s3cr3t-pw');
    }
  });

  it('builds the base URL from the server template and its variables', () => {
    expect(new Runtime(testApi).baseUrl).toBe('https://api.test.invalid/v1');
    expect(new Runtime(testApi, { serverVariables: { host: 'eu.test.invalid' } }).baseUrl).toBe('https://eu.test.invalid/v1');
  });
});

describe('arguments are checked before anything is sent', () => {
  it('reports every problem with its location, and sends nothing', async () => {
    server = await echoServer();
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { basic: { username: 'a', password: 'b' }, queryKey: 'k' } });
    const error = (await rt.call(op.createThing!, { body: { name: '', count: -1, colour: 'red' } }).catch((e: unknown) => e)) as InvalidArgumentError;
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.issues).toEqual([
      { path: 'body.name', message: 'must not be empty' },
      { path: 'body.count', message: 'must be >= 0' },
      { path: 'body.colour', message: 'is not a known property' },
    ]);
    await expect(rt.call(op.listThings!, { limit: 51 })).rejects.toThrow('query.limit must be <= 50');
    await expect(rt.call(op.listThings!, { lmit: 5 })).rejects.toThrow('lmit is not a parameter of listThings');
    await expect(rt.call(op.createThing!, {})).rejects.toThrow('body is required');
    await expect(rt.call(op.getThing!, { id: '' })).rejects.toThrow('path.id must not be empty');
    await expect(rt.call(op.ping!, { body: { x: 1 } })).rejects.toThrow('body is not accepted by ping');
    expect(server.requests).toHaveLength(0);
  });

  it('lets a read-only property be absent from a request', async () => {
    server = await echoServer();
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { basic: { username: 'a', password: 'b' } } });
    await expect(rt.call(op.createThing!, { body: { name: 'n' } })).resolves.toMatchObject({ method: 'POST' });
  });

  it('can be switched off per client or per call, except for empty path segments', async () => {
    server = await echoServer();
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { queryKey: 'k', bearer: 't' }, validate: false });
    await rt.call(op.listThings!, { limit: 500 });
    expect(server.requests[0]!.url).toContain('limit=500');
    await expect(rt.call(op.getThing!, { id: '' })).rejects.toThrow(InvalidArgumentError);
  });
});

describe('query serialization', () => {
  it('sends a JSON-content parameter as JSON text and the others in form style', async () => {
    server = await echoServer();
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { headerKey: 'k' } });
    const filter = { name: 'a&b=c', tags: ['x', 'y'], n: 1, ok: true, none: null };
    await rt.call(op.listThings!, { filter, tag: ['red', 'blue'], 'X-Trace': 'trace-1' });
    const request = server.requests[0]!;
    const query = new URL(request.url, 'http://x').searchParams;
    expect(JSON.parse(query.get('filter')!)).toEqual(filter);
    expect(query.getAll('tag')).toEqual(['red', 'blue']);
    expect(request.url).toContain(`filter=${encodeURIComponent(JSON.stringify(filter))}`);
    expect(request.headers['x-trace']).toBe('trace-1');
  });
});

describe('envelopes', () => {
  const envelopeApi = (envelope: ApiSpec['envelope'], extra: Partial<ApiSpec['operations'][string]> = {}): ApiSpec => ({
    ...testApi,
    envelope,
    operations: { ping: { ...testApi.operations.ping!, ...extra } },
  });

  it('returns the result of a successful envelope and throws EnvelopeError on a failure inside HTTP 200', async () => {
    const bodies = [
      { status: 0, message: 'success', result: { domains: [] } },
      { status: 7, message: 'Invalid domain api key' },
    ];
    server = await startServer((_req, res, i) => json(res, 200, bodies[i]));
    const rt = new Runtime(envelopeApi({ result: 'result', status: 'status', success: [0], message: 'message', code: 'status' }), { baseUrl: server.url });
    await expect(rt.call(testApi.operations.ping!)).resolves.toEqual({ domains: [] });
    const error = (await rt.call(testApi.operations.ping!).catch((e: unknown) => e)) as EnvelopeError;
    expect(error).toBeInstanceOf(EnvelopeError);
    expect(error).toMatchObject({ status: 200, code: 7, providerMessage: 'Invalid domain api key', operationId: 'ping' });
    expect(error.message).toBe(`TestAPI 200 (7): Invalid domain api key [GET ${server.url}/ping]`);
  });

  it('detects an error flag, and decodes a result that is a JSON string', async () => {
    const bodies = [
      { result: '["ACTIVE", "CONFIGURED", "DISABLED"]', jobguid: null },
      { error: true, code: 8002, message: 'Internal server error', exception: 'KeyError' },
      { result: 'not json', jobguid: null },
    ];
    server = await startServer((_req, res, i) => json(res, 200, bodies[i]));
    const api = envelopeApi({ result: 'result', errorFlag: 'error', message: 'message', code: 'code' }, { decodeJsonResult: true });
    const rt = new Runtime(api, { baseUrl: server.url });
    await expect(rt.call(api.operations.ping!)).resolves.toEqual(['ACTIVE', 'CONFIGURED', 'DISABLED']);
    await expect(rt.call(api.operations.ping!)).rejects.toMatchObject({ name: 'EnvelopeError', code: 8002 });
    await expect(rt.call(api.operations.ping!)).rejects.toThrow(/not the JSON document the spec promises/);
  });

  it('reports a success body that is not JSON as an ApiError', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"truncated": ');
    });
    const rt = new Runtime(testApi, { baseUrl: server.url });
    const error = await rt.call(op.ping!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(String(error)).toContain('not valid JSON');
  });
});

describe('the raw openapi-fetch client', () => {
  it('shares the transport: credentials of the matching operation are applied', async () => {
    server = await echoServer();
    const rt = new Runtime<{ '/things/{id}': { get: { parameters: { path: { id: string } }; responses: { 200: { content: { 'application/json': unknown } } } } } }>(
      testApi,
      { baseUrl: server.url, credentials: { bearer: 'tok-raw' } },
    );
    const { data } = await rt.raw.GET('/things/{id}', { params: { path: { id: '7' } } });
    expect(data).toMatchObject({ url: '/things/7' });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer tok-raw');
  });
});

describe('pagination through the runtime', () => {
  it('walks offset/limit pages until total, passing the caller filters on', async () => {
    const all = ['a', 'b', 'c', 'd', 'e'];
    server = await startServer((req, res) => {
      const q = new URL(req.url, 'http://x').searchParams;
      const offset = Number(q.get('offset'));
      const limit = Number(q.get('limit'));
      json(res, 200, { items: all.slice(offset, offset + limit), total: all.length });
    });
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { headerKey: 'k' } });
    const seen: string[] = [];
    for await (const item of rt.page<string>(op.listThings!, { tag: ['t'] })) seen.push(item);
    expect(seen).toEqual(all);
    expect(server.requests.map((r) => r.url)).toEqual(['/things?limit=2&tag=t', '/things?offset=2&limit=2&tag=t', '/things?offset=4&limit=2&tag=t']);
  });

  it('resolves a page that knows its total, its next page and how to resume', async () => {
    const all = ['a', 'b', 'c', 'd', 'e'];
    server = await startServer((req, res) => {
      const q = new URL(req.url, 'http://x').searchParams;
      const offset = Number(q.get('offset') ?? 0);
      json(res, 200, { items: all.slice(offset, offset + Number(q.get('limit'))), total: all.length }, { 'x-request-id': `req-${offset}` });
    });
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { headerKey: 'k' } });
    const first = await rt.page<string, { items: string[]; total: number }>(op.listThings!, {});
    expect(first.items).toEqual(['a', 'b']);
    expect(first.total).toBe(5);
    expect(first.data).toEqual({ items: ['a', 'b'], total: 5 });
    expect(first.response).toMatchObject({ status: 200, requestId: 'req-0' });
    expect(first.hasNextPage()).toBe(true);
    expect(first.nextPageParams()).toEqual({ limit: 2, offset: 2 });
    const second = await first.getNextPage();
    expect(second.items).toEqual(['c', 'd']);
    // Resuming later from saved parameters gives the same page.
    const resumed = await rt.page<string>(op.listThings!, first.nextPageParams());
    expect(resumed.items).toEqual(['c', 'd']);
    const pages: string[][] = [];
    for await (const page of rt.page<string>(op.listThings!, {}).pages()) pages.push(page.items);
    expect(pages).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    const last = await second.getNextPage();
    expect(last.hasNextPage()).toBe(false);
    await expect(last.getNextPage()).rejects.toThrow('there is no next page');
  });
});

describe('credential refusal and per-view credentials', () => {
  const envelopeApi: ApiSpec = { ...testApi, envelope: { result: 'result', status: 'status', success: [0], message: 'message' } };

  it('renews a token refused inside a 200 envelope when told how to recognise it, once', async () => {
    let issued = 0;
    server = await startServer((req, res) =>
      json(res, 200, req.headers.authorization === 'Bearer t2' ? { status: 0, result: { ok: true } } : { status: 14, message: 'Token expired' }),
    );
    const token = new CachedToken({ key: 'k', fetchToken: async () => ({ value: `t${++issued}`, expiresInMs: 60_000 }) });
    const rt = new Runtime(envelopeApi, {
      baseUrl: server.url,
      credentials: { bearer: token },
      hooks: [{ isCredentialRefusal: (e) => e instanceof EnvelopeError && /token expired/i.test(e.providerMessage ?? '') }],
    });
    await expect(rt.call(envelopeApi.operations.getThing!, { id: '1' })).resolves.toEqual({ ok: true });
    expect(issued).toBe(2);

    const plain = new Runtime(envelopeApi, { baseUrl: server.url, credentials: { bearer: new CachedToken({ key: 'k2', fetchToken: async () => ({ value: 'zz', expiresInMs: 60_000 }) }) } });
    await expect(plain.call(envelopeApi.operations.getThing!, { id: '1' })).rejects.toBeInstanceOf(EnvelopeError);
    expect(server.requests).toHaveLength(3);
  });

  it('builds provider-specific envelope errors', async () => {
    class AcmeError extends EnvelopeError {
      override name = 'AcmeError';
    }
    server = await startServer((_req, res) => json(res, 200, { status: 3, message: 'nope' }));
    const rt = new Runtime(envelopeApi, { baseUrl: server.url, credentials: { bearer: 't' }, hooks: [{ error: (init, call) => (call.envelope ? new AcmeError(init) : undefined) }] });
    await expect(rt.call(envelopeApi.operations.getThing!, { id: '1' })).rejects.toMatchObject({ name: 'AcmeError', code: 3, providerMessage: 'nope' });
  });

  it('gives a view its own credentials on the shared transport and secrets', async () => {
    server = await echoServer();
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { bearer: 'client-token' } });
    const view = rt.withCredentials({ bearer: 'user-token-123' });
    await view.call(op.getThing!, { id: '1' });
    await rt.call(op.getThing!, { id: '1' });
    await (view.raw as unknown as { GET(path: string, init: object): Promise<unknown> }).GET('/things/{id}', { params: { path: { id: '2' } } });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer user-token-123', 'Bearer client-token', 'Bearer user-token-123']);
    expect(view.secrets).toBe(rt.secrets);
    expect(rt.secrets.scrub('x user-token-123')).toBe('x [REDACTED]');
  });
});

describe('sharing between clients', () => {
  it('shares one rate-limit budget between runtimes given the same RateLimiter', async () => {
    const { RateLimiter } = await import('../src/rate-limit.js');
    const { fakeClock } = await import('../../../scripts/testing/kit.js');
    server = await echoServer();
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: 2, intervalMs: 60_000, clock });
    const a = new Runtime(testApi, { baseUrl: server.url, credentials: { bearer: 't' }, rateLimit: limiter, clock });
    const b = new Runtime(testApi, { baseUrl: server.url, credentials: { bearer: 't' }, rateLimit: limiter, clock });
    await a.call(op.getThing!, { id: '1' });
    await b.call(op.getThing!, { id: '2' });
    expect(clock.sleeps).toEqual([]);
    await a.call(op.getThing!, { id: '3' });
    // The third waits for the first to leave the window: 60 s plus the default margin (1 s).
    expect(clock.sleeps).toEqual([61_000]);
  });

  it('asks a credential provider to register its secrets with the runtime', () => {
    const registries: unknown[] = [];
    const provider = { get: async () => 'provided-token-1', registerSecrets: (r: unknown) => registries.push(r) };
    const rt = new Runtime(testApi, { credentials: { bearer: provider } });
    expect(registries).toEqual([rt.secrets]);
  });
});

describe('JSON parameters keep their values', () => {
  it('refuses values JSON.stringify would change, even with validation off, and sends nothing', async () => {
    server = await echoServer();
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { headerKey: 'k' }, validate: false });
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point.
    const filter = { n: Number.NaN, when: new Date(0), list: [1, , 3] };
    const error = (await rt.call(op.listThings!, { filter }).catch((e: unknown) => e)) as InvalidArgumentError;
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.issues.map((i) => i.path)).toEqual(['query.filter.n', 'query.filter.when', 'query.filter.list[1]']);
    expect(server.requests).toHaveLength(0);
  });

  it('sends them as JSON through the raw client too', async () => {
    server = await echoServer();
    const rt = new Runtime<never>(testApi, { baseUrl: server.url, credentials: { headerKey: 'k' } });
    const raw = rt.raw as unknown as { GET(path: string, init: object): Promise<unknown> };
    await raw.GET('/things', { params: { query: { filter: { name: '123' }, limit: 5 } } });
    // Query parameters go out in the spec's order.
    expect(server.requests[0]!.url).toBe(`/things?limit=5&filter=${encodeURIComponent('{"name":"123"}')}`);
    await expect(raw.GET('/things', { params: { query: { filter: { n: Number.POSITIVE_INFINITY } } } })).rejects.toThrow(InvalidArgumentError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('the whole body beside an enveloped result', () => {
  const envelopeApi: ApiSpec = { ...testApi, envelope: { result: 'result', errorFlag: 'error', message: 'message', code: 'code' } };

  it('is in withResponse(), and an envelope that says failure still throws', async () => {
    const bodies = [{ result: null, jobguid: 'job-1' }, { error: true, code: 8002, message: 'boom' }];
    server = await startServer((_req, res, i) => json(res, 200, bodies[i]));
    const rt = new Runtime(envelopeApi, { baseUrl: server.url, credentials: { bearer: 't' } });
    const { data, response } = await rt.call(envelopeApi.operations.getThing!, { id: '1' }).withResponse();
    expect(data).toBeNull();
    expect(response.body).toEqual({ result: null, jobguid: 'job-1' });
    await expect(rt.call(envelopeApi.operations.getThing!, { id: '1' }).withResponse()).rejects.toBeInstanceOf(EnvelopeError);
  });
});
