import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { ClientCredentialsProvider } from '@provider-sdk/core';
import {
  type Clock,
  type ContactsListParams,
  createPax8Client,
  InvalidArgumentError,
  MemoryTokenStore,
  PAX8_AUDIENCE,
  PAX8_LEGACY_AUDIENCE,
  PAX8_LEGACY_TOKEN_URL,
  PAX8_RATE_LIMIT,
  PAX8_TOKEN_URL,
  RateLimitError,
  TokenError,
  toBodyBillingTerm,
} from '../src/index.js';

const CLIENT_ID = 'Pax8ClientId7Hq2';
const CLIENT_SECRET = 'pax8-secret-9f8e7d6c5b4a39281706';
const COMPANY = '3d06d6b5-2e2b-4c5a-9d0e-5f1c2a7b8e90';

// ---------------------------------------------------------------------------------------------
// A local Pax8: POST /token and the API, recording every request.

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}
type Handler = (req: Seen, res: ServerResponse) => void | Promise<void>;

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function localPax8(api: Handler, token?: Handler) {
  const seen: Seen[] = [];
  let issued = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://local');
    const r = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString() };
    seen.push(r);
    if (r.path === '/token') {
      issued += 1;
      if (token) await token(r, res);
      else send(res, 200, { access_token: `eyJ.local-token-${issued}.sig`, expires_in: 86400, token_type: 'Bearer' });
    } else await api(r, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tokenUrl: `${url}/token`,
    tokenRequests: () => seen.filter((r) => r.path === '/token'),
    apiRequests: () => seen.filter((r) => r.path !== '/token'),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const subscription = (n: number) => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, quantity: n, startDate: '2025-01-01', billingTerm: 'Monthly' });

