import { describeHostileServer, plantSecret } from '../../../scripts/testing/hostile.js';
import { specExamples } from '../../../scripts/testing/examples.js';
import { createPax8Client, type Pax8Client } from '../src/index.js';

const examples = specExamples('pax8');
const clientId = plantSecret('pax8id');
const clientSecret = plantSecret('pax8secret');
const COMPANY = '3f0d6c1e-8a55-4a49-9a53-0c6f2f8b7d21';

describeHostileServer<Pax8Client>({
  provider: 'pax8',
  planted: [clientId, clientSecret],
  createClient: ({ baseUrl, tokenUrl, logger, timeoutMs, followRedirects }) =>
    createPax8Client({ baseUrl, tokenUrl, clientId: clientId.value, clientSecret: clientSecret.value, logger, logLevel: 'debug', timeoutMs, followRedirects, rateLimit: false }),
  tokenAnswer: (req, token) => (req.method === 'POST' && req.url === '/oauth/token' ? { access_token: token, token_type: 'Bearer', expires_in: 86_400 } : undefined),
  read: (pax8, options) => pax8.companies.get({ companyId: COMPANY }, options),
  readAnswer: examples.responseExample('getCompany'),
  write: (pax8, options) => pax8.companies.create({ body: examples.exampleArgs('createCompany').body as never }, options),
  writeAnswer: examples.responseExample('createCompany'),
  list: {
    iterate: (pax8) => pax8.companies.list({ size: 2 }),
    page: (items, total) => ({ content: items, page: { size: 2, totalElements: total, totalPages: Math.ceil(total / 2), number: 0 } }),
  },
});
