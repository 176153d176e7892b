import { describeHostileServer, plantSecret } from '../../../scripts/testing/hostile.js';
import { specExamples } from '../../../scripts/testing/examples.js';
import { createPax8QuotesClient, type Pax8QuotesClient } from '../src/index.js';

const examples = specExamples('pax8-quotes');
const clientId = plantSecret('pax8quotesid');
const clientSecret = plantSecret('pax8quotessecret');

describeHostileServer<Pax8QuotesClient>({
  provider: 'pax8-quotes',
  planted: [clientId, clientSecret],
  createClient: ({ baseUrl, tokenUrl, logger, timeoutMs, followRedirects }) =>
    createPax8QuotesClient({ baseUrl, tokenUrl, clientId: clientId.value, clientSecret: clientSecret.value, logger, logLevel: 'debug', timeoutMs, followRedirects, rateLimit: false }),
  tokenAnswer: (req, token) => (req.method === 'POST' && req.url === '/oauth/token' ? { access_token: token, token_type: 'Bearer', expires_in: 86_400 } : undefined),
  read: (client, options) => client.quotes.get({ quoteId: '8f14e45f-ceea-467a-9575-2b1a1c0d9e3f' }, options),
  readAnswer: examples.responseExample('getQuoteById'),
  write: (client, options) => client.quotes.create({ body: examples.exampleArgs('createQuote').body as never }, options),
  writeAnswer: examples.responseExample('createQuote'),
  list: {
    iterate: (client) => client.quotes.list({ limit: 2 }),
    page: (items, total) => ({ content: items, page: { size: 2, totalElements: total, totalPages: Math.ceil(total / 2), number: 0 } }),
  },
});
