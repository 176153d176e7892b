import { describe, expect, it } from 'vitest';
import { describeEveryMockedOperation, mockServer } from '../../../scripts/testing/mock.js';
import { createPax8QuotesMock } from '../src/generated/mock.js';
import { createPax8QuotesClient, PermissionDeniedError } from '../src/index.js';

const mock = createPax8QuotesMock();
const server = mockServer(mock.handlers);
const quotes = createPax8QuotesClient({ auth: 'mock-token', retry: false, rateLimit: false });

const examples = describeEveryMockedOperation('pax8-quotes', quotes);

describe('@provider-sdk/pax8-quotes/mock', () => {
  it('answers under the default base URL', () => {
    expect(mock.baseUrl).toBe('https://api.pax8.com');
  });

  it('refuses an invalid request with a 422 naming what is wrong', async () => {
    const unchecked = quotes.withOptions({ validate: false });
    const error = await unchecked.quotes.create({ body: { clientId: 'not-a-uuid' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, body: { issues: [{ path: 'body.clientId', message: 'must be a valid uuid' }] } });
  });

  it('overrides one operation in one line', async () => {
    server.use(mock.override('getQuoteById', { status: 403 }));
    const error = await quotes.quotes.get({ quoteId: '8f14e45f-ceea-467a-9575-2b1a1c0d9e3f' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as PermissionDeniedError).body).toEqual(examples.responseExample('getQuoteById', '403'));
  });
});
