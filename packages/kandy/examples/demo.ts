import { createKandyClient, KandyError } from '../src/index.js';

/** A short tour of the client, run by `pnpm demo` against a Prism mock of the spec. */
export async function demo(baseUrl: string, print: (label: string, value: unknown) => void): Promise<void> {
  // Long-lived keys only: the client fetches and caches the access tokens itself.
  const kandy = createKandyClient({
    baseUrl,
    accountApiKey: 'AAKf3b9c2d41e6a4f07b8c95d2e1a3f6b70',
    accountApiSecret: 'AAS8d2e4f6a1b3c5d7e9f0a2b4c6d8e0f12',
    domainApiKey: 'DAK1e3c5a7b9d2f4e6a8c0b2d4f6a8c0e1d',
    domainApiSecret: 'DAS5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a',
  });

  // Account level (account access token).
  const { domains } = await kandy.domains.list();
  print('domains.list → names', domains.map((d) => d.domain_name));
  print('domains.create', await kandy.domains.create({ body: { domain_name: 'test.com', project_name: 'test domain for my account' } }));

  // Domain level (domain access token).
  print('domains.details() (own domain, looked up with the client\'s domainApiKey)', (await kandy.domains.details()).domain.domain_name);
  print('users.createByUserId', await kandy.users.createByUserId({ body: { user_id: 'russ', user_country_code: 'US' } }));
  const { users } = await kandy.users.list();
  print('users.list → ids', users.map((u) => u.user_id));

  // User level (russ's user access token, fetched once and reused).
  const russ = kandy.forUser('russ');
  const { device_id } = await russ.devices.create({ body: { device_family: 'iphone', device_name: 'iphone6' } });
  print('forUser(russ).devices.create', device_id);
  print('forUser(russ).devices.list → ids', (await russ.devices.list()).devices.map((d) => d.id ?? d.device_id));
  print('forUser(russ).devices.delete', await russ.devices.delete({ device_id }));
  print('forUser(russ).users.details → ids', (await russ.users.details()).users.map((u) => u.user_id));

  // A failure comes back inside HTTP 200; the client throws it (Prism serves the spec's example).
  try {
    await kandy.domains.delete({ domain_api_key: domains[0]!.domain_api_key }, { headers: { Prefer: 'example=unknownDomain' } });
  } catch (error) {
    if (!(error instanceof KandyError)) throw error;
    print('envelope failure', { http: error.status, kandyStatus: error.kandyStatus, kandyMessage: error.kandyMessage });
  }

  print('revoked the cached account token', await kandy.tokens.revokeAccount());
}
