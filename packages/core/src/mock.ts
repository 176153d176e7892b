// `@provider-sdk/core/mock`: the runtime behind every package's `./mock` subpath. MSW handlers that
// answer an API's operations with the spec's examples after checking the request the way Prism
// does (route, credentials, parameters, body), with the same checker the client uses. Kept out of
// the main entry: it imports msw, an optional peer dependency, and a production bundle never needs it.
import { http, type HttpHandler } from 'msw';
import type { ArgumentIssue } from './errors.js';
import { type ApiSpec, type OperationSpec, type ParameterSpec, resolveSchema, type SchemaSpec, serverUrl } from './spec.js';
import { validateValue } from './validate.js';

/** One documented response of an operation: its media type and example (generated from the spec). */
export interface MockResponse {
  mediaType?: string;
  example?: unknown;
}

/** Every operation's documented responses by status (`200`, `404`, `4XX`, `default`), and which one answers a valid request. */
export type MockExamples = Readonly<Record<string, { readonly success: string; readonly responses: Readonly<Record<string, MockResponse>> }>>;

export interface MockOptions {
  /** The base URL the client under test uses. Default: the spec's first server, as the client's default. */
  baseUrl?: string | undefined;
  /** Values of the server URL's variables (`panel`, `host`), as the client's `serverVariables`. */
  serverVariables?: Readonly<Record<string, string>> | undefined;
  /** `false`: answer requests that carry none of the credentials an operation asks for. Default true (a 401, as Prism). */
  checkCredentials?: boolean | undefined;
}

/** The body types an operation declares for its responses (from the package's `operations` types); `2` for the 2xx ones. */
export type ResponseBodyOf<Op, Class extends string = string> = Op extends { responses: infer R }
  ? { [S in keyof R]: `${S & (string | number)}` extends `${Class}${string}` ? (R[S] extends { content: infer C } ? (C extends object ? C[keyof C] : never) : never) : never }[keyof R]
  : never;
type Known<T> = [T] extends [never] ? unknown : T;

/**
 * What an override answers. `status` alone answers that status's spec example (`{ status: 404 }`);
 * `body` alone answers it with the success status.
 */
export interface MockAnswer<Body = unknown> {
  status?: number | undefined;
  body?: Body;
  headers?: Readonly<Record<string, string>> | undefined;
}

/** An operation's answers: without a status, a body of its success type; with one, any body it documents. */
export type MockAnswerOf<Op> = (MockAnswer<Known<ResponseBodyOf<Op, '2'>>> & { status?: undefined }) | (MockAnswer<Known<ResponseBodyOf<Op>>> & { status: number });

/** What an override function is given: the request and its checked, decoded parts. */
export interface MockRequest {
  request: Request;
  operationId: string;
  /** Path, query, header and cookie parameters by name, decoded by their schemas. */
  params: Record<string, unknown>;
  /** The decoded JSON or form body; `undefined` without one (a multipart body is not decoded). */
  body: unknown;
}

export type MockOverride<Answer = MockAnswer> = Answer | Response | ((request: MockRequest) => Answer | Response | Promise<Answer | Response>);

export interface ProviderMock<Ops = Record<string, unknown>> {
  /** The base URL the handlers answer under. */
  readonly baseUrl: string;
  /** Give these to `setupServer` (msw/node) or `setupWorker` (msw/browser). */
  readonly handlers: readonly HttpHandler[];
  /**
   * A handler (for `server.use`) that answers one operation differently; the request is still
   * checked first. `once`: only the next matching request.
   */
  override<K extends keyof Ops & string>(operationId: K, answer: MockOverride<MockAnswerOf<Ops[K]>>, options?: { once?: boolean }): HttpHandler;
  /** The spec's example body an operation answers a valid request with. */
  example<K extends keyof Ops & string>(operationId: K): Known<ResponseBodyOf<Ops[K], '2'>>;
  /** The spec's example body of one of an operation's responses (`404`, `'4XX'`). */
  example<K extends keyof Ops & string>(operationId: K, status: number | string): Known<ResponseBodyOf<Ops[K]>>;
  /** Answers one request as the handlers do; `undefined` when it is not under the base URL. */
  handle(request: Request): Promise<Response | undefined>;
}

