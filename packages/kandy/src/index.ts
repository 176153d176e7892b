import {
  type ApiErrorInit,
  CachedToken,
  type ClientBase,
  type ClientOptions,
  clientBase,
  EnvelopeError,
  type Hooks,
  InvalidArgumentError,
  MemoryTokenStore,
  MissingCredentialsError,
  type OperationSpec,
  type RequestOptions,
  Runtime,
  sha256Hex,
  TokenError,
  type TokenStore,
  withEnvironment,
} from '@provider-sdk/core';
import { createKandyApi, type KandyApi } from './generated/client.js';
import { api, operations } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from './generated/client.js';
export * from './generated/core.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';

/** Kandy documents no token lifetime; tokens are renewed after this long unless told otherwise. */
export const DEFAULT_TOKEN_LIFETIME_MS = 30 * 60_000;

export interface KandyClientOptions extends Omit<ClientOptions, 'credentials' | 'hooks'> {
  /** The account API key (portal: My Kandy → My Projects). With `accountApiSecret`: domain management. */
  accountApiKey?: string | undefined;
  accountApiSecret?: string | undefined;
  /** A domain (project) API key. With `domainApiSecret`: user management and user-scoped calls. */
  domainApiKey?: string | undefined;
  domainApiSecret?: string | undefined;
  /** Where the account, domain and user access tokens are kept. Default: memory, per client. */
  tokenStore?: TokenStore | undefined;
  /** How long a token is used before a new one is fetched (Kandy documents no lifetime). Default 30 minutes. */
  tokenLifetimeMs?: number | undefined;
  /** Renew this long before `tokenLifetimeMs` runs out. Default 60 s (at most half the lifetime). */
  refreshMarginMs?: number | undefined;
  /**
   * Whether an envelope failure means "this access token is no longer valid": then, as on an HTTP 401,
   * the token is dropped and the call repeated once with a new one. Default: `isTokenRefusal`.
   */
  isTokenRefusal?: ((error: KandyError) => boolean) | undefined;
}

/**
 * Kandy answered HTTP 200 with a failure envelope: `kandyStatus` (never 0) and `kandyMessage` are the
 * envelope's; `status` stays the HTTP status (200).
 */
export class KandyError extends EnvelopeError {
  override name = 'KandyError';
  readonly kandyStatus: number | string | undefined;
  readonly kandyMessage: string | undefined;

  constructor(init: ApiErrorInit) {
    super(init);
    this.kandyStatus = init.code;
    this.kandyMessage = init.providerMessage;
  }
}

/** The default `isTokenRefusal` (Kandy's messages are undocumented): an invalid, expired or revoked token or key. */
export function isTokenRefusal(error: KandyError): boolean {
  const message = error.kandyMessage ?? '';
  return /\b(token|key)s?\b/i.test(message) && /\b(invalid|expired|revoked|not valid|unknown)\b/i.test(message);
}

/** The calls of one user, with that user's access token (fetched and cached per user id). */
export interface KandyUser extends KandyApi {
  readonly userId: string;
  accessToken(signal?: AbortSignal): Promise<string>;
}

/** The access tokens the client manages: cached, or fetched when needed. */
export interface KandyTokens {
  account(signal?: AbortSignal): Promise<string>;
  domain(signal?: AbortSignal): Promise<string>;
  user(userId: string, signal?: AbortSignal): Promise<string>;
  /** Revokes the cached account access token at Kandy and drops it. False when none was cached. */
  revokeAccount(options?: RequestOptions): Promise<boolean>;
  /** Revokes the cached domain access token at Kandy and drops it. False when none was cached. */
  revokeDomain(options?: RequestOptions): Promise<boolean>;
}

export interface KandyClient extends KandyApi, ClientBase<paths, KandyClient> {
  /** The calls of one user (devices, the user's details), with that user's access token. */
  forUser(userId: string): KandyUser;
  readonly tokens: KandyTokens;
}

