import { describe, expect, it } from 'vitest';
import { contractHarness } from '../../../scripts/testing/contract.js';
import {
  AuthenticationError,
  createKandyClient,
  DEFAULT_TOKEN_LIFETIME_MS,
  InvalidArgumentError,
  KandyError,
  type KandyClientOptions,
  MemoryTokenStore,
  MissingCredentialsError,
  NotFoundError,
  type StoredToken,
  TokenError,
  type TokenStore,
} from '../src/index.js';
import { capturingLogger, fakeClock, jsonResponse, KEYS, type Recorder, recorder, withPrefer } from './helpers.js';

const harness = contractHarness('kandy');
const token = {
  account: harness.expectedResult('getAccountAccessToken').account_access_token as string,
  domain: harness.expectedResult('getDomainAccessToken').domain_access_token as string,
  user: harness.expectedResult('getUserAccessToken').user_access_token as string,
};
const expired = harness.responseExample('deleteDomain', '200', 'expiredToken') as { status: number; message: string };

function client(rec: Recorder, extra: Partial<KandyClientOptions> = {}) {
  return createKandyClient({ baseUrl: harness.baseUrl, fetch: rec.fetch, retry: false, ...KEYS, ...extra });
}

/** Asks Prism for the `expiredToken` failure on the first `count` requests that `match`. */
function refuseFirst(match: (request: Request) => boolean, count = 1) {
  let left = count;
  return (request: Request) => (match(request) && left-- > 0 ? withPrefer(request, 'example=expiredToken') : request);
}

const path = (request: Request) => new URL(request.url).pathname;