/** A clock that never waits: sleeps are recorded and move time on. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 1_700_000_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    async sleep(ms, signal) {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
  };
}

// ---------------------------------------------------------------------------------------------

describe('createPax8Client: authentication defaults', () => {
  async function firstTokenRequest(options: Partial<Parameters<typeof createPax8Client>[0]>) {
    const requests: Request[] = [];
    const tokenFetch: typeof fetch = async (input, init) => {
      requests.push(new Request(input, init));
      return Response.json({ access_token: 'eyJ.default-url.sig', expires_in: 86400, token_type: 'Bearer' });
    };
    const apiFetch: typeof fetch = async () => Response.json({ content: [], page: { size: 10, totalElements: 0, totalPages: 0, number: 0 } });
    const pax8 = createPax8Client({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch: apiFetch, tokenFetch, ...options });
    await pax8.companies.list();
    return requests[0]!;
  }

  it('asks the documented token URL with the documented audience and a JSON body', async () => {
    const request = await firstTokenRequest({});
    expect(request.url).toBe(PAX8_TOKEN_URL);
    expect(request.url).toBe('https://api.pax8.com/v1/token');
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(await request.json()).toEqual({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, audience: PAX8_AUDIENCE, grant_type: 'client_credentials' });
  });

  it('uses the legacy token URL and audience when told to', async () => {
    const request = await firstTokenRequest({ tokenUrl: PAX8_LEGACY_TOKEN_URL, audience: PAX8_LEGACY_AUDIENCE });
    expect(request.url).toBe('https://login.pax8.com/oauth/token');
    expect(await request.json()).toMatchObject({ audience: 'api://p8p.client' });
  });

  it('needs a client id and secret, or an auth', () => {
    expect(() => createPax8Client({} as never)).toThrow(InvalidArgumentError);
    expect(() => createPax8Client({ clientId: CLIENT_ID } as never)).toThrow(/clientSecret is required/);
    expect(createPax8Client({ auth: 'a-bearer-token-from-elsewhere' }).auth).toBe('a-bearer-token-from-elsewhere');
  });
});

describe('createPax8Client: options from the environment', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads PAX8_CLIENT_ID, PAX8_CLIENT_SECRET, PAX8_TOKEN_URL and PAX8_BASE_URL when the options are left out', async () => {
    const local = await localPax8((_r, res) => send(res, 200, { content: [], page: { size: 10, totalElements: 0, totalPages: 0, number: 0 } }));
    vi.stubEnv('PAX8_CLIENT_ID', CLIENT_ID);
    vi.stubEnv('PAX8_CLIENT_SECRET', CLIENT_SECRET);
    vi.stubEnv('PAX8_TOKEN_URL', local.tokenUrl);
    vi.stubEnv('PAX8_BASE_URL', local.url);
    await createPax8Client().companies.list();
    expect(JSON.parse(local.tokenRequests()[0]!.body)).toMatchObject({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(local.apiRequests().map((r) => r.path)).toEqual(['/companies']);
  });

  it('names the variable when the client id is missing', () => {
    vi.stubEnv('PAX8_CLIENT_SECRET', CLIENT_SECRET);
    expect(() => createPax8Client()).toThrow(/clientId is required.*PAX8_CLIENT_ID/);
  });
});

describe('createPax8Client: iterating a list fetches pages of 200 until the last', () => {
  it('walks subscriptions page by page, keeping the filter on every request', async () => {
    const local = await localPax8((req, res) => {
      const page = Number(req.query.get('page'));
      const items = page < 2 ? Array.from({ length: 200 }, (_, i) => subscription(page * 200 + i)) : [subscription(400), subscription(401)];
      send(res, 200, { content: items, page: { size: 200, totalElements: 402, totalPages: 3, number: page } });
    });
    const pax8 = createPax8Client({ baseUrl: local.url, tokenUrl: local.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const quantities: number[] = [];
    for await (const s of pax8.subscriptions.list({ companyId: COMPANY })) quantities.push(s.quantity!);
    expect(quantities).toEqual(Array.from({ length: 402 }, (_, i) => i));
    expect(local.apiRequests().map((r) => Object.fromEntries(r.query))).toEqual([
      { companyId: COMPANY, size: '200' }, // the first page is the API's page 0; `page` is only sent when given
      { companyId: COMPANY, page: '1', size: '200' },
      { companyId: COMPANY, page: '2', size: '200' },
    ]);
    expect(local.apiRequests().every((r) => r.path === '/subscriptions')).toBe(true);
  });

  it('resumes from nextPageParams(): typed as the method\'s params, path parameter and filters included', async () => {
    const local = await localPax8((req, res) => {
      const page = Number(req.query.get('page') ?? 0);
      send(res, 200, { content: [{ firstName: `p${page}` }], page: { size: 1, totalElements: 2, totalPages: 2, number: page } });
    });
    const pax8 = createPax8Client({ baseUrl: local.url, tokenUrl: local.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const first = await pax8.contacts.list({ companyId: COMPANY, size: 1 });
    const next = first.nextPageParams();
    expectTypeOf(next).toEqualTypeOf<ContactsListParams | undefined>();
    const second = await pax8.contacts.list(next!); // another run could have stored `next`
    expect(second.items.map((c) => c.firstName)).toEqual(['p1']);
    expect(second.nextPageParams()).toBeUndefined();
    expect(local.apiRequests().map((r) => r.path)).toEqual([`/companies/${COMPANY}/contacts`, `/companies/${COMPANY}/contacts`]);
  });

  it('stops at once on an empty list (totalPages 0), and pages usage lines with their usageDate', async () => {
    const local = await localPax8((req, res) => {
      if (req.path === '/companies') send(res, 200, { content: [], page: { size: 200, totalElements: 0, totalPages: 0, number: 0 } });
      else {
        const page = Number(req.query.get('page'));
        send(res, 200, {
          content: page === 0 ? Array.from({ length: 200 }, () => ({ usageDate: '2025-06-30' })) : [{ usageDate: '2025-06-30' }],
          page: { size: 200, totalElements: 201, totalPages: 2, number: page },
        });
      }
    });
    const pax8 = createPax8Client({ baseUrl: local.url, tokenUrl: local.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const none = [];
    for await (const c of pax8.companies.list({ city: 'New York' })) none.push(c);
    expect(none).toEqual([]);
    let lines = 0;
    for await (const _ of pax8.usageSummaries.listLines({ usageSummaryId: '7e6d5c4b-3a29-4187-8f6e-5d4c3b2a1f0e', usageDate: '2025-06-30' })) lines++;
    expect(lines).toBe(201);
    expect(local.apiRequests().map((r) => `${r.path}?${r.query}`)).toEqual([
      '/companies?size=200&city=New+York',
      '/usage-summaries/7e6d5c4b-3a29-4187-8f6e-5d4c3b2a1f0e/usage-lines?usageDate=2025-06-30&size=200',
      '/usage-summaries/7e6d5c4b-3a29-4187-8f6e-5d4c3b2a1f0e/usage-lines?usageDate=2025-06-30&page=1&size=200',
    ]);
  });
});

describe('createPax8Client: the token lifecycle against a local token server', () => {
  it('makes exactly one token request for 100 concurrent calls on a cold client', async () => {
    const local = await localPax8(
      (req, res) => send(res, 200, { id: req.path.split('/').pop(), name: 'Initech', status: 'Active', auth: req.headers.authorization }),
      async (_req, res) => {
        await new Promise((r) => setTimeout(r, 30));
        send(res, 200, { access_token: 'eyJ.one-token.sig', expires_in: 86400, token_type: 'Bearer' });
      },
    );
    const pax8 = createPax8Client({ baseUrl: local.url, tokenUrl: local.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    await Promise.all(Array.from({ length: 100 }, () => pax8.companies.get({ companyId: COMPANY })));
    expect(local.tokenRequests()).toHaveLength(1);
    expect(local.apiRequests()).toHaveLength(100);
    expect(new Set(local.apiRequests().map((r) => r.headers.authorization))).toEqual(new Set(['Bearer eyJ.one-token.sig']));
  });

  it('renews the token once and retries once when the API answers 401', async () => {
    const local = await localPax8((req, res) =>
      req.headers.authorization === 'Bearer eyJ.local-token-1.sig'
        ? send(res, 401, { type: 'UNAUTHORIZED', message: 'Jwt expired', instance: '/public/v1/companies', status: 401, details: [] })
        : send(res, 200, { id: COMPANY, name: 'Initech', status: 'Active' }),
    );
    const pax8 = createPax8Client({ baseUrl: local.url, tokenUrl: local.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    await expect(pax8.companies.get({ companyId: COMPANY })).resolves.toMatchObject({ name: 'Initech' });
    expect(local.tokenRequests()).toHaveLength(2);
    expect(local.apiRequests().map((r) => r.headers.authorization)).toEqual(['Bearer eyJ.local-token-1.sig', 'Bearer eyJ.local-token-2.sig']);
  });

  it('reports bad credentials as a TokenError naming the token URL and the status, never the secret', async () => {
    const local = await localPax8(
      (_req, res) => send(res, 500, {}),
      (_req, res) => send(res, 401, { error: 'access_denied', error_description: 'Unauthorized' }),
    );
    const pax8 = createPax8Client({ baseUrl: local.url, tokenUrl: local.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const error = (await pax8.companies.list().catch((e: unknown) => e)) as TokenError;
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ status: 401, url: local.tokenUrl, provider: 'Pax8', code: 'access_denied' });
    expect(error.message).toBe(`Pax8 401 (access_denied): token request refused: Unauthorized [POST ${local.tokenUrl}]`);
    expect(`${error.stack} ${JSON.stringify(error)}`).not.toContain(CLIENT_SECRET);
    expect(local.apiRequests()).toHaveLength(0);
  });

  it('shares one token between two clients: by passing auth, or through a shared token store', async () => {
    const local = await localPax8((_req, res) => send(res, 200, { id: COMPANY, name: 'Initech', status: 'Active' }));
    const first = createPax8Client({ baseUrl: local.url, tokenUrl: local.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const second = createPax8Client({ baseUrl: local.url, auth: first.auth });
    await first.companies.get({ companyId: COMPANY });
    await second.companies.get({ companyId: COMPANY });
    expect(local.tokenRequests()).toHaveLength(1);

    const tokenStore = new MemoryTokenStore();
    const options = { baseUrl: local.url, tokenUrl: local.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenStore };
    await createPax8Client(options).companies.get({ companyId: COMPANY });
    await createPax8Client(options).companies.get({ companyId: COMPANY });
    expect(local.tokenRequests()).toHaveLength(2);
    expect((first.auth as ClientCredentialsProvider).storeKey).not.toContain(CLIENT_SECRET);
  });
});

describe('createPax8Client: rate limiting', () => {
  const ok = async () => Response.json({ content: [], page: { size: 10, totalElements: 0, totalPages: 0, number: 0 } });

  it('limits every client to 1000 requests per minute by default', async () => {
    expect(PAX8_RATE_LIMIT).toEqual({ limit: 1000, intervalMs: 60_000 });
    const clock = fakeClock();
    let sent = 0;
    const pax8 = createPax8Client({ auth: 'static-token', clock, fetch: async () => {
        sent++;
        return ok();
      },
      validate: false,
    });
    await Promise.all(Array.from({ length: 1000 }, () => pax8.products.list()));
    expect(sent).toBe(1000);
    expect(clock.sleeps).toEqual([]); // the first 1000 within the minute go at once
    await pax8.products.list();
    expect(sent).toBe(1001);
    expect(clock.sleeps).toHaveLength(1); // the 1001st waited for the budget to refill
  });

  it('can be configured, or switched off', async () => {
    const limited = fakeClock();
    const a = createPax8Client({ auth: 'static-token', clock: limited, fetch: ok, rateLimit: { limit: 2, intervalMs: 1_000 } });
    await Promise.all(Array.from({ length: 5 }, () => a.products.list()));
    expect(limited.sleeps.length).toBeGreaterThan(0);
    const free = fakeClock();
    const b = createPax8Client({ auth: 'static-token', clock: free, fetch: ok, rateLimit: false });
    await Promise.all(Array.from({ length: 1500 }, () => b.products.list()));
    expect(free.sleeps).toEqual([]);
  });

  it('retries a 429 after the Retry-After the server sends, within a bounded budget', async () => {
    const clock = fakeClock();
    let calls = 0;
    const tooMany = () => Response.json({ type: 'TOO_MANY_REQUESTS', message: 'Too many requests', status: 429 }, { status: 429, headers: { 'retry-after': '2' } });
    const pax8 = createPax8Client({ auth: 'static-token', clock, fetch: async () => (++calls === 1 ? tooMany() : ok()) });
    await pax8.companies.list();
    expect(calls).toBe(2);
    expect(clock.sleeps).toEqual([2_000]);

    const always = fakeClock();
    let attempts = 0;
    const stubborn = createPax8Client({ auth: 'static-token', clock: always, fetch: async () => {
        attempts++;
        return tooMany();
      },
      retry: { maxAttempts: 4 },
    });
    await expect(stubborn.companies.list()).rejects.toBeInstanceOf(RateLimitError);
    expect(attempts).toBe(4); // not forever, unlike the PowerShell module's sleep-8-s-and-recurse
  });
});

describe('createPax8Client: redaction', () => {
  it('keeps the client secret and the access token out of every log line and error, at logLevel debug', async () => {
    const lines: string[] = [];
    const log = (level: string) => (message: string, fields?: unknown) => lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
    const local = await localPax8((req, res) => {
      const echo = `${req.headers.authorization} ${CLIENT_SECRET}`;
      if (req.headers.authorization === 'Bearer eyJ.local-token-1.sig') send(res, 401, { type: 'UNAUTHORIZED', message: `expired ${echo}`, status: 401 });
      else send(res, 404, { type: 'NOT_FOUND', message: `Company Not Found for ${echo}`, instance: req.path, status: 404, details: [] });
    });
    const pax8 = createPax8Client({ baseUrl: local.url, tokenUrl: local.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, logger, logLevel: 'debug', retry: false });
    const notFound = await pax8.companies.get({ companyId: COMPANY }).catch((e: unknown) => e);
    const refused = createPax8Client({
      baseUrl: local.url,
      tokenUrl: `${local.url}/nowhere/token`,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      logger,
      logLevel: 'debug',
      tokenFetch: async () => Response.json({ error: 'access_denied', error_description: `bad secret ${CLIENT_SECRET}` }, { status: 401 }),
    });
    const tokenError = await refused.companies.list().catch((e: unknown) => e);
    expect(notFound).toMatchObject({ status: 404 });
    expect(tokenError).toBeInstanceOf(TokenError);
    expect(lines.filter((l) => l.startsWith('debug')).length).toBeGreaterThan(1);
    const shown = [...lines, ...[notFound, tokenError].map((e) => `${String(e)} ${(e as Error).stack} ${JSON.stringify(e)} ${JSON.stringify((e as { body: unknown }).body)}`)].join('\n');
    for (const secret of [CLIENT_SECRET, 'eyJ.local-token-1.sig', 'eyJ.local-token-2.sig']) expect(shown).not.toContain(secret);
    expect(shown).toContain('[REDACTED]');
  });
});

describe('quirk helpers', () => {
  it('passes every billing term request bodies take (the documented and the legacy spelling) and refuses the rest', () => {
    expect(toBodyBillingTerm('One-Time')).toBe('One-Time');
    expect(toBodyBillingTerm('1-Time')).toBe('1-Time');
    expect(toBodyBillingTerm('Activation')).toBe('Activation');
    expect(() => toBodyBillingTerm('Weekly')).toThrow(InvalidArgumentError);
  });
});