// Scheme names start with what supplies them: account…, domain… or user… (domain keys and a user id).
const HINTS = {
  account: 'give createKandyClient accountApiKey and accountApiSecret',
  domain: 'give createKandyClient domainApiKey and domainApiSecret',
  user: 'call it through kandy.forUser(userId), with domainApiKey and domainApiSecret given',
};

/** Adds to a MissingCredentialsError which option of createKandyClient supplies the credential. */
function hinted(error: unknown): unknown {
  if (error instanceof MissingCredentialsError) {
    const hints = error.missingSchemes.map((scheme) => Object.entries(HINTS).find(([pair]) => scheme.startsWith(pair))?.[1] ?? scheme);
    error.message += `: ${[...new Set(hints)].join('; ')}`;
  }
  return error;
}

/** Kandy's failures arrive in HTTP 200 envelopes, and so do its refusals of a token. */
function kandyHooks(refusal: (error: KandyError) => boolean): Hooks {
  return {
    error: (init, call) => (call.envelope ? new KandyError(init) : undefined),
    isCredentialRefusal: (error) => error instanceof KandyError && refusal(error),
    failure: hinted,
  };
}

/** Fails before anything is sent when the client has no way to get `token`. */
function need<T>(token: T | undefined, op: OperationSpec): T {
  if (token === undefined) throw hinted(new MissingCredentialsError(op.id, op.security ?? []));
  return token;
}

function checkUserId(userId: unknown): string {
  if (typeof userId !== 'string' || userId === '') throw new InvalidArgumentError(undefined, [{ path: 'userId', message: 'must be a non-empty string' }]);
  return userId;
}

/** Token store keys carry a hash of the server and the key (or user id), never a key or secret. */
const fingerprint = (...parts: string[]) => sha256Hex(parts.join('\n')).slice(0, 16);

/**
 * Creates a Kandy.io client. Give it long-lived keys once; it fetches the account, domain and user
 * access tokens each call needs, caches them, and puts the right credential into each query string.
 *
 * ```ts
 * const kandy = createKandyClient({ accountApiKey, accountApiSecret, domainApiKey, domainApiSecret });
 * const { domains } = await kandy.domains.list();                     // account access token
 * await kandy.users.createByUserId({ user_id: 'russ' });              // domain access token
 * const { devices } = await kandy.forUser('russ').devices.list();     // russ's user access token
 * ```
 */
