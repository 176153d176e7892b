/**
 * Every error a client throws is a ProviderSdkError. HTTP failures are ApiError subclasses chosen by
 * status; failures inside a 200 envelope are EnvelopeError; transport failures are ConnectionError,
 * TimeoutError and AbortError. Messages and fields never carry credentials: they are built from
 * redacted URLs and scrubbed bodies (see redact.ts).
 */

/** Marks every SDK error with the names of its classes, so that `instanceof` holds across copies of core. */
const BRAND = Symbol.for('@provider-sdk/core/error-classes');

export class ProviderSdkError extends Error {
  override name = 'ProviderSdkError';

  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    const names: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) names.push((c as { name: string }).name);
    Object.defineProperty(this, BRAND, { value: names });
  }

  /**
   * `error instanceof ApiError` also holds for an error made by another copy of this package (an
   * ESM and a CommonJS build loaded side by side, or two installed versions): classes are compared
   * by name along the error's class chain.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // `this` is the class on the right of `instanceof` (a subclass too): that is the point here.
    // biome-ignore lint/complexity/noThisInStatic: see above
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const names = (value as { [BRAND]?: unknown } | null | undefined)?.[BRAND];
    // biome-ignore lint/complexity/noThisInStatic: see above
    return Array.isArray(names) && names.includes(this.name);
  }
}

/** An argument failed the spec's constraints; nothing was sent. */
export class InvalidArgumentError extends ProviderSdkError {
  override name = 'InvalidArgumentError';
  readonly operationId: string | undefined;
  readonly issues: readonly ArgumentIssue[];
  constructor(operationId: string | undefined, issues: readonly ArgumentIssue[]) {
    const where = operationId ? ` for ${operationId}` : '';
    super(`Invalid argument${where}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
    this.operationId = operationId;
    this.issues = issues;
  }
}

export interface ArgumentIssue {
  /** Where the problem is, e.g. `query.size` or `body.lineItems[0].productId`. */
  path: string;
  message: string;
}

/** The client lacks the credentials an operation needs; nothing was sent. */
export class MissingCredentialsError extends ProviderSdkError {
  override name = 'MissingCredentialsError';
  readonly operationId: string;
  readonly acceptedSchemes: readonly (readonly string[])[];
  /** The schemes of the accepted sets that the client has no credential for (all of them when unknown). */
  readonly missingSchemes: readonly string[];
  constructor(operationId: string, acceptedSchemes: readonly (readonly string[])[], configured: readonly string[] = []) {
    const options = acceptedSchemes.map((set) => set.join(' + ')).join(', or ');
    const missing = [...new Set(acceptedSchemes.flat())].filter((scheme) => !configured.includes(scheme));
    const none = acceptedSchemes.flat().every((scheme) => missing.includes(scheme));
    super(`${operationId} needs credentials for ${options}; ${none ? 'none were configured' : `missing: ${missing.join(', ')}`}`);
    this.operationId = operationId;
    this.acceptedSchemes = acceptedSchemes;
    this.missingSchemes = missing;
  }
}

export interface ApiErrorInit {
  provider: string;
  status: number;
  statusText?: string;
  method: string;
  /** Already redacted. */
  url: string;
  operationId?: string | undefined;
  /** Parsed JSON body, or the text body (truncated), already scrubbed of secrets. */
  body?: unknown;
  /** The provider's own error code (`code`, `type`, `error`, or an envelope status). */
  code?: string | number | undefined;
  /** The provider's own message, if the body carried one. */
  providerMessage?: string | undefined;
  headers?: Record<string, string>;
  retryAfterMs?: number | undefined;
  attempts?: number;
}

/** The server answered, and the answer was a failure. */
export class ApiError extends ProviderSdkError {
  override name = 'ApiError';
  readonly provider: string;
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly operationId: string | undefined;
  readonly body: unknown;
  readonly code: string | number | undefined;
  readonly providerMessage: string | undefined;
  /** Response headers, with cookies removed. */
  readonly headers: Record<string, string>;
  /** How long the server asked us to wait (Retry-After), if it said. */
  readonly retryAfterMs: number | undefined;
  /** How many attempts were made before giving up. */
  readonly attempts: number;

  constructor(init: ApiErrorInit) {
    super(formatApiErrorMessage(init));
    this.provider = init.provider;
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.operationId = init.operationId;
    this.body = init.body;
    this.code = init.code;
    this.providerMessage = init.providerMessage;
    this.headers = init.headers ?? {};
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
  }
}

function formatApiErrorMessage(init: ApiErrorInit): string {
  const code = init.code !== undefined && init.code !== '' ? ` (${init.code})` : '';
  const text = init.providerMessage || init.statusText || 'request failed';
  return `${init.provider} ${init.status}${code}: ${text} [${init.method} ${init.url}]`;
}

export class BadRequestError extends ApiError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends ApiError {
  override name = 'AuthenticationError';
}
export class PermissionDeniedError extends ApiError {
  override name = 'PermissionDeniedError';
}
export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
}
export class ConflictError extends ApiError {
  override name = 'ConflictError';
}
export class UnprocessableEntityError extends ApiError {
  override name = 'UnprocessableEntityError';
}
export class RateLimitError extends ApiError {
  override name = 'RateLimitError';
}
export class InternalServerError extends ApiError {
  override name = 'InternalServerError';
}

/** A token endpoint refused or failed; `url` is the token URL. Never carries the client secret. */
export class TokenError extends AuthenticationError {
  override name = 'TokenError';
}

/**
 * The server answered with a redirect the client would not follow: to another origin (unless
 * allowed with `followRedirects: 'any'`), a 301/302 to a non-GET, a body to another origin, too many
 * hops, or a target outside http(s). `location` is the target with secrets removed.
 */
export class RedirectError extends ApiError {
  override name = 'RedirectError';
  readonly location: string | undefined;
  constructor(init: ApiErrorInit & { location?: string | undefined }) {
    super(init);
    this.location = init.location;
  }
}

/** The HTTP status said success but the provider's envelope said failure. */
export class EnvelopeError extends ApiError {
  override name = 'EnvelopeError';
}

/** The server said success, but its answer is not what the spec promises (an empty or non-JSON body). */
export class MalformedResponseError extends ApiError {
  override name = 'MalformedResponseError';
}

/** Picks the ApiError subclass for an HTTP status. */
export function apiErrorFor(init: ApiErrorInit): ApiError {
  switch (init.status) {
    case 400:
      return new BadRequestError(init);
    case 401:
      return new AuthenticationError(init);
    case 403:
      return new PermissionDeniedError(init);
    case 404:
      return new NotFoundError(init);
    case 409:
      return new ConflictError(init);
    case 422:
      return new UnprocessableEntityError(init);
    case 429:
      return new RateLimitError(init);
    default:
      return init.status >= 500 ? new InternalServerError(init) : new ApiError(init);
  }
}

/** No HTTP answer arrived: DNS, refused connection, reset, TLS. */
export class ConnectionError extends ProviderSdkError {
  override name = 'ConnectionError';
  readonly method: string;
  readonly url: string;
  readonly attempts: number;
  constructor(message: string, init: { method: string; url: string; attempts: number; cause?: unknown }) {
    super(`${message} [${init.method} ${init.url}]`, init.cause === undefined ? undefined : { cause: init.cause });
    this.method = init.method;
    this.url = init.url;
    this.attempts = init.attempts;
  }
}

/** An attempt ran past its timeout, while waiting for the headers or the body. */
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError';
}

/** The caller's AbortSignal fired. Never retried. */
export class AbortError extends ProviderSdkError {
  override name = 'AbortError';
}

/** Paging went wrong: a page repeated the one before it, `maxPages` was reached, or there is no next page. */
export class PaginationError extends ProviderSdkError {
  override name = 'PaginationError';
}
