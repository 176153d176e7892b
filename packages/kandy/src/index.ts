import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import {
  type ApiErrorInit,
  CachedToken,
  type CallArgs,
  type ClientOptions,
  type CredentialProvider,
  EnvelopeError,
  InvalidArgumentError,
  MemoryTokenStore,
  MissingCredentialsError,
  type OperationSpec,
  type RequestOptions,
  Runtime,
  TokenError,
  type TokenStore,
} from '@provider-sdk/core';
import {
  AccountsApi,
  createKandyApi,
  DevicesApi,
  DomainsApi,
  type GetLimitedDomainDetailParams,
  type GetLimitedDomainDetailResult,
  type GetUserDetailsParams,
  type GetUserDetailsResult,
  type KandyApi,
  UsersApi,
} from './generated/client.js';
import { api, operations } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from '@provider-sdk/core';
export * from './generated/client.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';

/** Kandy documents no token lifetime; tokens are renewed after this long unless told otherwise. */
export const DEFAULT_TOKEN_LIFETIME_MS = 30 * 60_000;

export interface KandyClientOptions extends Omit<ClientOptions, 'credentials'> {
  /** The account API key (portal: My Kandy → My Projects). With `accountApiSecret`: domain management. */
  accountApiKey?: string;
  accountApiSecret?: string;
  /** A domain (project) API key. With `domainApiSecret`: user management and user-scoped calls. */
  domainApiKey?: string;
  domainApiSecret?: string;
  /** Where the account, domain and user access tokens are kept. Default: memory, per client. */
  tokenStore?: TokenStore;
  /**
   * How long an access token is used before a new one is fetched. Kandy documents no lifetime, so
   * the default (30 minutes) is conservative; a token refused earlier is renewed anyway.
   */
  tokenLifetimeMs?: number;
  /** Renew this long before `tokenLifetimeMs` runs out. Default 60 s (at most half the lifetime). */
  refreshMarginMs?: number;
  /**
   * Whether an envelope failure means "this access token is no longer valid". Such a failure makes
   * the client drop the token, fetch a new one and repeat the call once. Kandy's real failure
   * messages are not documented; the default looks for an invalid or expired token or key.
   */
  isTokenRefusal?: (error: KandyError) => boolean;
}

/**
 * Kandy answered HTTP 200 with a failure envelope (`status` not 0). `kandyStatus` and
 * `kandyMessage` are the envelope's; `status` stays the HTTP status (200).
 */
export class KandyError extends EnvelopeError {
  override name = 'KandyError';
  /** The envelope's `status` (never 0). */
  readonly kandyStatus: number | string | undefined;
  /** The envelope's `message`. */
  readonly kandyMessage: string | undefined;

  constructor(init: ApiErrorInit) {
    super(init);
    this.kandyStatus = init.code;
    this.kandyMessage = init.providerMessage;
  }

  /** The same failure as a KandyError (the runtime throws a plain EnvelopeError). */
  static from(error: EnvelopeError): KandyError {
    return new KandyError({
      provider: error.provider,
      status: error.status,
      method: error.method,
      url: error.url,
      operationId: error.operationId,
      body: error.body,
      code: error.code,
      providerMessage: error.providerMessage,
      headers: error.headers,
      retryAfterMs: error.retryAfterMs,
      attempts: error.attempts,
    });
  }
}

/** The default test for `isTokenRefusal`: the message speaks of an invalid, expired or revoked token or key. */
export function isTokenRefusal(error: KandyError): boolean {
  const message = error.kandyMessage ?? '';
  return /\b(token|key)s?\b/i.test(message) && /\b(invalid|expired|revoked|not valid|unknown)\b/i.test(message);
}

