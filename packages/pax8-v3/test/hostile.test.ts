import { describeHostileServer, plantSecret } from '../../../scripts/testing/hostile.js';
import { specExamples } from '../../../scripts/testing/examples.js';
import { createPax8V3Client, type Pax8V3Client } from '../src/index.js';

const examples = specExamples('pax8-v3');
const clientId = plantSecret('v3id');
const clientSecret = plantSecret('v3secret');

describeHostileServer<Pax8V3Client>({
  provider: 'pax8-v3',
  planted: [clientId, clientSecret],
  createClient: ({ baseUrl, tokenUrl, logger, timeoutMs, followRedirects }) =>
    createPax8V3Client({ baseUrl, tokenUrl, clientId: clientId.value, clientSecret: clientSecret.value, logger, logLevel: 'debug', timeoutMs, followRedirects, rateLimit: false }),
  tokenAnswer: (req, token) => (req.method === 'POST' && req.url === '/oauth/token' ? { access_token: token, token_type: 'Bearer', expires_in: 86_400 } : undefined),
  read: (portal, options) => portal.companies.getMsTenantId({ companyId: '3f0d6c1e-8a55-4a49-9a53-0c6f2f8b7d21' }, options),
  readAnswer: examples.responseExample('getCompanyMsTenantId'),
  // The portal API has no operation with a request body.
});
