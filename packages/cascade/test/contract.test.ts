import { describe, expect, it } from 'vitest';
import { callOperation, contractHarness, describeEveryOperation } from '../../../scripts/testing/contract.js';
import {
  AuthenticationError,
  BadRequestError,
  createCascadeClient,
  InvalidArgumentError,
  MCA_AGREEMENT_URL,
  type McaAcceptanceRequest,
  type NewCustomer,
  NotFoundError,
} from '../src/index.js';
import { CREDENTIALS, failure, jsonResponse, recorder } from './helpers.js';

const harness = contractHarness('cascade');
const rec = recorder(harness);
const cascade = createCascadeClient({ baseUrl: harness.baseUrl, fetch: rec.fetch, retry: false, ...CREDENTIALS });

const CUSTOMER = 'acme-widgets.co.uk';
const PRODUCT = 'R-UK-CSP-365BT-CMC';

describeEveryOperation(harness, cascade);

/** A client whose arguments are not checked, to show that Prism itself refuses what the client refuses. */
const unchecked = createCascadeClient({ baseUrl: harness.baseUrl, fetch: rec.fetch, retry: false, validate: false, ...CREDENTIALS });

describe('authentication', () => {
  it('sends X-Username and X-Password on every request', async () => {
    const before = rec.sent.length;
    await cascade.customers.list();
    await cascade.subscriptions.get({ customer: CUSTOMER, productCode: PRODUCT });
    await cascade.cancellations.abort({ customer: CUSTOMER, productCode: PRODUCT });
    harness.assertClean();
    const sent = rec.sent.slice(before);
    expect(sent).toHaveLength(3);
    for (const request of sent) {
      expect(request.headers.get('x-username')).toBe(CREDENTIALS.username);
      expect(request.headers.get('x-password')).toBe(CREDENTIALS.password);
      expect(request.headers.get('authorization')).toBeNull();
    }
  });

  it('Prism requires both headers together, as the spec declares', async () => {
    const url = `${harness.baseUrl}/Customers`;
    const onlyUser = await harness.fetch(url, { headers: { 'X-Username': CREDENTIALS.username } });
    const onlyPassword = await harness.fetch(url, { headers: { 'X-Password': CREDENTIALS.password } });
    const both = await harness.fetch(url, { headers: { 'X-Username': CREDENTIALS.username, 'X-Password': CREDENTIALS.password } });
    harness.violations.splice(0);
    expect([onlyUser.status, onlyPassword.status, both.status]).toEqual([401, 401, 200]);
  });

  it('requires a username and a password when the client is created', () => {
    expect(() => createCascadeClient({ username: CREDENTIALS.username } as never)).toThrow(/password is required/);
    expect(() => createCascadeClient({ password: CREDENTIALS.password } as never)).toThrow(/username is required/);
    expect(() => createCascadeClient({ username: '', password: '' })).toThrow(InvalidArgumentError);
    expect(() => createCascadeClient(undefined as never)).toThrow(InvalidArgumentError);
  });

  it('calls https://api.cascadeportal.com by default, and another host when given one', async () => {
    const urls: string[] = [];
    const stub: typeof fetch = async (input, init) => {
      urls.push(new Request(input, init).url);
      return jsonResponse([]);
    };
    await createCascadeClient({ ...CREDENTIALS, fetch: stub }).customers.list();
    await createCascadeClient({ ...CREDENTIALS, fetch: stub, baseUrl: 'https://api.uatcascadeportal.com/' }).customers.list();
    expect(urls).toEqual(['https://api.cascadeportal.com/Customers', 'https://api.uatcascadeportal.com/Customers']);
  });
});