/**
 * Builds the mock of an API from its descriptors and examples. `factory` names the generated
 * function in error messages.
 */
export function createMock<Ops = Record<string, unknown>>(api: ApiSpec, examples: MockExamples, options: MockOptions = {}, factory = 'createMock'): ProviderMock<Ops> {
  const baseUrl = mockBaseUrl(api, options, factory);
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const routes = Object.values(api.operations)
    .map((op) => ({ op, ...compileTemplate(op.path) }))
    // The most specific template wins (`/companies/search` before `/companies/{id}`), as in Prism.
    .sort((a, b) => a.params - b.params || b.literal - a.literal);
  const checkCredentials = options.checkCredentials ?? true;
  // Everything under the base URL, query and all; requests elsewhere pass to other handlers.
  const scope = new RegExp(`^${escapeRegExp(`${base.origin}${basePath}`)}(?:/|$)`);

  type Matched = { op: OperationSpec; request: MockRequest } | { response: Response };
  async function match(request: Request): Promise<Matched | undefined> {
    const url = new URL(request.url);
    if (url.origin !== base.origin || !(url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))) return undefined;
    const path = url.pathname.slice(basePath.length) || '/';
    const method = request.method.toUpperCase();
    const onPath = routes.filter((r) => r.regexp.test(path));
    const route = onPath.find((r) => r.op.method === method);
    if (!route) {
      if (onPath.length) return { response: problem(405, 'Method not allowed', `${method} is not an operation of ${path}; it takes ${[...new Set(onPath.map((r) => r.op.method))].join(', ')}`) };
      return { response: problem(404, 'No such operation', `no operation of ${api.provider} matches ${method} ${path}`) };
    }
    const { op } = route;
    if (checkCredentials && !hasCredentials(api, op, request, url)) {
      return { response: problem(401, 'Missing credentials', `${op.id} needs credentials (${(op.security ?? []).map((set) => set.join(' + ')).join(' or ')})`) };
    }
    const issues: ArgumentIssue[] = [];
    const params = readParams(api, op, route.names, route.regexp.exec(path)!, request, url, issues);
    const body = await readBody(api, op, request, issues);
    if ('response' in body) return body;
    if (issues.length) {
      return { response: problem(422, 'Invalid request', `${op.id}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues) };
    }
    return { op, request: { request, operationId: op.id, params, body: body.value } };
  }

  function answerFor(op: OperationSpec, answer: MockAnswer): Response {
    const documented = examples[op.id];
    const status = answer.status ?? Number(documented?.success ?? 200);
    const declared = documented && (answer.status === undefined ? documented.responses[documented.success] : responseFor(documented.responses, status));
    const hasBody = 'body' in answer;
    const body = hasBody ? answer.body : declared?.example;
    const headers = new Headers(answer.headers);
    if (body === undefined || status === 204 || status === 304) return new Response(null, { status, headers });
    if (typeof body === 'string' && declared?.mediaType && !/json/.test(declared.mediaType)) {
      if (!headers.has('content-type')) headers.set('content-type', declared.mediaType);
      return new Response(body, { status, headers });
    }
    if (body instanceof Blob || body instanceof ArrayBuffer) return new Response(body, { status, headers });
    if (!headers.has('content-type')) headers.set('content-type', declared?.mediaType && /json/.test(declared.mediaType) ? declared.mediaType : 'application/json');
    return new Response(JSON.stringify(body), { status, headers });
  }

  async function handle(request: Request, only?: string, answer?: MockOverride): Promise<Response | undefined> {
    const matched = await match(request);
    if (!matched) return undefined;
    if ('response' in matched) return only ? undefined : matched.response;
    if (only && matched.op.id !== only) return undefined;
    if (answer === undefined) return answerFor(matched.op, {});
    const given = typeof answer === 'function' ? await answer(matched.request) : answer;
    return given instanceof Response ? given.clone() : answerFor(matched.op, given);
  }

  return {
    baseUrl,
    handlers: [http.all(scope, ({ request }) => handle(request))],
    override(operationId, answer, overrideOptions) {
      if (!api.operations[operationId]) throw new TypeError(`${api.provider} has no operation "${operationId}"`);
      return http.all(scope, ({ request }) => handle(request, operationId, answer as MockOverride), { once: overrideOptions?.once ?? false });
    },
    example(operationId: string, status?: number | string) {
      const documented = examples[operationId];
      if (!documented) throw new TypeError(`${api.provider} has no operation "${operationId}"`);
      const response = status === undefined ? documented.responses[documented.success] : responseFor(documented.responses, Number(status), String(status));
      // A copy: examples are shared between operations, and a test may change what it gets.
      return structuredClone(response?.example) as never;
    },
    handle: (request) => handle(request),
  };
}

function mockBaseUrl(api: ApiSpec, options: MockOptions, factory: string): string {
  let url = options.baseUrl;
  if (url === undefined) {
    const server = api.servers[0];
    if (!server) throw new TypeError(`${factory}: ${api.provider}'s spec declares no server; pass baseUrl, the one the client under test uses`);
    url = serverUrl(server, options.serverVariables, (name) => {
      throw new TypeError(`${factory}: ${api.provider}'s server ${server.url} has no default for "${name}"; pass baseUrl (or serverVariables.${name}), the same the client under test uses`);
    });
  }
  try {
    return new URL(url).href.replace(/\/+$/, '');
  } catch {
    throw new TypeError(`${factory}: baseUrl must be an absolute URL`);
  }
}

function responseFor(responses: Readonly<Record<string, MockResponse>>, status: number, exact = String(status)): MockResponse | undefined {
  return responses[exact] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
}

/** A path template as a RegExp with one group per parameter, and how specific it is. */
function compileTemplate(template: string): { regexp: RegExp; names: string[]; params: number; literal: number } {
  const names: string[] = [];
  let literal = 0;
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      if (part.startsWith('{')) {
        names.push(part.slice(1, -1));
        return '([^/]+)';
      }
      literal += part.length;
      return escapeRegExp(part);
    })
    .join('');
  return { regexp: new RegExp(`^${source}/?$`), names, params: names.length, literal };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An RFC 9457 problem, naming every issue (location and rule, as the client's own errors do). */
function problem(status: number, title: string, detail: string, issues?: ArgumentIssue[]): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail, ...(issues ? { issues } : {}) }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

/** Whether the request carries every scheme of at least one of the operation's credential sets (their form, not their value). */
function hasCredentials(api: ApiSpec, op: OperationSpec, request: Request, url: URL): boolean {
  const sets = op.security ?? [];
  if (!sets.length) return true;
  const cookies = parseCookies(request.headers.get('cookie'));
  return sets.some((set) =>
    set.every((name) => {
      const scheme = api.securitySchemes[name];
      if (!scheme) return true;
      if (scheme.type === 'apiKey') {
        if (scheme.in === 'header') return request.headers.has(scheme.name);
        if (scheme.in === 'query') return url.searchParams.has(scheme.name);
        return cookies.has(scheme.name);
      }
      const authorization = request.headers.get('authorization') ?? '';
      if (scheme.type === 'http') return authorization.toLowerCase().startsWith(`${scheme.scheme.toLowerCase()} `);
      return /^bearer /i.test(authorization);
    }),
  );
}

function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return out;
}

