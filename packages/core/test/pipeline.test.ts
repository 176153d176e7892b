import { afterEach, describe, expect, it } from 'vitest';
import { ApiPromise } from '../src/api-promise.js';
import { AbortError, ApiError, InvalidArgumentError, MalformedResponseError, ProviderSdkError } from '../src/errors.js';
import type { Hooks } from '../src/hooks.js';
import { Runtime } from '../src/runtime.js';
import type { ApiSpec, OperationSpec } from '../src/spec.js';
import { json, startServer, type TestServer } from '../../../scripts/testing/kit.js';
import { testApi } from './helpers/api.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const op = testApi.operations;
const echo = () => startServer((req, res) => json(res, 200, { method: req.method, url: req.url, body: req.body ? JSON.parse(req.body) : null }, { 'x-request-id': 'req-42' }));

describe('ApiPromise', () => {
  it('is a Promise of the data, and withResponse() gives status, headers and the request id', async () => {
    server = await echo();
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { bearer: 't' } });
    const promise = rt.call<{ url: string }>(op.getThing!, { id: '1' });
    expect(promise).toBeInstanceOf(Promise);
    expect(promise).toBeInstanceOf(ApiPromise);
    expect((await promise).url).toBe('/things/1');
    const { data, response } = await rt.call<{ url: string }>(op.getThing!, { id: '2' }).withResponse();
    expect(data.url).toBe('/things/2');
    expect(response).toMatchObject({ status: 200, requestId: 'req-42', attempts: 1, url: `${server.url}/things/2` });
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('rejects through then, catch and finally alike', async () => {
    server = await startServer((_req, res) => json(res, 404, { message: 'gone' }));
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { bearer: 't' }, retry: false });
    await expect(rt.call(op.getThing!, { id: '1' })).rejects.toBeInstanceOf(ApiError);
    let finallyRan = false;
    const caught = await rt
      .call(op.getThing!, { id: '1' })
      .finally(() => {
        finallyRan = true;
      })
      .catch((e: unknown) => e);
    expect(finallyRan).toBe(true);
    expect(caught).toMatchObject({ status: 404, providerMessage: 'gone' });
  });
});

describe('hooks', () => {
  it('run at their stages, in registration order, limited to their operations', async () => {
    server = await echo();
    const seen: string[] = [];
    const hooks: Hooks[] = [
      {
        operations: ['createThing'],
        params: (params) => {
          seen.push('params 1');
          return { ...params, body: { ...(params.body as object), count: 1 } };
        },
        check: (params) => {
          seen.push('check');
          return (params.body as { name?: string }).name === 'bad' ? [{ path: 'body.name', message: 'is bad' }] : undefined;
        },
        result: (data, call) => {
          seen.push(`result ${call.op.id}`);
          return { wrapped: data };
        },
      },
      {
        params: (params) => {
          seen.push('params 2');
          return params;
        },
      },
    ];
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { basic: { username: 'u', password: 'pw-secret' }, bearer: 't' }, hooks });
    await expect(rt.call(op.createThing!, { body: { name: 'n' } })).resolves.toEqual({ wrapped: { method: 'POST', url: '/things', body: { name: 'n', count: 1 } } });
    expect(seen).toEqual(['params 1', 'params 2', 'check', 'result createThing']);
    seen.length = 0;
    await rt.call(op.getThing!, { id: '1' });
    expect(seen).toEqual(['params 2']);
    await expect(rt.call(op.createThing!, { body: { name: 'bad' } })).rejects.toThrow('body.name is bad');
    expect(server.requests).toHaveLength(2);
  });

  it('let a failure hook replace the error the caller sees', async () => {
    server = await startServer((_req, res) => json(res, 500, { message: 'boom' }));
    class HintedError extends ProviderSdkError {}
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { bearer: 't' }, retry: false, hooks: [{ failure: (e) => new HintedError(`hint: ${(e as Error).message}`) }] });
    await expect(rt.call(op.getThing!, { id: '1' })).rejects.toThrow(/^hint: TestAPI 500: boom/);
  });

  it('can be added to a view without touching the client', async () => {
    server = await echo();
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { bearer: 't' } });
    const view = rt.withHooks({ result: () => 'from the view' });
    await expect(view.call(op.getThing!, { id: '1' })).resolves.toBe('from the view');
    await expect(rt.call(op.getThing!, { id: '1' })).resolves.toMatchObject({ url: '/things/1' });
  });
});

