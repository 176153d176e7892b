// One deliberate list of what a package's users need from @provider-sdk/core: every package
// re-exports exactly these (its generated core.ts), and no generated type may take one of the names.
export const CORE_EXPORTS = {
  values: [
    'AbortError', 'ApiError', 'ApiPromise', 'AuthenticationError', 'BadRequestError', 'CachedToken', 'ConflictError', 'ConnectionError',
    'consoleLogger', 'EnvelopeError', 'mapConcurrent', 'InternalServerError', 'InvalidArgumentError', 'MalformedResponseError', 'MemoryTokenStore',
    'MissingCredentialsError', 'NotFoundError', 'Page', 'PagePromise', 'PaginationError', 'PermissionDeniedError', 'ProviderSdkError',
    'RateLimiter', 'REDACTED', 'RateLimitError', 'RedirectError', 'RedisRateLimiter', 'RedisTokenStore', 'ResponseValidationError', 'TimeoutError', 'TokenError', 'UnprocessableEntityError',
  ],
  types: [
    'ApiErrorInit', 'ArgumentIssue', 'ClientOptions', 'Clock', 'CredentialProvider', 'DerivedOptions', 'Drift', 'DriftReport', 'Limiter', 'LogFields', 'Logger', 'LogLevel',
    'RateLimitOptions', 'RequestOptions',
    'ResponseInfo', 'RetryOptions', 'StoredToken', 'TokenStore', 'ValidateResponses', 'WithResponse',
  ],
} as const;

/** What the Node-only subpath `@provider-sdk/<package>/node` re-exports from `@provider-sdk/core/node`. */
export const CORE_NODE_EXPORTS = {
  values: ['EncryptedFileTokenStore', 'FileTokenStore', 'parseTokenKey', 'TOKEN_KEY_ENV', 'TokenFileRejected'],
  types: ['EncryptedFileTokenStoreOptions', 'FileTokenStoreOptions'],
} as const;
