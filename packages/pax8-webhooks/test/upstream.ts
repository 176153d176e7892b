// How `pnpm contract pax8-webhooks --upstream https://api.pax8.com/api/v2` authenticates: the Partner API's client
// credentials, with the token fetched from the real token endpoint (not through the proxy).
import { createPax8WebhooksClient } from '../src/index.js';

export const environment = {
  PAX8_CLIENT_ID: 'the client id of a Pax8 API credential',
  PAX8_CLIENT_SECRET: 'its client secret',
};

export function createUpstreamClient(options: { baseUrl: string; fetch: typeof fetch; retry: false }, env: Record<string, string>) {
  return createPax8WebhooksClient({ ...options, clientId: env.PAX8_CLIENT_ID!, clientSecret: env.PAX8_CLIENT_SECRET!, tokenFetch: globalThis.fetch });
}
