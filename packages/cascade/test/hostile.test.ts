import { describeHostileServer, plantSecret } from '../../../scripts/testing/hostile.js';
import { specExamples } from '../../../scripts/testing/examples.js';
import { type CascadeClient, type CustomersCreateBody, createCascadeClient } from '../src/index.js';

const examples = specExamples('cascade');
const username = plantSecret('cascadeuser');
const password = plantSecret('cascadepass');
// A body secret too: the new customer's administrator password (`format: password` in the spec).
const adminPassword = plantSecret('cascadeadmin');
const body = { ...(examples.exampleArgs('createCustomer').body as CustomersCreateBody), AdministratorPassword: adminPassword.value };

describeHostileServer<CascadeClient>({
  provider: 'cascade',
  planted: [username, password, adminPassword],
  createClient: ({ baseUrl, logger, timeoutMs, followRedirects }) =>
    createCascadeClient({ baseUrl, username: username.value, password: password.value, logger, logLevel: 'debug', timeoutMs, followRedirects }),
  read: (cascade, options) => cascade.customers.get({ primaryDomain: 'acme-widgets.co.uk' }, options),
  readAnswer: examples.responseExample('getCustomer'),
  write: (cascade, options) => cascade.customers.create({ body }, options),
  writeAnswer: examples.responseExample('createCustomer') ?? {},
});
