import { describe, expect, it } from 'vitest';
import { describeEveryMockedOperation, mockServer } from '../../../scripts/testing/mock.js';
import { createPax8Mock } from '../src/generated/mock.js';
import { createPax8Client, InternalServerError, NotFoundError, UnprocessableEntityError } from '../src/index.js';

// The default base URL and token URL: the mock answers `POST /token` too.
const mock = createPax8Mock();
const server = mockServer(mock.handlers);
const pax8 = createPax8Client({ clientId: 'mock-client', clientSecret: 'mock-secret', retry: false });

const examples = describeEveryMockedOperation('pax8', pax8);

describe('@provider-sdk/pax8/mock', () => {
  it('answers under the default base URL, and with a custom one', async () => {
    expect(mock.baseUrl).toBe('https://api.pax8.com/v1');
    const custom = createPax8Mock({ baseUrl: 'http://pax8.test/v1' });
    server.use(...custom.handlers);
    const client = createPax8Client({ baseUrl: custom.baseUrl, auth: 'a-token', retry: false });
    expect((await client.companies.list()).data).toEqual(examples.responseExample('findCompanies'));
  });

  it('refuses an invalid request with a 422 naming what is wrong', async () => {
    const unchecked = pax8.withOptions({ validate: false });
    const error = await unchecked.invoices.list({ size: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as UnprocessableEntityError).body).toMatchObject({ status: 422, issues: [{ path: 'query.size', message: 'must be <= 200' }] });
    const order = examples.exampleArgs('createOrder').body as Record<string, unknown>;
    const bad = await unchecked.orders.create({ body: { ...order, orderedBy: 'Pax8Partner' } as never }).catch((e: unknown) => e);
    expect((bad as UnprocessableEntityError).body).toMatchObject({ detail: expect.stringMatching(/body\.orderedBy must be one of "Pax8 Partner"/) });
  });

  it('refuses a request without credentials (401), and a path of no operation (404)', async () => {
    expect((await fetch(`${mock.baseUrl}/companies`)).status).toBe(401);
    const missing = await fetch(`${mock.baseUrl}/no-such-thing`, { headers: { authorization: 'Bearer x' } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ detail: 'no operation of Pax8 matches GET /no-such-thing' });
  });

  it('overrides one operation in one line: a status with its spec example, or a body of its own', async () => {
    server.use(mock.override('getCompany', { status: 404 }));
    const error = await pax8.companies.get({ companyId: '3d06d6b5-2e2b-4c5a-9d0e-5f1c2a7b8e90' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).body).toEqual(examples.responseExample('getCompany', '404'));

    server.use(mock.override('findCompanies', { status: 500, body: { type: 'INTERNAL', message: 'down for maintenance', status: 500 } }));
    await expect(pax8.companies.list()).rejects.toThrow(InternalServerError);
    await expect(pax8.companies.list()).rejects.toMatchObject({ providerMessage: 'down for maintenance' });
    // Other operations still answer their examples.
    expect(await pax8.products.get({ productId: '2f6c9d1e-7a3b-4c8d-9e0f-1a2b3c4d5e6f' })).toEqual(examples.expectedResult('getProduct'));
  });

  it('overrides with a typed success body, or a function of the request, once', async () => {
    const company = { ...mock.example('getCompany'), name: 'Overridden Ltd' };
    server.use(mock.override('getCompany', { body: company }));
    expect((await pax8.companies.get({ companyId: company.id! })).name).toBe('Overridden Ltd');
    server.use(mock.override('getCompany', ({ params }) => ({ body: { ...company, id: String(params.companyId) } }), { once: true }));
    expect((await pax8.companies.get({ companyId: '6a1f0c2e-4b7d-4e8a-9c3f-2d5e8b1a7c40' })).id).toBe('6a1f0c2e-4b7d-4e8a-9c3f-2d5e8b1a7c40');
    // @ts-expect-error: an override is typed by the operation's documented response bodies
    mock.override('getCompany', { body: { name: 42 } });
    // @ts-expect-error: and keyed by operationId
    expect(() => mock.override('getCompanies', {})).toThrow(TypeError);
  });
});
