import {
  type ApiPromise,
  type ArgumentIssue,
  type ClientBase,
  type ClientOptions,
  clientBase,
  type Hooks,
  InvalidArgumentError,
  type OperationSpec,
  ProviderSdkError,
  type RetryOptions,
  Runtime,
  withEnvironment,
} from '@provider-sdk/core';
import { type CloudApiApi, type CustomerResource, createCloudApiApi } from './generated/client.js';
import { api } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from './generated/client.js';
export * from './generated/core.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';

/** The `code` of the server's error bodies (`{error: true, code, message, exception}`). */
export const CloudApiErrorCode = {
  /** 401: no or wrong credentials. */
  AuthenticationRequired: 9000,
  /** 401 (403 in some mid-2011 versions): the user may not call this method. */
  AuthorizationFailed: 9001,
  /** 404: no such service on this server. */
  ServiceNotFound: 8000,
  /** 404: no such method in the service. */
  MethodNotFound: 8001,
  /** 500: the method raised, the parameters could not be parsed, or the result not serialized. */
  InternalError: 8002,
} as const;

/** Where deployments serve the REST transport: behind the web server, or on its own port. */
export type CloudApiBasePath = '/appserver/rest' | '';

export interface CloudApiClientOptions extends Omit<ClientOptions, 'credentials' | 'serverVariables' | 'hooks'> {
  /**
   * The full base URL, e.g. `http://cloud.example.com/appserver/rest` or `http://10.0.0.5:8889`.
   * The docs' form `http://<name>:<password>@host:port/appserver/rest` is accepted: the name and
   * password are taken out of the URL and sent as a Basic `Authorization` header, never in a URL.
   */
  baseUrl?: string | undefined;
  /** Or the parts of it: the applicationserver's host (default `localhost`). */
  host?: string | undefined;
  /** Its port: 80 (default) behind the web server, 8889 for the bare REST transport. */
  port?: number | string | undefined;
  /** `/appserver/rest` (default) behind the web server, `''` on the bare REST transport port. */
  basePath?: CloudApiBasePath | undefined;
  /** The cloud user's login. */
  username?: string | undefined;
  /** The cloud user's password. */
  password?: string | undefined;
}

/** The methods of a group, started in the background: each resolves to the job's guid. */
export type BackgroundMethods<Group> = {
  [K in keyof Group]: Group[K] extends (...args: infer A) => Promise<unknown> ? (...args: A) => ApiPromise<string> : never;
};

/** Every method, started as a background job (`executionparams.wait = false`). */
export interface CloudApiBackgroundApi {
  readonly customer: BackgroundMethods<CustomerResource>;
}

export interface CloudApiClient extends CloudApiApi, ClientBase<paths, CloudApiClient> {
  /**
   * The same methods, run asynchronously on the server: `executionparams.wait` is set to false,
   * the server answers at once with `result: null`, and the method resolves to the `jobguid` of
   * the job that carries on in the background.
   */
  readonly async: CloudApiBackgroundApi;
  /**
   * The typed openapi-fetch client on the same pipeline, for anything the methods do not cover.
   * Its query values are sent as JSON text too (the server JSON-decodes every one).
   */
  readonly raw: Runtime<paths>['raw'];
}

/** A background call was answered without the guid of the job it started. */
export class MissingJobGuidError extends ProviderSdkError {
  override name = 'MissingJobGuidError';
  readonly operationId: string;
  constructor(operationId: string) {
    super(
      `Cloud API: ${operationId} was started in the background (executionparams.wait = false), but the answer carried no jobguid to follow it by`,
    );
    this.operationId = operationId;
  }
}

/**
 * The server answers 500 for every failure of the method itself (it raised, e.g. an unknown
 * customer), so a 500 is not worth repeating; gateway and overload answers are.
 */
const RETRY_STATUSES: readonly number[] = [408, 429, 502, 503, 504];


/** A waiting call must not ask not to wait: the server would answer without a result. */
const waitingHooks: Hooks = {
  check: (params, call) => {
    const execution = params.executionparams;
    if (!isRecord(execution) || execution.wait !== false) return undefined;
    return [
      {
        path: 'query.executionparams.wait',
        message: `must not be false here: the server would run the job in the background and answer without a result; use client.async.customer.${methodOf(call.op)}() for that`,
      },
    ];
  },
};