describe('withOptions', () => {
  it('derives a client with other call defaults on the same transport and credentials', async () => {
    server = await echo();
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { headerKey: 'shared-key' }, headers: { 'X-App': 'a' } });
    const other = rt.withOptions({ headers: { 'X-Extra': 'b' }, validate: false });
    await other.call(op.listThings!, { limit: 500 }, { headers: { 'X-Call': 'c' } });
    const [request] = server.requests;
    expect(request!.headers).toMatchObject({ 'x-app': 'a', 'x-extra': 'b', 'x-call': 'c' });
    await expect(rt.call(op.listThings!, { limit: 500 })).rejects.toThrow(InvalidArgumentError);
    expect(other.secrets).toBe(rt.secrets);
    expect(() => rt.withOptions({ timeoutMs: -1 })).toThrow(TypeError);
  });
});

describe('the raw client', () => {
  type Paths = { '/things/{id}': { get: { parameters: { path: { id: string } }; responses: { 200: { content: { 'application/json': unknown } } } } } };

  it('honours the per-call signal and timeout', async () => {
    server = await startServer(() => undefined); // never answers
    const rt = new Runtime<Paths>(testApi, { baseUrl: server.url, credentials: { bearer: 't' }, retry: false });
    const controller = new AbortController();
    const pending = rt.raw.GET('/things/{id}', { params: { path: { id: '1' } }, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    await expect(rt.raw.GET('/things/{id}', { params: { path: { id: '1' } }, timeoutMs: 30 })).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('always authenticates, and refuses a path that is no operation of the spec', async () => {
    server = await echo();
    const rt = new Runtime<Paths>(testApi, { baseUrl: server.url, credentials: { bearer: 'raw-token' } });
    const { data, response } = await rt.raw.GET('/things/{id}', { params: { path: { id: 'x' } } });
    expect(data).toMatchObject({ url: '/things/x' });
    expect(response.status).toBe(200);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer raw-token');
    const untyped = rt.raw as unknown as { GET(path: string, init?: object): Promise<unknown> };
    await expect(untyped.GET('/admin')).rejects.toThrow('GET /admin is not an operation of the TestAPI spec');
    expect(server.requests).toHaveLength(1);
  });
});

describe('spec facts applied by the build stage', () => {
  const api: ApiSpec = {
    ...testApi,
    schemas: {
      Order: {
        type: 'object',
        required: ['when'],
        properties: {
          when: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}$', dateLayout: 'YYYY-MM-DD HH:mm' },
          active: { type: 'boolean', default: true, clientDefault: true },
          country: { type: 'string', default: 'GBR' },
          secret: { type: 'string' },
          lines: { type: 'array', items: { type: 'object', properties: { at: { type: 'string', dateLayout: 'YYYY-MM-DD' } } } },
        },
      },
    },
    operations: {
      order: {
        id: 'order',
        method: 'POST',
        path: '/orders',
        body: { required: true, mediaType: 'application/json', schema: { $ref: '#/components/schemas/Order' }, prepare: true, secrets: ['secret'] },
        security: [],
      },
    },
  };

  it('fills client defaults (not server defaults) and formats Dates in UTC', async () => {
    server = await echo();
    const rt = new Runtime(api, { baseUrl: server.url });
    const when = new Date(Date.UTC(2025, 2, 31, 9, 5, 7));
    const body = { when, lines: [{ at: when }, { at: '2020-01-01' }] };
    await rt.call(api.operations.order!, { body });
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ when: '2025-03-31 09:05', active: true, lines: [{ at: '2025-03-31' }, { at: '2020-01-01' }] });
    expect(body.when).toBe(when); // the caller's object is not changed
    await rt.call(api.operations.order!, { body: { when: '2025-01-01 00:00', active: false } });
    expect(JSON.parse(server.requests[1]!.body)).toEqual({ when: '2025-01-01 00:00', active: false });
    await expect(rt.call(api.operations.order!, { body: { when: new Date(Number.NaN) } })).rejects.toThrow('body.when must be a valid Date');
  });

  it('registers secret body properties before anything can fail', async () => {
    server = await startServer((req, res) => json(res, 400, { message: `bad: ${JSON.parse(req.body).secret}` }));
    const rt = new Runtime(api, { baseUrl: server.url });
    const error = await rt.call(api.operations.order!, { body: { when: '2025-01-01 00:00', secret: 'hunter2-password' } }).catch((e: unknown) => e);
    expect(String(error)).toContain('bad: [REDACTED]');
    expect(JSON.stringify(error)).not.toContain('hunter2-password');
  });
});

describe('safety checks that validate: false does not turn off', () => {
  const rtFor = (url: string) => new Runtime(testApi, { baseUrl: url, credentials: { bearer: 't', headerKey: 'k' }, validate: false, retry: { maxAttempts: 3, baseDelayMs: 1 } });

  it('refuses path segments that would address another path', async () => {
    server = await echo();
    const rt = rtFor(server.url);
    for (const id of ['', '.', '..']) await expect(rt.call(op.getThing!, { id })).rejects.toBeInstanceOf(InvalidArgumentError);
    await rt.call(op.getThing!, { id: '../admin' });
    expect(server.requests.map((r) => r.url)).toEqual(['/things/..%2Fadmin']);
  });

  it('refuses CR, LF and NUL in header values before sending, without retrying', async () => {
    server = await echo();
    const rt = rtFor(server.url);
    await expect(rt.call(op.listThings!, { 'X-Trace': 'a\r\nInjected: 1' })).rejects.toThrow('header.x-trace must not contain CR, LF or NUL');
    await expect(rt.call(op.getThing!, { id: '1' }, { headers: { 'X-Mine': 'x\ny' } })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses options of the wrong type with a TypeError, as a rejection, never a crash', async () => {
    server = await echo();
    const rt = rtFor(server.url);
    await expect(rt.call(op.getThing!, { id: '1' }, { signal: 'soon' as never })).rejects.toThrow('options.signal must be an AbortSignal');
    await expect(rt.call(op.getThing!, { id: '1' }, { timeoutMs: 'abc' as never })).rejects.toBeInstanceOf(TypeError);
    await expect(rt.call(op.getThing!, { id: '1' }, { timeoutMs: -1 })).rejects.toBeInstanceOf(TypeError);
    await expect(rt.call(op.getThing!, { id: '1' }, { retry: { maxAttempts: Number.NaN } })).rejects.toBeInstanceOf(TypeError);
    expect(() => new Runtime(testApi, { timeoutMs: 0 })).toThrow(TypeError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('answers that break the spec', () => {
  const declared: OperationSpec = { id: 'getJson', method: 'GET', path: '/json', security: [], jsonStatuses: ['200'] };
  const api: ApiSpec = { ...testApi, operations: { getJson: declared, noContent: { id: 'noContent', method: 'DELETE', path: '/gone', security: [], jsonStatuses: [] } } };

  it('an empty or non-JSON body where the spec declares JSON is a MalformedResponseError, not undefined', async () => {
    const bodies = ['', '<html>ok</html>'];
    server = await startServer((_req, res, i) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(bodies[i]);
    });
    const rt = new Runtime(api, { baseUrl: server.url });
    await expect(rt.call(declared, {})).rejects.toThrow(MalformedResponseError);
    await expect(rt.call(declared, {})).rejects.toThrow('not valid JSON');
  });

  it('an operation without content still resolves undefined', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const rt = new Runtime(api, { baseUrl: server.url });
    await expect(rt.call(api.operations.noContent!, {})).resolves.toBeUndefined();
  });
});

describe('error data is bounded', () => {
  it('keeps error.message near 1 kB and error.body near 64 kB, scrubbed before cutting', async () => {
    const secret = 'sk_live_abcdefghijklmnop';
    const big = `${'x'.repeat(65_530)}${secret}${'y'.repeat(1_000)}`;
    const bodies = [{ message: 'm'.repeat(5_000) }, big];
    server = await startServer((_req, res, i) => {
      if (i === 0) return json(res, 400, bodies[0]);
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(big);
    });
    const rt = new Runtime(testApi, { baseUrl: server.url, credentials: { bearer: secret } });
    const first = (await rt.call(op.getThing!, { id: '1' }).catch((e: unknown) => e)) as ApiError;
    expect(first.message.length).toBeLessThan(1_200);
    expect(first.message).toMatch(/m…/);
    const second = (await rt.call(op.getThing!, { id: '1' }).catch((e: unknown) => e)) as ApiError;
    expect(typeof second.body).toBe('string');
    expect((second.body as string).length).toBeLessThan(66_000);
    expect(second.body as string).toContain('truncated');
    expect(JSON.stringify(second)).not.toContain(secret.slice(0, 10));
  });
});

describe('idempotency keys', () => {
  const create: OperationSpec = {
    id: 'createOrder',
    method: 'POST',
    path: '/orders',
    body: { required: true, mediaType: 'application/json' },
    security: [],
    idempotencyHeader: 'Idempotency-Key',
  };
  const api: ApiSpec = { ...testApi, operations: { createOrder: create, plain: { ...create, id: 'plain', idempotencyHeader: undefined } } };
  const flaky = () => {
    let calls = 0;
    return startServer((_req, res) => (++calls < 3 ? json(res, 503, { message: 'busy' }) : json(res, 201, { id: 'o-1' })));
  };

  it('sends one key per call on every attempt, and so may retry a POST on a 5xx', async () => {
    server = await flaky();
    const rt = new Runtime(api, { baseUrl: server.url, retry: { baseDelayMs: 1 } });
    await expect(rt.call(create, { body: { sku: 'a' } })).resolves.toEqual({ id: 'o-1' });
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    await rt.call(create, { body: { sku: 'a' } }, { idempotencyKey: 'order-42' }).catch(() => undefined);
    expect(server.requests.at(-1)!.headers['idempotency-key']).toBe('order-42');
  });

  it('never retries a POST without one, and refuses a key where the spec names no header', async () => {
    server = await flaky();
    const rt = new Runtime(api, { baseUrl: server.url, retry: { baseDelayMs: 1 } });
    await expect(rt.call(api.operations.plain!, { body: { sku: 'a' } })).rejects.toMatchObject({ status: 503, attempts: 1 });
    await expect(rt.call(api.operations.plain!, { body: { sku: 'a' } }, { idempotencyKey: 'k' })).rejects.toThrow('the spec names no idempotency header');
    expect(server.requests).toHaveLength(1);
  });
});

describe('redaction of every encoding', () => {
  it('scrubs a secret with every printable punctuation character in each form a server can echo', async () => {
    const { SecretRegistry } = await import('../src/redact.js');
    const secret = 'Tk9!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~zz';
    const registry = new SecretRegistry();
    registry.addValue(secret);
    const json = JSON.stringify(secret).slice(1, -1);
    const echoed = [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      new URL(`http://h/?s=${encodeURIComponent(secret)}`).search.slice(3),
      json,
      json.replace(/\//g, '\\/'),
      JSON.stringify(json).slice(1, -1),
      secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
      secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&#x27;'),
      encodeURIComponent(secret).replace(/'/g, '&#39;'),
    ];
    for (const form of echoed) expect(registry.scrub(`before ${form} after`), form).toBe('before [REDACTED] after');
  });

  it('refuses a token URL with a user name or password, without repeating it', async () => {
    const { clientCredentials } = await import('../src/oauth2.js');
    const error = (() => {
      try {
        clientCredentials({ tokenUrl: 'https://user:hunter2pass@auth.example/token', clientId: 'c', clientSecret: 's' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(String(error)).not.toContain('hunter2pass');
  });
});
