// What a user of the Pax8 portal API writes, as the README shows it (one token shared with a v1
// client); run unchanged in every runtime of the matrix (installed from the packed tarballs) and
// type-checked under every compiler setting of the matrix.
import { createPax8Client } from '@provider-sdk/pax8';
import { ApiError, type CompaniesGetMsTenantIdResult, createPax8V3Client, NotFoundError } from '@provider-sdk/pax8-v3';

export type Env = Readonly<Record<string, string | undefined>>;

export default async function program(env: Env) {
  const pax8 = createPax8Client({
    baseUrl: env.PAX8_BASE_URL,
    tokenUrl: env.PAX8_TOKEN_URL,
    clientId: env.PAX8_CLIENT_ID,
    clientSecret: env.PAX8_CLIENT_SECRET,
  });
  const portal = createPax8V3Client({ baseUrl: env.PAX8_V3_BASE_URL, auth: pax8.auth }); // one token for both
  // Response validation imports its schemas on demand: that import must work here too.
  const tenant: CompaniesGetMsTenantIdResult = await portal.companies.getMsTenantId({ companyId: '3d06d6b5-2e2b-4c5a-9d0e-5f1c2a7b8e90' }, { validateResponses: 'throw' });

  let failure: unknown;
  try {
    await portal.companies.getMsTenantId({ companyId: '3d06d6b5-2e2b-4c5a-9d0e-5f1c2a7b8e90' }, { headers: { Prefer: 'code=404' } });
  } catch (error) {
    failure = error;
  }
  return {
    operation: 'getCompanyMsTenantId',
    result: tenant,
    notFound: failure instanceof NotFoundError,
    apiError: failure instanceof ApiError,
    status: failure instanceof ApiError ? failure.status : String(failure),
    validated: portal.drift().checked,
  };
}
