import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthenticationError, ConnectionError, InvalidArgumentError, TokenError } from '../src/errors.js';
import { clientCredentials, clientCredentialsStoreKey } from '../src/oauth2.js';
import { Runtime } from '../src/runtime.js';
import type { ApiSpec } from '../src/spec.js';
import { MemoryTokenStore, type StoredToken, type TokenStore } from '../src/token-cache.js';
import { capturingLogger, exposed, fakeClock, json, type RecordedRequest, startServer, type TestServer } from '../../../scripts/testing/kit.js';

const CLIENT_ID = 'pax8-client-7Hq2';
const SECRET = 'cs_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const AUDIENCE = 'https://api.pax8.com';

/** An API with one OAuth2-protected operation; the tests point it at a local server. */
const api: ApiSpec = {
  provider: 'TokenTest',
  servers: [{ url: 'https://api.test.invalid' }],
  securitySchemes: { oauth: { type: 'oauth2', tokenUrl: 'https://api.test.invalid/token' } },
  schemas: {},
  operations: {
    getThing: {
      id: 'getThing',
      method: 'GET',
      path: '/things/{id}',
      params: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      security: [['oauth']],
    },
  },
};

interface Harness {
  server: TestServer;
  tokenUrl: string;
  tokenRequests: () => RecordedRequest[];
  apiRequests: () => RecordedRequest[];
}

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/**
 * One local server: `POST /token` is the token endpoint (`token(n)` answers the n-th token request,
 * 1-based), `GET /things/:id` the API (`resource(req)` answers; default: 200 unless the bearer token
 * is unknown).
 */
async function harness(
  token: (n: number, req: RecordedRequest, res: ServerResponse) => void | Promise<void> = (n, _req, res) =>
    json(res, 200, { access_token: `at-${n}-eyJhbGciOiJSUzI1NiJ9`, expires_in: 86400, token_type: 'Bearer' }),
  resource: (req: RecordedRequest, res: ServerResponse) => void = (req, res) => json(res, 200, { id: req.url.split('/').pop(), auth: 'ok' }),
): Promise<Harness> {
  let issued = 0;
  const server = await startServer(async (req, res) => {
    if (req.url === '/token') {
      issued += 1;
      await token(issued, req, res);
    } else resource(req, res);
  });
  servers.push(server);
  return {
    server,
    tokenUrl: `${server.url}/token`,
    tokenRequests: () => server.requests.filter((r) => r.url === '/token'),
    apiRequests: () => server.requests.filter((r) => r.url !== '/token'),
  };
}

function runtimeFor(h: Harness, provider: ReturnType<typeof clientCredentials>, extra: ConstructorParameters<typeof Runtime>[1] = {}) {
  const runtime = new Runtime(api, { baseUrl: h.server.url, credentials: { oauth: provider }, retry: false, ...extra });
  provider.registerSecrets(runtime.secrets);
  return runtime;
}

describe('clientCredentials: the token request', () => {
  it('POSTs the JSON body Pax8 documents: client_id, client_secret, audience, grant_type', async () => {
    const h = await harness();
    const auth = clientCredentials({ tokenUrl: h.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET, audience: AUDIENCE });
    expect(h.tokenRequests()).toHaveLength(0); // lazy: nothing is fetched before the first call
    expect(await auth.get()).toBe('at-1-eyJhbGciOiJSUzI1NiJ9');
    const [request] = h.tokenRequests();
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({ client_id: CLIENT_ID, client_secret: SECRET, audience: AUDIENCE, grant_type: 'client_credentials' });
  });

  it('can send a form-encoded body with a scope instead', async () => {
    const h = await harness();
    const auth = clientCredentials({ tokenUrl: h.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET, bodyFormat: 'form', scope: ['read', 'write'] });
    await auth.get();
    const [request] = h.tokenRequests();
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: SECRET,
      scope: 'read write',
    });
  });

  it('keys the store by token URL, client and audience, never by the secret', () => {
    const a = clientCredentialsStoreKey({ tokenUrl: 'https://api.pax8.com/v1/token', clientId: CLIENT_ID, audience: AUDIENCE });
    const b = clientCredentialsStoreKey({ tokenUrl: 'https://api.pax8.com/v1/token', clientId: CLIENT_ID, audience: 'api://p8p.client' });
    expect(a).toMatch(/^oauth2:[0-9a-f]{40}$/);
    expect(a).not.toBe(b);
    const auth = clientCredentials({ tokenUrl: 'https://api.pax8.com/v1/token', clientId: CLIENT_ID, clientSecret: SECRET, audience: AUDIENCE });
    expect(auth.storeKey).toBe(a);
    expect(auth.storeKey).not.toContain(SECRET);
    expect(() => clientCredentials({ tokenUrl: 'https://x.test/token', clientId: CLIENT_ID, clientSecret: SECRET, storeKey: `k-${SECRET}` })).toThrow(
      InvalidArgumentError,
    );
    expect(() => clientCredentials({ tokenUrl: 'not a url', clientId: '', clientSecret: '' })).toThrow(/tokenUrl must be an absolute.*clientId is required.*clientSecret is required/);
  });
});

