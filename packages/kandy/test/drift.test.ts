import { describeResponseDrift } from '../../../scripts/testing/drift.js';
import { callOperation, specExamples } from '../../../scripts/testing/examples.js';
import { createKandyClient, ResponseValidationError } from '../src/index.js';
import { KEYS } from './helpers.js';

const examples = specExamples('kandy');

describeResponseDrift({
  provider: 'kandy',
  createClient: ({ baseUrl, logger, validateResponses }) => createKandyClient({ baseUrl, ...KEYS, logger, validateResponses, retry: false }),
  // Kandy's token calls are API calls, answered in its status envelope.
  tokenAnswer: (req) => {
    const path = new URL(req.url, 'http://x').pathname;
    const field = path.endsWith('/accesstokens') ? (path.includes('/users/') ? 'user_access_token' : path.includes('/domains/') ? 'domain_access_token' : 'account_access_token') : undefined;
    return field ? { status: 0, message: 'success', result: { [field]: `drift-${field}` } } : undefined;
  },
  operation: 'listDomains',
  read: (client, options) => callOperation(client, examples, 'listDomains', {}, options),
  answer: examples.responseExample('listDomains'),
  drift: (answer) => {
    // Inside the status envelope: a renamed field and a changed type, in every domain of the list.
    const domain = answer.result.domains[0];
    domain.name = domain.domain_name;
    delete domain.domain_name;
    domain.number_of_users = 41;
  },
  expected: [
    { path: '$.result.domains[*].domain_name', kind: 'break' },
    { path: '$.result.domains[*].name', kind: 'addition' },
    { path: '$.result.domains[*].number_of_users', kind: 'break' },
  ],
  ResponseValidationError,
});