/** The calls of one user, authenticated with that user's access token (fetched and cached per user id). */
export interface KandyUser {
  readonly userId: string;
  /** The user's devices: `create`, `list`, `delete`. */
  readonly devices: DevicesApi;
  /** The user's full details (`getUserDetails`, with the domain access token and this user's token). */
  details(params?: Omit<GetUserDetailsParams, 'user_access_token'>, options?: RequestOptions): Promise<GetUserDetailsResult>;
  /** This user's access token, from the cache or fetched. */
  accessToken(signal?: AbortSignal): Promise<string>;
}

/** The access tokens the client manages. */
export interface KandyTokens {
  /** The account access token, from the cache or fetched. */
  account(signal?: AbortSignal): Promise<string>;
  /** The domain access token, from the cache or fetched. */
  domain(signal?: AbortSignal): Promise<string>;
  /** The access token of one user, from the cache or fetched. */
  user(userId: string, signal?: AbortSignal): Promise<string>;
  /** Revokes the cached account access token at Kandy and drops it. False when none was cached. */
  revokeAccount(options?: RequestOptions): Promise<boolean>;
  /** Revokes the cached domain access token at Kandy and drops it. False when none was cached. */
  revokeDomain(options?: RequestOptions): Promise<boolean>;
}

export interface KandyClient {
  /** Account access tokens (raw: the client manages them itself, see `tokens`). */
  readonly accounts: AccountsApi;
  /** Domains; `details()` defaults `domain_api_key` to the client's `domainApiKey`. */
  readonly domains: KandyDomainsApi;
  /** Domain users, and raw user access tokens. */
  readonly users: UsersApi;
  /** The calls of one user (devices, details), with that user's access token. */
  forUser(userId: string): KandyUser;
  readonly tokens: KandyTokens;
  /** The typed openapi-fetch client on the same transport, for anything the methods do not cover. */
  readonly raw: Runtime<paths>['raw'];
}

/** The domains group, with the limited domain detail defaulting to the client's own domain. */
export class KandyDomainsApi extends DomainsApi {
  readonly #domainApiKey: string | undefined;

  constructor(runtime: Runtime<paths>, domainApiKey?: string) {
    super(runtime);
    this.#domainApiKey = domainApiKey;
  }

  /**
   * Limited details of a domain: `domain_api_key` defaults to the client's `domainApiKey`.
   * Sent with the domain access token as `key` (the majority of clients; the wrapper differs).
   */
  override details(params?: Partial<GetLimitedDomainDetailParams>, options?: RequestOptions): Promise<GetLimitedDomainDetailResult> {
    const domainApiKey = params?.domain_api_key ?? this.#domainApiKey;
    return super.details({ ...params, domain_api_key: domainApiKey } as GetLimitedDomainDetailParams, options);
  }
}

const TOKEN_SCHEMES = new Set(['accountAccessToken', 'domainAccessToken', 'userAccessToken']);

const HINTS: Record<string, string> = {
  accountApiKey: 'give createKandyClient accountApiKey and accountApiSecret',
  accountApiSecret: 'give createKandyClient accountApiKey and accountApiSecret',
  accountAccessToken: 'give createKandyClient accountApiKey and accountApiSecret (the client fetches the account access token)',
  domainApiKey: 'give createKandyClient domainApiKey and domainApiSecret',
  domainApiSecret: 'give createKandyClient domainApiKey and domainApiSecret',
  domainAccessToken: 'give createKandyClient domainApiKey and domainApiSecret (the client fetches the domain access token)',
  userAccessToken: 'call it through kandy.forUser(userId), with domainApiKey and domainApiSecret given (the client fetches the user access token)',
};

/** What one call is doing: for whom, and which cached tokens it was given (to drop them if refused). */
interface CallContext {
  userId: string | undefined;
  used: Map<CachedToken, string>;
}

/** A credential that resolves to a cached token chosen by the call's context, and records what it gave. */
class ScopedToken implements CredentialProvider {
  constructor(
    private readonly calls: AsyncLocalStorage<CallContext>,
    private readonly pick: (context: CallContext | undefined) => CachedToken,
  ) {}

