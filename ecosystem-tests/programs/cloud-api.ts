// What a Cloud API user writes, as the README shows it; run unchanged in every runtime of the matrix
// (installed from the packed tarballs) and type-checked under every compiler setting of the matrix.
import { ApiError, type CustomerListResult, createCloudApiClient, NotFoundError } from '@provider-sdk/cloud-api';

export type Env = Readonly<Record<string, string | undefined>>;

export default async function program(env: Env) {
  // HTTP Basic through btoa, and a JSON-string result decoded by the client.
  const cloud = createCloudApiClient({
    baseUrl: env.CLOUD_API_BASE_URL,
    username: env.CLOUD_API_USERNAME,
    password: env.CLOUD_API_PASSWORD,
  });
  // Response validation imports its schemas on demand: that import must work here too.
  const customers: CustomerListResult = await cloud.customer.list({}, { validateResponses: 'throw' });

  let failure: unknown;
  try {
    await cloud.customer.list({}, { headers: { Prefer: 'code=404' } });
  } catch (error) {
    failure = error;
  }
  return {
    operation: 'customerList',
    result: customers,
    notFound: failure instanceof NotFoundError,
    apiError: failure instanceof ApiError,
    status: failure instanceof ApiError ? failure.status : String(failure),
    validated: cloud.drift().checked,
  };
}
