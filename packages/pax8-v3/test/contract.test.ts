import { describe, expect, it } from 'vitest';
import { contractHarness, describeEveryOperation } from '../../../scripts/testing/contract.js';
import { createPax8V3Client, NotFoundError } from '../src/index.js';

const harness = contractHarness('pax8-v3');
const COMPANY = '3d06d6b5-2e2b-4c5a-9d0e-5f1c2a7b8e90';
const PARTNER = '0f1e2d3c-4b5a-4968-8776-655443322110';
const CLIENT_SECRET = 'pax8-v3-secret-0a9b8c7d6e5f';

/** A token endpoint in a function: counts token requests, hands out numbered tokens. */
function tokenEndpoint() {
  let requests = 0;
  const tokenFetch: typeof fetch = async () => {
    requests += 1;
    return Response.json({ access_token: `eyJ.portal-${requests}.sig`, expires_in: 86400, token_type: 'Bearer' });
  };
  return { tokenFetch, requests: () => requests };
}

/** Sends the v3 tenant-id call with `Prefer: code=<status>` so that Prism answers that error; the rest untouched. */
function v3Answers(status: number, sent: string[] = []): typeof fetch {
  return (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    sent.push(path);
    if (path.startsWith('/api/v3/companies/')) request.headers.set('Prefer', `code=${status}`);
    return harness.fetch(request);
  };
}

const token = tokenEndpoint();
const portal = createPax8V3Client({
  baseUrl: harness.baseUrl,
  fetch: harness.fetch,
  clientId: 'Pax8ClientId7Hq2',
  clientSecret: CLIENT_SECRET,
  tokenFetch: token.tokenFetch,
  retry: false,
});

describeEveryOperation(harness, portal);

describe('Pax8 portal (undocumented) against its Prism mock', () => {
  it('marks every operation of the spec undocumented', () => {
    expect(harness.model.operations.length).toBe(6);
    expect(harness.model.operations.filter((op) => op.stability !== 'undocumented')).toEqual([]);
  });

  it('takes the same credentials object as the v1 client and authenticates with its bearer token', async () => {
    await portal.companies.list({ size: 200 });
    harness.assertClean();
    expect(token.requests()).toBe(1);
  });

  it('answers msTenantId from the v3 route when it works, and says so', async () => {
    const result = await portal.msTenantId(COMPANY);
    harness.assertClean();
    expect(result).toEqual({ tenantId: harness.responseExample('getCompanyMsTenantId').tenantId, route: 'v3' });
  });

  it('falls back to the msTenantID entry of api-v2 provisionDetail when the v3 route answers 404', async () => {
    const sent: string[] = [];
    const client = createPax8V3Client({ baseUrl: harness.baseUrl, fetch: v3Answers(404, sent), auth: 'static-portal-token', retry: false });
    const result = await client.msTenantId(COMPANY);
    harness.assertClean();
    const entry = (harness.responseExample('listV2ProvisionDetails') as { entryName: string; entryValue: string }[]).find((e) => e.entryName === 'msTenantID');
    expect(result).toEqual({ tenantId: entry!.entryValue, route: 'api-v2', v3Failure: '404 NotFoundError' });
    expect(sent).toEqual([`/api/v3/companies/${COMPANY}/msTenantId`, '/api-v2/1/provisionDetail']);
  });

  it('falls back when the v3 route refuses the token (401), renewing it once, then skips v3 for this client', async () => {
    const sent: string[] = [];
    const tokens = tokenEndpoint();
    const client = createPax8V3Client({
      baseUrl: harness.baseUrl,
      fetch: v3Answers(401, sent),
      tokenFetch: tokens.tokenFetch,
      clientId: 'Pax8ClientId7Hq2',
      clientSecret: CLIENT_SECRET,
      retry: false,
    });
    expect(await client.msTenantId(COMPANY)).toMatchObject({ route: 'api-v2', v3Failure: '401 AuthenticationError' });
    expect(tokens.requests()).toBe(2); // the runtime's one renewal after a 401
    expect(await client.msTenantId(COMPANY)).toMatchObject({ route: 'api-v2' });
    harness.assertClean();
    expect(sent.filter((p) => p.startsWith('/api/v3/'))).toHaveLength(2); // first call and its one retry; none for the second
    expect(tokens.requests()).toBe(2);
  });

  it('can be asked for one route only', async () => {
    const client = createPax8V3Client({ baseUrl: harness.baseUrl, fetch: v3Answers(404), auth: 'static-portal-token', retry: false });
    await expect(client.msTenantId(COMPANY, { route: 'v3' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.msTenantId(COMPANY, { route: 'api-v2' })).resolves.toMatchObject({ route: 'api-v2' });
    harness.assertClean();
  });

  it('iterates the v3 product search page by page', async () => {
    const names: string[] = [];
    for await (const product of portal.products.search({ partnerGuid: PARTNER })) names.push(product.name ?? '');
    harness.assertClean();
    expect(names).toEqual(harness.responseExample('searchPartnerProducts').content.map((p: { name: string }) => p.name));
  });
});
