import {
  type ApiSpec,
  type ClientBase,
  type ClientOptions,
  clientBase,
  type Clock,
  type CredentialProvider,
  clientCredentials,
  InvalidArgumentError,
  type Limiter,
  type Logger,
  type LogLevel,
  type RateLimitOptions,
  Runtime,
  type SecretRegistry,
  type TokenStore,
  withEnvironment,
} from '@provider-sdk/core';
import { type BillingTerm, type CommitmentTerm, createPax8Api, type Order, type OrderRequest, type Pax8Api, type Subscription } from './generated/client.js';
import { api } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from './generated/client.js';
export * from './generated/core.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';

// ---------------------------------------------------------------------------------------------
// Pax8's authentication and rate-limit defaults, in one place (pax8-v3 imports them from here).

/** The documented token endpoint: `POST /token` under the v1 server. The default. */
export const PAX8_TOKEN_URL = 'https://api.pax8.com/v1/token';
/** The documented audience for the partner endpoints. The default. */
export const PAX8_AUDIENCE = 'https://api.pax8.com';
/** The legacy Auth0 token endpoint used by py-pax8 and the PowerShell modules (2022–2024). */
export const PAX8_LEGACY_TOKEN_URL = 'https://login.pax8.com/oauth/token';
/** The legacy audience of the 2022 API reference and the older wrappers. */
export const PAX8_LEGACY_AUDIENCE = 'api://p8p.client';
/** A third token endpoint, seen in newer third-party code (imperian-systems/pax8-api, api-evangelist). */
export const PAX8_TOKEN_MANAGER_URL = 'https://token-manager.pax8.com/oauth/token';
/** Pax8's documented limit: 1000 requests per minute. The client's default client-side limit. */
export const PAX8_RATE_LIMIT: Readonly<Required<Pick<RateLimitOptions, 'limit' | 'intervalMs'>>> = Object.freeze({ limit: 1000, intervalMs: 60_000 });
/** The security scheme name in both Pax8 specs. */
export const PAX8_AUTH_SCHEME = 'pax8Auth';

/** The credentials object both Pax8 clients take (`createPax8Client`, `createPax8V3Client`). */
export interface Pax8Credentials {
  /** The API credential's client id (Pax8 app: Settings → Integrations → API credentials). */
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /** Default {@link PAX8_TOKEN_URL}; {@link PAX8_LEGACY_TOKEN_URL} for older credentials. */
  tokenUrl?: string | undefined;
  /** Default {@link PAX8_AUDIENCE}; {@link PAX8_LEGACY_AUDIENCE} with the legacy token URL. */
  audience?: string | undefined;
  /**
   * Where tokens live: memory (default), `FileTokenStore`, `EncryptedFileTokenStore`, or
   * `RedisTokenStore` to share one token between workers (from `@provider-sdk/core`).
   */
  tokenStore?: TokenStore | undefined;
  /** Renew the token this long before it expires. Default 60 s. */
  refreshMarginMs?: number | undefined;
  /**
   * Instead of the fields above: an existing token provider, e.g. another Pax8 client's `auth`
   * (so that a v1 and a v3 client share one token), or a bearer token / function from elsewhere.
   */
  auth?: CredentialProvider | string | ((signal?: AbortSignal) => string | Promise<string>) | undefined;
}

export interface Pax8AuthOptions extends Pax8Credentials {
  /** The fetch used for token requests. */
  fetch?: typeof fetch | undefined;
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  logLevel?: LogLevel | undefined;
  timeoutMs?: number | undefined;
  /** Redirects of the token request (credentials never go to another origin). */
  followRedirects?: 'same-origin' | 'any' | undefined;
  /** Registries (a Runtime's `secrets`) that must learn the secret and the tokens. */
  secrets?: SecretRegistry | readonly SecretRegistry[] | undefined;
}

/**
 * The Pax8 token provider for the given credentials: OAuth2 client credentials against
 * {@link PAX8_TOKEN_URL} with {@link PAX8_AUDIENCE} and a JSON body, cached, renewed before the
 * 24 h lifetime runs out, one request however many calls wait, renewed once on a 401. Returns
 * `options.auth` itself when given.
 */
export function createPax8Auth(options: Pax8AuthOptions): CredentialProvider | string | ((signal?: AbortSignal) => string | Promise<string>) {
  if (options.auth !== undefined) return options.auth;
  const issues = [];
  if (!options.clientId) issues.push({ path: 'clientId', message: 'is required (or pass auth): pass it or set PAX8_CLIENT_ID' });
  if (!options.clientSecret) issues.push({ path: 'clientSecret', message: 'is required (or pass auth): pass it or set PAX8_CLIENT_SECRET' });
  if (issues.length) throw new InvalidArgumentError(undefined, issues);
  return clientCredentials({
    tokenUrl: options.tokenUrl ?? PAX8_TOKEN_URL,
    audience: options.audience ?? PAX8_AUDIENCE,
    clientId: options.clientId!,
    clientSecret: options.clientSecret!,
    bodyFormat: 'json',
    store: options.tokenStore,
    refreshMarginMs: options.refreshMarginMs,
    fetch: options.fetch,
    clock: options.clock,
    logger: options.logger,
    logLevel: options.logLevel,
    timeoutMs: options.timeoutMs,
    followRedirects: options.followRedirects,
    secrets: options.secrets,
    provider: 'Pax8',
  });
}

/** The rate limit a Pax8 client uses: the documented 1000/min unless configured, `false` = off. */
export function pax8RateLimit(rateLimit: RateLimitOptions | Limiter | false | undefined): RateLimitOptions | Limiter | false {
  return rateLimit === undefined ? { ...PAX8_RATE_LIMIT } : rateLimit;
}

