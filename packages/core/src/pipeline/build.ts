import { formatDateLayout } from '../dates.js';
import type { CallParams } from '../hooks.js';
import { createJsonAwareQuerySerializer, type QuerySerializer } from '../query.js';
import { type HttpMethod, type OperationSpec, resolveSchema, type SchemaSpec } from '../spec.js';
import type { AppliedCredentials } from './authenticate.js';

/**
 * Stage 1, build: a call's flat parameters become the parts of an HTTP request, each in the place
 * the spec declares (path, query, header, cookie, body), with the spec's client defaults filled in
 * and Dates formatted to the spec's layouts. Nothing is serialised yet: the check stage looks at the
 * parts first, and `assemble` turns them, with the credentials, into what is sent.
 */
export interface RequestParts {
  method: HttpMethod;
  /** Path parameter values, by name, as given. */
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  /** Header values by lower-case name (the client's defaults, the call's, then header parameters). */
  headers: Record<string, string>;
  cookies: [string, string][];
  /** The JSON value to send, or undefined for none. */
  body: unknown;
  /** The parameters the spec does not declare (refused by the check stage when validation is on). */
  unknown: string[];
}

/** What goes on the wire. */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | FormData | undefined;
}

export function buildRequest(
  op: OperationSpec,
  params: CallParams,
  headers: Readonly<Record<string, string>>,
  callHeaders: Readonly<Record<string, string>> | undefined,
  schemas: Readonly<Record<string, SchemaSpec>>,
): RequestParts {
  const parts: RequestParts = { method: op.method, path: {}, query: {}, headers: { ...headers }, cookies: [], body: undefined, unknown: [] };
  // An operation that may answer a file asks for every media type it declares.
  if (op.responseMedia) parts.headers.accept = [...new Set(Object.values(op.responseMedia).flat())].join(', ');
  if (callHeaders) for (const name of Object.keys(callHeaders)) parts.headers[name.toLowerCase()] = String(callHeaders[name]);
  const declared = op.params ?? [];
  for (const p of declared) {
    const value = params[p.name];
    if (value === undefined) continue;
    if (p.in === 'path') parts.path[p.name] = value;
    else if (p.in === 'query') parts.query[p.name] = value;
    else if (p.in === 'header') parts.headers[p.name.toLowerCase()] = String(value);
    else parts.cookies.push([p.name, String(value)]);
  }
  for (const name of Object.keys(params)) {
    if (name === 'body' || params[name] === undefined) continue;
    if (!declared.some((p) => p.name === name)) parts.unknown.push(name);
  }
  const body = params.body;
  if (body !== undefined) parts.body = op.body?.prepare ? prepareValue(body, op.body.schema, schemas, 0) : body;
  else if (op.body?.prepare) {
    // A body made only of defaults still has them filled in.
    const filled = prepareValue({}, op.body.schema, schemas, 0) as Record<string, unknown>;
    if (Object.keys(filled).length) parts.body = filled;
  }
  return parts;
}

/** The query serializer of an operation: JSON for its `content: application/json` parameters, OpenAPI's form style otherwise. */
export function querySerializerFor(op: OperationSpec): QuerySerializer {
  const query = (op.params ?? []).filter((p) => p.in === 'query');
  return createJsonAwareQuerySerializer(new Set(query.filter((p) => p.json).map((p) => p.name)), new Set(query.filter((p) => p.explode === false).map((p) => p.name)));
}

/** The request to send: parts and credentials serialised under the base URL. */
export function assemble(
  op: OperationSpec,
  parts: RequestParts,
  credentials: AppliedCredentials,
  baseUrl: string,
  serializeQuery: QuerySerializer,
): HttpRequest {
  let path = op.path;
  if (path.includes('{')) path = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodePathValue(parts.path[name]));
  let search = serializeQuery(parts.query);
  for (const [name, value] of credentials.query) search += `${search ? '&' : ''}${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  const headers = credentials.headers.length ? { ...parts.headers } : parts.headers;
  for (const [name, value] of credentials.headers) headers[name] = value;
  const cookies = credentials.cookies.length ? [...parts.cookies, ...credentials.cookies] : parts.cookies;
  if (cookies.length) {
    const added = cookies.map(([n, v]) => `${n}=${encodeURIComponent(v)}`).join('; ');
    headers.cookie = headers.cookie ? `${headers.cookie}; ${added}` : added;
  }
  let body: string | FormData | undefined;
  if (parts.body !== undefined && op.body?.mediaType === 'multipart/form-data') {
    // fetch writes the content type itself, with the part boundary.
    body = formData(parts.body);
  } else if (parts.body !== undefined) {
    body = JSON.stringify(parts.body);
    headers['content-type'] ??= op.body?.mediaType ?? 'application/json';
  }
  return { method: op.method, url: `${baseUrl}${path}${search ? `?${search}` : ''}`, headers, body };
}

/**
 * A multipart body from an object: a Blob (or File) is a file part, an array repeats its field, an
 * object is sent as JSON text, anything else as its string.
 */
function formData(body: unknown): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined) continue;
      if (item instanceof Blob) form.append(name, item, (item as Blob & { name?: string }).name ?? name);
      else form.append(name, typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item));
    }
  }
  return form;
}

/** A path parameter as one URL segment: every reserved character (`/`, `?`, `#`, ...) percent-encoded. */
export function encodePathValue(value: unknown): string {
  return encodeURIComponent(String(value));
}

/** Fills client defaults and formats Dates where the schema says; copies only what changes. */
function prepareValue(value: unknown, raw: SchemaSpec | undefined, schemas: Readonly<Record<string, SchemaSpec>>, depth: number): unknown {
  const schema = resolveSchema(raw, schemas);
  if (!schema || depth > 32) return value;
  if (value instanceof Date) return schema.dateLayout ? (formatDateLayout(value, schema.dateLayout) ?? value) : value;
  if (Array.isArray(value)) {
    if (!schema.items) return value;
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = prepareValue(item, schema.items, schemas, depth + 1);
      if (next !== item) {
        out ??= [...value];
        out[i] = next;
      }
    });
    return out ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  let out: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  const properties = propertiesOf(schema, schemas);
  for (const name of Object.keys(properties)) {
    const property = resolveSchema(properties[name], schemas);
    const current = record[name];
    const next = current === undefined ? (property?.clientDefault ? property.default : undefined) : prepareValue(current, property, schemas, depth + 1);
    if (next !== current) {
      out ??= { ...record };
      out[name] = next;
    }
  }
  return out ?? value;
}

function propertiesOf(schema: SchemaSpec, schemas: Readonly<Record<string, SchemaSpec>>): Record<string, SchemaSpec> {
  if (!schema.allOf) return (schema.properties ?? {}) as Record<string, SchemaSpec>;
  const merged: Record<string, SchemaSpec> = { ...schema.properties };
  for (const part of schema.allOf) Object.assign(merged, propertiesOf(resolveSchema(part, schemas) ?? {}, schemas));
  return merged;
}