  async get(signal?: AbortSignal): Promise<string> {
    const context = this.calls.getStore();
    const token = this.pick(context);
    const value = await token.get(signal);
    context?.used.set(token, value);
    return value;
  }

  async invalidate(value: string): Promise<void> {
    await this.pick(this.calls.getStore()).invalidate(value);
  }
}

/**
 * The runtime with Kandy's token rule on top: an envelope failure that refuses a cached access token
 * drops that token and repeats the call once with a new one (Kandy answers HTTP 200, so the
 * runtime's own 401 rule does not see it). Envelope failures become KandyError.
 */
class KandyRuntime extends Runtime<paths> {
  readonly #calls: AsyncLocalStorage<CallContext>;
  readonly #has: (scheme: string, context: CallContext | undefined) => boolean;
  readonly #isTokenRefusal: (error: KandyError) => boolean;

  constructor(
    options: ClientOptions,
    calls: AsyncLocalStorage<CallContext>,
    has: (scheme: string, context: CallContext | undefined) => boolean,
    refusal: (error: KandyError) => boolean,
  ) {
    super(api, options);
    this.#calls = calls;
    this.#has = has;
    this.#isTokenRefusal = refusal;
  }

  override call<T>(op: OperationSpec, args: CallArgs = {}, options: RequestOptions = {}): Promise<T> {
    return this.callWith<T>(op, async () => args, options);
  }

