// The spec, reduced to what the generators need: operations grouped by tag, with their parameters,
// body, success responses, security and the project's x- extensions:
//   x-provider-name (document)   name used in messages and docs
//   x-envelope (document)        a wrapper around every response body: {result, status, success, errorFlag, message, code}
//   x-webhook-topics (document)  {topic: {$ref}}: the payload schema of each webhook delivery topic
//   x-environment (document)     [{name, option, serverVariable?, secret?, description}]: env defaults of client options
//   x-required (server variable) its default is a placeholder: the client must be given a value
//   x-sdk-method (operation)     the client method name inside its tag group (default: the operationId)
//   x-pagination (operation)     {style: offset|page, ...}: the method also gets an async iterator
//   x-idempotent (operation)     overrides whether failed attempts may be retried
//   x-idempotency-header (document, operation)  the header that carries an idempotency key
//   x-envelope: false (op)       this response is not wrapped
//   x-json-result (operation)    {$ref} of the schema the JSON-string result decodes to
//   x-stability (operation)      e.g. `undocumented`: shown in READMEs and docs
//   x-sdk-variants (operation)   {method: {$ref}}: more methods for one operation, each with one body shape
//   x-sensitive (parameter, property)  a secret: redacted in URLs and logs (so is `format: password`)
//   x-client-default (property)  true: the client sends the schema's `default` when the caller leaves it out
//   x-date-layout (property)     a string that also takes a Date, sent in this layout (UTC)
import type { PaginationSpec, SecuritySchemeSpec } from '../../packages/core/src/spec.js';
import { camelCase, pascalCase } from './providers.js';
import type { OpenApiDocument } from './spec-check.js';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

type Json = any;

export interface ParamModel {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  json: boolean;
  sensitive: boolean;
  /** `explode: false` on a form-style array parameter. */
  unexploded: boolean;
  schema: Json;
  description: string | undefined;
}

/** An extra method for one shape of an operation's body (`x-sdk-variants`). */
export interface VariantModel {
  method: string;
  /** The component schema of the body this method takes. */
  schema: string;
}

export interface OperationModel {
  id: string;
  typeName: string;
  method: string;
  path: string;
  tag: string;
  sdkMethod: string;
  summary: string | undefined;
  description: string | undefined;
  deprecated: boolean;
  stability: string | undefined;
  pathParams: ParamModel[];
  otherParams: ParamModel[];
  body: { required: boolean; mediaType: string; schema: Json; description: string | undefined } | undefined;
  /** 2xx responses; `schema` names the component schema when the body is a plain $ref to one; `mediaTypes` are all it declares. */
  success: { status: string; mediaType: string | undefined; schema: string | undefined; mediaTypes: string[] }[];
  variants: VariantModel[];
  security: string[][];
  idempotent: boolean | undefined;
  /** `x-idempotency-header` of the operation, or of the document. */
  idempotencyHeader: string | undefined;
  envelope: boolean;
  jsonResult: string | undefined;
  pagination: PaginationSpec | undefined;
}

export interface TagModel {
  name: string;
  property: string;
  className: string;
  description: string | undefined;
  operations: OperationModel[];
}

export interface ApiModel {
  title: string;
  version: string;
  description: string | undefined;
  providerName: string;
  servers: { url: string; description?: string; variables?: Record<string, { default: string; enum?: string[]; description?: string; 'x-required'?: boolean }> }[];
  securitySchemes: Record<string, Json>;
  envelope: Json | undefined;
  /** `x-environment`: the variables the client reads for options left out. */
  environment: { name: string; option: string; serverVariable?: string; secret?: boolean; description?: string }[];
  /** `x-webhook-topics`: each documented delivery topic and the component schema of its payload. */
  webhookTopics: { topic: string; schema: string }[];
  tags: TagModel[];
  operations: OperationModel[];
}