/** The same calls started as background jobs (`executionparams.wait = false`): each resolves to the job's guid. */
const backgroundHooks: Hooks = {
  // The caller's executionparams are checked here, before `wait: false` is set over them.
  params: (params, call) => {
    const execution = params.executionparams;
    if (execution !== undefined && !isRecord(execution)) throw new InvalidArgumentError(call.op.id, [{ path: 'query.executionparams', message: 'must be an object' }]);
    if (isRecord(execution) && execution.wait === true) throw new InvalidArgumentError(call.op.id, [{ path: 'query.executionparams.wait', message: 'must not be true for a background call' }]);
    return { ...params, executionparams: { ...(isRecord(execution) ? execution : {}), wait: false } };
  },
  // The job guid is outside `result`, in the whole body.
  result: (_data, call) => {
    const jobguid = isRecord(call.body) ? call.body.jobguid : undefined;
    if (typeof jobguid !== 'string' || jobguid === '') throw new MissingJobGuidError(call.op.id);
    return jobguid;
  },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function methodOf(op: OperationSpec): string {
  return op.path.slice(op.path.lastIndexOf('/') + 1);
}

/**
 * Creates a Cloud API client for the `cloud_api_customer` service.
 *
 * ```ts
 * const cloud = createCloudApiClient({ baseUrl: 'http://cloud.example.com/appserver/rest', username: 'admin', password });
 * const guid = await cloud.customer.create({ name: 'Acme Hosting NV', city: 'Gent' });
 * const customers = await cloud.customer.list();                 // decoded from the JSON string result
 * const jobguid = await cloud.async.customer.delete({ customerguid: guid });  // runs in the background
 * ```
 *
 * Every parameter value travels as JSON text, so the server decodes exactly the value and type
 * given (a customer named `"123"` stays a string). Parameters left out are not sent: the server
 * applies its own defaults (`""`, `{}`).
 */
export function createCloudApiClient(options?: CloudApiClientOptions): CloudApiClient {
  const { host, port, basePath, username: givenUsername, password: givenPassword, baseUrl: givenBaseUrl, retry, ...rest } = withEnvironment(api, options);
  const { baseUrl, username, password } = credentialsOf(givenBaseUrl, givenUsername, givenPassword);
  const serverVariables = serverVariablesOf(host, port, basePath);
  if (baseUrl !== undefined && serverVariables) {
    throw new InvalidArgumentError(undefined, [{ path: 'baseUrl', message: 'or host, port and basePath: give one of them, not both' }]);
  }
  return client(
    new Runtime<paths>(api, {
      ...rest,
      ...(baseUrl === undefined ? {} : { baseUrl }),
      ...(serverVariables ? { serverVariables } : {}),
      retry: retryOf(retry),
      credentials: { basicAuth: { username, password } },
    }),
  );
}

function client(base: Runtime<paths>): CloudApiClient {
  return {
    ...createCloudApiApi(base.withHooks(waitingHooks)),
    async: { customer: createCloudApiApi(base.withHooks(backgroundHooks)).customer as unknown as BackgroundMethods<CustomerResource> },
    ...clientBase(base, client),
  };
}

/** Basic credentials, from the options or lifted out of a `name:password@` base URL. */
function credentialsOf(
  baseUrl: string | undefined,
  username: string | undefined,
  password: string | undefined,
): { baseUrl: string | undefined; username: string; password: string } {
  let cleanUrl = baseUrl;
  let fromUrl: { username: string; password: string } | undefined;
  if (baseUrl !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(baseUrl);
    } catch {
      // Never echo the URL: it may carry a password.
      throw new InvalidArgumentError(undefined, [{ path: 'baseUrl', message: 'must be an absolute http(s) URL' }]);
    }
    if (parsed.username || parsed.password) {
      fromUrl = { username: decodeUserinfo(parsed.username), password: decodeUserinfo(parsed.password) };
      parsed.username = '';
      parsed.password = '';
      cleanUrl = parsed.toString();
    }
  }
  if (fromUrl && ((username !== undefined && username !== fromUrl.username) || (password !== undefined && password !== fromUrl.password))) {
    throw new InvalidArgumentError(undefined, [
      { path: 'baseUrl', message: 'carries a name and password that differ from the username and password options; give them once' },
    ]);
  }
  const user = username ?? fromUrl?.username;
  const secret = password ?? fromUrl?.password;
  const issues: ArgumentIssue[] = [];
  if (!user) issues.push({ path: 'username', message: 'is required: every Cloud API method is authenticated (HTTP Basic). Pass it or set CLOUD_API_USERNAME' });
  else if (user.includes(':')) issues.push({ path: 'username', message: 'must not contain ":" (HTTP Basic cannot carry it)' });
  if (secret === undefined) issues.push({ path: 'password', message: 'is required: every Cloud API method is authenticated (HTTP Basic). Pass it or set CLOUD_API_PASSWORD' });
  if (issues.length) throw new InvalidArgumentError(undefined, issues);
  return { baseUrl: cleanUrl, username: user as string, password: secret as string };
}

function decodeUserinfo(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function serverVariablesOf(host: string | undefined, port: number | string | undefined, basePath: string | undefined): Record<string, string> | undefined {
  const issues: ArgumentIssue[] = [];
  const variables: Record<string, string> = {};
  if (host !== undefined) {
    if (!/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(host)) issues.push({ path: 'host', message: 'must be a host name or address (no scheme, port, path or credentials)' });
    variables.host = host;
  }
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535 || String(port).trim() === '') issues.push({ path: 'port', message: 'must be a port number from 1 to 65535' });
    variables.port = String(n);
  }
  if (basePath !== undefined) {
    if (basePath !== '/appserver/rest' && basePath !== '') {
      issues.push({ path: 'basePath', message: 'must be "/appserver/rest" or "" (give any other prefix in baseUrl)' });
    }
    variables.basePath = basePath;
  }
  if (issues.length) throw new InvalidArgumentError(undefined, issues);
  return Object.keys(variables).length ? variables : undefined;
}

function retryOf(retry: RetryOptions | false | undefined): RetryOptions | false {
  if (retry === false) return false;
  return { ...retry, statuses: retry?.statuses ?? RETRY_STATUSES };
}
