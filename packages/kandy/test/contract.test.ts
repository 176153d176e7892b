import { describe, expect, it } from 'vitest';
import { callOperation, contractHarness, describeEveryOperation } from '../../../scripts/testing/contract.js';
import { createKandyClient, EnvelopeError, KandyError, MissingCredentialsError } from '../src/index.js';
import { KEYS, recorder, withPrefer } from './helpers.js';

const harness = contractHarness('kandy');
const kandy = createKandyClient({ baseUrl: harness.baseUrl, fetch: harness.fetch, retry: false, ...KEYS });

// The devices group and users.details act for one user: the harness calls every group through
// forUser, which keeps the client's own keys and tokens and adds the user's.
describeEveryOperation(harness, kandy.forUser('russ'));

const token = {
  account: harness.expectedResult('getAccountAccessToken').account_access_token as string,
  domain: harness.expectedResult('getDomainAccessToken').domain_access_token as string,
  user: harness.expectedResult('getUserAccessToken').user_access_token as string,
};

describe('Kandy against its Prism mock', () => {
  it('sends every delete as HTTP DELETE (the wrapper sent GET), with its parameters in the query', async () => {
    const rec = recorder(harness);
    const client = createKandyClient({ baseUrl: harness.baseUrl, fetch: rec.fetch, retry: false, ...KEYS });
    const scoped = client.forUser('russ');
    const deletes = harness.model.operations.filter((op) => op.id.startsWith('delete'));
    expect(deletes.map((op) => op.id).sort()).toEqual(
      ['deleteAccountAccessToken', 'deleteDevice', 'deleteDomain', 'deleteDomainAccessToken', 'deleteUser'],
    );
    for (const op of deletes) {
      const before = rec.sent.length;
      await callOperation(scoped, harness, op.id);
      const calls = rec.sent.slice(before).filter((s) => s.url.pathname === op.path);
      expect(calls.map((s) => s.method), op.id).toEqual(['DELETE']);
      for (const [name, value] of Object.entries(harness.exampleArgs(op.id).params ?? {})) {
        expect(calls[0]!.url.searchParams.get(name), `${op.id} ${name}`).toBe(value);
      }
    }
    expect(rec.sent.filter((s) => s.method === 'GET').map((s) => s.url.pathname).sort()).toEqual(
      ['/accounts/accesstokens', '/domains/accesstokens', '/domains/users/accesstokens'],
    );
    harness.assertClean();
  });

  it('puts the right credential into each query string', async () => {
    const rec = recorder(harness);
    const client = createKandyClient({ baseUrl: harness.baseUrl, fetch: rec.fetch, retry: false, ...KEYS });
    await client.domains.list();
    await client.users.list();
    await client.domains.details();
    await client.forUser('russ').devices.list();
    harness.assertClean();

    const query = (path: string) => Object.fromEntries(rec.to(path)[0]!.url.searchParams);
    expect(query('/accounts/accesstokens')).toEqual({ key: KEYS.accountApiKey, account_api_secret: KEYS.accountApiSecret });
    expect(query('/accounts/domains')).toEqual({ key: token.account });
    expect(query('/domains/accesstokens')).toEqual({ key: KEYS.domainApiKey, domain_api_secret: KEYS.domainApiSecret });
    expect(query('/domains/users')).toEqual({ key: token.domain });
    // Majority of clients: the domain access token as key, the domain API key as a parameter.
    expect(query('/accounts/domains/details')).toEqual({ key: token.domain, domain_api_key: KEYS.domainApiKey });
    expect(query('/domains/users/accesstokens')).toEqual({ key: KEYS.domainApiKey, domain_api_secret: KEYS.domainApiSecret, user_id: 'russ' });
    expect(query('/users/devices')).toEqual({ key: token.user });
    // The wrapper sent `domain_api_secret<secret>`; the `=` is there now.
    expect(rec.to('/domains/accesstokens')[0]!.search).toContain(`&domain_api_secret=${KEYS.domainApiSecret}`);
  });

  it('gives the raw client the fetched tokens too (it returns the decoded result; the envelope is the response body)', async () => {
    const rec = recorder(harness);
    const client = createKandyClient({ baseUrl: harness.baseUrl, fetch: rec.fetch, retry: false, ...KEYS });
    const { data } = await client.raw.GET('/domains/users');
    harness.assertClean();
    expect(data).toEqual(harness.expectedResult('listUsers'));
    expect(Object.fromEntries(rec.to('/domains/users')[0]!.url.searchParams)).toEqual({ key: token.domain });
    const { response } = await client.users.list().withResponse();
    expect(response.body).toEqual(harness.responseExample('listUsers'));
    harness.assertClean();
  });

  it('turns a failure envelope inside HTTP 200 into a KandyError with its status and message', async () => {
    const rec = recorder(harness);
    const client = createKandyClient({ baseUrl: harness.baseUrl, fetch: rec.fetch, retry: false, ...KEYS });
    const error = await client.domains
      .delete({ domain_api_key: '668a9a133f85d80a9c84e2772a82aa59' }, { headers: { Prefer: 'example=unknownDomain' } })
      .catch((e: unknown) => e);
    harness.assertClean();
    const failure = harness.responseExample('deleteDomain', '200', 'unknownDomain');
    expect(failure.status).not.toBe(0);
    expect(error).toBeInstanceOf(KandyError);
    expect(error).toBeInstanceOf(EnvelopeError);
    expect(error).toMatchObject({
      status: 200,
      kandyStatus: failure.status,
      kandyMessage: failure.message,
      code: failure.status,
      providerMessage: failure.message,
      operationId: 'deleteDomain',
      body: failure,
    });
    expect((error as Error).message).toContain(failure.message);
    // Not about a token: the call is not repeated.
    expect(rec.to('/accounts/domains', 'DELETE')).toHaveLength(1);
  });

  it('returns the unwrapped result, and undefined where the envelope has none', async () => {
    const created = await kandy.users.createByUserId({ body: { user_id: 'russ' } }, { headers: { Prefer: 'example=createdWithCredentials' } });
    expect(created).toEqual(harness.responseExample('createUserByUserId', '200', 'createdWithCredentials').result);
    expect(await kandy.users.createByUserId({ body: { user_id: 'russ' } })).toBeUndefined();
    expect(await kandy.forUser('russ').devices.delete({ device_id: '3c5e7a9b1d2f4e6a8b0c2d4e6f8a0b1c' })).toBeUndefined();
    harness.assertClean();
  });

  it("gets a user's details with the domain token and that user's token", async () => {
    const rec = recorder(harness);
    const client = createKandyClient({ baseUrl: harness.baseUrl, fetch: rec.fetch, retry: false, ...KEYS });
    const details = await client.forUser('russ').users.details();
    harness.assertClean();
    expect(details).toEqual(harness.expectedResult('getUserDetails'));
    expect(Object.fromEntries(rec.to('/domains/users/details')[0]!.url.searchParams)).toEqual({ key: token.domain, user_access_token: token.user });
  });

  it('refuses bad arguments before sending anything', async () => {
    const rec = recorder(harness);
    const accountOnly = createKandyClient({
      baseUrl: harness.baseUrl,
      fetch: rec.fetch,
      accountApiKey: KEYS.accountApiKey,
      accountApiSecret: KEYS.accountApiSecret,
    });
    await expect(accountOnly.domains.create({ body: { domain_name: '' } })).rejects.toThrow(/body.domain_name must not be empty/);
    await expect(accountOnly.domains.delete({} as never)).rejects.toThrow(/query.domain_api_key is required/);
    // Without domain keys there is neither a domain token nor a domain API key to default to.
    await expect(accountOnly.domains.details()).rejects.toThrow(MissingCredentialsError);
    await expect(accountOnly.domains.details()).rejects.toThrow(/give createKandyClient domainApiKey and domainApiSecret/);
    expect(rec.sent).toEqual([]);
  });

  it('notices when Prism rejects a request (the harness can fail)', async () => {
    const unchecked = createKandyClient({ baseUrl: harness.baseUrl, fetch: harness.fetch, retry: false, validate: false, ...KEYS });
    await expect(unchecked.forUser('russ').devices.delete({ device_id: '' })).rejects.toMatchObject({ status: expect.any(Number) });
    const found = harness.violations.splice(0);
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((v) => v.detail).join(' ')).toMatch(/device_id/);
  });

  it('can ask Prism for the failure example of any delete (the helper used by the token tests)', async () => {
    const rec = recorder(harness, (request) => (request.method === 'DELETE' ? withPrefer(request, 'example=expiredToken') : request));
    const client = createKandyClient({ baseUrl: harness.baseUrl, fetch: rec.fetch, retry: false, ...KEYS, isTokenRefusal: () => false });
    const error = await client.accounts.deleteAccessToken({ account_access_token: token.account }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KandyError);
    expect((error as KandyError).kandyMessage).toBe(harness.responseExample('deleteAccountAccessToken', '200', 'expiredToken').message);
    harness.assertClean();
  });
});
