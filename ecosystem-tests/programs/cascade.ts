// What a Cascade user writes, as the README shows it; run unchanged in every runtime of the matrix
// (installed from the packed tarballs) and type-checked under every compiler setting of the matrix.
import { ApiError, type CustomersGetResult, createCascadeClient, NotFoundError } from '@provider-sdk/cascade';

export type Env = Readonly<Record<string, string | undefined>>;

export default async function program(env: Env) {
  const cascade = createCascadeClient({
    baseUrl: env.CASCADE_BASE_URL,
    username: env.CASCADE_USERNAME!,
    password: env.CASCADE_PASSWORD!,
  });
  // Response validation imports its schemas on demand: that import must work here too.
  const customer: CustomersGetResult = await cascade.customers.get({ primaryDomain: 'acme-widgets.co.uk' }, { validateResponses: 'throw' });

  let failure: unknown;
  try {
    await cascade.customers.get({ primaryDomain: 'acme-widgets.co.uk' }, { headers: { Prefer: 'code=404' } });
  } catch (error) {
    failure = error;
  }
  return {
    operation: 'getCustomer',
    result: customer,
    notFound: failure instanceof NotFoundError,
    apiError: failure instanceof ApiError,
    status: failure instanceof ApiError ? failure.status : String(failure),
    validated: cascade.drift().checked,
  };
}
