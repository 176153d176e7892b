import { describe, expect, it } from 'vitest';
import { describeEveryMockedOperation, mockServer } from '../../../scripts/testing/mock.js';
import { createEnhanceMock } from '../src/generated/mock.js';
import { ConflictError, createEnhanceClient } from '../src/index.js';

// The server URL is https://{panel}/api with a required panel: the mock must be given the base URL.
const mock = createEnhanceMock({ baseUrl: 'https://cp.example.net/api' });
const server = mockServer(mock.handlers);
const enhance = createEnhanceClient({ panel: 'cp.example.net', token: 'mock-token', retry: false });

const examples = describeEveryMockedOperation('enhance', enhance);

describe('@provider-sdk/enhance/mock', () => {
  it('needs the panel: a TypeError without a base URL', () => {
    expect(() => createEnhanceMock()).toThrow(TypeError);
    expect(() => createEnhanceMock()).toThrow(/createEnhanceMock: Enhance's server https:\/\/\{panel\}\/api has no default for "panel"; pass baseUrl/);
    expect(createEnhanceMock({ serverVariables: { panel: 'cp.example.net' } }).baseUrl).toBe(mock.baseUrl);
  });

  it('refuses an invalid request with a 422 naming what is wrong, and one without credentials with a 401', async () => {
    const unchecked = enhance.withOptions({ validate: false });
    const error = await unchecked.customers.get({ org_id: 'not-a-uuid' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, body: { issues: [{ path: 'path.org_id', message: 'must be a valid uuid' }] } });
    expect((await fetch(`${mock.baseUrl}/orgs/3f0d6c1e-8a55-4a49-9a53-0c6f2f8b7d21`)).status).toBe(401);
  });

  it('overrides one operation in one line', async () => {
    server.use(mock.override('createCustomer', { status: 409 }));
    const error = await enhance.customers.create({ org_id: '9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d', body: { name: 'Acme Widgets Ltd' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).body).toEqual(examples.responseExample('createCustomer', '409'));
  });
});
