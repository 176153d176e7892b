import { describe, expect, it } from 'vitest';
import { contractHarness } from '../../../scripts/testing/contract.js';
import { freePort } from '../../../scripts/testing/prism.js';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  createKandyClient,
  KandyError,
  NotFoundError,
  REDACTED,
  type StoredToken,
  type TokenStore,
} from '../src/index.js';
import { capturingLogger, exposed, KEYS, recorder } from './helpers.js';

const harness = contractHarness('kandy');

// Every credential that travels in a query string, by the parameter that carries it.
const fetched = {
  account: harness.expectedResult('getAccountAccessToken').account_access_token as string,
  domain: harness.expectedResult('getDomainAccessToken').domain_access_token as string,
  user: harness.expectedResult('getUserAccessToken').user_access_token as string,
};
const params = {
  account_access_token: 'AATrevoked9d8c7b6a5f4e3d2c1b0a9f8e',
  domain_access_token: 'DATrevoked1a2b3c4d5e6f7a8b9c0d1e2f',
  domain_api_key: 'DAKother2b4d6f8a0c2e4a6c8e0b2d4f6a',
  user_api_key: 'UAKf0e1d2c3b4a59687f0e1d2c3b4a596',
  user_password: 'pQ7xK2mV-secret',
};
const SECRETS = [...Object.values(KEYS), ...Object.values(fetched), ...Object.values(params)];
const SEEDED = 'AATseeded0a1b2c3d4e5f6a7b8c9d0e1f';

const { logger, lines } = capturingLogger();
const errors: unknown[] = [];
const kandy = createKandyClient({ baseUrl: harness.baseUrl, fetch: harness.fetch, retry: false, logger, logLevel: 'debug', ...KEYS });

async function failure(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(Error);
  errors.push(error);
  return error;
}

function everything(): string {
  return exposed(errors, lines);
}

