/**
 * The compact description of an API that the generator emits from a spec (`operations.ts` in each
 * package) and that the runtime acts on: paths, parameters, security, pagination, envelopes, and the
 * request schemas used to reject bad arguments before anything is sent.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** The subset of JSON Schema (OpenAPI 3.0 flavour) that request validation understands. */
export interface SchemaSpec {
  $ref?: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  format?: string;
  enum?: readonly unknown[];
  nullable?: boolean;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  items?: SchemaSpec;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Readonly<Record<string, SchemaSpec>>;
  required?: readonly string[];
  additionalProperties?: boolean | SchemaSpec;
  minProperties?: number;
  maxProperties?: number;
  oneOf?: readonly SchemaSpec[];
  anyOf?: readonly SchemaSpec[];
  allOf?: readonly SchemaSpec[];
  not?: SchemaSpec;
  readOnly?: boolean;
  /** Only in requests: an answer need not carry it, even when required (response validation). */
  writeOnly?: boolean;
  /** The value the server (or, with `clientDefault`, the client) assumes when the property is left out. */
  default?: unknown;
  /** `x-client-default`: the client sends `default` when the caller leaves the property out. */
  clientDefault?: boolean;
  /**
   * `x-date-layout` (e.g. `YYYY-MM-DD HH:mm:ss`): a string property that also takes a Date, which
   * the client formats in UTC to this layout before sending.
   */
  dateLayout?: string;
}

export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  /** Declared with `content: application/json`: the value travels as JSON text. */
  json?: boolean;
  /** A secret (`format: password` or `x-sensitive`): redacted wherever the URL is shown. */
  sensitive?: boolean;
  /** `false`: an array travels as one comma-separated value (`roles=a,b`), not repeated. */
  explode?: boolean;
  schema?: SchemaSpec;
}

export type PaginationSpec =
  | {
      style: 'offset';
      /** Query parameter names. */
      offset: string;
      limit: string;
      /** Dot paths into the (unwrapped) result. */
      items: string;
      total?: string;
      /** Page size used by iterators when the caller gives none. */
      pageSize?: number;
    }
  | {
      style: 'page';
      page: string;
      size: string;
      items: string;
      totalPages?: string;
      /** Index of the first page (0 for Spring-style APIs). */
      firstPage?: number;
      pageSize?: number;
      /** Dot path of the total number of items, when the answer carries it. */
      total?: string;
    };

export interface OperationSpec {
  id: string;
  method: HttpMethod;
  path: string;
  params?: readonly ParameterSpec[];
  body?: {
    required: boolean;
    mediaType: string;
    schema?: SchemaSpec;
    /** The schema has `x-client-default` or `x-date-layout` somewhere: the build stage must walk it. */
    prepare?: boolean;
    /** Dot paths of body properties that hold secrets (`format: password`, `x-sensitive`). */
    secrets?: readonly string[];
  };
  /**
   * Accepted credential sets, any one of which will do; each set lists schemes required together.
   * An empty set means the operation may be called without credentials.
   */
  security?: readonly (readonly string[])[];
  /** The 2xx statuses (`200`, `2XX`) whose answer the spec declares as a JSON body. */
  jsonStatuses?: readonly string[];
  /**
   * Only for operations that can answer something other than JSON (a PDF, a ZIP): the media types
   * each 2xx status declares. Such an answer is returned as a Blob; `Accept` lists them all.
   */
  responseMedia?: Readonly<Record<string, readonly string[]>>;
  /** The header that carries an idempotency key (`x-idempotency-header`): with one, a failed POST may be repeated. */
  idempotencyHeader?: string;
  /** Whether a failed attempt may be repeated. Defaults from the method (GET, HEAD, OPTIONS, PUT, DELETE). */
  idempotent?: boolean;
  /** `false` when the API's envelope does not wrap this operation's response. */
  envelope?: boolean;
  /** The result is a JSON document encoded as a string; the client returns the decoded value. */
  decodeJsonResult?: boolean;
  pagination?: PaginationSpec;
}