describe('access tokens', () => {
  it('fetches the account token once for many calls, sequential and concurrent, and sends it as key', async () => {
    const rec = recorder(harness);
    const kandy = client(rec);
    await kandy.domains.list();
    await kandy.domains.create({ body: { domain_name: 'test.com' } });
    await Promise.all(Array.from({ length: 8 }, () => kandy.domains.list()));
    harness.assertClean();
    expect(rec.to('/accounts/accesstokens')).toHaveLength(1);
    const calls = rec.to('/accounts/domains');
    expect(calls).toHaveLength(10);
    for (const call of calls) expect(call.url.searchParams.getAll('key')).toEqual([token.account]);
  });

  it('fetches the domain token once, even when the first calls all start together', async () => {
    const rec = recorder(harness);
    const kandy = client(rec);
    await Promise.all([
      kandy.users.list(),
      kandy.users.list(),
      kandy.users.createByPhoneNumber({ body: { user_phone_number: '3524096582', user_country_code: 'US' } }),
      kandy.domains.details(),
      kandy.users.delete({ user_api_key: '7a1c3e5f0b2d4f6a8c9e1b3d5f7a9c2e' }),
    ]);
    await kandy.users.list();
    harness.assertClean();
    expect(rec.to('/domains/accesstokens')).toHaveLength(1);
    expect(rec.to('/accounts/accesstokens')).toHaveLength(0);
    expect(await kandy.tokens.domain()).toBe(token.domain);
    expect(rec.to('/domains/accesstokens')).toHaveLength(1);
  });

  it('keeps one user token per user id', async () => {
    const rec = recorder(harness);
    const kandy = client(rec);
    const russ = kandy.forUser('russ');
    await Promise.all([russ.devices.list(), russ.devices.list(), kandy.forUser('russ').devices.create({ body: { device_family: 'iphone' } })]);
    await kandy.forUser('ann').devices.list();
    await russ.devices.delete({ device_id: '3c5e7a9b1d2f4e6a8b0c2d4e6f8a0b1c' });
    expect(await russ.accessToken()).toBe(token.user);
    expect(await kandy.tokens.user('ann')).toBe(token.user);
    harness.assertClean();
    expect(rec.to('/domains/users/accesstokens').map((s) => s.url.searchParams.get('user_id'))).toEqual(['russ', 'ann']);
    for (const call of rec.to('/users/devices')) expect(call.url.searchParams.get('key')).toBe(token.user);
  });

  it('shares tokens through a common store, under keys that reveal no key or secret', async () => {
    const keys: string[] = [];
    const memory = new MemoryTokenStore();
    const store: TokenStore = {
      get: (key) => memory.get(key),
      set: (key, value: StoredToken) => {
        keys.push(key);
        return memory.set(key, value);
      },
      delete: (key) => memory.delete(key),
    };
    const first = recorder(harness);
    const one = client(first, { tokenStore: store });
    await one.domains.list();
    await one.users.list();
    await one.forUser('russ').devices.list();
    const second = recorder(harness);
    const other = client(second, { tokenStore: store });
    await other.domains.list();
    await other.users.list();
    await other.forUser('russ').devices.list();
    harness.assertClean();
    expect(second.sent.map((s) => s.url.pathname)).toEqual(['/accounts/domains', '/domains/users', '/users/devices']);
    expect(keys).toHaveLength(3);
    expect(keys.map((k) => k.split(':').slice(0, 2).join(':'))).toEqual(['kandy:account', 'kandy:domain', 'kandy:user']);
    for (const key of keys) for (const secret of [...Object.values(KEYS), 'russ']) expect(key).not.toContain(secret);
  });

  it('renews a token after its lifetime (default 30 minutes, configurable) without waiting', async () => {
    expect(DEFAULT_TOKEN_LIFETIME_MS).toBe(30 * 60_000);
    const clock = fakeClock();
    const rec = recorder(harness);
    const kandy = client(rec, { clock, tokenLifetimeMs: 10 * 60_000, refreshMarginMs: 30_000 });
    await kandy.domains.list();
    clock.advance(10 * 60_000 - 30_000 - 1);
    await kandy.domains.list();
    expect(rec.to('/accounts/accesstokens')).toHaveLength(1);
    clock.advance(1);
    await kandy.domains.list();
    expect(rec.to('/accounts/accesstokens')).toHaveLength(2);
    harness.assertClean();
  });

  it.each([
    ['account', 'deleteDomain', '/accounts/domains', '/accounts/accesstokens'],
    ['domain', 'deleteUser', '/domains/users', '/domains/accesstokens'],
    ['user', 'deleteDevice', '/users/devices', '/domains/users/accesstokens'],
  ] as const)('drops a %s token that an HTTP 200 envelope refuses, and repeats the call once', async (_, opId, opPath, tokenPath) => {
    const { logger, lines } = capturingLogger();
    const rec = recorder(harness, refuseFirst((r) => r.method === 'DELETE' && path(r) === opPath));
    const kandy = client(rec, { logger, logLevel: 'warn' });
    const groups = kandy.forUser('russ') as unknown as Record<string, Record<string, (p: unknown) => Promise<unknown>>>;
    const group = harness.model.tags.find((t) => t.operations.some((o) => o.id === opId))!.property;
    const result = await groups[group]!.delete!(harness.exampleArgs(opId).params);
    harness.assertClean();
    expect(result).toBeUndefined();
    expect(rec.to(opPath, 'DELETE').map((s) => s.prefer)).toEqual(['example=expiredToken', null]);
    expect(rec.to(tokenPath)).toHaveLength(2);
    expect(lines.map((l) => l.message)).toEqual([expect.stringMatching(/credential was refused; renewing it and retrying once/)]);
  });

  it('gives up after one renewal when the new token is refused too', async () => {
    const rec = recorder(harness, refuseFirst((r) => r.method === 'DELETE', 99));
    const error = await client(rec)
      .domains.delete({ domain_api_key: '668a9a133f85d80a9c84e2772a82aa59' })
      .catch((e: unknown) => e);
    harness.assertClean();
    expect(error).toBeInstanceOf(KandyError);
    expect(error).toMatchObject({ status: 200, kandyStatus: expired.status, kandyMessage: expired.message });
    expect(rec.to('/accounts/domains', 'DELETE')).toHaveLength(2);
    expect(rec.to('/accounts/accesstokens')).toHaveLength(2);
  });

  it('does not renew when isTokenRefusal says the failure is about something else', async () => {
    const rec = recorder(harness, refuseFirst((r) => r.method === 'DELETE'));
    const seen: KandyError[] = [];
    const notAboutTokens = (e: KandyError) => {
      seen.push(e);
      return false;
    };
    const kandy = client(rec, { isTokenRefusal: notAboutTokens });
    await expect(kandy.domains.delete({ domain_api_key: '668a9a133f85d80a9c84e2772a82aa59' })).rejects.toThrow(KandyError);
    expect(seen.map((e) => e.kandyMessage)).toEqual([expired.message]);
    expect(rec.to('/accounts/domains', 'DELETE')).toHaveLength(1);
    expect(rec.to('/accounts/accesstokens')).toHaveLength(1);
  });

  // getUserDetails carries the user's token as a second credential (`userAccessTokenLookup`), beside the domain token.
  describe("a user's details", () => {
    const refusedDetails = (count: number) => {
      let left = count;
      return (r: Request) => {
        if (path(r) !== '/domains/users/details' || left-- <= 0) return r;
        return jsonResponse({ status: expired.status, message: expired.message });
      };
    };

    it('renew both the domain token and the user token when refused, and repeat the call once', async () => {
      const { logger, lines } = capturingLogger();
      const rec = recorder(harness, refusedDetails(1));
      const details = await client(rec, { logger, logLevel: 'warn' }).forUser('russ').users.details();
      harness.assertClean();
      expect(details).toEqual(harness.expectedResult('getUserDetails'));
      expect(rec.to('/domains/users/details')).toHaveLength(2);
      expect(rec.to('/domains/accesstokens')).toHaveLength(2);
      expect(rec.to('/domains/users/accesstokens')).toHaveLength(2);
      expect(lines.map((l) => l.message)).toEqual([expect.stringMatching(/credential was refused; renewing it and retrying once/)]);
    });

    it('give up after one renewal when refused again', async () => {
      const rec = recorder(harness, refusedDetails(99));
      const error = await client(rec).forUser('russ').users.details().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KandyError);
      expect(error).toMatchObject({ operationId: 'getUserDetails', kandyMessage: expired.message });
      expect(rec.to('/domains/users/details')).toHaveLength(2);
      expect(rec.to('/domains/accesstokens')).toHaveLength(2);
      expect(rec.to('/domains/users/accesstokens')).toHaveLength(2);
    });

    it('renew both tokens on an HTTP 401 too, and are not repeated for other failures', async () => {
      const rec = recorder(harness);
      const russ = client(rec).forUser('russ');
      await expect(russ.users.details(undefined, { headers: { Prefer: 'code=401' } })).rejects.toThrow(AuthenticationError);
      expect(rec.to('/domains/users/details')).toHaveLength(2);
      expect(rec.to('/domains/accesstokens')).toHaveLength(2);
      expect(rec.to('/domains/users/accesstokens')).toHaveLength(2);
      await expect(russ.users.details(undefined, { headers: { Prefer: 'code=404' } })).rejects.toThrow(NotFoundError);
      expect(rec.to('/domains/users/details')).toHaveLength(3);
      harness.assertClean();
    });
  });

  it('renews the token and retries once on an HTTP 401 as well', async () => {
    const rec = recorder(harness);
    const error = await client(rec).users.list(undefined, { headers: { Prefer: 'code=401' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(rec.to('/domains/users')).toHaveLength(2);
    expect(rec.to('/domains/accesstokens')).toHaveLength(2);
    harness.assertClean();
  });

  it('reports a refused token request (bad key or secret) once, as a KandyError of the token operation', async () => {
    const rec = recorder(harness, (r) =>
      path(r) === '/accounts/accesstokens' ? jsonResponse({ status: 3, message: 'Invalid api key or secret' }) : r,
    );
    const error = await client(rec).domains.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KandyError);
    expect(error).toMatchObject({ operationId: 'getAccountAccessToken', kandyStatus: 3 });
    expect(rec.to('/accounts/accesstokens')).toHaveLength(1);
    expect(rec.to('/accounts/domains')).toHaveLength(0);
  });

  it('reports a token answer without a token as a TokenError', async () => {
    const rec = recorder(harness, (r) => (path(r) === '/domains/accesstokens' ? jsonResponse({ status: 0, message: 'success', result: {} }) : r));
    const error = await client(rec).users.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ operationId: 'getDomainAccessToken', providerMessage: 'the answer carried no access token' });
    expect((error as Error).message).not.toContain(KEYS.domainApiSecret);
  });

  it('revokes the cached account and domain tokens at Kandy (DELETE) and fetches new ones next time', async () => {
    const rec = recorder(harness);
    const kandy = client(rec);
    expect(await kandy.tokens.revokeAccount()).toBe(false);
    expect(await kandy.tokens.revokeDomain()).toBe(false);
    expect(rec.sent).toEqual([]);

    await kandy.domains.list();
    await kandy.users.list();
    expect(await kandy.tokens.revokeAccount()).toBe(true);
    expect(await kandy.tokens.revokeDomain()).toBe(true);
    const [account] = rec.to('/accounts/accesstokens', 'DELETE');
    expect(Object.fromEntries(account!.url.searchParams)).toEqual({
      account_access_token: token.account,
      key: KEYS.accountApiKey,
      account_api_secret: KEYS.accountApiSecret,
    });
    const [domain] = rec.to('/domains/accesstokens', 'DELETE');
    expect(Object.fromEntries(domain!.url.searchParams)).toEqual({
      domain_access_token: token.domain,
      key: KEYS.domainApiKey,
      domain_api_secret: KEYS.domainApiSecret,
    });
    await kandy.domains.list();
    await kandy.users.list();
    harness.assertClean();
    expect(rec.to('/accounts/accesstokens', 'GET')).toHaveLength(2);
    expect(rec.to('/domains/accesstokens', 'GET')).toHaveLength(2);
  });
});

