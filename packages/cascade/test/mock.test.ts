import { describe, expect, it } from 'vitest';
import { describeEveryMockedOperation, mockServer } from '../../../scripts/testing/mock.js';
import { createCascadeMock } from '../src/generated/mock.js';
import { type ApiError, createCascadeClient, NotFoundError } from '../src/index.js';
import { CREDENTIALS } from './helpers.js';

const mock = createCascadeMock();
const server = mockServer(mock.handlers);
const cascade = createCascadeClient({ ...CREDENTIALS, retry: false });

const examples = describeEveryMockedOperation('cascade', cascade);

describe('@provider-sdk/cascade/mock', () => {
  it('answers under the default base URL, and with a custom one', async () => {
    expect(mock.baseUrl).toBe('https://api.cascadeportal.com');
    const uat = createCascadeMock({ baseUrl: 'https://api.uatcascadeportal.com' });
    server.use(...uat.handlers);
    const client = createCascadeClient({ ...CREDENTIALS, baseUrl: uat.baseUrl, retry: false });
    expect(await client.customers.list()).toEqual(examples.expectedResult('listCustomers'));
  });

  it('refuses an invalid request with a 422 naming what is wrong', async () => {
    const unchecked = createCascadeClient({ ...CREDENTIALS, retry: false, validate: false });
    const error = await unchecked.customers.create({ body: { Name: 'No Domain Ltd' } as never }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, body: { issues: expect.arrayContaining([{ path: 'body.PrimaryDomain', message: 'is required' }]) } });
  });

  it('overrides one operation in one line', async () => {
    server.use(mock.override('getCustomer', { status: 404 }));
    const error = await cascade.customers.get({ primaryDomain: 'acme-widgets.co.uk' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as ApiError).body).toEqual(examples.responseExample('getCustomer', '404'));
    server.use(mock.override('listCustomers', { body: [] }));
    expect(await cascade.customers.list()).toEqual([]);
  });
});