// ---------------------------------------------------------------------------------------------
// The client

export interface Pax8ClientOptions extends Omit<ClientOptions, 'credentials' | 'rateLimit' | 'hooks'>, Pax8Credentials {
  /** Client-side limit shared by every call of this client. Default 1000 per minute; a Limiter to share one; `false` = off. */
  rateLimit?: RateLimitOptions | Limiter | false | undefined;
  /** The fetch used for token requests. Default: `fetch`, else the global one. */
  tokenFetch?: typeof fetch | undefined;
}

export interface Pax8Client extends Pax8Api, ClientBase<paths, Pax8Client> {
  /** The token provider; pass it to `createPax8V3Client({ auth })` to share the token. */
  readonly auth: CredentialProvider | string | ((signal?: AbortSignal) => string | Promise<string>);
  /** The limiter every call waits on; pass it as `rateLimit` to another Pax8 client to share the budget. */
  readonly rateLimiter: Limiter | undefined;
}

/**
 * Creates a Pax8 Partner API client.
 *
 * ```ts
 * const pax8 = createPax8Client({ clientId: process.env.PAX8_CLIENT_ID, clientSecret: process.env.PAX8_CLIENT_SECRET });
 * const page = await pax8.companies.list({ city: 'New York', sort: 'name,desc' });
 * for await (const s of pax8.subscriptions.list({ companyId })) console.log(s.id, s.quantity);
 * await pax8.orders.create({ isMock: true, body: order });
 * ```
 */
export function createPax8Client(options?: Pax8ClientOptions): Pax8Client {
  const { runtime, auth } = createPax8Runtime<paths>(api, options);
  const client = (r: Runtime<paths>): Pax8Client => ({ ...createPax8Api(r), ...clientBase(r, client), auth, rateLimiter: r.limiter });
  return client(runtime);
}

/**
 * The runtime of a Pax8 client, v1 or the portal API: the token provider for the credentials (or
 * the `auth` given), the documented rate limit unless configured, and the runtime options.
 */
export function createPax8Runtime<P extends object>(spec: ApiSpec, options: Pax8ClientOptions | undefined) {
  // Options left out come from the spec's environment table (PAX8_CLIENT_ID, PAX8_CLIENT_SECRET, ...).
  const { clientId, clientSecret, tokenUrl, audience, tokenStore, refreshMarginMs, auth: given, tokenFetch, rateLimit, ...rest } = withEnvironment(spec, options);
  const auth = createPax8Auth({
    clientId,
    clientSecret,
    tokenUrl,
    audience,
    tokenStore,
    refreshMarginMs,
    auth: given,
    fetch: tokenFetch ?? rest.fetch,
    clock: rest.clock,
    logger: rest.logger,
    logLevel: rest.logLevel,
    timeoutMs: rest.timeoutMs,
    followRedirects: rest.followRedirects,
  });
  // The runtime registers the provider's secret and tokens (or a plain token) for redaction.
  const runtime = new Runtime<P>(spec, { ...rest, rateLimit: pax8RateLimit(rateLimit), credentials: { [PAX8_AUTH_SCHEME]: auth } });
  return { runtime, auth };
}

// ---------------------------------------------------------------------------------------------
// Helpers for the quirks of the real API

/**
 * An order as `orders.create` takes it, from an order the API returned: `orderedBy: "Pax8Partner"`
 * (the answers' spelling) becomes `"Pax8 Partner"` (the spelling create requires), the fields the
 * server assigns (id, dates, line item and subscription ids) are dropped, and the lines are numbered
 * (`lineItemNumber`, which answers do not carry) in their order. Every line needs its billing term
 * and quantity.
 */
export function toOrderRequest(order: Order): OrderRequest {
  const orderedBy = order.orderedBy === 'Pax8Partner' ? 'Pax8 Partner' : order.orderedBy;
  return {
    companyId: order.companyId,
    ...(orderedBy === undefined ? {} : { orderedBy }),
    ...(order.orderedByUserEmail === undefined ? {} : { orderedByUserEmail: order.orderedByUserEmail }),
    lineItems: order.lineItems.map(({ id: _id, subscriptionId: _sub, billingTerm, quantity, ...line }, i) => {
      const missing = [billingTerm === undefined ? 'billingTerm' : '', quantity === undefined ? 'quantity' : ''].filter(Boolean);
      if (missing.length) {
        throw new InvalidArgumentError(undefined, missing.map((m) => ({ path: `lineItems[${i}].${m}`, message: 'is missing from the order, and a new order needs it' })));
      }
      return { ...line, lineItemNumber: i + 1, billingTerm: toBodyBillingTerm(billingTerm!), quantity: Math.round(quantity!) };
    }),
  };
}

/**
 * A billing term as request bodies take it: any term of the spec's `BillingTerm` passes unchanged
 * (the documented `One-Time` and `Activation`, and the legacy `1-Time`); anything else is refused.
 */
export function toBodyBillingTerm(term: string): BillingTerm {
  if (!(api.schemas.BillingTerm?.enum ?? []).includes(term)) {
    throw new InvalidArgumentError(undefined, [{ path: 'billingTerm', message: `${JSON.stringify(term)} cannot be sent in a request body` }]);
  }
  return term as BillingTerm;
}

/** A subscription's commitment: live answers call it `commitment`, the documentation `commitmentTerm`. */
export function commitmentOf(subscription: Pick<Subscription, 'commitment' | 'commitmentTerm'>): CommitmentTerm | undefined {
  return subscription.commitment ?? subscription.commitmentTerm;
}
