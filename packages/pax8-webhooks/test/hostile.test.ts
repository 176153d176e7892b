import { describeHostileServer, plantSecret } from '../../../scripts/testing/hostile.js';
import { specExamples } from '../../../scripts/testing/examples.js';
import { createPax8WebhooksClient, type Pax8WebhooksClient } from '../src/index.js';

const examples = specExamples('pax8-webhooks');
const clientId = plantSecret('pax8webhooksid');
const clientSecret = plantSecret('pax8webhookssecret');

describeHostileServer<Pax8WebhooksClient>({
  provider: 'pax8-webhooks',
  planted: [clientId, clientSecret],
  createClient: ({ baseUrl, tokenUrl, logger, timeoutMs, followRedirects }) =>
    createPax8WebhooksClient({ baseUrl, tokenUrl, clientId: clientId.value, clientSecret: clientSecret.value, logger, logLevel: 'debug', timeoutMs, followRedirects, rateLimit: false }),
  tokenAnswer: (req, token) => (req.method === 'POST' && req.url === '/oauth/token' ? { access_token: token, token_type: 'Bearer', expires_in: 86_400 } : undefined),
  read: (client, options) => client.webhooks.get({ id: 'b9c8d7e6-f5a4-4b3c-9d2e-1f0a9b8c7d6e' }, options),
  readAnswer: examples.responseExample('Webhooks_get'),
  write: (client, options) => client.webhooks.create({ body: examples.exampleArgs('Webhooks_create').body as never }, options),
  writeAnswer: examples.responseExample('Webhooks_create'),
  list: {
    iterate: (client) => client.webhooks.list({ size: 2 }),
    page: (items, total) => ({ content: items, page: { size: 2, totalElements: total, totalPages: Math.ceil(total / 2), number: 0 } }),
  },
});
