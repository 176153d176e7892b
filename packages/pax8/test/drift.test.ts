import { describeResponseDrift } from '../../../scripts/testing/drift.js';
import { callOperation, specExamples } from '../../../scripts/testing/examples.js';
import { createPax8Client, ResponseValidationError } from '../src/index.js';

const examples = specExamples('pax8');

describeResponseDrift({
  provider: 'pax8',
  createClient: ({ baseUrl, tokenUrl, logger, validateResponses }) => createPax8Client({ baseUrl, tokenUrl, clientId: 'drift-client', clientSecret: 'drift-secret-value', logger, validateResponses, rateLimit: false, retry: false }),
  tokenAnswer: (req) => (req.method === 'POST' && req.url === '/oauth/token' ? { access_token: 'drift-access-token', token_type: 'Bearer', expires_in: 86_400 } : undefined),
  operation: 'getCompany',
  read: (client, options) => callOperation(client, examples, 'getCompany', {}, options),
  answer: examples.responseExample('getCompany'),
  drift: (company) => {
    // A renamed field and a changed type.
    company.companyName = company.name;
    delete company.name;
    company.billOnBehalfOfEnabled = 'yes';
  },
  expected: [
    { path: '$.name', kind: 'break' },
    { path: '$.companyName', kind: 'addition' },
    { path: '$.billOnBehalfOfEnabled', kind: 'break' },
  ],
  ResponseValidationError,
});
