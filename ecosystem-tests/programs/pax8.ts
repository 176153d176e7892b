// What a Pax8 user writes, as the README shows it; run unchanged in every runtime of the matrix
// (installed from the packed tarballs) and type-checked under every compiler setting of the matrix.
import { ApiError, type CompaniesGetResult, createPax8Client, NotFoundError, RedisTokenStore } from '@provider-sdk/pax8';

export type Env = Readonly<Record<string, string | undefined>>;

export default async function program(env: Env) {
  // Two workers sharing one token through Redis: a stand-in for a node-redis client that answers
  // bytes (as it does with `RESP_TYPES.BLOB_STRING: Buffer`), so the store decodes them.
  const memory = new Map<string, Uint8Array>();
  const redis = {
    get: async (key: string) => memory.get(key) ?? null,
    set: async (key: string, value: string, options: { PX: number; NX?: boolean }) => {
      if (options.NX && memory.has(key)) return null;
      memory.set(key, new TextEncoder().encode(value));
      return 'OK';
    },
    del: async (key: string) => (memory.delete(key) ? 1 : 0),
  };
  // No custom fetch: the token request and the calls go through the runtime's global fetch.
  // The values are `string | undefined`, as `process.env` gives them.
  const options = {
    baseUrl: env.PAX8_BASE_URL,
    tokenUrl: env.PAX8_TOKEN_URL,
    clientId: env.PAX8_CLIENT_ID,
    clientSecret: env.PAX8_CLIENT_SECRET,
    tokenStore: RedisTokenStore.nodeRedis(redis),
  };
  await createPax8Client(options).companies.get({ companyId: '3d06d6b5-2e2b-4c5a-9d0e-5f1c2a7b8e90' });
  if (memory.size === 0) throw new Error('the token was not kept in the store');
  // The second worker's client finds the token in the store.
  const pax8 = createPax8Client(options);
  // Response validation imports its schemas on demand: that import must work here too.
  const company: CompaniesGetResult = await pax8.companies.get({ companyId: '3d06d6b5-2e2b-4c5a-9d0e-5f1c2a7b8e90' }, { validateResponses: 'throw' });

  let failure: unknown;
  try {
    await pax8.companies.get({ companyId: '3d06d6b5-2e2b-4c5a-9d0e-5f1c2a7b8e90' }, { headers: { Prefer: 'code=404' } });
  } catch (error) {
    failure = error;
  }
  return {
    operation: 'getCompany',
    result: company,
    notFound: failure instanceof NotFoundError,
    apiError: failure instanceof ApiError,
    status: failure instanceof ApiError ? failure.status : String(failure),
    validated: pax8.drift().checked,
  };
}
