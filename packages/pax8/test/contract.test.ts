import { describe, expect, it } from 'vitest';
import { callOperation, contractHarness, describeEveryOperation } from '../../../scripts/testing/contract.js';
import type { ClientCredentialsProvider } from '@provider-sdk/core';
import {
  AuthenticationError,
  commitmentOf,
  createPax8Client,
  InvalidArgumentError,
  NotFoundError,
  type Order,
  type OrdersCreateBody,
  PermissionDeniedError,
  RateLimitError,
  toOrderRequest,
  UnprocessableEntityError,
} from '../src/index.js';

const harness = contractHarness('pax8');
const CLIENT_ID = 'Pax8ClientId7Hq2';
const CLIENT_SECRET = 'pax8-secret-9f8e7d6c5b4a39281706';
const COMPANY = '3d06d6b5-2e2b-4c5a-9d0e-5f1c2a7b8e90';
const SUBSCRIPTION = '5c4b3a29-1807-4f6e-9d5c-4b3a2f1e0d9c';

/** The token comes from the Prism mock's `POST /token`, which validates the token request too. */
function client(extra: Partial<Parameters<typeof createPax8Client>[0]> = {}) {
  return createPax8Client({
    baseUrl: harness.baseUrl,
    tokenUrl: `${harness.baseUrl}/token`,
    fetch: harness.fetch,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    retry: false,
    ...extra,
  });
}

function counting() {
  let sent = 0;
  const pax8 = client({ fetch: (...args) => {
      sent++;
      return harness.fetch(...args);
    }, auth: 'static-token-for-validation-tests' });
  return { pax8, sent: () => sent };
}

const pax8 = client();

describeEveryOperation(harness, pax8);