export type SecuritySchemeSpec =
  | { type: 'http'; scheme: 'basic' | 'bearer' | (string & {}) }
  | { type: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string }
  | { type: 'oauth2'; tokenUrl?: string; scopes?: readonly string[] }
  | { type: 'openIdConnect' };

/**
 * A provider's envelope around every response body. A response is a failure when `status` is
 * present and not in `success`, or when `errorFlag` is truthy; otherwise `result` is returned.
 */
export interface EnvelopeSpec {
  result?: string;
  status?: string;
  success?: readonly unknown[];
  errorFlag?: string;
  message?: string;
  code?: string;
}

/** An environment variable a client reads for an option left out (`x-environment`; see environment.ts). */
export interface EnvironmentVariable {
  name: string;
  /** The client option it fills. */
  option: string;
  /** The server URL variable the option stands for (`panel` in `https://{panel}/api`). */
  serverVariable?: string;
  /** A credential: never shown, only named. */
  secret?: boolean;
  description?: string;
}

export interface ServerSpec {
  url: string;
  /** `required` (`x-required`): the default is a placeholder; a client must be given a value. */
  variables?: Readonly<Record<string, { default: string; enum?: readonly string[]; required?: boolean }>>;
}

export interface ApiSpec {
  /** Human name used in error messages, e.g. "Pax8". */
  provider: string;
  /** The spec file and its `info.version`, for drift reports. */
  spec?: { file: string; version: string };
  servers: readonly ServerSpec[];
  securitySchemes: Readonly<Record<string, SecuritySchemeSpec>>;
  /** Component schemas that request schemas refer to (`#/components/schemas/<name>`). */
  schemas: Readonly<Record<string, SchemaSpec>>;
  envelope?: EnvelopeSpec;
  /** The environment variables the client reads for options left out (`x-environment`). */
  environment?: readonly EnvironmentVariable[];
  operations: Readonly<Record<string, OperationSpec>>;
  /**
   * Loads the response schemas (generated `responses.ts`), only when response validation is on:
   * a dynamic import, so that a client that never validates never loads them.
   */
  responses?: () => Promise<ResponseSchemas>;
}

/** The spec's response schemas: per operation, per status (`200`, `2XX`, `default`), of the whole body. */
export interface ResponseSchemas {
  operations: Readonly<Record<string, Readonly<Record<string, SchemaSpec>>>>;
  /** The component schemas they refer to, except those ApiSpec.schemas holds as they are (the client falls back to those). */
  schemas: Readonly<Record<string, SchemaSpec>>;
}

const IDEMPOTENT_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function isIdempotent(op: Pick<OperationSpec, 'method' | 'idempotent'>): boolean {
  return op.idempotent ?? IDEMPOTENT_METHODS.has(op.method);
}

/**
 * Expands a server URL template with defaults, overridden by `variables`. A variable marked
 * `required` has no usable default: `onMissing` says what to do (by default a RangeError).
 */
export function serverUrl(server: ServerSpec, variables: Readonly<Record<string, string>> = {}, onMissing?: (name: string) => never): string {
  return server.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const spec = server.variables?.[name];
    const value = variables[name] ?? (spec?.required ? undefined : spec?.default);
    if (value !== undefined) return value;
    if (onMissing) return onMissing(name);
    throw new RangeError(`server variable "${name}" has no value`);
  });
}

/** The schema behind a chain of `$ref`s to component schemas (at most 16 hops); undefined when one is missing. */
export function resolveSchema(schema: SchemaSpec | undefined, schemas: Readonly<Record<string, SchemaSpec>>): SchemaSpec | undefined {
  let current = schema;
  for (let hops = 0; current?.$ref && hops < 16; hops++) current = schemas[current.$ref.replace('#/components/schemas/', '')];
  return current;
}

/** Reads a dot path (`page.totalPages`) from a value. */
export function getPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const templateCache = new Map<string, RegExp>();

/** A RegExp matching concrete paths of a path template (`/orgs/{org_id}` matches `/orgs/42`). */
export function pathTemplateRegExp(template: string): RegExp {
  let re = templateCache.get(template);
  if (!re) {
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${source}$`);
    templateCache.set(template, re);
  }
  return re;
}
