import { describe, expect, it } from 'vitest';
import { describeEveryMockedOperation, mockServer } from '../../../scripts/testing/mock.js';
import { createPax8V3Mock } from '../src/generated/mock.js';
import { createPax8V3Client, NotFoundError } from '../src/index.js';

const mock = createPax8V3Mock();
const server = mockServer(mock.handlers);
// The token comes from the v1 API (`@provider-sdk/pax8/mock` answers it); a static one here.
const portal = createPax8V3Client({ auth: 'mock-portal-token', retry: false });

const examples = describeEveryMockedOperation('pax8-v3', portal);

describe('@provider-sdk/pax8-v3/mock', () => {
  it('answers under the default base URL', () => {
    expect(mock.baseUrl).toBe('https://app.pax8.com/p8p');
  });

  it('refuses an invalid request with a 422 naming what is wrong', async () => {
    const unchecked = portal.withOptions({ validate: false });
    const error = await unchecked.companies.get({ companyId: 'not-a-uuid' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, body: { issues: [{ path: 'path.companyId', message: expect.stringMatching(/uuid|pattern/) }] } });
  });

  it('overrides one operation in one line', async () => {
    server.use(mock.override('getV2Company', { status: 404 }));
    const error = await portal.companies.get({ companyId: '3d06d6b5-2e2b-4c5a-9d0e-5f1c2a7b8e90' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).body).toEqual(examples.responseExample('getV2Company', '404'));
  });
});
