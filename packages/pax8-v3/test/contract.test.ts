import { contractHarness, describeEveryOperation } from '../../../scripts/testing/contract.js';
import { createPax8V3Client } from '../src/index.js';

const harness = contractHarness('pax8-v3');
const client = createPax8V3Client({ baseUrl: harness.baseUrl, fetch: harness.fetch, retry: false });

describeEveryOperation(harness, client);
