import { createPax8WebhooksClient, isWebhookTopic, parseWebhookDelivery } from '../src/index.js';

/** A short tour of the Webhooks client, run by `pnpm demo` against a Prism mock of specs/pax8-webhooks.yaml. */
export async function demo(baseUrl: string, print: (label: string, value: unknown) => void): Promise<void> {
  // With real credentials: createPax8WebhooksClient({ auth: pax8.auth, rateLimit: pax8.rateLimiter }) shares a Partner API client's token and budget.
  const hooks = createPax8WebhooksClient({ baseUrl, auth: 'demo-token', rateLimit: false });
  const page = await hooks.webhooks.list({ size: 10 });
  print('webhooks.list({ size: 10 })', page.items.map((w) => ({ id: w.id, name: w.displayName, active: w.active })));

  const definitions = await hooks.topicDefinitions.list();
  const sample = definitions.items[0]?.samplePayload;
  print('topicDefinitions.list(): topics', definitions.items.map((d) => d.topic));

  // What a receiver does with a delivery: check the Authorization value, parse, narrow by topic.
  const delivery = parseWebhookDelivery(JSON.stringify(sample), { authorization: 'my_super_secret' }, { authorization: 'my_super_secret' });
  print('parseWebhookDelivery(sample payload)', { topic: delivery.webhookTopic.topic, invoice: isWebhookTopic(delivery, 'INVOICE') });
}