describe('paths exactly as the API serves them', () => {
  it('reads customers at /Customers (capital C) and creates them at /customers', async () => {
    await cascade.customers.list();
    expect(rec.last()).toMatchObject({ method: 'GET', path: '/Customers' });
    await cascade.customers.get({ primaryDomain: CUSTOMER });
    expect(rec.last()).toMatchObject({ method: 'GET', path: `/Customers/${CUSTOMER}` });
    await callOperation(cascade, harness, 'createCustomer');
    expect(rec.last()).toMatchObject({ method: 'POST', path: '/customers' });
    harness.assertClean();
  });

  it('Prism tells the two casings apart (so the test above can fail)', async () => {
    const lower = await harness.fetch(`${harness.baseUrl}/customers`, { headers: { 'X-Username': 'u', 'X-Password': 'p' } });
    harness.violations.splice(0);
    expect(lower.status).toBe(405);
  });

  it('creates a tenant at .../MicrosoftTenant/<prefix>.onmicrosoft.com', async () => {
    await expect(cascade.tenants.create({ customer: CUSTOMER, tenantId: 'acmewidgets' })).resolves.toBeUndefined();
    harness.assertClean();
    expect(rec.last()).toMatchObject({ method: 'POST', path: `/customers/${CUSTOMER}/MicrosoftTenant/acmewidgets.onmicrosoft.com`, body: undefined });
  });

  it('refuses a tenant id that is not a bare prefix, before sending anything', async () => {
    const before = rec.sent.length;
    const doubled = await failure(cascade.tenants.create({ customer: CUSTOMER, tenantId: 'acmewidgets.onmicrosoft.com' }));
    expect(doubled).toBeInstanceOf(InvalidArgumentError);
    expect((doubled as Error).message).toMatch(/prefix only \("acmewidgets"\)/);
    // Even with validation off: the suffix would be doubled.
    await expect(unchecked.tenants.create({ customer: CUSTOMER, tenantId: 'Acme.OnMicrosoft.com' })).rejects.toThrow(/prefix only/);
    await expect(cascade.tenants.create({ customer: CUSTOMER, tenantId: 'acme.widgets' })).rejects.toThrow(/path.tenantId must match the pattern/);
    await expect(cascade.tenants.create({ customer: CUSTOMER, tenantId: 'acme/widgets' })).rejects.toThrow(InvalidArgumentError);
    await expect(cascade.tenants.create({ customer: CUSTOMER, tenantId: '' })).rejects.toThrow(/path.tenantId must not be empty/);
    expect(rec.sent.length).toBe(before);
  });
});

describe('quantity change and upgrade: one POST, two methods', () => {
  it('changeQuantity sends {Quantity}', async () => {
    await expect(cascade.subscriptions.changeQuantity({ customer: CUSTOMER, productCode: PRODUCT, body: { Quantity: 12 } })).resolves.toBeUndefined();
    harness.assertClean();
    expect(rec.last()).toMatchObject({ method: 'POST', path: `/customers/${CUSTOMER}/subscriptions/${PRODUCT}`, body: { Quantity: 12 } });
  });

  it('upgrade sends {ProductCode} with the new product code, at the old one', async () => {
    await expect(cascade.subscriptions.upgrade({ customer: CUSTOMER, productCode: PRODUCT, body: { ProductCode: 'R-UK-CSP-365E3-CMC' } })).resolves.toBeUndefined();
    harness.assertClean();
    expect(rec.last()).toMatchObject({ method: 'POST', path: `/customers/${CUSTOMER}/subscriptions/${PRODUCT}`, body: { ProductCode: 'R-UK-CSP-365E3-CMC' } });
  });

  it('the spec example of each branch is accepted by Prism', async () => {
    for (const name of ['changeQuantity', 'upgrade']) {
      const body = harness.doc.paths['/customers/{customer}/subscriptions/{productCode}'].post.requestBody.content['application/json'].examples[name].value;
      await callOperation(cascade, harness, 'updateSubscription', { body });
      harness.assertClean();
      expect(rec.last().body).toEqual(body);
    }
  });

  it('refuses a body with both, or neither, or a bad quantity, before sending', async () => {
    const before = rec.sent.length;
    const both = { Quantity: 3, ProductCode: 'R-UK-CSP-365E3-CMC' };
    await expect(cascade.subscriptions.update({ customer: CUSTOMER, productCode: PRODUCT, body: both as never })).rejects.toThrow(/body must match one of the allowed shapes/);
    await expect(cascade.subscriptions.update({ customer: CUSTOMER, productCode: PRODUCT, body: {} as never })).rejects.toThrow(InvalidArgumentError);
    await expect(cascade.subscriptions.changeQuantity({ customer: CUSTOMER, productCode: PRODUCT, body: { Quantity: 0 } })).rejects.toThrow(InvalidArgumentError);
    await expect(cascade.subscriptions.changeQuantity({ customer: CUSTOMER, productCode: PRODUCT, body: { Quantity: 2.5 } })).rejects.toThrow(InvalidArgumentError);
    await expect(cascade.subscriptions.upgrade({ customer: CUSTOMER, productCode: PRODUCT, body: { ProductCode: '' } })).rejects.toThrow(InvalidArgumentError);
    expect(rec.sent.length).toBe(before);
  });

  it('Prism refuses a body with both as well (the spec says so, not only the client)', async () => {
    const error = await failure(unchecked.subscriptions.update({ customer: CUSTOMER, productCode: PRODUCT, body: { Quantity: 3, ProductCode: 'X' } as never }));
    expect(error).toBeInstanceOf(BadRequestError);
    const found = harness.violations.splice(0);
    expect(found).toHaveLength(1);
    expect(found[0]!.detail).toMatch(/additional properties/i);
  });
});

