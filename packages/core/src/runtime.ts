import createClient, { type Client, createQuerySerializer, defaultPathSerializer } from 'openapi-fetch';
import { type Clock, systemClock } from './clock.js';
import { type AppliedCredentials, applyCredentials, chooseCredentialSet, type Credentials, registerSchemeNames, registerStaticSecrets } from './credentials.js';
import { ApiError, type ApiErrorInit, type ArgumentIssue, AuthenticationError, EnvelopeError, InvalidArgumentError } from './errors.js';
import { type LevelledLogger, type Logger, type LogLevel, levelledLogger } from './logger.js';
import { paginate } from './pagination.js';
import { jsonValueIssues } from './json-values.js';
import { createJsonAwareQuerySerializer } from './query.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { SecretRegistry } from './redact.js';
import { RetryPolicy, type RetryOptions } from './retry.js';
import { type ApiSpec, getPath, isIdempotent, type OperationSpec, pathTemplateRegExp, serverUrl } from './spec.js';
import { type PreparedRequest, send, type TransportConfig, type TransportResponse } from './transport.js';
import { validateValue } from './validate.js';

/** Options every generated client accepts. */
export interface ClientOptions {
  /** Overrides the spec's first server URL. */
  baseUrl?: string;
  /** Values for the server URL's variables (e.g. `{ panel: 'cp.example.com' }`). */
  serverVariables?: Readonly<Record<string, string>>;
  /** Credentials by security scheme name. */
  credentials?: Credentials;
  /** Retry policy, or `false` for a single attempt. */
  retry?: RetryOptions | false;
  /** Per-attempt timeout, covering headers and body. Default 30 s. */
  timeoutMs?: number;
  /**
   * Client-side rate limit shared by every call of this client; off unless set. Pass a RateLimiter
   * to share one budget between clients (e.g. two clients of one Pax8 credential).
   */
  rateLimit?: RateLimitOptions | RateLimiter | false;
  logger?: Logger;
  /** Default `info` when a logger is given. */
  logLevel?: LogLevel;
  /** Headers added to every request. */
  headers?: Readonly<Record<string, string>>;
  /** Check arguments against the spec before sending. Default true. */
  validate?: boolean;
  /**
   * Whether a failure means the server refused the credential the call used. Default: a 401. A
   * refused credential that can be renewed (a CredentialProvider with `invalidate`) is dropped and
   * the call is repeated once; for APIs that refuse tokens inside a 200 envelope, say so here.
   */
  isCredentialRefusal?: (error: ApiError) => boolean;
  /** Builds the error for a failure inside an envelope, to give it a provider-specific class. */
  envelopeError?: (init: ApiErrorInit) => EnvelopeError;
  /** The fetch implementation; defaults to the global one. */
  fetch?: typeof fetch;
  clock?: Clock;
}

/** Options for a single call. */
export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  retry?: RetryOptions | false;
  headers?: Readonly<Record<string, string>>;
  validate?: boolean;
  /**
   * `false` returns the whole response body of an enveloped API (still checked for failure),
   * e.g. to read a job id next to the result. Default true.
   */
  unwrap?: boolean;
}

/** The arguments of one operation call, as the generated methods pass them. */
export interface CallArgs {
  path?: Readonly<Record<string, unknown>>;
  /** Query, header and cookie parameters, by name. */
  params?: Readonly<Record<string, unknown>> | undefined;
  body?: unknown;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const isUnauthorized = (error: ApiError) => error instanceof AuthenticationError;
/** Static credential sets, applied once per credentials object (a view has its own object). */
const staticCredentials = new WeakMap<Credentials, Map<string, AppliedCredentials>>();
const decoder = new TextDecoder();
/** OpenAPI's default query style: form, exploded arrays, deepObject for objects. */
const formQuery = createQuerySerializer({ array: { style: 'form', explode: true }, object: { style: 'deepObject', explode: true } });

export class Runtime<Paths extends object = object> {
  readonly api: ApiSpec;
  readonly baseUrl: string;
  readonly secrets = new SecretRegistry();
  readonly logger: LevelledLogger;
  /** The typed openapi-fetch client on the same transport, for anything the methods do not cover. */
  readonly raw: Client<Paths>;

  private readonly options: ClientOptions;
  private readonly credentials: Credentials;
  private readonly transport: TransportConfig;
  private readonly retry: RetryPolicy;
  private readonly defaultHeaders: Record<string, string>;

