import { describeResponseDrift } from '../../../scripts/testing/drift.js';
import { callOperation, specExamples } from '../../../scripts/testing/examples.js';
import { createPax8QuotesClient, ResponseValidationError } from '../src/index.js';

const examples = specExamples('pax8-quotes');

describeResponseDrift({
  provider: 'pax8-quotes',
  createClient: ({ baseUrl, tokenUrl, logger, validateResponses }) => createPax8QuotesClient({ baseUrl, tokenUrl, clientId: 'drift-client', clientSecret: 'drift-secret-value', logger, validateResponses, rateLimit: false, retry: false }),
  tokenAnswer: (req) => (req.method === 'POST' && req.url === '/oauth/token' ? { access_token: 'drift-access-token', token_type: 'Bearer', expires_in: 86_400 } : undefined),
  operation: 'getQuoteById',
  read: (client, options) => callOperation(client, examples, 'getQuoteById', {}, options),
  answer: examples.responseExample('getQuoteById'),
  drift: (quote) => {
    // A renamed field and a changed type.
    quote.reference = quote.referenceCode;
    delete quote.referenceCode;
    quote.published = 1;
  },
  expected: [
    { path: '$.referenceCode', kind: 'break' },
    { path: '$.reference', kind: 'addition' },
    { path: '$.published', kind: 'break' },
  ],
  ResponseValidationError,
});
