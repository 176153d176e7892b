import type { Client } from 'openapi-fetch';
import { InvalidArgumentError } from './errors.js';
import type { RequestOptions } from './hooks.js';
import type { Runtime } from './runtime.js';
import type { OperationSpec } from './spec.js';

/**
 * The raw client: openapi-fetch's typed interface (`raw.GET('/companies/{companyId}', { params:
 * { path: { companyId } } })`) on the client's own pipeline. The path template names the operation,
 * so the call is checked, authenticated, sent, classified and decoded like the generated method's;
 * failures are thrown, never returned. Besides openapi-fetch's `params`, `body`, `headers` and
 * `signal`, `init` takes the per-call options `timeoutMs`, `retry` and `validate`. A path that is
 * no operation of the spec is refused before anything is sent.
 */
export type RawClient<Paths extends object> = Pick<Client<Paths>, 'request' | 'GET' | 'PUT' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'PATCH'>;

interface RawInit {
  params?: { path?: object; query?: object; header?: object; cookie?: object };
  body?: unknown;
  headers?: ConstructorParameters<typeof Headers>[0] | Record<string, string | number | boolean | null | undefined>;
  signal?: AbortSignal;
  timeoutMs?: number;
  retry?: RequestOptions['retry'];
  validate?: boolean;
}

export function createRawClient<Paths extends object>(runtime: Runtime<Paths>): RawClient<Paths> {
  const routes = new Map<string, OperationSpec>();
  for (const op of Object.values(runtime.api.operations)) routes.set(`${op.method} ${op.path}`, op);

  const request = async (method: string, path: string, init: RawInit = {}) => {
    const op = routes.get(`${method.toUpperCase()} ${path}`);
    if (!op) throw new InvalidArgumentError(undefined, [{ path: 'path', message: `${method.toUpperCase()} ${path} is not an operation of the ${runtime.api.provider} spec` }]);
    const { params, body, headers, signal, timeoutMs, retry, validate } = init;
    const flat: Record<string, unknown> = { ...params?.path, ...params?.query, ...params?.header, ...params?.cookie };
    if (body !== undefined) flat.body = body;
    const options: RequestOptions = { signal, timeoutMs, retry, validate, headers: headerRecord(headers) };
    const { data, response } = await runtime.call(op, flat, options).withResponse();
    return { data, response: new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers }) };
  };
  const method = (name: string) => (path: string, init?: RawInit) => request(name, path, init);
  return {
    request: request as unknown as RawClient<Paths>['request'],
    GET: method('GET') as unknown as RawClient<Paths>['GET'],
    PUT: method('PUT') as unknown as RawClient<Paths>['PUT'],
    POST: method('POST') as unknown as RawClient<Paths>['POST'],
    DELETE: method('DELETE') as unknown as RawClient<Paths>['DELETE'],
    OPTIONS: method('OPTIONS') as unknown as RawClient<Paths>['OPTIONS'],
    HEAD: method('HEAD') as unknown as RawClient<Paths>['HEAD'],
    PATCH: method('PATCH') as unknown as RawClient<Paths>['PATCH'],
  };
}

function headerRecord(headers: RawInit['headers']): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  const out: Record<string, string> = {};
  if (headers instanceof Headers || Array.isArray(headers)) {
    new Headers(headers as ConstructorParameters<typeof Headers>[0]).forEach((value, name) => {
      out[name] = value;
    });
  } else {
    for (const [name, value] of Object.entries(headers)) if (value !== undefined && value !== null) out[name] = String(value);
  }
  return out;
}