describe('request bodies', () => {
  it('customers.create sends IsActive: true unless told otherwise, like the wrapper', async () => {
    const body = structuredClone(harness.exampleArgs('createCustomer').body) as NewCustomer;
    delete body.IsActive;
    await cascade.customers.create({ body });
    expect((rec.last().body as Record<string, unknown>).IsActive).toBe(true);
    await cascade.customers.create({ body: { ...body, IsActive: false } });
    expect((rec.last().body as Record<string, unknown>).IsActive).toBe(false);
    harness.assertClean();
  });

  it('refuses an IsoCountryCode that is not three upper-case letters', async () => {
    const body = harness.exampleArgs('createCustomer').body as NewCustomer;
    await expect(cascade.customers.create({ body: { ...body, IsoCountryCode: 'GB' } })).rejects.toThrow(/body.IsoCountryCode must match/);
    await expect(cascade.customers.create({ body: { ...body, IsoCountryCode: 'gbr' } })).rejects.toThrow(/body.IsoCountryCode must match/);
  });

  it('mca.accept formats a Date as YYYY-MM-DDTHH:MM:SS (UTC) and fills AgreementUrl', async () => {
    const example = harness.exampleArgs('acceptMca').body as McaAcceptanceRequest;
    const { AgreementUrl: _omitted, ...body } = example;
    await cascade.mca.accept({ customer: CUSTOMER, body: { ...body, DateAccepted: new Date(Date.UTC(2019, 1, 6, 0, 0, 0, 500)) } });
    harness.assertClean();
    expect(rec.last().body).toEqual({ ...body, DateAccepted: '2019-02-06T00:00:00', AgreementUrl: MCA_AGREEMENT_URL });
    expect(harness.doc.components.schemas.McaAcceptanceRequest.properties.AgreementUrl.default).toBe(MCA_AGREEMENT_URL);
  });

  it('mca.accept keeps an AgreementUrl it is given, and refuses a date string of the wrong form', async () => {
    const body = harness.exampleArgs('acceptMca').body as McaAcceptanceRequest;
    await cascade.mca.accept({ customer: CUSTOMER, body: { ...body, AgreementUrl: 'https://example.com/agreement-2024' } });
    expect((rec.last().body as Record<string, unknown>).AgreementUrl).toBe('https://example.com/agreement-2024');
    harness.assertClean();
    const before = rec.sent.length;
    await expect(cascade.mca.accept({ customer: CUSTOMER, body: { ...body, DateAccepted: '2019-02-06 00:00:00' } })).rejects.toThrow(/body.DateAccepted must match/);
    await expect(cascade.mca.accept({ customer: CUSTOMER, body: { ...body, DateAccepted: new Date('nonsense') } })).rejects.toThrow(/body.DateAccepted must be a valid Date/);
    expect(rec.sent.length).toBe(before);
  });

  it('cancellations.submit formats a Date as YYYY-MM-DD HH:MM:SS (UTC)', async () => {
    await cascade.cancellations.submit({ customer: CUSTOMER, productCode: PRODUCT, body: { CancellationDateRequested: new Date('2025-03-31T23:15:09+01:00') } });
    harness.assertClean();
    expect(rec.last()).toMatchObject({
      method: 'POST',
      path: `/customers/${CUSTOMER}/subscriptions/${PRODUCT}/cancellation-request`,
      body: { CancellationDateRequested: '2025-03-31 22:15:09' },
    });
  });

  it('refuses a cancellation date in the MCA format; so does Prism', async () => {
    const before = rec.sent.length;
    await expect(cascade.cancellations.submit({ customer: CUSTOMER, productCode: PRODUCT, body: { CancellationDateRequested: '2025-03-31T00:00:00' } })).rejects.toThrow(
      /body.CancellationDateRequested must match/,
    );
    expect(rec.sent.length).toBe(before);
    await expect(unchecked.cancellations.submit({ customer: CUSTOMER, productCode: PRODUCT, body: { CancellationDateRequested: '2025-03-31T00:00:00' } })).rejects.toThrow(BadRequestError);
    const found = harness.violations.splice(0);
    expect(found).toHaveLength(1);
    expect(found[0]!.detail).toMatch(/CancellationDateRequested/);
  });

  it('createSubscriptions needs at least one line with a positive quantity', async () => {
    await expect(cascade.subscriptions.create({ customer: CUSTOMER, body: { Reference: '17112020', Subscriptions: [] } })).rejects.toThrow(/at least 1 item/);
    await expect(cascade.subscriptions.create({ customer: CUSTOMER, body: { Reference: '17112020', Subscriptions: [{ ProductCode: PRODUCT, Quantity: 0 }] } })).rejects.toThrow(
      /Subscriptions\[0\].Quantity must be >= 1/,
    );
    await cascade.subscriptions.create({
      customer: CUSTOMER,
      body: { Reference: '17112021', Subscriptions: [{ ProductCode: PRODUCT, Quantity: 3, IsMandatory: true, Parameters: [{ Key: 'Term', Value: 'P1M' }] }] },
    });
    harness.assertClean();
  });
});

