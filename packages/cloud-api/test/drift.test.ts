import { describeResponseDrift } from '../../../scripts/testing/drift.js';
import { callOperation, specExamples } from '../../../scripts/testing/examples.js';
import { createCloudApiClient, ResponseValidationError } from '../src/index.js';

const examples = specExamples('cloud-api');

describeResponseDrift({
  provider: 'cloud-api',
  createClient: ({ baseUrl, logger, validateResponses }) => createCloudApiClient({ baseUrl, username: 'drift-user', password: 'drift-password', logger, validateResponses, retry: false }),
  operation: 'customerList',
  read: (client, options) => callOperation(client, examples, 'customerList', {}, options),
  answer: examples.responseExample('customerList'),
  drift: (answer) => {
    // The body around the JSON-string result: a changed type and a field the spec does not name.
    answer.jobguid = 42;
    answer.total = 2;
  },
  expected: [
    { path: '$.jobguid', kind: 'break' },
    { path: '$.total', kind: 'addition' },
  ],
  ResponseValidationError,
});
