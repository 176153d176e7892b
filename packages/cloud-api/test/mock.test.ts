import { describe, expect, it } from 'vitest';
import { describeEveryMockedOperation, mockServer } from '../../../scripts/testing/mock.js';
import { createCloudApiMock } from '../src/generated/mock.js';
import { createCloudApiClient, InternalServerError } from '../src/index.js';

// The server URL has a required host: the mock, like the client, must be told where it is.
const BASE_URL = 'http://appserver.test/appserver/rest';
const mock = createCloudApiMock({ baseUrl: BASE_URL });
const server = mockServer(mock.handlers);
const cloud = createCloudApiClient({ baseUrl: BASE_URL, username: 'admin', password: 'mock-password', retry: false });

const examples = describeEveryMockedOperation('cloud-api', cloud);

describe('@provider-sdk/cloud-api/mock', () => {
  it('needs the base URL the client uses: a TypeError without one, or server variables as the client takes them', async () => {
    expect(() => createCloudApiMock()).toThrow(TypeError);
    expect(() => createCloudApiMock()).toThrow(/createCloudApiMock: .* has no default for "host"; pass baseUrl/);
    const byHost = createCloudApiMock({ serverVariables: { host: 'other.test' } });
    expect(byHost.baseUrl).toBe('http://other.test/appserver/rest');
    server.use(...byHost.handlers);
    const client = createCloudApiClient({ host: 'other.test', username: 'admin', password: 'mock-password', retry: false });
    expect(await client.customer.listStatuses()).toEqual(examples.expectedResult('customerListStatuses'));
  });

  it('refuses an invalid request with a 422 naming what is wrong', async () => {
    const unchecked = cloud.withOptions({ validate: false });
    const error = await unchecked.customer.setStatus({ customerguid: 'not-a-guid', status: 'DISABLED' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, body: { issues: [{ path: 'query.customerguid', message: 'must be a valid uuid' }] } });
  });

  it('overrides one operation in one line', async () => {
    server.use(mock.override('customerList', { status: 500 }));
    await expect(cloud.customer.list()).rejects.toThrow(InternalServerError);
    // A success body is the whole answer, envelope and all (here a JSON document in a string).
    server.use(mock.override('customerList', { body: { result: '[]', jobguid: null } }));
    expect(await cloud.customer.list()).toEqual([]);
  });
});
