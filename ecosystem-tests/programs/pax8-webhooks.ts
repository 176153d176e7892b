// What a user of the Pax8 Webhooks API writes, as the README shows it (one token and one budget
// shared with a Partner API client); run unchanged in every runtime of the matrix (installed from
// the packed tarballs) and type-checked under every compiler setting of the matrix.
import { createPax8Client } from '@provider-sdk/pax8';
import { ApiError, createPax8WebhooksClient, NotFoundError, type WebhooksGetResult } from '@provider-sdk/pax8-webhooks';

export type Env = Readonly<Record<string, string | undefined>>;

export default async function program(env: Env) {
  const pax8 = createPax8Client({
    baseUrl: env.PAX8_BASE_URL,
    tokenUrl: env.PAX8_TOKEN_URL,
    clientId: env.PAX8_CLIENT_ID,
    clientSecret: env.PAX8_CLIENT_SECRET,
  });
  const hooks = createPax8WebhooksClient({ baseUrl: env.PAX8_WEBHOOKS_BASE_URL, auth: pax8.auth, rateLimit: pax8.rateLimiter });
  // Response validation imports its schemas on demand: that import must work here too.
  const webhook: WebhooksGetResult = await hooks.webhooks.get({ id: '4b8e2c1d-6f3a-4e9b-a7c5-2d1e0f9a8b7c' }, { validateResponses: 'throw' });

  let failure: unknown;
  try {
    await hooks.webhooks.get({ id: '4b8e2c1d-6f3a-4e9b-a7c5-2d1e0f9a8b7c' }, { headers: { Prefer: 'code=404' } });
  } catch (error) {
    failure = error;
  }
  return {
    operation: 'Webhooks_get',
    result: webhook,
    notFound: failure instanceof NotFoundError,
    apiError: failure instanceof ApiError,
    status: failure instanceof ApiError ? failure.status : String(failure),
    validated: hooks.drift().checked,
  };
}
