import { describe, expect, it } from 'vitest';
import { describeEveryMockedOperation, mockServer } from '../../../scripts/testing/mock.js';
import { createKandyMock } from '../src/generated/mock.js';
import { createKandyClient, KandyError } from '../src/index.js';
import { KEYS } from './helpers.js';

// The client fetches its access tokens from the same mock (the accesstokens operations).
const mock = createKandyMock();
const server = mockServer(mock.handlers);
const kandy = createKandyClient({ ...KEYS, retry: false });

const examples = describeEveryMockedOperation('kandy', kandy.forUser('russ'));

describe('@provider-sdk/kandy/mock', () => {
  it('answers under the default base URL', () => {
    expect(mock.baseUrl).toBe('https://api.kandy.io/v1.2');
  });

  it('refuses an invalid request with a 422 naming what is wrong', async () => {
    const unchecked = createKandyClient({ ...KEYS, retry: false, validate: false });
    const error = await unchecked.domains.create({ body: {} as never }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, body: { issues: expect.arrayContaining([{ path: 'body.domain_name', message: 'is required' }]) } });
  });

  it('overrides one operation in one line: a failed envelope in a 200', async () => {
    server.use(mock.override('listDomains', { body: { status: 21, message: 'invalid account api key', result: { domains: [] } } }));
    await expect(kandy.domains.list()).rejects.toThrow(KandyError);
    await expect(kandy.domains.list()).rejects.toMatchObject({ providerMessage: 'invalid account api key' });
    expect(examples.expectedResult('listDomains')).toEqual(mock.example('listDomains').result);
  });
});