describe('clientCredentials: the token lifecycle', () => {
  it('reuses the token until shortly before expires_in runs out, then renews it before it expires', async () => {
    const clock = fakeClock();
    const h = await harness((n, _req, res) => json(res, 200, { access_token: `tok-${n}-abcdef`, expires_in: 3600, token_type: 'Bearer' }));
    const auth = clientCredentials({ tokenUrl: h.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET, clock, refreshMarginMs: 120_000 });
    expect(await auth.get()).toBe('tok-1-abcdef');
    clock.advance(3_600_000 - 120_001);
    expect(await auth.get()).toBe('tok-1-abcdef');
    expect(h.tokenRequests()).toHaveLength(1);
    clock.advance(1); // the renewal point: still 2 minutes before the old token expires
    expect(await auth.get()).toBe('tok-2-abcdef');
    expect(h.tokenRequests()).toHaveLength(2);
    clock.advance(3_600_000 * 25); // a process older than 24 h keeps getting fresh tokens
    expect(await auth.get()).toBe('tok-3-abcdef');
  });

  it('makes exactly one token request for 100 concurrent calls on a cold client', async () => {
    const h = await harness(async (n, _req, res) => {
      await new Promise((r) => setTimeout(r, 30));
      json(res, 200, { access_token: `cold-${n}-token`, expires_in: 86400, token_type: 'Bearer' });
    });
    const auth = clientCredentials({ tokenUrl: h.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET, audience: AUDIENCE });
    const runtime = runtimeFor(h, auth);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => runtime.call<{ id: string }>(api.operations.getThing!, { id: String(i) })));
    expect(results.map((r) => r.id)).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    expect(h.tokenRequests()).toHaveLength(1);
    expect(auth.tokenRequests).toBe(1);
    expect(new Set(h.apiRequests().map((r) => r.headers.authorization))).toEqual(new Set(['Bearer cold-1-token']));
  });

  it('renews once and retries once when the API answers 401 to a token', async () => {
    const revoked = new Set(['at-1-eyJhbGciOiJSUzI1NiJ9']);
    const h = await harness(undefined, (req, res) => {
      const token = String(req.headers.authorization).replace(/^Bearer /, '');
      if (revoked.has(token)) json(res, 401, { type: 'UNAUTHORIZED', message: 'token revoked', status: 401 });
      else json(res, 200, { id: '7', token });
    });
    const auth = clientCredentials({ tokenUrl: h.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET });
    const runtime = runtimeFor(h, auth);
    const result = await runtime.call<{ token: string }>(api.operations.getThing!, { id: '7' });
    expect(result.token).toBe('at-2-eyJhbGciOiJSUzI1NiJ9');
    expect(h.tokenRequests()).toHaveLength(2);
    expect(h.apiRequests()).toHaveLength(2);
    // The next call uses the renewed token without asking again.
    await runtime.call(api.operations.getThing!, { id: '8' });
    expect(h.tokenRequests()).toHaveLength(2);
  });

  it('gives up after one renewal when the API refuses the new token too', async () => {
    const h = await harness(undefined, (_req, res) => json(res, 401, { type: 'UNAUTHORIZED', message: 'partner shell disabled', status: 401 }));
    const auth = clientCredentials({ tokenUrl: h.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET });
    const runtime = runtimeFor(h, auth);
    const error = await runtime.call(api.operations.getThing!, { id: '1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).not.toBeInstanceOf(TokenError);
    expect(h.tokenRequests()).toHaveLength(2);
    expect(h.apiRequests()).toHaveLength(2);
  });

  it('lets the next call try again after a failed token request', async () => {
    const h = await harness((n, _req, res) =>
      n === 1 ? json(res, 401, { error: 'access_denied', error_description: 'Unauthorized' }) : json(res, 200, { access_token: 'second-try', expires_in: 60 }),
    );
    const auth = clientCredentials({ tokenUrl: h.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET });
    await expect(auth.get()).rejects.toBeInstanceOf(TokenError);
    await expect(auth.get()).resolves.toBe('second-try');
  });

  it('shares one token between providers (workers) on a common store', async () => {
    const h = await harness();
    const store = new MemoryTokenStore();
    const options = { tokenUrl: h.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET, audience: AUDIENCE, store };
    const a = clientCredentials(options);
    const b = clientCredentials(options);
    expect(await a.get()).toBe(await b.get());
    expect(h.tokenRequests()).toHaveLength(1);
  });

  it('keeps working when the store fails: reads are misses, writes are logged', async () => {
    const h = await harness();
    const broken: TokenStore = {
      get: async () => {
        throw Object.assign(new Error(`connection refused ${SECRET}`), { code: 'ECONNREFUSED' });
      },
      set: async (_k: string, _t: StoredToken) => {
        throw new Error('READONLY');
      },
      delete: async () => {
        throw new Error('READONLY');
      },
    };
    const { text, logger } = capturingLogger();
    const auth = clientCredentials({ tokenUrl: h.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET, store: broken, logger });
    expect(await auth.get()).toBe('at-1-eyJhbGciOiJSUzI1NiJ9');
    await auth.invalidate('at-1-eyJhbGciOiJSUzI1NiJ9');
    expect(await auth.get()).toBe('at-2-eyJhbGciOiJSUzI1NiJ9');
    expect(text()).toContain('token store read failed');
    expect(text()).toContain('token store write failed');
    expect(text()).not.toContain(SECRET);
  });
});

