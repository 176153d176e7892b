import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  InternalServerError,
  RateLimitError,
  TimeoutError,
} from '../src/errors.js';
import { freePort } from '../../../scripts/testing/prism.js';
import { Runtime } from '../src/runtime.js';
import { testApi } from './helpers/api.js';
import { capturingLogger, exposed, fakeClock, json, startServer, type TestServer } from '../../../scripts/testing/kit.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const TOKEN = 'tok_8d7c6b5a4f3e2d1c0b9a';
const op = testApi.operations;

function runtime(url: string, extra: ConstructorParameters<typeof Runtime>[1] = {}) {
  const clock = fakeClock();
  const rt = new Runtime(testApi, { baseUrl: url, credentials: { bearer: TOKEN, basic: { username: 'ann', password: 'pa55word!' } }, clock, ...extra });
  return { rt, clock };
}

describe('retries', () => {
  it('retries a GET on 503 and returns the answer that finally succeeds', async () => {
    server = await startServer((_req, res, i) => (i < 2 ? json(res, 503, { message: 'busy' }) : json(res, 200, { id: 'a1' })));
    const { rt, clock } = runtime(server.url);
    await expect(rt.call(op.getThing!, { id: 'a1' })).resolves.toEqual({ id: 'a1' });
    expect(server.requests).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('gives up when the retry budget runs out, saying how many attempts it made', async () => {
    server = await startServer((_req, res) => json(res, 503, { message: 'still busy' }));
    const { rt } = runtime(server.url, { retry: { maxAttempts: 4 } });
    const error = await rt.call(op.getThing!, { id: 'a1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503, attempts: 4, providerMessage: 'still busy' });
    expect(server.requests).toHaveLength(4);
  });

  it('does not repeat a POST after a 500 (it may have been applied)', async () => {
    server = await startServer((_req, res) => json(res, 500, { message: 'boom' }));
    const { rt } = runtime(server.url);
    await expect(rt.call(op.createThing!, { body: { name: 'x' } })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
  });

  it('repeats even a POST after a 429, waiting as long as Retry-After says', async () => {
    server = await startServer((_req, res, i) => (i === 0 ? json(res, 429, { message: 'slow down' }, { 'retry-after': '2' }) : json(res, 201, { id: 'n1', name: 'x' })));
    const { rt, clock } = runtime(server.url);
    await expect(rt.call(op.createThing!, { body: { name: 'x' } })).resolves.toEqual({ id: 'n1', name: 'x' });
    expect(clock.sleeps).toEqual([2000]);
  });

  it('treats a Retry-After date in the past as "now"', async () => {
    server = await startServer((_req, res, i) =>
      i === 0 ? json(res, 503, {}, { 'retry-after': 'Thu, 01 Jan 2015 00:00:00 GMT' }) : json(res, 200, { id: 'a1' }),
    );
    const { rt, clock } = runtime(server.url);
    await rt.call(op.getThing!, { id: 'a1' });
    expect(clock.sleeps).toEqual([0]);
  });

  it('returns a 429 at once when Retry-After asks for longer than the client accepts', async () => {
    server = await startServer((_req, res) => json(res, 429, { message: 'quota' }, { 'retry-after': '3600' }));
    const { rt, clock } = runtime(server.url);
    const error = await rt.call(op.getThing!, { id: 'a1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 3_600_000, attempts: 1 });
    expect(clock.sleeps).toEqual([]);
  });

  it('never retries a 4xx other than 408 and 429', async () => {
    server = await startServer((_req, res) => json(res, 400, { message: 'bad sort' }));
    const { rt } = runtime(server.url);
    await expect(rt.call(op.getThing!, { id: 'a1' })).rejects.toBeInstanceOf(BadRequestError);
    expect(server.requests).toHaveLength(1);
  });

  it('retries connection failures for idempotent calls, then reports a ConnectionError', async () => {
    const port = await freePort();
    const { rt, clock } = runtime(`http://127.0.0.1:${port}`, { retry: { maxAttempts: 3 } });
    const error = await rt.call(op.getThing!, { id: 'a1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ attempts: 3 });
    expect(clock.sleeps).toHaveLength(2);
  });
});

describe('timeouts and aborts', () => {
  it('times out an attempt that gets no headers', async () => {
    server = await startServer(() => undefined);
    const { rt } = runtime(server.url, { timeoutMs: 100, retry: false });
    await expect(rt.call(op.getThing!, { id: 'a1' })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('times out an attempt whose body stalls after the headers', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id": "a1", "na');
    });
    const { rt } = runtime(server.url, { timeoutMs: 150, retry: { maxAttempts: 2 } });
    const error = await rt.call(op.getThing!, { id: 'a1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ attempts: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('closes the connection of a body that stalled past the timeout', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id": "a1", ');
      res.on('close', () => closed());
    });
    const { rt } = runtime(server.url, { timeoutMs: 100, retry: false });
    await expect(rt.call(op.getThing!, { id: 'a1' })).rejects.toBeInstanceOf(TimeoutError);
    await connectionClosed;
  });

  it('discards an answer that arrives after its attempt timed out, and uses the next attempt', async () => {
    server = await startServer((_req, res, i) => {
      if (i === 0) setTimeout(() => json(res, 200, { id: 'late' }), 250);
      else json(res, 200, { id: 'on time' });
    });
    const { rt } = runtime(server.url, { timeoutMs: 100, retry: { maxAttempts: 2 } });
    await expect(rt.call(op.getThing!, { id: 'a1' })).resolves.toEqual({ id: 'on time' });
    await delay(300);
    expect(server.requests).toHaveLength(2);
  });

  it('stops at once, without retrying, when the caller aborts', async () => {
    server = await startServer(() => undefined);
    const { rt } = runtime(server.url, { retry: { maxAttempts: 5 } });
    const controller = new AbortController();
    const pending = rt.call(op.getThing!, { id: 'a1' }, { signal: controller.signal });
    while (server.requests.length === 0) await delay(5);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(1);
  });

  it('does not send anything when the signal has already fired', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const { rt } = runtime(server.url);
    await expect(rt.call(op.getThing!, { id: 'a1' }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('error bodies', () => {
  it('keeps a non-JSON error body as text and falls back to the status text', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const { rt } = runtime(server.url, { retry: false });
    const error = (await rt.call(op.getThing!, { id: 'a1' }).catch((e: unknown) => e)) as InternalServerError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.body).toBe('<html><body><h1>502 Bad Gateway</h1></body></html>');
    expect(error.providerMessage).toBeUndefined();
    expect(error.message).toBe(`TestAPI 502: Bad Gateway [GET ${server.url}/things/a1]`);
  });

  it('uses a plain-text error body as the message', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('limit must be at most 50');
    });
    const { rt } = runtime(server.url);
    await expect(rt.call(op.getThing!, { id: 'a1' })).rejects.toThrow('TestAPI 400: limit must be at most 50');
  });

  it('reads the provider message and code from nested and OAuth-style bodies', async () => {
    const bodies = [
      { error: { code: 'E42', message: 'nested message' } },
      { error: 'invalid_client', error_description: 'Client authentication failed' },
      { Message: 'The request is invalid.' },
      { errors: ['first problem', 'second problem'] },
    ];
    server = await startServer((_req, res, i) => json(res, 400, bodies[i]));
    const { rt } = runtime(server.url);
    const seen = [];
    for (let i = 0; i < bodies.length; i++) {
      const e = (await rt.call(op.getThing!, { id: 'a1' }).catch((x: unknown) => x)) as BadRequestError;
      seen.push([e.code, e.providerMessage]);
    }
    expect(seen).toEqual([
      ['E42', 'nested message'],
      ['invalid_client', 'Client authentication failed'],
      [undefined, 'The request is invalid.'],
      [undefined, 'first problem; second problem'],
    ]);
  });
});

describe('secrets never leave the client', () => {
  it('redacts credentials from error messages, error JSON, causes and every log line', async () => {
    // A hostile server echoes every credential it received back in its error body and headers.
    server = await startServer((req, res) =>
      json(res, 401, { message: `rejected ${req.headers.authorization} and ${req.url}`, headers: req.headers }, { 'x-echo': String(req.headers.authorization) }),
    );
    const { lines, logger } = capturingLogger();
    const rt = new Runtime(testApi, {
      baseUrl: server.url,
      credentials: { bearer: TOKEN, basic: { username: 'ann', password: 'pa55word!' }, queryKey: 'qk_1234567890abcdef', cookieKey: 'sess-0f9e8d7c' },
      logger,
      logLevel: 'debug',
      retry: false,
    });
    const errors = await Promise.all([
      rt.call(op.getThing!, { id: 'a1' }).catch((e: unknown) => e),
      rt.call(op.listThings!, { limit: 5 }).catch((e: unknown) => e),
      rt.call(op.createThing!, { body: { name: 'x' } }).catch((e: unknown) => e),
      rt.call(op.putThing!, { id: 'a1', body: { name: 'x' } }).catch((e: unknown) => e),
    ]);
    const basic = Buffer.from('ann:pa55word!').toString('base64');
    const shown = exposed(errors, lines);
    expect(errors.every((e) => e instanceof AuthenticationError)).toBe(true);
    for (const secret of [TOKEN, 'qk_1234567890abcdef', 'pa55word!', basic, 'sess-0f9e8d7c']) expect(shown).not.toContain(secret);
    expect(shown).toContain('api_key=[REDACTED]');
    expect(lines.length).toBeGreaterThan(4);
  });

  it('scrubs a credential echoed in a connection error message', async () => {
    const port = await freePort();
    const { lines, logger } = capturingLogger();
    const rt = new Runtime(testApi, { baseUrl: `http://127.0.0.1:${port}`, credentials: { queryKey: 'qk_1234567890abcdef' }, logger, logLevel: 'debug', retry: false });
    const error = await rt.call(op.listThings!, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(exposed([error], lines)).not.toContain('qk_1234567890abcdef');
  });
});