  constructor(api: ApiSpec, options: ClientOptions = {}) {
    this.api = api;
    this.options = options;
    this.credentials = options.credentials ?? {};
    registerSchemeNames(api.securitySchemes, this.secrets);
    registerStaticSecrets(this.credentials, this.secrets);
    for (const op of Object.values(api.operations)) {
      for (const p of op.params ?? []) if (p.sensitive && p.in === 'query') this.secrets.addQueryName(p.name);
    }
    this.baseUrl = resolveBaseUrl(api, options);
    this.logger = levelledLogger(options.logger, options.logLevel ?? 'info', (s) => this.secrets.scrub(s));
    this.retry = new RetryPolicy(options.retry === false ? { maxAttempts: 1 } : options.retry);
    const clock = options.clock ?? systemClock;
    this.transport = {
      provider: api.provider,
      fetch: options.fetch ?? globalThis.fetch,
      clock,
      logger: this.logger,
      secrets: this.secrets,
      limiter: !options.rateLimit ? undefined : options.rateLimit instanceof RateLimiter ? options.rateLimit : new RateLimiter({ clock, ...options.rateLimit }),
    };
    this.defaultHeaders = { accept: 'application/json' };
    for (const [k, v] of Object.entries(options.headers ?? {})) this.defaultHeaders[k.toLowerCase()] = v;
    this.raw = this.createRaw(this);
  }

  /** Calls one operation and returns its (unwrapped) result. */
  async call<T>(op: OperationSpec, args: CallArgs = {}, options: RequestOptions = {}): Promise<T> {
    const path = args.path ?? {};
    const params = args.params ?? {};
    this.checkArgs(op, path, params, args.body, options.validate ?? this.options.validate ?? true);

    const query: Record<string, unknown> = {};
    const headers: Record<string, string> = { ...this.defaultHeaders };
    if (options.headers) for (const [k, v] of Object.entries(options.headers)) headers[k.toLowerCase()] = v;
    const cookies: [string, string][] = [];
    let jsonParams: Set<string> | undefined;
    for (const p of op.params ?? []) {
      if (p.json) {
        jsonParams ??= new Set();
        jsonParams.add(p.name);
      }
      const value = p.in === 'path' ? undefined : params[p.name];
      if (value === undefined) continue;
      if (p.sensitive && typeof value === 'string') this.secrets.addValue(value);
      if (p.in === 'query') query[p.name] = value;
      else if (p.in === 'header') headers[p.name.toLowerCase()] = String(value);
      else if (p.in === 'cookie') cookies.push([p.name, String(value)]);
    }
    const search = (jsonParams ? createJsonAwareQuerySerializer(jsonParams) : formQuery)(query);
    const url = `${defaultPathSerializer(`${this.baseUrl}${op.path}`, path as Record<string, unknown>)}${search ? `?${search}` : ''}`;
    let body: string | undefined;
    if (args.body !== undefined) {
      body = JSON.stringify(args.body);
      headers['content-type'] ??= op.body?.mediaType ?? 'application/json';
    }
    return this.dispatch({ method: op.method, url, headers, body }, op, options, cookies, (response) => {
      let data: unknown;
      if (response.body.byteLength > 0) {
        try {
          data = JSON.parse(decoder.decode(response.body));
        } catch {
          throw this.malformed(op, response, 'the response body is not valid JSON');
        }
      }
      return (options.unwrap === false ? this.checkEnvelope(op, data, response) : this.unwrap(op, data, response)) as T;
    });
  }

  /**
   * A runtime that shares this one's transport, rate limit, secrets and logger, with some
   * credentials added or replaced: e.g. the calls of one user, with that user's token.
   */
  withCredentials(extra: Credentials): Runtime<Paths> {
    registerStaticSecrets(extra, this.secrets);
    const view = Object.create(this) as Runtime<Paths>;
    Object.defineProperty(view, 'credentials', { value: { ...this.credentials, ...extra } });
    // The raw client must send the view's credentials, not this runtime's.
    Object.defineProperty(view, 'raw', { value: this.createRaw(view) });
    return view;
  }

  /** Iterates every item of a paged list operation, fetching pages as needed. */
  paginate<Item>(op: OperationSpec, args: CallArgs = {}, options: RequestOptions = {}): AsyncGenerator<Item, void, undefined> {
    if (!op.pagination) throw new TypeError(`${op.id} is not a paged operation`);
    return paginate<Item>(op.pagination, { ...args.params }, (query) => this.call(op, { ...args, params: query }, options));
  }

