import { describeResponseDrift } from '../../../scripts/testing/drift.js';
import { callOperation, specExamples } from '../../../scripts/testing/examples.js';
import { createPax8WebhooksClient, ResponseValidationError } from '../src/index.js';

const examples = specExamples('pax8-webhooks');

describeResponseDrift({
  provider: 'pax8-webhooks',
  createClient: ({ baseUrl, tokenUrl, logger, validateResponses }) => createPax8WebhooksClient({ baseUrl, tokenUrl, clientId: 'drift-client', clientSecret: 'drift-secret-value', logger, validateResponses, rateLimit: false, retry: false }),
  tokenAnswer: (req) => (req.method === 'POST' && req.url === '/oauth/token' ? { access_token: 'drift-access-token', token_type: 'Bearer', expires_in: 86_400 } : undefined),
  operation: 'Webhooks_get',
  read: (client, options) => callOperation(client, examples, 'Webhooks_get', {}, options),
  answer: examples.responseExample('Webhooks_get'),
  drift: (webhook) => {
    // A renamed field, a changed type, one inside an array of topics.
    webhook.name = webhook.displayName;
    delete webhook.displayName;
    webhook.active = 'true';
    webhook.webhookTopics[0].topic = 42;
  },
  expected: [
    { path: '$.displayName', kind: 'break' },
    { path: '$.name', kind: 'addition' },
    { path: '$.active', kind: 'break' },
    { path: '$.webhookTopics[*].topic', kind: 'break' },
  ],
  ResponseValidationError,
});
