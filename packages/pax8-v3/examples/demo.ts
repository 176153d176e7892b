import { createPax8Client } from '@provider-sdk/pax8';
import { createPax8V3Client } from '../src/index.js';

/** A short tour of the client, run by `pnpm demo` against a Prism mock of the spec (and of pax8 for the token). */
export async function demo(baseUrl: string, print: (label: string, value: unknown) => void, mocks: Record<string, string> = {}): Promise<void> {
  const v1 = mocks.pax8;
  // The token comes from the v1 mock's POST /token; both clients share it.
  const pax8 = createPax8Client({ baseUrl: v1, tokenUrl: `${v1}/token`, clientId: 'demo-client-id', clientSecret: 'demo-client-secret' });
  // One token and one rate-limit budget for both clients.
  const portal = createPax8V3Client({ baseUrl, auth: pax8.auth, rateLimit: pax8.rateLimiter });

  const companies = await portal.companies.list({ size: 200 });
  print('companies.list({ size: 200 }) — api-v2, undocumented', companies);
  const companyId = companies[0]!.id;

  print('msTenantId(companyId) — v3 route', await portal.msTenantId(companyId));
  const v3Gone = createPax8V3Client({
    baseUrl,
    auth: pax8.auth,
    rateLimit: pax8.rateLimiter,
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
  for await (const p of portal.products.search({ partnerGuid: partner })) names.push(p.name ?? '?');
  print('for await (products.search({ partnerGuid })) — v3 search, every page', names);
}