  private createRaw(owner: Runtime<Paths>): Client<Paths> {
    // The raw client does not know the operation when it serializes, so any parameter name that an
    // operation declares as JSON is sent as JSON (and checked like the typed methods check it).
    const jsonNames = new Set(Object.values(this.api.operations).flatMap((op) => (op.params ?? []).filter((p) => p.json).map((p) => p.name)));
    const serialize = createJsonAwareQuerySerializer(jsonNames);
    const querySerializer = (query: Record<string, unknown>): string => {
      const issues = Object.entries(query ?? {}).flatMap(([name, value]) => (jsonNames.has(name) && value !== undefined ? jsonValueIssues(value, `query.${name}`) : []));
      if (issues.length) throw new InvalidArgumentError(undefined, issues);
      return serialize(query);
    };
    return createClient<Paths>({ baseUrl: this.baseUrl, headers: this.defaultHeaders, querySerializer, fetch: (request: Request) => owner.rawFetch(request) });
  }

  /** What the raw openapi-fetch client sends goes through the same dispatch. */
  private async rawFetch(request: Request): Promise<Response> {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
    const response = await this.dispatch({ method: request.method, url: request.url, headers, body }, this.match(request), {}, [], (r) => r);
    const nullBody = [101, 204, 205, 304].includes(response.status) || response.body.byteLength === 0;
    return new Response(nullBody ? null : response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  /**
   * Authenticates and sends one request, and reads the answer with `finish`. When the answer says
   * the credential was refused (see `isCredentialRefusal`), renews it and tries once more.
   */
  private async dispatch<T>(
    request: PreparedRequest,
    op: OperationSpec | undefined,
    options: RequestOptions,
    cookies: [string, string][],
    finish: (response: TransportResponse) => T,
  ): Promise<T> {
    const operation: OperationSpec = op ?? { id: 'raw', method: request.method as OperationSpec['method'], path: request.url };
    const schemeSet = chooseCredentialSet(operation, op ? undefined : [], this.credentials);
    const retry = options.retry === undefined ? this.retry : new RetryPolicy(options.retry === false ? { maxAttempts: 1 } : options.retry);

    for (let authAttempt = 0; ; authAttempt++) {
      const applied = await this.credentialsFor(schemeSet, options.signal);
      let url = request.url;
      for (const [name, value] of applied.query) {
        url += `${url.includes('?') ? '&' : '?'}${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
      }
      const headers = { ...request.headers, ...applied.headers };
      const allCookies = [...cookies, ...applied.cookies];
      if (allCookies.length) {
        const added = allCookies.map(([n, v]) => `${n}=${encodeURIComponent(v)}`).join('; ');
        headers.cookie = headers.cookie ? `${headers.cookie}; ${added}` : added;
      }
      try {
        const response = await send(this.transport, { method: request.method, url, headers, body: request.body }, {
          operationId: op?.id,
          idempotent: isIdempotent(operation),
          retry,
          timeoutMs: options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          signal: options.signal,
        });
        return finish(response);
      } catch (error) {
        const refused = error instanceof ApiError && (this.options.isCredentialRefusal ?? isUnauthorized)(error);
        if (refused && authAttempt === 0 && applied.refreshable.length > 0) {
          for (const { provider, value } of applied.refreshable) await provider.invalidate?.(value);
          this.logger.warn(`${error.status} from ${error.url}: the credential was refused; renewing it and retrying once`, { operationId: op?.id });
          continue;
        }
        throw error;
      }
    }
  }

  /**
   * What a credential set puts on a request. Plain values (strings, Basic pairs) give the same
   * answer every time, so it is computed once per credentials object; providers are asked each time.
   */
  private async credentialsFor(schemeSet: readonly string[], signal: AbortSignal | undefined): Promise<AppliedCredentials> {
    const cacheable = schemeSet.every((name) => {
      const c = this.credentials[name];
      return typeof c === 'string' || (typeof c === 'object' && c !== null && 'password' in c);
    });
    if (!cacheable) return applyCredentials(schemeSet, this.api.securitySchemes, this.credentials, this.secrets, signal);
    let byCredentials = staticCredentials.get(this.credentials);
    if (!byCredentials) {
      byCredentials = new Map();
      staticCredentials.set(this.credentials, byCredentials);
    }
    const key = schemeSet.join('\u0000');
    let applied = byCredentials.get(key);
    if (!applied) {
      applied = await applyCredentials(schemeSet, this.api.securitySchemes, this.credentials, this.secrets, signal);
      byCredentials.set(key, applied);
    }
    return applied;
  }

  /** Throws when the API's envelope says failure; returns the body untouched otherwise. */
  private checkEnvelope(op: OperationSpec, data: unknown, response: TransportResponse): unknown {
    const envelope = this.api.envelope;
    if (envelope && op.envelope !== false && data !== null && typeof data === 'object') {
      const status = envelope.status === undefined ? undefined : getPath(data, envelope.status);
      const failed =
        (envelope.status !== undefined && status !== undefined && !(envelope.success ?? [0]).includes(status)) ||
        (envelope.errorFlag !== undefined && Boolean(getPath(data, envelope.errorFlag)));
      if (failed) {
        const body = this.secrets.scrubValue(data);
        const code = envelope.code === undefined ? status : getPath(body, envelope.code);
        const message = envelope.message === undefined ? undefined : getPath(body, envelope.message);
        throw (this.options.envelopeError ?? ((init) => new EnvelopeError(init)))({
          provider: this.api.provider,
          status: response.status,
          statusText: response.statusText,
          method: op.method,
          url: response.shownUrl,
          operationId: op.id,
          body,
          code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
          providerMessage: typeof message === 'string' ? message : undefined,
        });
      }
    }
    return data;
  }

  /** Applies the API's envelope (failure check, then the result field) and JSON-string decoding. */
  private unwrap(op: OperationSpec, data: unknown, response: TransportResponse): unknown {
    let result = this.checkEnvelope(op, data, response);
    const envelope = this.api.envelope;
    if (envelope?.result !== undefined && op.envelope !== false && data !== null && typeof data === 'object') {
      result = getPath(data, envelope.result);
    }
    if (op.decodeJsonResult && typeof result === 'string') {
      try {
        result = JSON.parse(result);
      } catch {
        throw this.malformed(op, response, 'the result is not the JSON document the spec promises');
      }
    }
    return result;
  }

  private malformed(op: OperationSpec, response: TransportResponse, message: string): ApiError {
    return new ApiError({
      provider: this.api.provider,
      status: response.status,
      method: op.method,
      url: response.shownUrl,
      operationId: op.id,
      providerMessage: message,
    });
  }

  private checkArgs(op: OperationSpec, path: Readonly<Record<string, unknown>>, params: Readonly<Record<string, unknown>>, body: unknown, full: boolean): void {
    const issues: ArgumentIssue[] = [];
    const declared = new Set<string>();
    for (const p of op.params ?? []) {
      const value = p.in === 'path' ? path[p.name] : params[p.name];
      if (p.in !== 'path') declared.add(p.name);
      const where = `${p.in}.${p.name}`;
      // An empty path segment would silently address another resource, so it is refused even unvalidated.
      // JSON parameters must survive JSON.stringify unchanged, whatever `validate` says.
      if (p.json && value !== undefined) issues.push(...jsonValueIssues(value, where, p.schema, this.api.schemas));
      if (value === undefined || value === null || (p.in === 'path' && value === '')) {
        if (p.required || p.in === 'path') issues.push({ path: where, message: 'is required' });
        continue;
      }
      if (full) issues.push(...validateValue(value, p.schema, where, this.api.schemas));
    }
    if (full) {
      for (const name of Object.keys(params)) {
        if (!declared.has(name) && params[name] !== undefined) issues.push({ path: name, message: `is not a parameter of ${op.id}` });
      }
      if (op.body) {
        if (body === undefined) {
          if (op.body.required) issues.push({ path: 'body', message: 'is required' });
        } else {
          issues.push(...validateValue(body, op.body.schema, 'body', this.api.schemas));
        }
      } else if (body !== undefined) {
        issues.push({ path: 'body', message: `is not accepted by ${op.id}` });
      }
    }
    if (issues.length) throw new InvalidArgumentError(op.id, issues);
  }

  /** Finds the operation a raw request addresses, for its credentials and retry rules. */
  private match(request: Request): OperationSpec | undefined {
    const base = new URL(this.baseUrl).pathname.replace(/\/$/, '');
    const pathname = new URL(request.url).pathname.slice(base.length);
    return Object.values(this.api.operations).find(
      (op) => op.method === request.method && pathTemplateRegExp(op.path).test(pathname),
    );
  }
}

function resolveBaseUrl(api: ApiSpec, options: ClientOptions): string {
  let url: string;
  if (options.baseUrl !== undefined) {
    url = options.baseUrl;
  } else {
    const server = api.servers[0];
    if (!server) throw new InvalidArgumentError(undefined, [{ path: 'baseUrl', message: 'is required (the spec declares no server)' }]);
    url = serverUrl(server, options.serverVariables);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(undefined, [{ path: 'baseUrl', message: 'must be an absolute http(s) URL' }]);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidArgumentError(undefined, [{ path: 'baseUrl', message: 'must be an absolute http(s) URL' }]);
  }
  if (parsed.username || parsed.password) {
    throw new InvalidArgumentError(undefined, [{ path: 'baseUrl', message: 'must not contain credentials; pass them as credentials instead' }]);
  }
  return url.replace(/\/+$/, '');
}
