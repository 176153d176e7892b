import { createEnhanceClient, NotFoundError } from '../src/index.js';

/** A short tour of the Enhance client, run by `pnpm demo` against a Prism mock of specs/enhance.yaml. */
export async function demo(baseUrl: string, print: (label: string, value: unknown) => void): Promise<void> {
  const enhance = createEnhanceClient({ baseUrl, token: 'demo-access-token' });
  const orgId = '9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';

  const created = await enhance.customers.create(orgId, { name: 'Acme Widgets Ltd' });
  print(`customers.create(orgId, { name: 'Acme Widgets Ltd' })`, created);

  const page = await enhance.customers.list(orgId, { recursive: true, sortBy: 'name', limit: 10 });
  print('customers.list(orgId, { recursive: true, sortBy: "name", limit: 10 })', { total: page.total, names: page.items.map((o) => o.name) });

  const names: string[] = [];
  for await (const org of enhance.customers.listAll(orgId, { status: 'active' })) names.push(org.name);
  print('for await (customers.listAll(orgId, { status: "active" }))', names);

  const subscriptions = await enhance.customers.listSubscriptions(orgId, created.id);
  print('customers.listSubscriptions(orgId, customerId)', subscriptions.items.map((s) => ({ id: s.id, plan: s.planName, status: s.status })));

  print('customers.createSubscription(orgId, customerId, { planId: 7 })', await enhance.customers.createSubscription(orgId, created.id, { planId: 7 }));

  try {
    await enhance.customers.list(orgId, {}, { headers: { Prefer: 'code=404' } });
  } catch (error) {
    if (error instanceof NotFoundError) print('a 404 becomes NotFoundError', { status: error.status, code: error.code, message: error.providerMessage });
    else throw error;
  }
}
