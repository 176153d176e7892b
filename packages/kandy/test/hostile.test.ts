import { describeHostileServer, plantSecret } from '../../../scripts/testing/hostile.js';
import { specExamples } from '../../../scripts/testing/examples.js';
import { createKandyClient, type KandyClient } from '../src/index.js';

const examples = specExamples('kandy');
const accountKey = plantSecret('kandyacckey');
const accountSecret = plantSecret('kandyaccsecret');
const domainKey = plantSecret('kandydomkey');
const domainSecret = plantSecret('kandydomsecret');

// Kandy's token calls are API calls (GET .../accesstokens), answered in its status envelope.
const TOKEN_FIELDS: Record<string, string> = {
  '/accounts/accesstokens': 'account_access_token',
  '/domains/accesstokens': 'domain_access_token',
  '/domains/users/accesstokens': 'user_access_token',
};

describeHostileServer<KandyClient>({
  provider: 'kandy',
  planted: [accountKey, accountSecret, domainKey, domainSecret],
  createClient: ({ baseUrl, logger, timeoutMs, followRedirects }) =>
    createKandyClient({
      baseUrl,
      accountApiKey: accountKey.value,
      accountApiSecret: accountSecret.value,
      domainApiKey: domainKey.value,
      domainApiSecret: domainSecret.value,
      logger,
      logLevel: 'debug',
      timeoutMs,
      followRedirects,
    }),
  tokenAnswer: (req, token) => {
    const field = req.method === 'GET' ? TOKEN_FIELDS[new URL(req.url, 'http://x').pathname] : undefined;
    return field ? { status: 0, message: 'success', result: { [field]: token } } : undefined;
  },
  read: (kandy, options) => kandy.domains.list({}, options),
  readAnswer: examples.responseExample('listDomains'),
  write: (kandy, options) => kandy.domains.create({ body: { domain_name: 'test.com' } }, options),
  writeAnswer: examples.responseExample('createDomain'),
});
