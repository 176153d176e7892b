import { describe, expect, it } from 'vitest';
import { describeEveryMockedOperation, mockServer } from '../../../scripts/testing/mock.js';
import { createPax8WebhooksMock } from '../src/generated/mock.js';
import { createPax8WebhooksClient, InternalServerError } from '../src/index.js';

const mock = createPax8WebhooksMock();
const server = mockServer(mock.handlers);
const webhooks = createPax8WebhooksClient({ auth: 'mock-token', retry: false, rateLimit: false });

const examples = describeEveryMockedOperation('pax8-webhooks', webhooks);

describe('@provider-sdk/pax8-webhooks/mock', () => {
  it('answers under the default base URL', () => {
    expect(mock.baseUrl).toBe('https://api.pax8.com/api/v2');
  });

  it('refuses an invalid request with a 422 naming what is wrong', async () => {
    const unchecked = webhooks.withOptions({ validate: false });
    const error = await unchecked.webhooks.updateStatus({ id: '4b8e2c1d-6f3a-4e9b-a7c5-2d1e0f9a8b7c', body: { active: 'no' as never } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, body: { issues: [{ path: 'body.active', message: 'must be a boolean' }] } });
  });

  it('overrides one operation in one line', async () => {
    server.use(mock.override('Webhooks_get', { status: 500 }));
    const error = await webhooks.webhooks.get({ id: '4b8e2c1d-6f3a-4e9b-a7c5-2d1e0f9a8b7c' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).body).toEqual(examples.responseExample('Webhooks_get', '500'));
  });
});