describe('clientCredentials: token failures', () => {
  it('turns bad credentials into a TokenError naming the token URL and the status, never the secret', async () => {
    const h = await harness((_n, req, res) =>
      // A careless server that echoes the request body back in its error.
      json(res, 401, { error: 'access_denied', error_description: `Unauthorized client for ${req.body}` }),
    );
    const auth = clientCredentials({ tokenUrl: h.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET, provider: 'Pax8' });
    const error = (await auth.get().catch((e: unknown) => e)) as TokenError;
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, method: 'POST', url: h.tokenUrl, code: 'access_denied' });
    expect(error.message).toContain(h.tokenUrl);
    expect(error.message).toContain('401');
    expect(error.message).toContain('Unauthorized client');
    const shown = `${String(error)} ${error.stack} ${JSON.stringify(error)} ${JSON.stringify(error.body)}`;
    expect(shown).not.toContain(SECRET);
    expect(h.tokenRequests()).toHaveLength(1); // a 401 from the token endpoint is not retried
  });

  it('fails a call through the runtime with the TokenError, before the API is asked', async () => {
    const h = await harness((_n, _req, res) => json(res, 400, { error: 'invalid_request', error_description: 'audience is not valid' }));
    const auth = clientCredentials({ tokenUrl: h.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET, audience: 'api://wrong' });
    const runtime = runtimeFor(h, auth);
    const error = await runtime.call(api.operations.getThing!, { id: '1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ status: 400, url: h.tokenUrl });
    expect(h.apiRequests()).toHaveLength(0);
  });

  it('retries the token request after a 503 and a 429 (Retry-After), within its attempts', async () => {
    const clock = fakeClock();
    const h = await harness((n, _req, res) => {
      if (n === 1) json(res, 503, { error: 'temporarily_unavailable' });
      else if (n === 2) json(res, 429, { error: 'too_many_requests' }, { 'retry-after': '2' });
      else json(res, 200, { access_token: 'after-retries', expires_in: 86400 });
    });
    const auth = clientCredentials({ tokenUrl: h.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET, clock, retry: { maxAttempts: 3, random: () => 0.5 } });
    expect(await auth.get()).toBe('after-retries');
    expect(h.tokenRequests()).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[1]).toBe(2000);

    const failing = await harness((_n, _req, res) => json(res, 503, { error: 'temporarily_unavailable' }));
    const bounded = clientCredentials({ tokenUrl: failing.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET, clock, retry: { maxAttempts: 2 } });
    await expect(bounded.get()).rejects.toMatchObject({ name: 'TokenError', status: 503, attempts: 2 });
    expect(failing.tokenRequests()).toHaveLength(2);
  });

  it('refuses a token response without access_token, or with a token type that is not bearer', async () => {
    const h = await harness((n, _req, res) =>
      n === 1 ? json(res, 200, { expires_in: 86400 }) : json(res, 200, { access_token: 'mac-token-value', token_type: 'mac', expires_in: 60 }),
    );
    const auth = clientCredentials({ tokenUrl: h.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET, retry: false });
    await expect(auth.get()).rejects.toThrow(/has no access_token/);
    const error = (await auth.get().catch((e: unknown) => e)) as TokenError;
    expect(error).toBeInstanceOf(TokenError);
    expect(error.message).toMatch(/not a bearer token/);
  });

  it('reports an unreachable token endpoint as a ConnectionError naming the URL, not the secret', async () => {
    const h = await harness();
    const tokenUrl = h.tokenUrl;
    await h.server.close();
    servers = servers.filter((s) => s !== h.server);
    const auth = clientCredentials({ tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET, retry: false });
    const error = (await auth.get().catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.url).toBe(tokenUrl);
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(SECRET);
  });
});