describe('no key, secret or token leaves the client in an error or a log line', () => {
  it('HTTP errors (Prefer: code=404 / 401) on calls that carry every kind of credential', async () => {
    const notFound = { headers: { Prefer: 'code=404' } };
    expect(await failure(kandy.accounts.getAccessToken(undefined, notFound))).toBeInstanceOf(NotFoundError);
    expect(await failure(kandy.accounts.deleteAccessToken({ account_access_token: params.account_access_token }, notFound))).toBeInstanceOf(NotFoundError);
    expect(await failure(kandy.domains.list(undefined, notFound))).toBeInstanceOf(NotFoundError);
    expect(await failure(kandy.domains.delete({ domain_api_key: params.domain_api_key }, notFound))).toBeInstanceOf(NotFoundError);
    // The domain API key it looks up is the client's own (the security scheme domainApiKeyLookup).
    expect(await failure(kandy.domains.details(undefined, notFound))).toBeInstanceOf(NotFoundError);
    expect(await failure(kandy.domains.getAccessToken(undefined, notFound))).toBeInstanceOf(NotFoundError);
    expect(await failure(kandy.domains.deleteAccessToken({ domain_access_token: params.domain_access_token }, notFound))).toBeInstanceOf(NotFoundError);
    expect(
      await failure(kandy.users.delete({ user_api_key: params.user_api_key, user_id: 'russ', user_password: params.user_password }, notFound)),
    ).toBeInstanceOf(NotFoundError);
    expect(
      await failure(kandy.forUser('russ').users.details({ user_api_key: params.user_api_key }, notFound)),
    ).toBeInstanceOf(NotFoundError);
    expect(await failure(kandy.users.getAccessToken({ user_id: 'russ' }, notFound))).toBeInstanceOf(NotFoundError);
    expect(await failure(kandy.forUser('russ').devices.list(undefined, notFound))).toBeInstanceOf(NotFoundError);
    expect(await failure(kandy.forUser('russ').users.details(undefined, notFound))).toBeInstanceOf(NotFoundError);
    // A 401 makes the runtime renew the token and retry: both attempts are logged.
    expect(await failure(kandy.users.list(undefined, { headers: { Prefer: 'code=401' } }))).toBeInstanceOf(AuthenticationError);
    harness.assertClean();
  });

  it('failure envelopes on HTTP 200, including after a token renewal', async () => {
    const expiredToken = { headers: { Prefer: 'example=expiredToken' } };
    expect(await failure(kandy.domains.delete({ domain_api_key: params.domain_api_key }, { headers: { Prefer: 'example=unknownDomain' } }))).toBeInstanceOf(
      KandyError,
    );
    expect(await failure(kandy.domains.delete({ domain_api_key: params.domain_api_key }, expiredToken))).toBeInstanceOf(KandyError);
    expect(await failure(kandy.users.delete({ user_api_key: params.user_api_key, user_password: params.user_password }, expiredToken))).toBeInstanceOf(
      KandyError,
    );
    expect(await failure(kandy.forUser('russ').devices.delete({ device_id: 'dev-1' }, expiredToken))).toBeInstanceOf(KandyError);
    expect(await failure(kandy.accounts.deleteAccessToken({ account_access_token: params.account_access_token }, expiredToken))).toBeInstanceOf(KandyError);
    expect(await failure(kandy.domains.deleteAccessToken({ domain_access_token: params.domain_access_token }, expiredToken))).toBeInstanceOf(KandyError);
    harness.assertClean();
  });

  it('connection failures, both while fetching a token and with a cached token', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const down = createKandyClient({ baseUrl: closed, retry: { maxAttempts: 2, baseDelayMs: 1 }, logger, logLevel: 'debug', ...KEYS });
    expect(await failure(down.domains.list())).toBeInstanceOf(ConnectionError);
    expect(await failure(down.forUser('russ').devices.list())).toBeInstanceOf(ConnectionError);
    // A token left in a shared store by another process: the client never fetched it itself.
    const seeded: TokenStore = {
      get: async (): Promise<StoredToken> => ({ value: SEEDED, expiresAt: Date.now() + 3_600_000 }),
      set: async () => {},
      delete: async () => {},
    };
    const cached = createKandyClient({ baseUrl: closed, retry: false, logger, logLevel: 'debug', tokenStore: seeded, ...KEYS });
    expect(await failure(cached.domains.list())).toBeInstanceOf(ConnectionError);
    expect(await failure(cached.forUser('russ').users.details())).toBeInstanceOf(ConnectionError);
    expect(await failure(cached.forUser('russ').devices.delete({ device_id: 'dev-1' }))).toBeInstanceOf(ConnectionError);
  });

  it('shows none of them anywhere, while still showing where they were and what failed', () => {
    const shown = everything();
    // The checks above produced errors and log lines at every level that carries a URL.
    expect(errors).toHaveLength(24);
    expect(new Set(lines.map((l) => l.level))).toEqual(new Set(['debug', 'info', 'warn', 'error']));
    for (const secret of [...SECRETS, SEEDED]) {
      expect(shown, `a credential leaked: ${secret.slice(0, 6)}…`).not.toContain(secret);
      expect(shown).not.toContain(encodeURIComponent(secret));
    }
    // Redacted by name: the URL still shows that the parameter was there.
    for (const name of [
      'key',
      'account_api_secret',
      'domain_api_secret',
      'account_access_token',
      'domain_access_token',
      'domain_api_key',
      'user_api_key',
      'user_password',
      'user_access_token',
    ]) {
      expect(shown, name).toContain(`${name}=${REDACTED}`);
    }
    // ...and only credentials are hidden.
    expect(shown).toContain('user_id=russ');
    expect(shown).toContain('device_id=dev-1');
    // Errors keep what helps: status, operation and provider message.
    const envelope = errors.find((e): e is KandyError => e instanceof KandyError && e.operationId === 'deleteDomain');
    expect(envelope?.kandyMessage).toBe(harness.responseExample('deleteDomain', '200', 'unknownDomain').message);
    expect(errors.filter((e) => e instanceof ApiError).every((e) => (e as ApiError).url.includes(`key=${REDACTED}`))).toBe(true);
  });
});

describe('the recorder sees the credentials really sent (so the checks above are not vacuous)', () => {
  it('sends the fetched tokens and given parameters in clear to the server', async () => {
    const rec = recorder(harness);
    const client = createKandyClient({ baseUrl: harness.baseUrl, fetch: rec.fetch, retry: false, ...KEYS });
    await client.users.delete({ user_api_key: params.user_api_key, user_password: params.user_password });
    await client.forUser('russ').devices.list();
    const sent = rec.sent.map((s) => s.search).join('\n');
    for (const secret of [KEYS.domainApiKey, KEYS.domainApiSecret, fetched.domain, fetched.user, params.user_api_key]) expect(sent).toContain(secret);
    harness.assertClean();
  });
});
