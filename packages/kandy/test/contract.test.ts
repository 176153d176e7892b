import { contractHarness, describeEveryOperation } from '../../../scripts/testing/contract.js';
import { createKandyClient } from '../src/index.js';

const harness = contractHarness('kandy');
const client = createKandyClient({ baseUrl: harness.baseUrl, fetch: harness.fetch, retry: false });

describeEveryOperation(harness, client);
