import { describe, expect, it } from 'vitest';
import { callOperation, contractHarness, describeEveryOperation } from '../../../scripts/testing/contract.js';
import { createEnhanceClient, InvalidArgumentError, NotFoundError, AuthenticationError, ConflictError } from '../src/index.js';

const harness = contractHarness('enhance');
const TOKEN = 'enh_live_7f3a9c2e51b84d06a1e2';
const ORG = '9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';
const enhance = createEnhanceClient({ baseUrl: harness.baseUrl, fetch: harness.fetch, token: TOKEN, retry: false });

describeEveryOperation(harness, enhance);

describe('Enhance against its Prism mock', () => {
  it('authenticates with the id0 session cookie as well as a bearer token', async () => {
    const byCookie = createEnhanceClient({ baseUrl: harness.baseUrl, fetch: harness.fetch, sessionCookie: 'f00dfeedc0ffee11', retry: false });
    const page = await byCookie.customers.list({ org_id: ORG, status: 'suspended', sortBy: 'name', sortOrder: 'desc' });
    harness.assertClean();
    expect(page.data).toEqual(harness.responseExample('getOrgCustomers'));
    expect(page.total).toBe(harness.responseExample('getOrgCustomers').total);
  });

  it('iterates every customer with for await, passing the filters on each page', async () => {
    const names: string[] = [];
    for await (const org of enhance.customers.list({ org_id: ORG, recursive: true, maxDepth: 2, limit: 50 })) names.push(org.name);
    harness.assertClean();
    expect(names).toEqual(harness.responseExample('getOrgCustomers').items.map((o: { name: string }) => o.name));
  });

  it('maps a 404 to NotFoundError with the panel code and message', async () => {
    const error = await enhance.customers.list({ org_id: ORG }, { headers: { Prefer: 'code=404' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'not_found', providerMessage: 'Organization not found', operationId: 'getOrgCustomers' });
  });

  it('maps a 409 on create to ConflictError', async () => {
    const error = await callOperation(enhance, harness, 'createCustomer', {}, { headers: { Prefer: 'code=409' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).providerMessage).toBe('A customer with this name already exists');
  });

  it('keeps the token out of a 401 error, its message and its JSON', async () => {
    const error = await enhance.customers.list({ org_id: ORG }, { headers: { Prefer: 'code=401' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const shown = `${String(error)} ${(error as Error).stack} ${JSON.stringify(error)}`;
    expect(shown).not.toContain(TOKEN);
  });

  it('refuses a customer org id that is not a uuid, before sending anything', async () => {
    let sent = 0;
    const counting = createEnhanceClient({ baseUrl: harness.baseUrl, token: TOKEN, fetch: (...a) => {
        sent++;
        return harness.fetch(...a);
      }, });
    await expect(counting.subscriptions.list({ org_id: ORG, customer_org_id: 'not-a-uuid' })).rejects.toThrow(InvalidArgumentError);
    await expect(counting.customers.create({ org_id: ORG, body: { name: '' } })).rejects.toThrow(/body.name must not be empty/);
    await expect(counting.customers.list({ org_id: ORG, status: 'paused' as never })).rejects.toThrow(/query.status must be one of/);
    expect(sent).toBe(0);
  });

  it('notices when Prism rejects a request (the harness can fail)', async () => {
    const unchecked = createEnhanceClient({ baseUrl: harness.baseUrl, fetch: harness.fetch, token: TOKEN, retry: false, validate: false });
    await expect(unchecked.customers.list({ org_id: ORG, sortBy: 'owner' as never })).rejects.toMatchObject({ status: 400 });
    const found = harness.violations.splice(0);
    expect(found).toHaveLength(1);
    expect(found[0]!.detail).toMatch(/sortby/i);
  });

  it('builds the base URL from the panel host', () => {
    const client = createEnhanceClient({ panel: 'cp.example.net', token: TOKEN });
    expect(client.raw).toBeDefined();
    expect(() => createEnhanceClient({ panel: 'cp.example.net' })).toThrow(/token is required: every Enhance operation is authenticated. Pass \{ token \} or \{ sessionCookie \}, or set ENHANCE_TOKEN or ENHANCE_SESSION_COOKIE/);
  });
});
