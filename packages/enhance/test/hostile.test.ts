import { describeHostileServer, plantSecret } from '../../../scripts/testing/hostile.js';
import { specExamples } from '../../../scripts/testing/examples.js';
import { createEnhanceClient, type EnhanceClient } from '../src/index.js';

const examples = specExamples('enhance');
const ORG = '9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';
const calls = {
  read: (enhance: EnhanceClient, options?: object) => enhance.customers.get({ org_id: ORG }, options),
  readAnswer: examples.responseExample('getOrg'),
  write: (enhance: EnhanceClient, options?: object) => enhance.customers.create({ org_id: ORG, body: { name: 'Acme Widgets Ltd' } }, options),
  writeAnswer: examples.responseExample('createCustomer'),
  list: {
    iterate: (enhance: EnhanceClient) => enhance.customers.list({ org_id: ORG, limit: 2 }),
    page: (items: unknown[], total: number) => ({ items, total }),
  },
};

// Both credential kinds: the access token (bearer) and the id0 session cookie.
const token = plantSecret('enhtoken');
describeHostileServer<EnhanceClient>({
  provider: 'enhance (bearer token)',
  planted: [token],
  createClient: ({ baseUrl, logger, timeoutMs, followRedirects }) => createEnhanceClient({ baseUrl, token: token.value, logger, logLevel: 'debug', timeoutMs, followRedirects }),
  ...calls,
});

const cookie = plantSecret('enhcookie');
describeHostileServer<EnhanceClient>({
  provider: 'enhance (session cookie)',
  planted: [cookie],
  createClient: ({ baseUrl, logger, timeoutMs, followRedirects }) => createEnhanceClient({ baseUrl, sessionCookie: cookie.value, logger, logLevel: 'debug', timeoutMs, followRedirects }),
  ...calls,
});
