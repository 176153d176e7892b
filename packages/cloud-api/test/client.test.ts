import { beforeEach, describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  type CloudApiClientOptions,
  createCloudApiClient,
  EnvelopeError,
  InternalServerError,
  InvalidArgumentError,
  MissingJobGuidError,
  REDACTED,
} from '../src/index.js';
import { capturingLogger, shown, useCaptureServer } from './helpers.js';
import { serverArgsOf } from './server-decoder.js';

const server = useCaptureServer();
const USER = 'admin';
const PASSWORD = 'Sup3r-Secret!';
const TOKEN = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
const CUSTOMER = '6f1d2c3b-4a59-4e8d-9c7b-1a2b3c4d5e6f';
const JOB = '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';
const client = (options: Partial<CloudApiClientOptions> = {}) =>
  createCloudApiClient({ baseUrl: server.url, retry: false, username: USER, password: PASSWORD, ...options });

beforeEach(() => server.reset());

describe('credentials', () => {
  it('sends HTTP Basic in the Authorization header, never in the URL', async () => {
    await client().customer.listStatuses();
    const [request] = server.requests;
    expect(request!.headers.authorization).toBe(`Basic ${TOKEN}`);
    expect(request!.url).not.toContain(PASSWORD);
    expect(request!.url).not.toContain(USER);
  });

  it('lifts name:password@ out of a base URL in the docs form, into the header', async () => {
    const password = 'p@ss:w/rd?#1';
    const cloud = createCloudApiClient({ baseUrl: `http://ops%40acme:${encodeURIComponent(password)}@127.0.0.1:${server.port}`, retry: false });
    await cloud.customer.list();
    const [request] = server.requests;
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from(`ops@acme:${password}`).toString('base64')}`);
    expect(request!.url).toBe('/cloud_api_customer/list');
    expect(request!.headers.host).toBe(`127.0.0.1:${server.port}`);
  });

  it('accepts the same credentials in the URL and the options, and refuses different ones without showing them', () => {
    expect(() => createCloudApiClient({ baseUrl: `http://${USER}:${PASSWORD}@example.net`, username: USER, password: PASSWORD })).not.toThrow();
    let error: unknown;
    try {
      createCloudApiClient({ baseUrl: `http://${USER}:${PASSWORD}@example.net`, username: USER, password: 'other-password' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(shown(error)).not.toContain(PASSWORD);
    expect(shown(error)).not.toContain('other-password');
  });

  it('refuses a malformed base URL without echoing it (it may hold a password)', () => {
    let error: unknown;
    try {
      createCloudApiClient({ baseUrl: `http://${USER}:${PASSWORD}@host:notaport/appserver/rest` });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/baseUrl must be an absolute http\(s\) URL/);
    expect(shown(error)).not.toContain(PASSWORD);
  });

  it('requires a username and a password, and a username HTTP Basic can carry', () => {
    expect(() => createCloudApiClient({ baseUrl: server.url } as CloudApiClientOptions)).toThrow(/username is required.*password is required/);
    expect(() => createCloudApiClient({ username: 'a:b', password: PASSWORD })).toThrow(/username must not contain ":"/);
    // (The server's host has no default any more: give one.)
    expect(() => createCloudApiClient({ baseUrl: server.url, username: USER, password: '' })).not.toThrow();
  });

  it('keeps the password, the Basic token and the portal password out of every log line and error', async () => {
    const logger = capturingLogger();
    const portalPassword = 'ITPS-portal-pw-42';
    const cloud = client({ logger, logLevel: 'debug' });
    server.answer(
      { body: { result: true, jobguid: JOB } },
      {
        status: 500,
        body: { error: true, code: 8002, message: 'Internal server error', exception: `login failed for ${USER} with ${portalPassword}` },
      },
    );
    const domain = { customerguid: CUSTOMER, username: 'acme-admin', password: portalPassword, domain: 'acme-hosting.example' };
    await cloud.customer.registerDomain(domain);
    const error = await cloud.customer.unregisterDomain(domain).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);

    // The portal password does reach the server, as a JSON string...
    expect(serverArgsOf(server.requests[0]!.url).password).toBe(portalPassword);
    // ...but no URL, message, body or log line the client shows carries it, or the Basic credentials.
    expect((error as ApiError).url).toContain(`password=${REDACTED}`);
    expect((error as ApiError).providerMessage).toBe('Internal server error');
    expect(JSON.stringify((error as ApiError).body)).toContain(REDACTED);
    const everything = `${logger.lines.join('\n')}\n${shown(error)}`;
    expect(logger.lines.some((line) => line.startsWith('debug →'))).toBe(true);
    for (const secret of [PASSWORD, TOKEN, portalPassword, encodeURIComponent(JSON.stringify(portalPassword))]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('keeps the credentials out of a 401 and of connection errors', async () => {
    server.answer({ status: 401, body: { error: true, code: 9000, message: 'Authentication required', exception: 'Authentication required' } });
    const logger = capturingLogger();
    const denied = await client({ logger, logLevel: 'debug' }).customer.list().catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AuthenticationError);
    expect(denied).toMatchObject({ status: 401, code: 9000, providerMessage: 'Authentication required' });
    const unreachable = await createCloudApiClient({ baseUrl: `http://${USER}:${PASSWORD}@127.0.0.1:1`, retry: false, logger, logLevel: 'debug' })
      .customer.list()
      .catch((e: unknown) => e);
    expect((unreachable as Error).name).toBe('ConnectionError');
    for (const text of [shown(denied), shown(unreachable), logger.lines.join('\n')]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(TOKEN);
    }
  });
});

describe('server address', () => {
  it('builds http://host:port/appserver/rest by default, and the bare REST port without the prefix', async () => {
    const withPrefix = createCloudApiClient({ host: '127.0.0.1', port: server.port, username: USER, password: PASSWORD, retry: false });
    const bare = createCloudApiClient({ host: '127.0.0.1', port: String(server.port), basePath: '', username: USER, password: PASSWORD, retry: false });
    await withPrefix.customer.list();
    await bare.customer.list();
    expect(server.requests.map((r) => r.url)).toEqual(['/appserver/rest/cloud_api_customer/list', '/cloud_api_customer/list']);
  });

  it('refuses server parts that would make another URL', () => {
    const creds = { username: USER, password: PASSWORD };
    expect(() => createCloudApiClient({ ...creds, host: 'evil.example/x' })).toThrow(/host must be a host name/);
    expect(() => createCloudApiClient({ ...creds, port: 70000 })).toThrow(/port must be a port number/);
    expect(() => createCloudApiClient({ ...creds, basePath: '/appserver/rest/dom' as never })).toThrow(/basePath must be/);
    expect(() => createCloudApiClient({ ...creds, baseUrl: server.url, port: 8889 })).toThrow(/give one of them, not both/);
  });
});

describe('answers', () => {
  it('returns result, decoding the JSON-string results', async () => {
    const customers = [{ guid: CUSTOMER, name: '123', description: '{"a":1}', address: '', city: 'Gent', country: 'BE', status: 'ACTIVE' }];
    server.answer({ body: { result: JSON.stringify(customers), jobguid: null } }, { body: { result: '["ACTIVE"]', jobguid: JOB } }, { body: { result: CUSTOMER, jobguid: JOB } });
    expect(await client().customer.list()).toEqual(customers);
    expect(await client().customer.find({ name: '123' })).toEqual(['ACTIVE']);
    expect(await client().customer.create({ name: '123' })).toBe(CUSTOMER);
  });

  it('refuses a JSON-string result that is not JSON', async () => {
    server.answer({ body: { result: '[not json', jobguid: null } });
    const error = await client().customer.listStatuses().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).providerMessage).toMatch(/not the JSON document/);
  });

  it('turns {error: true} inside an HTTP 200 into an EnvelopeError', async () => {
    server.answer({ body: { error: true, code: 8002, message: 'Internal server error', exception: 'boom' } });
    const error = await client().customer.delete({ customerguid: CUSTOMER }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvelopeError);
    expect(error).toMatchObject({ status: 200, code: 8002, providerMessage: 'Internal server error', operationId: 'customerDelete' });
  });
});

describe('background jobs', () => {
  it('sends executionparams.wait = false (a boolean) and returns the job guid', async () => {
    server.answer({ body: { result: null, jobguid: JOB } });
    const jobguid = await client().async.customer.delete({ customerguid: CUSTOMER, executionparams: { maxduration: 60, userErrormsg: 'false' } });
    expect(jobguid).toBe(JOB);
    expect(serverArgsOf(server.requests[0]!.url)).toEqual({ customerguid: CUSTOMER, executionparams: { maxduration: 60n, userErrormsg: 'false', wait: false } });
  });

  it('works for methods without required parameters', async () => {
    server.answer({ body: { result: null, jobguid: JOB } });
    expect(await client().async.customer.listStatuses()).toBe(JOB);
    expect(serverArgsOf(server.requests[0]!.url)).toEqual({ executionparams: { wait: false } });
  });

  it('fails clearly when the server started no job to follow', async () => {
    server.answer({ body: { result: null, jobguid: null } });
    await expect(client().async.customer.create({ name: 'Acme' })).rejects.toThrow(MissingJobGuidError);
  });

  it('still reports failures, including {error: true} inside an HTTP 200', async () => {
    server.answer({ body: { error: true, code: 8002, message: 'Internal server error', exception: null } });
    await expect(client().async.customer.create({ name: 'Acme' })).rejects.toBeInstanceOf(EnvelopeError);
  });

  it('refuses wait: true in the background, and wait: false on a waiting call', async () => {
    await expect(client().async.customer.create({ name: 'Acme', executionparams: { wait: true } })).rejects.toThrow(
      /executionparams\.wait must not be true for a background call/,
    );
    await expect(client().customer.create({ name: 'Acme', executionparams: { wait: false } })).rejects.toThrow(
      /use client\.async\.customer\.create\(\)/,
    );
    await expect(client().async.customer.create({ name: 'Acme', executionparams: Number.NaN as never })).rejects.toThrow(InvalidArgumentError);
    await expect(client().async.customer.create({ name: 'Acme', executionparams: { priority: Number.NaN } })).rejects.toThrow(/finite number/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('retries', () => {
  const retry = { maxAttempts: 2, baseDelayMs: 0, jitter: 0 };
  const busy = { status: 503, body: { error: true, code: 8002, message: 'busy', exception: null } };
  const failed = { status: 500, body: { error: true, code: 8002, message: 'Internal server error', exception: 'no such customer' } };

  it('repeats a read after a 503, but never a call that changes something', async () => {
    server.answer(busy, { body: { result: '[]', jobguid: null } });
    expect(await client({ retry }).customer.list()).toEqual([]);
    expect(server.requests).toHaveLength(2);
    server.reset();
    server.answer(busy);
    await expect(client({ retry }).customer.create({ name: 'Acme' })).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
  });

  it('does not repeat a 500 by default: it is the answer of a method that raised', async () => {
    server.answer(failed);
    await expect(client({ retry: { ...retry, statuses: undefined } }).customer.getYAML({ customerguid: CUSTOMER })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
    server.reset();
    server.answer(failed);
    await expect(client({ retry: { ...retry, statuses: [500] } }).customer.getYAML({ customerguid: CUSTOMER })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(2);
  });
});
