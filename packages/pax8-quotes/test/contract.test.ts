import { contractHarness, describeEveryOperation } from '../../../scripts/testing/contract.js';
import { createPax8QuotesClient } from '../src/index.js';

const harness = contractHarness('pax8-quotes');
// A Pax8 bearer token (the pax8Auth scheme, shared with the Partner API) is all Prism checks for.
const client = createPax8QuotesClient({ baseUrl: harness.baseUrl, fetch: harness.fetch, auth: 'contract-token', retry: false, rateLimit: false });

describeEveryOperation(harness, client);
