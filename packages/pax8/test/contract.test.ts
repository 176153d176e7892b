import { contractHarness, describeEveryOperation } from '../../../scripts/testing/contract.js';
import { createPax8Client } from '../src/index.js';

const harness = contractHarness('pax8');
const client = createPax8Client({ baseUrl: harness.baseUrl, fetch: harness.fetch, retry: false });

describeEveryOperation(harness, client);
