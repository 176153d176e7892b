import { type ArgumentIssue, ProviderSdkError, validateValue } from '@provider-sdk/core';
import type { WebhookPayload, WebhookTopicPayloads } from './generated/client.js';
import { api, webhookTopics } from './generated/operations.js';

/**
 * Receiving Pax8's webhook deliveries. Pax8 POSTs a JSON `WebhookPayload` to the webhook's URL and
 * sends the webhook's own `authorization` value as the `Authorization` header. That static value is
 * the only delivery authentication Pax8 documents: it documents no signature, HMAC or timestamp, so
 * none is checked here (and a delivery cannot be proven fresh: treat it as a notification and read
 * the current state from the API).
 */

/** A delivery of a documented topic, narrowed by `webhookTopic.topic`, or one of a topic not (yet) documented. */
export type WebhookDelivery = WebhookTopicPayloads[keyof WebhookTopicPayloads] | WebhookPayload;

export interface WebhookDeliveryOptions {
  /**
   * The `authorization` value configured on the webhook (or several, while rotating it): the
   * delivery's `Authorization` header must equal one of them. Compared in constant time.
   */
  authorization: string | readonly string[];
}

/** A delivery that is not authorised, not JSON, or not the envelope Pax8 documents. Says which, never the header's value. */
export class WebhookDeliveryError extends ProviderSdkError {
  override name = 'WebhookDeliveryError';
  readonly reason: 'unauthorized' | 'malformed';
  readonly issues: readonly ArgumentIssue[];
  constructor(reason: 'unauthorized' | 'malformed', message: string, issues: readonly ArgumentIssue[] = []) {
    super(`Pax8 webhook delivery refused: ${message}`);
    this.reason = reason;
    this.issues = issues;
  }
}

type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Checks and parses one delivery: the `Authorization` header against the configured value(s), then
 * the body against the spec's `WebhookPayload` (and the topic's payload schema, for a documented
 * topic). Throws WebhookDeliveryError; answer 401 for `unauthorized`, 400 for `malformed`.
 *
 * ```ts
 * // e.g. in a fetch-style handler
 * const delivery = parseWebhookDelivery(await request.text(), request.headers, { authorization: process.env.PAX8_WEBHOOK_AUTHORIZATION! });
 * if (isWebhookTopic(delivery, 'INVOICE')) console.log('invoice event for', delivery.accountId);
 * ```
 */
export function parseWebhookDelivery(body: string | Uint8Array | object, headers: HeaderSource, options: WebhookDeliveryOptions): WebhookDelivery {
  const expected = typeof options?.authorization === 'string' ? [options.authorization] : [...(options?.authorization ?? [])];
  if (expected.length === 0 || expected.some((v) => typeof v !== 'string' || v === '')) {
    throw new TypeError('parseWebhookDelivery needs the authorization value(s) configured on the webhook');
  }
  const given = headerValue(headers, 'authorization');
  // Every candidate is compared, whatever the first gave, so the time does not tell which matched.
  let authorised = false;
  for (const value of expected) if (constantTimeEqual(given ?? '', value)) authorised = given !== undefined;
  if (!authorised) throw new WebhookDeliveryError('unauthorized', given === undefined ? 'no Authorization header' : 'the Authorization header does not match the webhook');

  let data: unknown = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    try {
      data = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
    } catch {
      throw new WebhookDeliveryError('malformed', 'the body is not JSON');
    }
  }
  const topic = (data as { webhookTopic?: { topic?: unknown } } | null)?.webhookTopic?.topic;
  const schema = typeof topic === 'string' && topic in webhookTopics ? webhookTopics[topic as keyof typeof webhookTopics] : 'WebhookPayload';
  const issues = validateValue(data, { $ref: `#/components/schemas/${schema}` }, 'body', api.schemas);
  if (issues.length) throw new WebhookDeliveryError('malformed', `the body is not a Pax8 delivery: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
  return data as WebhookDelivery;
}

/** Narrows a delivery to a documented topic. */
export function isWebhookTopic<T extends keyof WebhookTopicPayloads>(delivery: WebhookDelivery, topic: T): delivery is WebhookTopicPayloads[T] {
  return delivery.webhookTopic?.topic === topic;
}

function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

/** Equal texts, compared in time that depends only on their lengths, not on where they differ. */
function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
