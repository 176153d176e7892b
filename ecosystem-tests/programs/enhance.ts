// What an Enhance user writes, as the README shows it; run unchanged in every runtime of the matrix
// (installed from the packed tarballs) and type-checked under every compiler setting of the matrix.
import { ApiError, type CustomersGetResult, createEnhanceClient, NotFoundError } from '@provider-sdk/enhance';

export type Env = Readonly<Record<string, string | undefined>>;

export default async function program(env: Env) {
  // No custom fetch: the runtime's global fetch must do. `token` is `string | undefined` here.
  const enhance = createEnhanceClient({ baseUrl: env.ENHANCE_BASE_URL, token: env.ENHANCE_TOKEN });
  // Response validation imports its schemas on demand: that import must work here too.
  const org: CustomersGetResult = await enhance.customers.get({ org_id: '3f0d6c1e-8a55-4a49-9a53-0c6f2f8b7d21' }, { validateResponses: 'throw' });

  let failure: unknown;
  try {
    await enhance.customers.get({ org_id: '3f0d6c1e-8a55-4a49-9a53-0c6f2f8b7d21' }, { headers: { Prefer: 'code=404' } });
  } catch (error) {
    failure = error;
  }
  return {
    operation: 'getOrg',
    result: org,
    notFound: failure instanceof NotFoundError,
    apiError: failure instanceof ApiError,
    status: failure instanceof ApiError ? failure.status : String(failure),
    validated: enhance.drift().checked,
  };
}
