// What a Kandy user writes, as the README shows it; run unchanged in every runtime of the matrix
// (installed from the packed tarballs) and type-checked under every compiler setting of the matrix.
import { ApiError, createKandyClient, type DomainsListResult, NotFoundError } from '@provider-sdk/kandy';

export type Env = Readonly<Record<string, string | undefined>>;

export default async function program(env: Env) {
  // The account access token is fetched from the mock through the global fetch, then sent in the query.
  const kandy = createKandyClient({
    baseUrl: env.KANDY_BASE_URL,
    accountApiKey: env.KANDY_ACCOUNT_KEY,
    accountApiSecret: env.KANDY_ACCOUNT_SECRET,
  });
  // Response validation imports its schemas on demand: that import must work here too.
  const listing: DomainsListResult = await kandy.domains.list({}, { validateResponses: 'throw' });

  let failure: unknown;
  try {
    await kandy.domains.list({}, { headers: { Prefer: 'code=404' } });
  } catch (error) {
    failure = error;
  }
  return {
    operation: 'listDomains',
    result: listing,
    notFound: failure instanceof NotFoundError,
    apiError: failure instanceof ApiError,
    status: failure instanceof ApiError ? failure.status : String(failure),
    validated: kandy.drift().checked,
  };
}