describe('clientCredentials: redaction in every error and log line', () => {
  it('never shows the client secret or an access token, at logLevel debug', async () => {
    let tokenNo = 0;
    const h = await harness(
      (n, _req, res) => {
        tokenNo = n;
        json(res, 200, { access_token: `secret-access-token-${n}-xyz`, expires_in: 86400, token_type: 'Bearer' });
      },
      (req, res) => {
        // The API echoes the credentials it received into its error bodies.
        const echo = `${req.headers.authorization} ${SECRET}`;
        if (req.url.endsWith('/missing')) json(res, 404, { type: 'NOT_FOUND', message: `nothing here for ${echo}`, status: 404 });
        else if (tokenNo === 1) json(res, 401, { type: 'UNAUTHORIZED', message: `expired: ${echo}`, status: 401 });
        else json(res, 200, { id: 'ok', note: 'fine' });
      },
    );
    const { lines, logger } = capturingLogger();
    const auth = clientCredentials({ tokenUrl: h.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET, logger, logLevel: 'debug' });
    const runtime = runtimeFor(h, auth, { logger, logLevel: 'debug' });
    await runtime.call(api.operations.getThing!, { id: 'a' });
    const error = await runtime.call(api.operations.getThing!, { id: 'missing' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404 });

    const bad = await harness((_n, _req, res) => json(res, 401, { error: 'access_denied', error_description: `bad secret ${SECRET}` }));
    const refused = clientCredentials({ tokenUrl: bad.tokenUrl, clientId: CLIENT_ID, clientSecret: SECRET, logger, logLevel: 'debug' });
    const tokenError = await refused.get().catch((e: unknown) => e);

    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((l) => l.level === 'debug' && l.message.includes('token request'))).toBe(true);
    const shown = exposed([error, tokenError], lines);
    for (const secret of [SECRET, 'secret-access-token-1-xyz', 'secret-access-token-2-xyz']) expect(shown).not.toContain(secret);
    expect(shown).toContain('[REDACTED]');
  });
});
