import { contractHarness, describeEveryOperation } from '../../../scripts/testing/contract.js';
import { createPax8WebhooksClient } from '../src/index.js';

const harness = contractHarness('pax8-webhooks');
// A Pax8 bearer token (the pax8Auth scheme, shared with the Partner API) is all Prism checks for.
const client = createPax8WebhooksClient({ baseUrl: harness.baseUrl, fetch: harness.fetch, auth: 'contract-token', retry: false, rateLimit: false });

describeEveryOperation(harness, client);
