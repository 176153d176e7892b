import { type ClientBase, type CredentialProvider, clientBase, type Limiter, type Runtime } from '@provider-sdk/core';
import { createPax8Runtime, type Pax8ClientOptions } from '@provider-sdk/pax8';
import { createPax8WebhooksApi, type Pax8WebhooksApi } from './generated/client.js';
import { api } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from './generated/client.js';
export * from './generated/core.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';
export {
  isWebhookTopic,
  parseWebhookDelivery,
  type WebhookDelivery,
  WebhookDeliveryError,
  type WebhookDeliveryOptions,
} from './delivery.js';

/** The options of every Pax8 client: credentials (or `auth`), token store, rate limit, runtime options. */
export interface Pax8WebhooksClientOptions extends Pax8ClientOptions {}

export interface Pax8WebhooksClient extends Pax8WebhooksApi, ClientBase<paths, Pax8WebhooksClient> {
  /** The token provider: pass it as `auth` to the other Pax8 clients to share one token. */
  readonly auth: CredentialProvider | string | ((signal?: AbortSignal) => string | Promise<string>);
  /** The limiter every call waits on: pass it as `rateLimit` to the other Pax8 clients to share one budget. */
  readonly rateLimiter: Limiter | undefined;
}

/**
 * Creates a client of Pax8's Webhooks API (`https://api.pax8.com/api/v2/webhooks…`), on the same
 * credentials as the Partner API. To receive the deliveries, see `parseWebhookDelivery`.
 *
 * ```ts
 * const pax8 = createPax8Client({ clientId, clientSecret });
 * const hooks = createPax8WebhooksClient({ auth: pax8.auth, rateLimit: pax8.rateLimiter }); // one token, one budget
 * for await (const webhook of hooks.webhooks.list()) console.log(webhook.displayName);
 * ```
 */
export function createPax8WebhooksClient(options?: Pax8WebhooksClientOptions): Pax8WebhooksClient {
  const { runtime, auth } = createPax8Runtime<paths>(api, options);
  const client = (r: Runtime<paths>): Pax8WebhooksClient => ({ ...createPax8WebhooksApi(r), ...clientBase(r, client), auth, rateLimiter: r.limiter });
  return client(runtime);
}
