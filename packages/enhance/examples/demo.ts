import { createEnhanceClient, createProvisioning, NotFoundError } from '../src/index.js';

/** A short tour of the Enhance client, run by `pnpm demo` against a Prism mock of specs/enhance.yaml. */
export async function demo(baseUrl: string, print: (label: string, value: unknown) => void): Promise<void> {
  const enhance = createEnhanceClient({ baseUrl, token: 'demo-access-token' });
  const orgId = '9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';

  const created = await enhance.customers.create({ org_id: orgId, body: { name: 'Acme Widgets Ltd' } });
  print(`customers.create({ org_id, body: { name: 'Acme Widgets Ltd' } })`, created);

  const page = await enhance.customers.list({ org_id: orgId, recursive: true, sortBy: 'name', limit: 10 });
  print('customers.list({ org_id, recursive: true, sortBy: "name", limit: 10 })', { total: page.total, names: page.items.map((o) => o.name) });

  const names: string[] = [];
  for await (const org of enhance.customers.list({ org_id: orgId, status: 'active' })) names.push(org.name);
  print('for await (customers.list({ org_id, status: "active" }))', names);

  const subscriptions = await enhance.subscriptions.list({ org_id: orgId, customer_org_id: created.id });
  print('subscriptions.list({ org_id, customer_org_id })', subscriptions.items.map((s) => ({ id: s.id, plan: s.planName, status: s.status })));

  const { data: subscription, response } = await enhance.subscriptions.create({ org_id: orgId, customer_org_id: created.id, body: { planId: 7 } }).withResponse();
  print('subscriptions.create({ org_id, customer_org_id, body: { planId: 7 } }).withResponse()', { subscription, status: response.status });

  // Suspension is an update of the subscription, addressed through the customer's own org id.
  await enhance.subscriptions.update({ org_id: created.id, subscription_id: subscription.id, body: { isSuspended: true } });
  print('subscriptions.update({ org_id: customerId, subscription_id, body: { isSuspended: true } })', 'suspended');

  try {
    await enhance.customers.list({ org_id: orgId }, { headers: { Prefer: 'code=404' } });
  } catch (error) {
    if (error instanceof NotFoundError) print('a 404 becomes NotFoundError', { status: error.status, code: error.code, message: error.providerMessage });
    else throw error;
  }

  // The whole lifecycle in one call: every step looks before it creates, so a second run is harmless.
  const provisioning = createProvisioning(enhance, { resellerOrgId: orgId });
  const ids = await provisioning.provisionCustomer({ name: 'Acme Widgets Ltd', ownerEmail: 'jane@acme-widgets.example', planId: 7, domain: 'acme-widgets.example' });
  print('provisioning.provisionCustomer({ name, ownerEmail, planId, domain })', ids);
  await provisioning.suspend(ids);
  await provisioning.unsuspend(ids);
  await provisioning.deprovisionCustomer(ids);
  print('provisioning.suspend / unsuspend / deprovisionCustomer', 'done');
}
