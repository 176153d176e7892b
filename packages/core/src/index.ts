// The shared runtime of the provider-sdk clients: the request pipeline, errors, paging, tokens.
export { ApiPromise, type ResponseInfo, type WithResponse } from './api-promise.js';
export { type Clock, systemClock } from './clock.js';
export { type ConcurrencyOptions, DEFAULT_CONCURRENCY, mapConcurrent } from './concurrency.js';
export { formatDateLayout } from './dates.js';
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
  TimeoutError,
  TokenError,
  UnprocessableEntityError,
} from './errors.js';
export { type CallContext, type CallParams, type Hooks, type RequestOptions } from './hooks.js';
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
export { type ClientOptions, type DerivedOptions, Runtime } from './runtime.js';
export {
  type ApiSpec,
  type EnvelopeSpec,
  getPath,
  type HttpMethod,
  isIdempotent,
  type OperationSpec,
  type PaginationSpec,
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
export { FileTokenStore, type FileTokenStoreOptions, type TokenFileDocument, TokenFileRejected } from './token-stores/file.js';
export { EncryptedFileTokenStore, type EncryptedFileTokenStoreOptions, parseTokenKey, TOKEN_KEY_ENV } from './token-stores/encrypted-file.js';
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
