import { describeResponseDrift } from '../../../scripts/testing/drift.js';
import { callOperation, specExamples } from '../../../scripts/testing/examples.js';
import { createPax8V3Client, ResponseValidationError } from '../src/index.js';

const examples = specExamples('pax8-v3');

describeResponseDrift({
  provider: 'pax8-v3',
  createClient: ({ baseUrl, tokenUrl, logger, validateResponses }) => createPax8V3Client({ baseUrl, tokenUrl, clientId: 'drift-client', clientSecret: 'drift-secret-value', logger, validateResponses, rateLimit: false, retry: false }),
  tokenAnswer: (req) => (req.method === 'POST' && req.url === '/oauth/token' ? { access_token: 'drift-access-token', token_type: 'Bearer', expires_in: 86_400 } : undefined),
  operation: 'getCompanyMsTenantId',
  read: (client, options) => callOperation(client, examples, 'getCompanyMsTenantId', {}, options),
  answer: examples.responseExample('getCompanyMsTenantId'),
  drift: (answer) => {
    // A changed type, and a field the spec does not name.
    answer.tenantId = 42;
    answer.region = 'EU';
  },
  expected: [
    { path: '$.tenantId', kind: 'break' },
    { path: '$.region', kind: 'addition' },
  ],
  ResponseValidationError,
});
