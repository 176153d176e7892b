import { contractHarness, describeEveryOperation } from '../../../scripts/testing/contract.js';
import { createCascadeClient } from '../src/index.js';

const harness = contractHarness('cascade');
const client = createCascadeClient({ baseUrl: harness.baseUrl, fetch: harness.fetch, retry: false });

describeEveryOperation(harness, client);
