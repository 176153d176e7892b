// The shared runtime of the provider-sdk clients: the request pipeline, errors, paging, tokens.
// Only web-standard APIs here (fetch, AbortSignal, TextEncoder, btoa, crypto.randomUUID), so that it
// bundles for browsers and runs in workers; what needs Node (the file token stores) is in ./node.ts,
// published as `@provider-sdk/core/node`.
export { ApiPromise, type ResponseInfo, type WithResponse } from './api-promise.js';
export { type Clock, systemClock } from './clock.js';
export { type ConcurrencyOptions, DEFAULT_CONCURRENCY, mapConcurrent } from './concurrency.js';
export { formatDateLayout } from './dates.js';
export {
  type Drift,
  type DriftFinding,
  type DriftKind,
  type DriftReport,
  ResponseValidationError,
  VALIDATE_RESPONSES_VARIABLE,
  type ValidateResponses,
} from './drift.js';
export { environmentValue, type EnvironmentVariable, LOG_LEVEL_VARIABLE, missingSetting, withEnvironment } from './environment.js';
export { sha256Hex } from './hash.js';
export { describeErrorBody, type ErrorDescription } from './error-body.js';
export {
  AbortError,
  ApiError,
  type ApiErrorInit,
  apiErrorFor,
  type ArgumentIssue,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  EnvelopeError,
  InternalServerError,
  InvalidArgumentError,
  MalformedResponseError,
  MissingCredentialsError,
  NotFoundError,
  PaginationError,
  PermissionDeniedError,
  ProviderSdkError,
  RateLimitError,
  RedirectError,
  TimeoutError,
  TokenError,
  UnprocessableEntityError,
} from './errors.js';
export type { CallContext, CallParams, Hooks, RequestOptions } from './hooks.js';
export { jsonValueIssues } from './json-values.js';
export { consoleLogger, type LogFields, type Logger, type LogLevel } from './logger.js';
export { DEFAULT_MAX_PAGES, type FetchPage, firstPage, Page, PagePromise, type PagingOptions } from './pagination.js';
export { type BasicCredentials, base64Utf8, type Credential, type Credentials } from './pipeline/authenticate.js';
export { MAX_ERROR_BODY, MAX_ERROR_MESSAGE } from './pipeline/classify.js';
export { createJsonAwareQuerySerializer, encodeJsonQueryValue, type QuerySerializer } from './query.js';
export type { RawClient } from './raw.js';
export { type Limiter, RateLimiter, type RateLimitOptions } from './rate-limit.js';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limit.js';
export { type RedisCommands, type RedisGuardOptions, RedisUnavailableError } from './redis.js';
export { REDACTED, SecretRegistry } from './redact.js';
export { DEFAULT_RETRY_STATUSES, parseRetryAfter, RetryPolicy, type RetryOptions } from './retry.js';
export { type ClientBase, clientBase } from './client-base.js';
export { type ClientOptions, type DerivedOptions, Runtime } from './runtime.js';
export {
  type ApiSpec,
  type EnvelopeSpec,
  getPath,
  type HttpMethod,
  isIdempotent,
  type OperationSpec,
  type PaginationSpec,
  type ResponseSchemas,
  type ParameterSpec,
  pathTemplateRegExp,
  type SchemaSpec,
  type SecuritySchemeSpec,
  type ServerSpec,
  serverUrl,
} from './spec.js';
export {
  CachedToken,
  type CachedTokenOptions,
  type CredentialProvider,
  type FetchedToken,
  MemoryTokenStore,
  type StoredToken,
  type TokenStore,
  TokenStoreRecovered,
} from './token-cache.js';
export type { EnvelopeResult, ItemsAt } from './types.js';
export { validateValue } from './validate.js';
export {
  type ClientCredentialsOptions,
  ClientCredentialsProvider,
  clientCredentials,
  clientCredentialsStoreKey,
  type TokenResponse,
  type TokenStoreLock,
} from './oauth2.js';
export { TokenValueRejected } from './token-stores/encryption.js';
export {
  type IoRedisLike,
  ioredisAdapter,
  type NodeRedisLike,
  nodeRedisAdapter,
  RedisTokenStore,
  type RedisTokenStoreClient,
  type RedisTokenStoreOptions,
} from './token-stores/redis.js';