export function resolveRef(doc: OpenApiDocument, value: Json): Json {
  let current = value;
  for (let i = 0; current && typeof current === 'object' && typeof current.$ref === 'string' && i < 20; i++) {
    const ref: string = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`external $ref not supported: ${ref}`);
    current = ref
      .slice(2)
      .split('/')
      .reduce((node: Json, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    if (current === undefined) throw new Error(`cannot resolve $ref ${ref}`);
  }
  return current;
}

export function buildModel(doc: OpenApiDocument, fallbackName: string): ApiModel {
  const tagDocs = new Map<string, string | undefined>((doc.tags ?? []).map((t: Json) => [t.name, t.description]));
  const tags = new Map<string, TagModel>();
  const operations: OperationModel[] = [];
  const globalSecurity: Json[] | undefined = doc.security;

  for (const [path, rawItem] of Object.entries<Json>(doc.paths ?? {})) {
    const item = resolveRef(doc, rawItem);
    const shared: Json[] = item.parameters ?? [];
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = mergeParams(doc, shared, op.parameters ?? []);
      const order = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const pathParams = params.filter((p) => p.in === 'path').sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
      const tag: string = op.tags?.[0] ?? 'default';
      const model: OperationModel = {
        id: op.operationId,
        typeName: pascalCase(op.operationId),
        method: method.toUpperCase(),
        path,
        tag,
        sdkMethod: op['x-sdk-method'] ?? op.operationId,
        summary: op.summary,
        description: op.description,
        deprecated: op.deprecated === true,
        stability: op['x-stability'],
        pathParams,
        otherParams: params.filter((p) => p.in !== 'path'),
        body: bodyOf(doc, op.requestBody),
        success: successOf(doc, op.responses ?? {}),
        security: ((op.security ?? globalSecurity ?? []) as Json[]).map((req) => Object.keys(req)),
        idempotent: op['x-idempotent'],
        idempotencyHeader: op['x-idempotency-header'] ?? doc['x-idempotency-header'],
        envelope: op['x-envelope'] !== false && doc['x-envelope'] !== undefined,
        jsonResult: op['x-json-result']?.$ref?.replace('#/components/schemas/', ''),
        pagination: op['x-pagination'],
        variants: Object.entries<Json>(op['x-sdk-variants'] ?? {}).map(([method, ref]) => ({ method, schema: String(ref?.$ref ?? '').replace('#/components/schemas/', '') })),
      };
      operations.push(model);
      let group = tags.get(tag);
      if (!group) {
        group = { name: tag, property: camelCase(tag), className: `${pascalCase(tag)}Resource`, description: tagDocs.get(tag), operations: [] };
        tags.set(tag, group);
      }
      group.operations.push(model);
    }
  }
  return {
    title: doc.info?.title ?? fallbackName,
    version: String(doc.info?.version ?? '0.0.0'),
    description: doc.info?.description,
    providerName: doc['x-provider-name'] ?? doc.info?.title ?? fallbackName,
    servers: doc.servers ?? [],
    securitySchemes: Object.fromEntries(Object.entries<Json>(doc.components?.securitySchemes ?? {}).map(([k, v]) => [k, resolveRef(doc, v)])),
    envelope: doc['x-envelope'],
    environment: ((doc['x-environment'] ?? []) as Json[]).map((v) => ({
      name: String(v.name),
      option: String(v.option),
      ...(v.serverVariable ? { serverVariable: String(v.serverVariable) } : {}),
      ...(v.secret ? { secret: true } : {}),
      ...(v.description ? { description: String(v.description).trim() } : {}),
    })),
    webhookTopics: Object.entries<Json>(doc['x-webhook-topics'] ?? {}).map(([topic, ref]) => ({ topic, schema: String(ref?.$ref ?? '').replace('#/components/schemas/', '') })),
    tags: [...tags.values()],
    operations,
  };
}

function mergeParams(doc: OpenApiDocument, shared: Json[], own: Json[]): ParamModel[] {
  const byKey = new Map<string, Json>();
  for (const raw of [...shared, ...own]) {
    const p = resolveRef(doc, raw);
    byKey.set(`${p.in}:${p.name}`, p);
  }
  return [...byKey.values()].map((p) => {
    const jsonContent = p.content?.['application/json'];
    const schema = jsonContent ? jsonContent.schema : p.schema;
    const resolved = schema ? resolveRef(doc, schema) : undefined;
    return {
      name: p.name,
      in: p.in,
      required: p.required === true,
      json: Boolean(jsonContent),
      sensitive: p['x-sensitive'] === true || resolved?.format === 'password',
      unexploded: p.explode === false && (p.style === undefined || p.style === 'form'),
      schema,
      description: p.description,
    };
  });
}

function bodyOf(doc: OpenApiDocument, raw: Json): OperationModel['body'] {
  if (!raw) return undefined;
  const body = resolveRef(doc, raw);
  const mediaType = Object.keys(body.content ?? {})[0];
  if (!mediaType) return undefined;
  return { required: body.required === true, mediaType, schema: body.content[mediaType].schema, description: body.description };
}

function successOf(doc: OpenApiDocument, responses: Json): OperationModel['success'] {
  return Object.entries<Json>(responses)
    .filter(([status]) => /^2(\d\d|XX)$/i.test(status))
    .map(([status, raw]) => {
      const response = resolveRef(doc, raw);
      const types = Object.keys(response.content ?? {});
      const mediaType = types.includes('application/json') ? 'application/json' : types[0];
      const ref = mediaType ? response.content[mediaType]?.schema?.$ref : undefined;
      return { status, mediaType, mediaTypes: types, schema: typeof ref === 'string' && ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined };
    });
}

/** The security schemes in the runtime's form. */
export function runtimeSchemes(model: ApiModel): Record<string, SecuritySchemeSpec> {
  const out: Record<string, SecuritySchemeSpec> = {};
  for (const [name, s] of Object.entries<Json>(model.securitySchemes)) {
    if (s.type === 'http') out[name] = { type: 'http', scheme: String(s.scheme).toLowerCase() };
    else if (s.type === 'apiKey') out[name] = { type: 'apiKey', in: s.in, name: s.name };
    else if (s.type === 'oauth2') {
      const flow = s.flows?.clientCredentials ?? Object.values<Json>(s.flows ?? {})[0];
      out[name] = { type: 'oauth2', ...(flow?.tokenUrl ? { tokenUrl: flow.tokenUrl } : {}) };
    } else out[name] = { type: 'openIdConnect' };
  }
  return out;
}
