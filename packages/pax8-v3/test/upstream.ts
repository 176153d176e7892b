// How `pnpm contract pax8-v3 --upstream https://app.pax8.com/p8p` authenticates: client credentials,
// with the token fetched from the real token endpoint (not through the proxy).
import { createPax8V3Client } from '../src/index.js';

export const environment = {
  PAX8_CLIENT_ID: 'the client id of a Pax8 API credential',
  PAX8_CLIENT_SECRET: 'its client secret',
};

export function createUpstreamClient(options: { baseUrl: string; fetch: typeof fetch; retry: false }, env: Record<string, string>) {
  return createPax8V3Client({ ...options, clientId: env.PAX8_CLIENT_ID!, clientSecret: env.PAX8_CLIENT_SECRET!, tokenFetch: globalThis.fetch });
}
