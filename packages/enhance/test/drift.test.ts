import { describeResponseDrift } from '../../../scripts/testing/drift.js';
import { callOperation, specExamples } from '../../../scripts/testing/examples.js';
import { createEnhanceClient, ResponseValidationError } from '../src/index.js';

const examples = specExamples('enhance');

describeResponseDrift({
  provider: 'enhance',
  createClient: ({ baseUrl, logger, validateResponses }) => createEnhanceClient({ baseUrl, token: 'drift-token-value', logger, validateResponses, retry: false }),
  operation: 'getOrgCustomers',
  read: (client, options) => callOperation(client, examples, 'getOrgCustomers', {}, options),
  answer: examples.responseExample('getOrgCustomers'),
  drift: (page) => {
    // A renamed field and a changed type, in the first customer of the page.
    page.items[0].customerName = page.items[0].name;
    delete page.items[0].name;
    page.items[0].websitesCount = 'three';
  },
  expected: [
    { path: '$.items[*].name', kind: 'break' },
    { path: '$.items[*].customerName', kind: 'addition' },
    { path: '$.items[*].websitesCount', kind: 'break' },
  ],
  ResponseValidationError,
});
