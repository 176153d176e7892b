import { describe, expect, it } from 'vitest';
import { specExamples } from '../../../scripts/testing/examples.js';
import { isWebhookTopic, parseWebhookDelivery, WebhookDeliveryError } from '../src/index.js';

const SECRET = 'Bearer 5f2c9a71e4b84d06';
const delivery = {
  accountId: '3f0d6c1e-8a55-4a49-9a53-0c6f2f8b7d21',
  url: 'https://hooks.initech.example/pax8/events',
  webhookId: 'b9c8d7e6-f5a4-4b3c-9d2e-1f0a9b8c7d6e',
  sentAt: '2026-03-02T10:15:00Z',
  webhookTopic: { id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', topic: 'INVOICE', filters: [] },
  payloadData: { invoiceId: 'inv-1' },
};

describe('parseWebhookDelivery', () => {
  it('accepts a delivery with the configured Authorization and narrows it by topic', () => {
    const parsed = parseWebhookDelivery(JSON.stringify(delivery), new Headers({ authorization: SECRET }), { authorization: SECRET });
    expect(isWebhookTopic(parsed, 'INVOICE')).toBe(true);
    expect(isWebhookTopic(parsed, 'PRODUCT')).toBe(false);
    if (isWebhookTopic(parsed, 'INVOICE')) expect(parsed.webhookTopic.topic).toBe('INVOICE');
  });

  it("accepts a topic definition's sample payload (the spec's example), with node-style headers and a rotated value", () => {
    const sample = specExamples('pax8-webhooks').responseExample('getTopicDefinitions').content[0].samplePayload;
    const parsed = parseWebhookDelivery(sample, { Authorization: 'new-value' }, { authorization: ['old-value', 'new-value'] });
    expect(parsed).toEqual(sample);
    expect(isWebhookTopic(parsed, 'INVOICE')).toBe(true);
  });

  it('refuses a missing or wrong Authorization without echoing either value', () => {
    const missing = (() => {
      try {
        parseWebhookDelivery(JSON.stringify(delivery), {}, { authorization: SECRET });
      } catch (e) {
        return e as WebhookDeliveryError;
      }
    })();
    expect(missing).toBeInstanceOf(WebhookDeliveryError);
    expect(missing!.reason).toBe('unauthorized');
    const wrong = (() => {
      try {
        parseWebhookDelivery(JSON.stringify(delivery), { authorization: 'Bearer guessed-value' }, { authorization: SECRET });
      } catch (e) {
        return e as WebhookDeliveryError;
      }
    })();
    expect(wrong!.reason).toBe('unauthorized');
    expect(`${String(wrong)} ${JSON.stringify(wrong)}`).not.toMatch(/guessed-value|5f2c9a71/);
  });

  it('refuses a body that is not JSON or not the documented envelope', () => {
    expect(() => parseWebhookDelivery('not json', { authorization: SECRET }, { authorization: SECRET })).toThrow('the body is not JSON');
    const { sentAt: _, ...noDate } = delivery;
    expect(() => parseWebhookDelivery(noDate, { authorization: SECRET }, { authorization: SECRET })).toThrow(/body.sentAt is required/);
    expect(() => parseWebhookDelivery(delivery, { authorization: SECRET }, { authorization: '' })).toThrow(TypeError);
  });
});