describe('credentials the client is given', () => {
  it('needs at least one complete key pair', () => {
    expect(() => createKandyClient({} as never)).toThrow(/accountApiKey or domainApiKey is required/);
    expect(() => createKandyClient({ accountApiKey: KEYS.accountApiKey })).toThrow(/accountApiSecret is required with the other half/);
    expect(() => createKandyClient({ domainApiSecret: KEYS.domainApiSecret })).toThrow(/domainApiKey is required with the other half/);
    expect(() => createKandyClient({ ...KEYS, tokenLifetimeMs: 0 })).toThrow(InvalidArgumentError);
  });

  it('says which keys a call needs, before sending anything', async () => {
    const rec = recorder(harness);
    const domainOnly = createKandyClient({ baseUrl: harness.baseUrl, fetch: rec.fetch, domainApiKey: KEYS.domainApiKey, domainApiSecret: KEYS.domainApiSecret });
    await expect(domainOnly.domains.list()).rejects.toThrow(MissingCredentialsError);
    await expect(domainOnly.domains.list()).rejects.toThrow(/give createKandyClient accountApiKey and accountApiSecret/);
    await expect(domainOnly.accounts.getAccessToken()).rejects.toThrow(MissingCredentialsError);
    await expect(domainOnly.tokens.account()).rejects.toThrow(MissingCredentialsError);
    // The hint names only what is missing: the domain keys are there, the user's token is not.
    const noUser = await domainOnly.users.details().catch((error: unknown) => error);
    expect(noUser).toBeInstanceOf(MissingCredentialsError);
    expect((noUser as MissingCredentialsError).missingSchemes).toEqual(['userAccessTokenLookup']);
    expect((noUser as Error).message).toMatch(/missing: userAccessTokenLookup: call it through kandy\.forUser\(userId\)/);
    expect((noUser as Error).message).not.toMatch(/give createKandyClient domainApiKey/);

    const accountOnly = createKandyClient({ baseUrl: harness.baseUrl, fetch: rec.fetch, accountApiKey: KEYS.accountApiKey, accountApiSecret: KEYS.accountApiSecret });
    await expect(accountOnly.forUser('russ').devices.list()).rejects.toThrow(/domainApiKey and domainApiSecret/);
    await expect(accountOnly.forUser('russ').users.details()).rejects.toThrow(MissingCredentialsError);
    await expect(accountOnly.tokens.user('russ')).rejects.toThrow(MissingCredentialsError);
    await expect(accountOnly.users.list()).rejects.toThrow(MissingCredentialsError);
    expect(rec.sent).toEqual([]);
  });

  it('needs a user id for user-scoped calls', async () => {
    const rec = recorder(harness);
    const kandy = client(rec);
    expect(() => kandy.forUser('')).toThrow(InvalidArgumentError);
    await expect(kandy.tokens.user(undefined as never)).rejects.toThrow(/userId must be a non-empty string/);
    // The raw client has no user to act for.
    await expect(kandy.raw.GET('/users/devices')).rejects.toThrow(MissingCredentialsError);
    expect(rec.sent).toEqual([]);
  });
});
