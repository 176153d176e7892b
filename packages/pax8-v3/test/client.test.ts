import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPax8Client } from '@provider-sdk/pax8';
import { afterEach, describe, expect, it } from 'vitest';
import { createPax8V3Client, MsTenantIdNotFoundError, NotFoundError, PAX8_TOKEN_URL, TokenError } from '../src/index.js';

const COMPANY = '3d06d6b5-2e2b-4c5a-9d0e-5f1c2a7b8e90';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = 'Pax8ClientId7Hq2';
const CLIENT_SECRET = 'pax8-v3-secret-0a9b8c7d6e5f';

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

interface Seen {
  path: string;
  authorization: string | undefined;
}

/** A local Pax8: `/token`, the v1 API under `/v1`, the portal under `/p8p`. `routes` answers by path. */
async function localPax8(routes: (path: string, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  let issued = 0;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    seen.push({ path, authorization: req.headers.authorization });
    if (path === '/token') {
      issued += 1;
      return send(res, 200, { access_token: `eyJ.shared-${issued}.sig`, expires_in: 86400, token_type: 'Bearer' });
    }
    routes(path, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, tokenRequests: () => seen.filter((s) => s.path === '/token').length };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const V3 = `/p8p/api/v3/companies/${COMPANY}/msTenantId`;
const V2 = '/p8p/api-v2/1/provisionDetail';

function portalFor(url: string, extra: Partial<Parameters<typeof createPax8V3Client>[0]> = {}) {
  return createPax8V3Client({ baseUrl: `${url}/p8p`, tokenUrl: `${url}/token`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, retry: false, ...extra });
}

describe('createPax8V3Client', () => {
  it('calls https://app.pax8.com/p8p by default, and asks the documented token URL', async () => {
    const urls: string[] = [];
    const client = createPax8V3Client({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      fetch: async (input) => {
        const url = new Request(input).url;
        urls.push(url);
        return url === PAX8_TOKEN_URL ? Response.json({ access_token: 'eyJ.default.sig', expires_in: 86400, token_type: 'Bearer' }) : Response.json([]);
      },
    });
    await client.companies.list();
    expect(urls).toEqual([PAX8_TOKEN_URL, 'https://app.pax8.com/p8p/api-v2/1/company']);
  });

  it('shares one token with a v1 client when given its auth', async () => {
    const local = await localPax8((path, res) => {
      if (path.startsWith('/v1/')) send(res, 200, { id: COMPANY, name: 'Initech LLC', status: 'Active' });
      else send(res, 200, { tenantId: TENANT });
    });
    const pax8 = createPax8Client({ baseUrl: `${local.url}/v1`, tokenUrl: `${local.url}/token`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const portal = createPax8V3Client({ baseUrl: `${local.url}/p8p`, auth: pax8.auth });
    await Promise.all([pax8.companies.get({ companyId: COMPANY }), portal.msTenantId(COMPANY), portal.msTenantId(COMPANY)]);
    expect(local.tokenRequests()).toBe(1);
    expect(new Set(local.seen.filter((s) => s.path !== '/token').map((s) => s.authorization))).toEqual(new Set(['Bearer eyJ.shared-1.sig']));
  });

  it('shares one rate-limit budget with a v1 client when given its rateLimiter', async () => {
    let now = 1_700_000_000_000;
    const sleeps: number[] = [];
    const clock = {
      now: () => now,
      async sleep(ms: number, signal?: AbortSignal) {
        signal?.throwIfAborted();
        sleeps.push(ms);
        now += ms;
      },
    };
    const local = await localPax8((path, res) => {
      if (path.startsWith('/v1/')) send(res, 200, { id: COMPANY, name: 'Initech LLC', status: 'Active' });
      else send(res, 200, { tenantId: TENANT });
    });
    const pax8 = createPax8Client({ baseUrl: `${local.url}/v1`, auth: 'static-token', clock, rateLimit: { limit: 2, intervalMs: 60_000 } });
    const portal = createPax8V3Client({ baseUrl: `${local.url}/p8p`, auth: pax8.auth, rateLimit: pax8.rateLimiter, clock });
    expect(portal.rateLimiter).toBe(pax8.rateLimiter);
    await pax8.companies.get({ companyId: COMPANY });
    await portal.msTenantId(COMPANY);
    expect(sleeps).toEqual([]); // two requests: the shared budget of 2 is spent
    await pax8.companies.get({ companyId: COMPANY });
    expect(sleeps).toHaveLength(1); // the third waited, whichever client spent the first two
    // A client with its own budget does not wait on the v1 client's.
    const separate = createPax8V3Client({ baseUrl: `${local.url}/p8p`, auth: pax8.auth, clock });
    expect(separate.rateLimiter).not.toBe(pax8.rateLimiter);
    await separate.msTenantId(COMPANY);
    expect(sleeps).toHaveLength(1);
  });

  it('falls back to api-v2 when the v3 route cannot be reached (connection dropped) or fails with a 5xx', async () => {
    let v3Status = 0;
    const local = await localPax8((path, res) => {
      if (path === V3) {
        if (v3Status === 0) res.socket?.destroy();
        else send(res, v3Status, { type: 'INTERNAL_SERVER_ERROR', message: 'boom', status: v3Status });
      } else if (path === V2) send(res, 200, [{ entryName: 'msTenantID', entryValue: TENANT }]);
      else send(res, 404, {});
    });
    const portal = portalFor(local.url);
    expect(await portal.msTenantId(COMPANY)).toEqual({ tenantId: TENANT, route: 'api-v2', v3Failure: 'ConnectionError' });
    v3Status = 503;
    expect(await portal.msTenantId(COMPANY)).toEqual({ tenantId: TENANT, route: 'api-v2', v3Failure: '503 InternalServerError' });
    // Transient failures do not make the client skip v3 next time.
    expect(local.seen.filter((s) => s.path === V3)).toHaveLength(2);
  });

  it('falls back when the v3 answer has no tenantId, and matches the entry name case-insensitively', async () => {
    const local = await localPax8((path, res) => {
      if (path === V3) send(res, 200, {});
      else send(res, 200, [{ entryName: 'msDomain', entryValue: 'initech' }, { entryName: 'MSTenantId', entryValue: ` ${TENANT} ` }]);
    });
    expect(await portalFor(local.url).msTenantId(COMPANY)).toEqual({ tenantId: TENANT, route: 'api-v2', v3Failure: 'the v3 answer has no tenantId' });
  });

  it('says clearly when neither route has the tenant id', async () => {
    const local = await localPax8((path, res) => {
      if (path === V3) send(res, 404, { type: 'NOT_FOUND', message: 'Not Found', status: 404 });
      else send(res, 200, [{ entryName: 'msDomain', entryValue: 'initech' }, { entryName: 'msTenantID', entryValue: null }]);
    });
    const error = (await portalFor(local.url).msTenantId(COMPANY).catch((e: unknown) => e)) as MsTenantIdNotFoundError;
    expect(error).toBeInstanceOf(MsTenantIdNotFoundError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, companyId: COMPANY, v3Failure: '404 NotFoundError' });
    expect(error.message).toContain(`no Microsoft tenant id for company ${COMPANY}`);
    expect(error.message).toContain('api-v2 provisionDetail has no msTenantID entry');
  });

  it('does not hide a token failure behind the fallback', async () => {
    const tokenFetch: typeof fetch = async () => Response.json({ error: 'access_denied', error_description: 'Unauthorized' }, { status: 401 });
    const local = await localPax8((_path, res) => send(res, 200, [{ entryName: 'msTenantID', entryValue: TENANT }]));
    const error = await portalFor(local.url, { tokenFetch }).msTenantId(COMPANY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect(`${(error as Error).stack} ${JSON.stringify(error)}`).not.toContain(CLIENT_SECRET);
    expect(local.seen).toEqual([]);
  });

  it('refuses a company id that is not a uuid before sending anything', async () => {
    const local = await localPax8((_path, res) => send(res, 200, {}));
    await expect(portalFor(local.url).msTenantId('not-a-uuid')).rejects.toThrow(/path.companyId must be a valid uuid/);
    expect(local.seen).toEqual([]);
  });
});
