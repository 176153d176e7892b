import { createPax8Client, toOrderRequest } from '../src/index.js';

/** A short tour of the client, run by `pnpm demo` against a Prism mock of the spec. */
export async function demo(baseUrl: string, print: (label: string, value: unknown) => void): Promise<void> {
  // The mock's POST /token stands in for https://api.pax8.com/v1/token.
  const pax8 = createPax8Client({ baseUrl, tokenUrl: `${baseUrl}/token`, clientId: 'demo-client-id', clientSecret: 'demo-client-secret' });

  const companies = await pax8.companies.list({ city: 'New York', sort: 'name,desc' });
  print('companies.list({ city: "New York", sort: "name,desc" })', companies.items.map((c) => `${c.name} (${c.status})`));
  const companyId = companies.items[0]?.id ?? '3d06d6b5-2e2b-4c5a-9d0e-5f1c2a7b8e90'; // the spec marks answer ids optional

  print('contacts.list({ companyId }) — with the undocumented phone fields', (await pax8.contacts.list({ companyId })).items);

  const ids: string[] = [];
  for await (const s of pax8.subscriptions.list({ companyId })) ids.push(`${s.id} commitment=${s.commitment?.term}`);
  print('for await (subscriptions.list({ companyId })) — every page, 200 at a time', ids);

  const order = await pax8.orders.get({ orderId: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' });
  print('orders.get({ orderId }).orderedBy — the answers\' spelling', order.orderedBy);
  const mock = await pax8.orders.create({ isMock: true, body: toOrderRequest(order) });
  print('orders.create({ isMock: true, body: toOrderRequest(order) })', { id: mock.id, lines: mock.lineItems?.length });

  const lines = await pax8.usageSummaries.listLines({ usageSummaryId: '7e6d5c4b-3a29-4187-8f6e-5d4c3b2a1f0e', usageDate: '2025-06-30', size: 200 });
  print('usageSummaries.listLines({ usageSummaryId, usageDate, size: 200 })', { page: lines.data.page, hasNextPage: lines.hasNextPage() });

  const { response } = await pax8.companies.get({ companyId }).withResponse();
  print('companies.get({ companyId }).withResponse()', { status: response.status, attempts: response.attempts });

  const error = await pax8.companies.get({ companyId }, { headers: { Prefer: 'code=404' } }).catch((e: unknown) => e);
  print('a 404, as the error body {type, message, instance, status, details} describes it', String(error));
}