  /** Like `call`, with arguments built inside the call (so that a token they carry is renewed too). */
  async callWith<T>(op: OperationSpec, build: () => Promise<CallArgs>, options: RequestOptions = {}): Promise<T> {
    const parent = this.#calls.getStore();
    const needed = op.security?.[0] ?? [];
    const missing = needed.filter((scheme) => !this.#has(scheme, parent));
    if (missing.length) {
      const error = new MissingCredentialsError(op.id, op.security ?? []);
      error.message += `: ${[...new Set(missing.map((s) => HINTS[s] ?? s))].join('; ')}`;
      throw error;
    }
    for (let renewed = false; ; renewed = true) {
      const context: CallContext = { userId: parent?.userId, used: new Map() };
      try {
        return await this.#calls.run(context, async () => super.call<T>(op, await build(), options));
      } catch (error) {
        const failure = error instanceof EnvelopeError && !(error instanceof KandyError) ? KandyError.from(error) : error;
        if (!renewed && failure instanceof KandyError && context.used.size > 0 && this.#isTokenRefusal(failure)) {
          for (const [token, value] of context.used) await token.invalidate(value);
          this.logger.warn(`Kandy refused an access token (status ${String(failure.kandyStatus)}): renewing it and retrying once`, {
            operationId: op.id,
          });
          continue;
        }
        throw failure;
      }
    }
  }

  /** A view of this runtime whose calls act for one user (for the generated groups). */
  forUser(userId: string): Runtime<paths> {
    const view = Object.create(this) as KandyRuntime;
    view.call = <T>(op: OperationSpec, args?: CallArgs, options?: RequestOptions) =>
      this.#calls.run({ userId, used: new Map() }, () => this.call<T>(op, args, options));
    return view;
  }

  /** Runs `fn` acting for one user. */
  asUser<T>(userId: string, fn: () => Promise<T>): Promise<T> {
    return this.#calls.run({ userId, used: new Map() }, fn);
  }
}

function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

/**
 * Creates a Kandy.io client. Give it long-lived keys once; it fetches the account, domain and user
 * access tokens each call needs, caches them, and puts the right credential into each query string.
 *
 * ```ts
 * const kandy = createKandyClient({
 *   accountApiKey: process.env.KANDY_ACCOUNT_KEY, accountApiSecret: process.env.KANDY_ACCOUNT_SECRET,
 *   domainApiKey: process.env.KANDY_DOMAIN_KEY, domainApiSecret: process.env.KANDY_DOMAIN_SECRET,
 * });
 * const { domains } = await kandy.domains.list();                 // account access token
 * await kandy.users.createByUserId({ user_id: 'russ' });         // domain access token
 * const { devices } = await kandy.forUser('russ').devices.list(); // russ's user access token
 * ```
 */
export function createKandyClient(options: KandyClientOptions): KandyClient {
  const {
    accountApiKey,
    accountApiSecret,
    domainApiKey,
    domainApiSecret,
    tokenStore,
    tokenLifetimeMs = DEFAULT_TOKEN_LIFETIME_MS,
    refreshMarginMs,
    isTokenRefusal: refusal = isTokenRefusal,
    ...rest
  } = options ?? {};
  const issues: { path: string; message: string }[] = [];
  if ((accountApiKey === undefined) !== (accountApiSecret === undefined)) {
    issues.push({ path: accountApiKey === undefined ? 'accountApiKey' : 'accountApiSecret', message: 'is required with the other half of the account key pair' });
  }
  if ((domainApiKey === undefined) !== (domainApiSecret === undefined)) {
    issues.push({ path: domainApiKey === undefined ? 'domainApiKey' : 'domainApiSecret', message: 'is required with the other half of the domain key pair' });
  }
  const hasAccount = accountApiKey !== undefined && accountApiSecret !== undefined;
  const hasDomain = domainApiKey !== undefined && domainApiSecret !== undefined;
  if (!hasAccount && !hasDomain && issues.length === 0) {
    issues.push({ path: 'accountApiKey', message: 'or domainApiKey is required (each with its secret): every Kandy operation is authenticated' });
  }
  if (!(tokenLifetimeMs > 0)) issues.push({ path: 'tokenLifetimeMs', message: 'must be a positive number of milliseconds' });
  if (issues.length) throw new InvalidArgumentError(undefined, issues);

  const calls = new AsyncLocalStorage<CallContext>();
  const store = tokenStore ?? new MemoryTokenStore();
  let accountToken: CachedToken | undefined;
  let domainToken: CachedToken | undefined;
  const userTokens = new Map<string, CachedToken>();

  const credentials = {
    accountApiKey,
    accountApiSecret,
    domainApiKey,
    domainApiSecret,
    accountAccessToken: hasAccount ? new ScopedToken(calls, () => accountToken!) : undefined,
    domainAccessToken: hasDomain ? new ScopedToken(calls, () => domainToken!) : undefined,
    userAccessToken: hasDomain
      ? new ScopedToken(calls, (context) => {
          if (context?.userId === undefined) throw new MissingCredentialsError('user-scoped call', [['userAccessToken']]);
          return userToken(context.userId);
        })
      : undefined,
  };
  const has = (scheme: string, context: CallContext | undefined): boolean =>
    (credentials as Record<string, unknown>)[scheme] !== undefined && (scheme !== 'userAccessToken' || context?.userId !== undefined);
  const runtime = new KandyRuntime({ ...rest, credentials }, calls, has, refusal);
  const generated: KandyApi = createKandyApi(runtime);

  const cached = (key: string, operationId: string, fetchValue: (signal?: AbortSignal) => Promise<string | undefined>): CachedToken =>
    new CachedToken({
      key,
      store,
      refreshMarginMs,
      clock: rest.clock,
      onToken: (value) => runtime.secrets.addValue(value),
      fetchToken: async (signal) => {
        const value = await fetchValue(signal);
        if (typeof value !== 'string' || value === '') {
          throw new TokenError({
            provider: api.provider,
            status: 200,
            method: operations[operationId as keyof typeof operations].method,
            url: runtime.secrets.redactUrl(`${runtime.baseUrl}${operations[operationId as keyof typeof operations].path}`),
            operationId,
            providerMessage: 'the answer carried no access token',
          });
        }
        return { value, expiresInMs: tokenLifetimeMs };
      },
    });

  if (hasAccount) {
    accountToken = cached(`kandy:account:${fingerprint(runtime.baseUrl, accountApiKey)}`, 'getAccountAccessToken', async (signal) => {
      const result = await generated.accounts.getAccessToken({ signal });
      return result?.account_access_token;
    });
  }
  if (hasDomain) {
    domainToken = cached(`kandy:domain:${fingerprint(runtime.baseUrl, domainApiKey)}`, 'getDomainAccessToken', async (signal) => {
      const result = await generated.domains.getAccessToken({ signal });
      return result?.domain_access_token;
    });
  }
  function userToken(userId: string): CachedToken {
    let token = userTokens.get(userId);
    if (!token) {
      token = cached(`kandy:user:${fingerprint(runtime.baseUrl, domainApiKey!)}:${fingerprint(userId)}`, 'getUserAccessToken', async (signal) => {
        const result = await generated.users.getAccessToken({ user_id: userId }, { signal });
        return result?.user_access_token;
      });
      userTokens.set(userId, token);
    }
    return token;
  }

  const need = (token: CachedToken | undefined, operationId: string, schemes: string[]): CachedToken => {
    if (token) return token;
    const error = new MissingCredentialsError(operationId, [schemes]);
    error.message += `: ${HINTS[schemes[0]!]}`;
    throw error;
  };
  const checkUserId = (userId: unknown): string => {
    if (typeof userId !== 'string' || userId === '') throw new InvalidArgumentError(undefined, [{ path: 'userId', message: 'must be a non-empty string' }]);
    return userId;
  };
  const userAccessToken = async (userId: string, signal?: AbortSignal): Promise<string> => {
    checkUserId(userId);
    need(domainToken, 'getUserAccessToken', ['domainApiKey', 'domainApiSecret']);
    return runtime.asUser(userId, () => credentials.userAccessToken!.get(signal));
  };
  const revoke = async (token: CachedToken | undefined, key: string | undefined, send: (value: string) => Promise<unknown>): Promise<boolean> => {
    if (!token || key === undefined) return false;
    const stored = await store.get(key);
    if (!stored) return false;
    await send(stored.value);
    await token.invalidate(stored.value);
    return true;
  };
  const accountKey = hasAccount ? `kandy:account:${fingerprint(runtime.baseUrl, accountApiKey)}` : undefined;
  const domainKey = hasDomain ? `kandy:domain:${fingerprint(runtime.baseUrl, domainApiKey)}` : undefined;

  return {
    accounts: generated.accounts,
    domains: new KandyDomainsApi(runtime, domainApiKey),
    users: generated.users,
    forUser(userId: string): KandyUser {
      checkUserId(userId);
      return {
        userId,
        devices: new DevicesApi(runtime.forUser(userId)),
        details: (params, requestOptions) =>
          runtime.asUser(userId, () =>
            runtime.callWith<GetUserDetailsResult>(
              operations.getUserDetails,
              async () => ({ params: { ...params, user_access_token: await credentials.userAccessToken!.get(requestOptions?.signal) } }),
              requestOptions,
            ),
          ),
        accessToken: (signal) => userAccessToken(userId, signal),
      };
    },
    tokens: {
      account: async (signal) => need(accountToken, 'getAccountAccessToken', ['accountApiKey', 'accountApiSecret']).get(signal),
      domain: async (signal) => need(domainToken, 'getDomainAccessToken', ['domainApiKey', 'domainApiSecret']).get(signal),
      user: userAccessToken,
      revokeAccount: (requestOptions) =>
        revoke(accountToken, accountKey, (value) => generated.accounts.deleteAccessToken({ account_access_token: value }, requestOptions)),
      revokeDomain: (requestOptions) =>
        revoke(domainToken, domainKey, (value) => generated.domains.deleteAccessToken({ domain_access_token: value }, requestOptions)),
    },
    raw: runtime.raw,
  };
}

