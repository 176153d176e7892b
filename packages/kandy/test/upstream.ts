// How `pnpm contract kandy --upstream https://api.kandy.io/v1.2` authenticates: the long-lived keys;
// the client fetches the account, domain and user access tokens through the proxy like any call.
import { createKandyClient } from '../src/index.js';

export const environment = {
  KANDY_ACCOUNT_API_KEY: 'the account API key (portal: My Kandy → My Projects)',
  KANDY_ACCOUNT_API_SECRET: 'the account API secret',
  KANDY_DOMAIN_API_KEY: 'a domain (project) API key',
  KANDY_DOMAIN_API_SECRET: 'its domain API secret',
  KANDY_USER_ID: 'a user of that domain, for the user-scoped calls (devices)',
};

export function createUpstreamClient(options: { baseUrl: string; fetch: typeof fetch; retry: false }, env: Record<string, string>) {
  const kandy = createKandyClient({
    ...options,
    accountApiKey: env.KANDY_ACCOUNT_API_KEY!,
    accountApiSecret: env.KANDY_ACCOUNT_API_SECRET!,
    domainApiKey: env.KANDY_DOMAIN_API_KEY!,
    domainApiSecret: env.KANDY_DOMAIN_API_SECRET!,
  });
  // The devices group acts for one user.
  return { ...kandy, devices: kandy.forUser(env.KANDY_USER_ID!).devices };
}