describe('errors: a typed error with the status and the message the body carries', () => {
  const withStatus = (status: string) => harness.model.operations.filter((op) => status in (harness.doc.paths[op.path][op.method.toLowerCase()].responses ?? {}));

  it.each(withStatus('404').map((op) => op.id))('%s: 404 → NotFoundError with the body message', async (id) => {
    const error = await failure(callOperation(cascade, harness, id, {}, { headers: { Prefer: 'code=404' } }));
    expect(error).toBeInstanceOf(NotFoundError);
    const expected = harness.responseExample(id, '404');
    expect(error).toMatchObject({ status: 404, operationId: id, providerMessage: expected.Message, body: expected });
    expect((error as Error).message).toContain(expected.Message);
  });

  it.each(withStatus('400').map((op) => op.id))('%s: 400 → BadRequestError with the message and ModelState', async (id) => {
    const error = await failure(callOperation(cascade, harness, id, {}, { headers: { Prefer: 'code=400' } }));
    expect(error).toBeInstanceOf(BadRequestError);
    const expected = harness.responseExample(id, '400');
    expect(error).toMatchObject({ status: 400, providerMessage: expected.Message, body: { ModelState: expected.ModelState } });
  });

  it('401 → AuthenticationError on every operation', async () => {
    for (const op of harness.model.operations) {
      const error = await failure(callOperation(cascade, harness, op.id, {}, { headers: { Prefer: 'code=401' } }));
      expect(error, op.id).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).providerMessage).toBe(harness.responseExample(op.id, '401').Message);
    }
  });

  it('takes a lower-case message, or none, from a body the spec did not foresee', async () => {
    const answers = [jsonResponse({ message: 'Subscription is locked' }, 409), new Response('upstream down', { status: 502 }), new Response(null, { status: 500 })];
    const stub: typeof fetch = async () => answers.shift()!;
    const client = createCascadeClient({ ...CREDENTIALS, fetch: stub, retry: false });
    expect(await failure(client.subscriptions.changeQuantity({ customer: CUSTOMER, productCode: PRODUCT, body: { Quantity: 5 } }))).toMatchObject({ name: 'ConflictError', status: 409, providerMessage: 'Subscription is locked' });
    expect(await failure(client.customers.list())).toMatchObject({ name: 'InternalServerError', status: 502, providerMessage: 'upstream down' });
    expect(await failure(client.customers.list())).toMatchObject({ name: 'InternalServerError', status: 500, providerMessage: undefined });
  });
});
