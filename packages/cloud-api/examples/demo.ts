import { createJsonAwareQuerySerializer } from '@provider-sdk/core';
import { createCloudApiClient, InvalidArgumentError, NotFoundError } from '../src/index.js';

/** A short tour of the Cloud API client, run by `pnpm demo` against a Prism mock of specs/cloud-api.yaml. */
export async function demo(baseUrl: string, print: (label: string, value: unknown) => void): Promise<void> {
  // A real server: createCloudApiClient({ host: 'cloud.example.com', username, password }) calls
  // http://cloud.example.com:80/appserver/rest/cloud_api_customer/<method>.
  const cloud = createCloudApiClient({ baseUrl, username: 'admin', password: 'demo-password' });

  const guid = await cloud.customer.create({ name: '123', city: 'Gent', country: 'Belgium' });
  print(`customer.create({ name: '123', city: 'Gent', country: 'Belgium' })`, guid);
  print(`…sent as (a string stays a string: json.loads gives '123' back)`, createJsonAwareQuerySerializer(new Set(['name', 'city', 'country']))({ name: '123', city: 'Gent', country: 'Belgium' }));

  print('customer.listStatuses() (decoded from the JSON string result)', await cloud.customer.listStatuses());

  const customers = await cloud.customer.list();
  print('customer.list()', customers.map((c) => ({ guid: c.guid, name: c.name, status: c.status })));

  print(`customer.find({ status: 'ACTIVE' })`, await cloud.customer.find({ status: 'ACTIVE' }));

  print(
    `customer.setStatus({ customerguid, status: 'DISABLED', executionparams: { maxduration: 60 } })`,
    await cloud.customer.setStatus({ customerguid: guid, status: 'DISABLED', executionparams: { maxduration: 60 } }),
  );

  // The whole envelope ({result, jobguid}) is the response body, beside the decoded result.
  const { data: deleted, response } = await cloud.customer.delete({ customerguid: guid }).withResponse();
  print('customer.delete({ customerguid }).withResponse()', { result: deleted, status: response.status, body: response.body });

  print('async.customer.delete({ customerguid }) → the job guid', await cloud.async.customer.delete({ customerguid: guid }));

  try {
    await cloud.customer.delete({ customerguid: guid }, { headers: { Prefer: 'code=404, example=methodNotFound' } });
  } catch (error) {
    if (error instanceof NotFoundError) print('a 404 becomes NotFoundError', { status: error.status, code: error.code, message: error.providerMessage });
    else throw error;
  }

  try {
    await cloud.customer.delete({ customerguid: guid, executionparams: { maxduration: Number.NaN } });
  } catch (error) {
    if (error instanceof InvalidArgumentError) print('NaN has no JSON form: refused before sending', error.issues);
    else throw error;
  }
}
