import { describeResponseDrift } from '../../../scripts/testing/drift.js';
import { callOperation, specExamples } from '../../../scripts/testing/examples.js';
import { createCascadeClient, ResponseValidationError } from '../src/index.js';

const examples = specExamples('cascade');

describeResponseDrift({
  provider: 'cascade',
  createClient: ({ baseUrl, logger, validateResponses }) => createCascadeClient({ baseUrl, username: 'drift-user', password: 'drift-password', logger, validateResponses, retry: false }),
  operation: 'getCustomer',
  read: (client, options) => callOperation(client, examples, 'getCustomer', {}, options),
  answer: examples.responseExample('getCustomer'),
  drift: (customer) => {
    // Customer is open (additionalProperties: true); its contacts are not. A renamed contact field,
    // a changed type, and an enum value the spec does not list.
    customer.IsActive = 'true';
    customer.Contacts[0].GivenName = customer.Contacts[0].FirstName;
    delete customer.Contacts[0].FirstName;
    customer.Contacts[0].ContactType = 'SalesContact';
    customer.Segment = 'SMB';
  },
  expected: [
    { path: '$.IsActive', kind: 'break' },
    { path: '$.Contacts[*].FirstName', kind: 'break' },
    { path: '$.Contacts[*].GivenName', kind: 'addition' },
    { path: '$.Contacts[*].ContactType', kind: 'break' },
  ],
  ResponseValidationError,
});