function readParams(api: ApiSpec, op: OperationSpec, names: string[], found: RegExpExecArray, request: Request, url: URL, issues: ArgumentIssue[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const cookies = parseCookies(request.headers.get('cookie'));
  for (const p of op.params ?? []) {
    const where = `${p.in}.${p.name}`;
    let raw: string[];
    if (p.in === 'path') {
      const at = names.indexOf(p.name);
      raw = at === -1 ? [] : [decodeURIComponent(found[at + 1]!)];
    } else if (p.in === 'query') {
      raw = url.searchParams.getAll(p.name);
    } else if (p.in === 'header') {
      const value = request.headers.get(p.name);
      raw = value === null ? [] : [value];
    } else {
      const value = cookies.get(p.name);
      raw = value === undefined ? [] : [decodeURIComponent(value)];
    }
    if (!raw.length) {
      if (p.required || p.in === 'path') issues.push({ path: where, message: 'is required' });
      continue;
    }
    const value = decodeParam(raw, p, api.schemas, where, issues);
    if (value === undefined) continue;
    params[p.name] = value;
    issues.push(...validateValue(value, p.schema, where, api.schemas));
  }
  return params;
}

/** A parameter's text as the value its schema describes: JSON, arrays (repeated or comma-separated), numbers, booleans. */
function decodeParam(raw: string[], p: ParameterSpec, schemas: Readonly<Record<string, SchemaSpec>>, where: string, issues: ArgumentIssue[]): unknown {
  if (p.json) {
    try {
      return JSON.parse(raw[0]!);
    } catch {
      issues.push({ path: where, message: 'must be JSON' });
      return undefined;
    }
  }
  const schema = resolveSchema(p.schema, schemas);
  if (schema?.type === 'array') {
    const items = p.explode === false || p.in !== 'query' ? raw.flatMap((r) => r.split(',')) : raw;
    return items.map((item) => decodeScalar(item, schema.items, schemas));
  }
  return decodeScalar(raw[0]!, p.schema, schemas);
}

function decodeScalar(text: string, raw: SchemaSpec | undefined, schemas: Readonly<Record<string, SchemaSpec>>): unknown {
  const schema = resolveSchema(raw, schemas);
  // Without a single type (anyOf, oneOf), the first reading the schema accepts.
  const types = schema?.type ? [schema.type] : [...(schema?.anyOf ?? []), ...(schema?.oneOf ?? [])].map((s) => resolveSchema(s, schemas)?.type);
  for (const type of types) {
    if ((type === 'integer' || type === 'number') && text.trim() !== '' && Number.isFinite(Number(text))) {
      if (schema?.type || !validateValue(Number(text), raw, '', schemas).length) return Number(text);
    }
    if (type === 'boolean' && (text === 'true' || text === 'false')) {
      if (schema?.type || !validateValue(text === 'true', raw, '', schemas).length) return text === 'true';
    }
  }
  return text;
}

const mediaBase = (type: string | null) => (type ?? '').split(';')[0]!.trim().toLowerCase();

async function readBody(api: ApiSpec, op: OperationSpec, request: Request, issues: ArgumentIssue[]): Promise<{ value: unknown } | { response: Response }> {
  const text = request.body ? await request.clone().text() : '';
  if (!op.body) return { value: undefined };
  if (text === '') {
    if (op.body.required) issues.push({ path: 'body', message: 'is required' });
    return { value: undefined };
  }
  const declared = mediaBase(op.body.mediaType);
  const sent = mediaBase(request.headers.get('content-type'));
  if (sent !== declared && !(sent.endsWith('json') && declared.endsWith('json'))) {
    return { response: problem(415, 'Unsupported media type', `${op.id} takes ${op.body.mediaType}, not ${sent || 'a body without a content type'}`) };
  }
  let value: unknown;
  if (declared.endsWith('json')) {
    try {
      value = JSON.parse(text);
    } catch {
      return { response: problem(400, 'Malformed body', `${op.id}: the body is not valid JSON`) };
    }
  } else if (declared === 'application/x-www-form-urlencoded') {
    const properties = resolveSchema(op.body.schema, api.schemas)?.properties ?? {};
    value = Object.fromEntries([...new URLSearchParams(text)].map(([k, v]) => [k, decodeScalar(v, properties[k], api.schemas)]));
  } else {
    // Multipart and other bodies are not checked: only that one was sent.
    return { value: undefined };
  }
  issues.push(...validateValue(value, op.body.schema, 'body', api.schemas));
  return { value };
}