export function createKandyClient(options?: KandyClientOptions): KandyClient {
  const {
    accountApiKey,
    accountApiSecret,
    domainApiKey,
    domainApiSecret,
    tokenStore,
    tokenLifetimeMs = DEFAULT_TOKEN_LIFETIME_MS,
    refreshMarginMs,
    isTokenRefusal: refusal = isTokenRefusal,
    ...runtimeOptions
  } = withEnvironment(api, options);
  const issues: { path: string; message: string }[] = [];
  for (const [pair, key, secret] of [['account', accountApiKey, accountApiSecret], ['domain', domainApiKey, domainApiSecret]] as const) {
    if ((key === undefined) !== (secret === undefined)) {
      issues.push({ path: `${pair}${key === undefined ? 'ApiKey' : 'ApiSecret'}`, message: `is required with the other half of the ${pair} key pair` });
    }
  }
  const hasAccount = accountApiKey !== undefined && accountApiSecret !== undefined;
  const hasDomain = domainApiKey !== undefined && domainApiSecret !== undefined;
  if (!hasAccount && !hasDomain && issues.length === 0) {
    issues.push({
      path: 'accountApiKey',
      message: 'or domainApiKey is required (each with its secret): every Kandy operation is authenticated. Pass them, or set KANDY_ACCOUNT_API_KEY and KANDY_ACCOUNT_API_SECRET, or KANDY_DOMAIN_API_KEY and KANDY_DOMAIN_API_SECRET',
    });
  }
  if (!(tokenLifetimeMs > 0)) issues.push({ path: 'tokenLifetimeMs', message: 'must be a positive number of milliseconds' });
  if (issues.length) throw new InvalidArgumentError(undefined, issues);

  const store = tokenStore ?? new MemoryTokenStore();
  // The tokens are credentials of the runtime, so they exist before it: the server comes from the options.
  const server = (runtimeOptions.baseUrl ?? api.servers[0]!.url).replace(/\/+$/, '');
  const cached = (key: string, op: OperationSpec, fetchValue: () => Promise<string | undefined>) =>
    new CachedToken({
      key,
      store,
      refreshMarginMs,
      clock: runtimeOptions.clock,
      fetchToken: async () => {
        const value = await fetchValue();
        if (!value) {
          const url = runtime.secrets.redactUrl(`${runtime.baseUrl}${op.path}`);
          throw new TokenError({ provider: api.provider, status: 200, method: op.method, url, operationId: op.id, providerMessage: 'the answer carried no access token' });
        }
        return { value, expiresInMs: tokenLifetimeMs };
      },
    });
  const accountKey = hasAccount ? `kandy:account:${fingerprint(server, accountApiKey)}` : undefined;
  const domainKey = hasDomain ? `kandy:domain:${fingerprint(server, domainApiKey)}` : undefined;
  const accountToken = accountKey
    ? cached(accountKey, operations.getAccountAccessToken, async () => (await generated.accounts.getAccessToken())?.account_access_token)
    : undefined;
  const domainToken = domainKey
    ? cached(domainKey, operations.getDomainAccessToken, async () => (await generated.domains.getAccessToken())?.domain_access_token)
    : undefined;
  const userTokens = new Map<string, CachedToken>();
  const userToken = (userId: string): CachedToken | undefined => {
    if (domainKey && !userTokens.has(userId)) {
      const key = `kandy:user:${fingerprint(server, domainApiKey!)}:${fingerprint(userId)}`;
      userTokens.set(userId, cached(key, operations.getUserAccessToken, async () => (await generated.users.getAccessToken({ user_id: userId }))?.user_access_token));
    }
    return userTokens.get(userId);
  };

  const runtime = new Runtime<paths>(api, {
    ...runtimeOptions,
    credentials: {
      accountApiKey,
      accountApiSecret,
      domainApiKey,
      domainApiSecret,
      domainApiKeyLookup: domainApiKey,
      accountAccessToken: accountToken,
      domainAccessToken: domainToken,
    },
    hooks: [kandyHooks(refusal)],
  });
  const generated = createKandyApi(runtime);

  const revoke = async (token: CachedToken | undefined, key: string | undefined, send: (value: string) => Promise<unknown>) => {
    const stored = token && key ? await store.get(key) : undefined;
    if (!stored) return false;
    await send(stored.value);
    await token!.invalidate(stored.value);
    return true;
  };
  const tokens: KandyTokens = {
    account: async (signal) => need(accountToken, operations.getAccountAccessToken).get(signal),
    domain: async (signal) => need(domainToken, operations.getDomainAccessToken).get(signal),
    user: async (userId, signal) => need(userToken(checkUserId(userId)), operations.getUserAccessToken).get(signal),
    revokeAccount: (o) => revoke(accountToken, accountKey, (value) => generated.accounts.deleteAccessToken({ account_access_token: value }, o)),
    revokeDomain: (o) => revoke(domainToken, domainKey, (value) => generated.domains.deleteAccessToken({ domain_access_token: value }, o)),
  };

  const client = (r: Runtime<paths>): KandyClient => ({
    ...createKandyApi(r),
    forUser: (userId) => {
      const token = userToken(checkUserId(userId));
      return { ...createKandyApi(r.withCredentials({ userAccessToken: token, userAccessTokenLookup: token })), userId, accessToken: (signal) => tokens.user(userId, signal) };
    },
    tokens,
    ...clientBase(r, client),
  });
  return client(runtime);
}
