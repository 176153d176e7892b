import { describeHostileServer, plantSecret } from '../../../scripts/testing/hostile.js';
import { specExamples } from '../../../scripts/testing/examples.js';
import { type CloudApiClient, createCloudApiClient } from '../src/index.js';

const examples = specExamples('cloud-api');
// HTTP Basic cannot carry ":" in the user name; everything else is planted.
const username = { ...plantSecret('cloudname') };
username.value = username.value.replace(/:/g, '');
const password = plantSecret('cloudpass');

describeHostileServer<CloudApiClient>({
  provider: 'cloud-api',
  planted: [username, password],
  createClient: ({ baseUrl, logger, timeoutMs, followRedirects }) =>
    createCloudApiClient({ baseUrl, username: username.value, password: password.value, logger, logLevel: 'debug', timeoutMs, followRedirects }),
  // Every call of this query-string RPC API is a GET; there is no request body to protect.
  read: (cloud, options) => cloud.customer.list({}, options),
  readAnswer: examples.responseExample('customerList'),
});