describe('Pax8 v1 against its Prism mock: the documented usage', () => {
  it('lists companies in New York sorted by name descending', async () => {
    const page = await pax8.companies.list({ city: 'New York', sort: 'name,desc' });
    harness.assertClean();
    expect(page.data).toEqual(harness.responseExample('findCompanies'));
    expect(page.data.page?.number).toBe(0);
    expect(page.items).toEqual(harness.responseExample('findCompanies').content);
  });

  it('iterates every subscription of a company with for await', async () => {
    const ids: string[] = [];
    for await (const s of pax8.subscriptions.list({ companyId: COMPANY })) ids.push(s.id!);
    harness.assertClean();
    expect(ids).toEqual(harness.responseExample('findSubscriptions').content.map((s: { id: string }) => s.id));
  });

  it('validates an order without placing it (isMock), with orderedBy written "Pax8 Partner"', async () => {
    const order = harness.exampleArgs('createOrder').body as OrdersCreateBody;
    expect(order.orderedBy).toBe('Pax8 Partner');
    const result = await pax8.orders.create({ isMock: true, body: order });
    harness.assertClean();
    expect(result).toEqual(harness.responseExample('createOrder'));
    expect(result.orderedBy).toBe('Pax8Partner');
  });

  it('turns a fetched order back into one create accepts (Pax8Partner → "Pax8 Partner")', async () => {
    const fetched: Order = await pax8.orders.get({ orderId: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' });
    expect(fetched.orderedBy).toBe('Pax8Partner');
    const again = toOrderRequest(fetched);
    expect(again.orderedBy).toBe('Pax8 Partner');
    expect(again.lineItems[0]).not.toHaveProperty('id');
    expect(again.lineItems[0]).not.toHaveProperty('subscriptionId');
    await pax8.orders.create({ isMock: true, body: again });
    harness.assertClean();
  });

  it('reads a subscription commitment as the API sends it (commitment, not commitmentTerm)', async () => {
    const subscription = await pax8.subscriptions.get({ subscriptionId: SUBSCRIPTION });
    harness.assertClean();
    expect(subscription.commitment).toEqual(harness.responseExample('getSubscription').commitment);
    expect(subscription.commitmentTerm).toBeUndefined();
    expect(commitmentOf(subscription)).toEqual(subscription.commitment);
    expect(commitmentOf({ commitmentTerm: { term: 'Annual' } })).toEqual({ term: 'Annual' });
  });

  it('reads the undocumented contact phone fields', async () => {
    const contact = await pax8.contacts.get({ companyId: COMPANY, contactId: '6a1f0c2e-4b7d-4e8a-9c3f-2d5e8b1a7c40' });
    harness.assertClean();
    expect(contact).toMatchObject({ phoneNumber: '2125550101', phoneCountryCode: 'US', phoneCountryCallingCode: '1' });
  });

  it('accepts free-text rateType on invoice items ("Flat", not the documented "flat")', async () => {
    const items = await pax8.invoices.listItems({ invoiceId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', page: 0, size: 50 });
    harness.assertClean();
    expect(items.data.content?.[0]?.rateType).toBe('Flat');
    expect(items.items[0]?.rateType).toBe('Flat');
  });

  it('sends page and size to usage lines, which the docs omit but the API accepts', async () => {
    const lines = await pax8.usageSummaries.listLines({ usageSummaryId: '7e6d5c4b-3a29-4187-8f6e-5d4c3b2a1f0e', usageDate: '2025-06-30', page: 1, size: 200 });
    harness.assertClean();
    expect(lines.data).toEqual(harness.responseExample('findUsageLines'));
    expect(lines.params).toMatchObject({ page: 1, size: 200 });
  });

  it('filters subscriptions by the filter spelling of billing terms, and sends the body spelling in updates', async () => {
    await pax8.subscriptions.list({ billingTerm: 'One-Time', status: 'Active', sort: 'startDate,desc', page: 0, size: 200 });
    await pax8.subscriptions.update({ subscriptionId: SUBSCRIPTION, body: { quantity: 1, startDate: '2025-01-15T00:00:00Z', billingTerm: '1-Time' } });
    await pax8.subscriptions.update({ subscriptionId: SUBSCRIPTION, body: { billingTerm: 'One-Time' } }); // the documented spelling, too
    harness.assertClean();
  });

  it('cancels a subscription on a date, and prices a product for a company', async () => {
    await expect(pax8.subscriptions.cancel({ subscriptionId: SUBSCRIPTION, cancelDate: '2025-12-31T00:00:00Z' })).resolves.toBeUndefined();
    const pricing = await pax8.products.listPricing({ productId: '2f6c9d1e-7a3b-4c8d-9e0f-1a2b3c4d5e6f', companyId: COMPANY });
    harness.assertClean();
    expect(pricing).toEqual(harness.responseExample('findProductPricing'));
    expect(pricing).not.toHaveProperty('page'); // one of the three {content}-only lists
  });

  it('fetched one token for all of the above, from the token request Prism validated', () => {
    expect((pax8.auth as ClientCredentialsProvider).tokenRequests).toBe(1);
    harness.assertClean();
  });
});

describe('Pax8 v1: arguments refused before anything is sent', () => {
  it('refuses sorts the API does not know, and page sizes outside 1..200', async () => {
    const { pax8: c, sent } = counting();
    await expect(c.companies.list({ sort: 'vendor,desc' as never })).rejects.toThrow(/query.sort must be one of/);
    await expect(c.companies.list({ sort: 'name,up' as never })).rejects.toThrow(InvalidArgumentError);
    await expect(c.products.list({ sort: 'city' as never })).rejects.toThrow(InvalidArgumentError);
    await expect(c.subscriptions.list({ sort: 'price' as never })).rejects.toThrow(/query.sort must be one of/); // documented with a direction only
    await expect(c.invoices.list({ size: 201 })).rejects.toThrow(/query.size must be <= 200/);
    await expect(c.invoices.list({ size: 0 })).rejects.toThrow(/query.size must be >= 1/);
    expect(sent()).toBe(0);
  });

  it('refuses "Pax8Partner" in a new order, the body spelling of billing terms in the filter, and an update that changes nothing', async () => {
    const { pax8: c, sent } = counting();
    const order = harness.exampleArgs('createOrder').body as OrdersCreateBody;
    await expect(c.orders.create({ body: { ...order, orderedBy: 'Pax8Partner' as never } })).rejects.toThrow(/body.orderedBy must be one of "Pax8 Partner"/);
    await expect(c.subscriptions.list({ billingTerm: '1-Time' as never })).rejects.toThrow(/query.billingTerm must be one of/);
    await expect(c.subscriptions.update({ subscriptionId: SUBSCRIPTION, body: { endDate: '2025-12-31T00:00:00Z' } as never })).rejects.toThrow(/body must match at least one of the allowed shapes/);
    await expect(c.companies.update({ companyId: COMPANY, body: {} })).rejects.toThrow(/body must have at least 1 properties/);
    expect(sent()).toBe(0);
  });

  it('requires usageDate for usage lines, as a date', async () => {
    const { pax8: c, sent } = counting();
    await expect(c.usageSummaries.listLines({ usageSummaryId: '7e6d5c4b-3a29-4187-8f6e-5d4c3b2a1f0e' } as never)).rejects.toThrow(/query.usageDate is required/);
    await expect(c.usageSummaries.listLines({ usageSummaryId: '7e6d5c4b-3a29-4187-8f6e-5d4c3b2a1f0e', usageDate: '30/06/2025' })).rejects.toThrow(/must be a valid date/);
    await expect(c.subscriptions.cancel({ subscriptionId: SUBSCRIPTION, cancelDate: '2025-13-01' })).rejects.toThrow(/query.cancelDate must be a valid date/);
    expect(sent()).toBe(0);
  });

  it('refuses the PowerShell wrapper\'s misspelt orderApprovedRequired when creating a company', async () => {
    const { pax8: c, sent } = counting();
    const company = harness.exampleArgs('createCompany').body as Record<string, unknown>;
    const { orderApprovalRequired, ...rest } = company;
    await expect(c.companies.create({ body: { ...rest, orderApprovedRequired: orderApprovalRequired } as never })).rejects.toThrow(
      /body.orderApprovalRequired is required; body.orderApprovedRequired is not a known property/,
    );
    expect(sent()).toBe(0);
  });

  it('notices when Prism rejects a request (the harness can fail)', async () => {
    const unchecked = client({ validate: false, auth: 'static-token' });
    await expect(unchecked.invoices.list({ size: 500 })).rejects.toMatchObject({ status: 400 });
    const found = harness.violations.splice(0);
    expect(found).toHaveLength(1);
    expect(found[0]!.detail).toMatch(/size/);
  });
});

describe('Pax8 v1: the error body on every error', () => {
  it('maps a 404 to NotFoundError with the type and message of {type, message, instance, status, details}', async () => {
    const error = (await pax8.companies.get({ companyId: COMPANY }, { headers: { Prefer: 'code=404' } }).catch((e: unknown) => e)) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', providerMessage: `Company Not Found: ${COMPANY}`, operationId: 'getCompany' });
    expect(error.body).toEqual(harness.responseExample('getCompany', '404'));
  });

  it('maps 403, 422 and 429 to their error classes', async () => {
    const forbidden = await pax8.subscriptions.list({ companyId: COMPANY }, { headers: { Prefer: 'code=403' } }).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(PermissionDeniedError);
    expect(forbidden).toMatchObject({ providerMessage: 'Invalid companyId' });
    const unprocessable = await callOperation(pax8, harness, 'createCompanyContact', {}, { headers: { Prefer: 'code=422' } }).catch((e: unknown) => e);
    expect(unprocessable).toBeInstanceOf(UnprocessableEntityError);
    const limited = await pax8.products.list({}, { headers: { Prefer: 'code=429' } }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ code: 'TOO_MANY_REQUESTS', attempts: 1 });
  });

  it('keeps the client secret and the token out of a 401 error', async () => {
    const error = await pax8.companies.list({}, { headers: { Prefer: 'code=401' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const token = harness.responseExample('createAccessToken').access_token as string;
    const shown = `${String(error)} ${(error as Error).stack} ${JSON.stringify(error)}`;
    expect(shown).not.toContain(CLIENT_SECRET);
    expect(shown).not.toContain(token);
  });
});
