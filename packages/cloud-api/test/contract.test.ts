import { contractHarness, describeEveryOperation } from '../../../scripts/testing/contract.js';
import { createCloudApiClient } from '../src/index.js';

const harness = contractHarness('cloud-api');
const client = createCloudApiClient({ baseUrl: harness.baseUrl, fetch: harness.fetch, retry: false });

describeEveryOperation(harness, client);
