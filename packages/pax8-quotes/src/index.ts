import { type ClientBase, type CredentialProvider, clientBase, type Limiter, type Runtime } from '@provider-sdk/core';
import { createPax8Runtime, type Pax8ClientOptions } from '@provider-sdk/pax8';
import { createPax8QuotesApi, type Pax8QuotesApi } from './generated/client.js';
import { api } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from './generated/client.js';
export * from './generated/core.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';

/** The options of every Pax8 client: credentials (or `auth`), token store, rate limit, runtime options. */
export interface Pax8QuotesClientOptions extends Pax8ClientOptions {}

export interface Pax8QuotesClient extends Pax8QuotesApi, ClientBase<paths, Pax8QuotesClient> {
  /** The token provider: pass it as `auth` to the other Pax8 clients to share one token. */
  readonly auth: CredentialProvider | string | ((signal?: AbortSignal) => string | Promise<string>);
  /** The limiter every call waits on: pass it as `rateLimit` to the other Pax8 clients to share one budget. */
  readonly rateLimiter: Limiter | undefined;
}

/**
 * Creates a client of Pax8's Quoting API (`https://api.pax8.com/v2/quotes…`), on the same
 * credentials as the Partner API. Uploads take Blobs or Files; downloads resolve Blobs.
 *
 * ```ts
 * const pax8 = createPax8Client({ clientId, clientSecret });
 * const quotes = createPax8QuotesClient({ auth: pax8.auth, rateLimit: pax8.rateLimiter }); // one token, one budget
 * const quote = await quotes.quotes.create({ body: { clientId: companyId } });
 * ```
 */
export function createPax8QuotesClient(options?: Pax8QuotesClientOptions): Pax8QuotesClient {
  const { runtime, auth } = createPax8Runtime<paths>(api, options);
  const client = (r: Runtime<paths>): Pax8QuotesClient => ({ ...createPax8QuotesApi(r), ...clientBase(r, client), auth, rateLimiter: r.limiter });
  return client(runtime);
}
