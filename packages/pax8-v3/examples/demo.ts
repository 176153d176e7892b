import { createPax8Client } from '@provider-sdk/pax8';
import { createPax8V3Client } from '../src/index.js';

/** A short tour of the client, run by `pnpm demo` against a Prism mock of the spec (and of pax8 for the token). */
export async function demo(baseUrl: string, print: (label: string, value: unknown) => void, mocks: Record<string, string> = {}): Promise<void> {
  const v1 = mocks.pax8;
  // The token comes from the v1 mock's POST /token; both clients share it.
  const pax8 = createPax8Client({ baseUrl: v1, tokenUrl: `${v1}/token`, clientId: 'demo-client-id', clientSecret: 'demo-client-secret' });
  const portal = createPax8V3Client({ baseUrl, auth: pax8.auth });

  const companies = await portal.companies.list({ size: 200 });
  print('companies.list() — api-v2, undocumented', companies);
  const companyId = companies[0]!.id;

  print('msTenantId(companyId) — v3 route', await portal.msTenantId(companyId));
  const v3Gone = createPax8V3Client({
    baseUrl,
    auth: pax8.auth,
    // Make the mock answer 404 on the v3 route only, to show the fallback.
    fetch: (input, init) => {
      const request = new Request(input, init);
      if (request.url.includes('/api/v3/companies/')) request.headers.set('Prefer', 'code=404');
      return fetch(request);
    },
  });
  print('msTenantId(companyId) — v3 answers 404, api-v2 provisionDetail answers', await v3Gone.msTenantId(companyId));

  const partner = companies[0]!.partnerGuid!;
  const names: string[] = [];
  for await (const p of portal.products.searchAll(partner)) names.push(p.name ?? '?');
  print('for await (products.searchAll(partnerGuid)) — v3 search', names);
}
