// What the spec itself says an operation takes and returns: example arguments, response examples,
// the result a client should produce from them, and a way to call an operation through a package's
// generated method by its operationId. Used by the vitest harness and by `pnpm contract`.
import { parseSpec } from '../lib/spec-check.js';
import { provider } from '../lib/providers.js';
import { type ApiModel, buildModel, type OperationModel, resolveRef } from '../lib/spec-model.js';
import { methodFor } from '../lib/surface.js';

type Json = any;

export interface OperationArgs {
  path: Record<string, unknown>;
  params?: Record<string, unknown>;
  body?: unknown;
}

export interface SpecExamples {
  spec: string;
  doc: Json;
  model: ApiModel;
  operation(id: string): OperationModel;
  /** The example a response of `id` carries (first 2xx unless `status` is given). */
  responseExample(id: string, status?: string, name?: string): Json;
  /** What the client should return for the first 2xx example: unwrapped and decoded. */
  expectedResult(id: string): Json;
  /** Arguments built from the spec's examples (required parameters only). */
  exampleArgs(id: string): OperationArgs;
}

export function specExamples(spec: string): SpecExamples {
  const doc = parseSpec(provider(spec).specPath);
  const model = buildModel(doc, spec);
  const operation = (id: string): OperationModel => {
    const op = model.operations.find((o) => o.id === id);
    if (!op) throw new Error(`${spec} has no operation ${id}`);
    return op;
  };
  const rawOperation = (op: OperationModel): Json => resolveRef(doc, doc.paths[op.path])[op.method.toLowerCase()];
  const responseExample = (id: string, status?: string, name?: string): Json => {
    const op = operation(id);
    const responses = rawOperation(op).responses;
    const code = status ?? Object.keys(responses).find((s) => /^2/.test(s));
    if (!code) throw new Error(`${id} has no success response`);
    const response = resolveRef(doc, responses[code]);
    const media = response.content?.['application/json'] ?? Object.values<Json>(response.content ?? {})[0];
    if (!media) return undefined;
    if (name) return resolveRef(doc, media.examples?.[name])?.value;
    if (media.example !== undefined) return media.example;
    const first = Object.values<Json>(media.examples ?? {})[0];
    return first ? resolveRef(doc, first).value : undefined;
  };
  return {
    spec,
    doc,
    model,
    operation,
    responseExample,
    expectedResult(id) {
      const op = operation(id);
      let value = responseExample(id);
      if (op.envelope && model.envelope?.result && value && typeof value === 'object') value = value[model.envelope.result];
      if (op.jsonResult && typeof value === 'string') value = JSON.parse(value);
      return value;
    },
    exampleArgs(id) {
      const op = operation(id);
      const args: OperationArgs = { path: {} };
      for (const p of op.pathParams) args.path[p.name] = exampleFor(doc, rawParam(doc, rawOperation(op), p.name), p.schema);
      const required = op.otherParams.filter((p) => p.required);
      if (op.otherParams.length) {
        args.params = {};
        for (const p of required) args.params[p.name] = exampleFor(doc, rawParam(doc, rawOperation(op), p.name), p.schema);
      }
      if (op.body) {
        const body = resolveRef(doc, rawOperation(op).requestBody);
        const media = body.content[op.body.mediaType];
        args.body = media.example ?? resolveRef(doc, Object.values<Json>(media.examples ?? {})[0])?.value ?? synthesize(doc, op.body.schema);
        // A multipart body's files: the example's text becomes the content of a file.
        if (op.body.mediaType === 'multipart/form-data') args.body = withFiles(doc, args.body, op.body.schema);
      }
      return args;
    },
  };
}

function rawParam(doc: Json, rawOp: Json, name: string): Json {
  const item = Object.values<Json>(doc.paths).find((pi) => Object.values<Json>(pi).includes(rawOp));
  const all = [...(item?.parameters ?? []), ...(rawOp.parameters ?? [])].map((p: Json) => resolveRef(doc, p));
  return all.reverse().find((p: Json) => p.name === name);
}

function exampleFor(doc: Json, param: Json, schema: Json): unknown {
  if (param?.example !== undefined) return param.example;
  const first = Object.values<Json>(param?.examples ?? {})[0];
  if (first) return resolveRef(doc, first).value;
  const content = param?.content?.['application/json'];
  if (content?.example !== undefined) return content.example;
  return synthesize(doc, schema);
}

/** The example's strings at `format: binary` properties as Blobs (files), anywhere in anyOf/oneOf/arrays. */
function withFiles(doc: Json, value: Json, raw: Json): Json {
  const schema = resolveRef(doc, raw ?? {});
  const alternatives = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].map((s: Json) => resolveRef(doc, s));
  const binary = schema.format === 'binary' || alternatives.some((s: Json) => s.format === 'binary' || resolveRef(doc, s.items ?? {}).format === 'binary');
  if (typeof value === 'string' && binary) return new Blob([value], { type: 'application/pdf' });
  if (Array.isArray(value)) return value.map((v) => withFiles(doc, v, schema.items ?? alternatives.find((s: Json) => s.type === 'array')?.items ?? schema));
  if (value && typeof value === 'object' && schema.properties) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withFiles(doc, v, schema.properties[k])]));
  }
  return value;
}

/** A value that satisfies a schema, for parameters the spec gives no example for. */
export function synthesize(doc: Json, raw: Json, depth = 0): unknown {
  const schema = resolveRef(doc, raw ?? {});
  if (depth > 8) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  if (schema.oneOf || schema.anyOf) return synthesize(doc, (schema.oneOf ?? schema.anyOf)[0], depth + 1);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s: Json) => synthesize(doc, s, depth + 1)));
  switch (schema.type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return [synthesize(doc, schema.items, depth + 1)];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) out[name] = synthesize(doc, schema.properties?.[name], depth + 1);
      return out;
    }
    default:
      if (schema.format === 'uuid') return '3f0d6c1e-8a55-4a49-9a53-0c6f2f8b7d21';
      if (schema.format === 'date') return '2024-01-31';
      if (schema.format === 'date-time') return '2024-01-31T12:00:00Z';
      if (schema.format === 'email') return 'someone@example.com';
      return 'example';
  }
}

/** A generated method's params object: path and other parameters by name, the body under `body`. */
export function methodParams(args: OperationArgs): Record<string, unknown> {
  return { ...args.path, ...args.params, ...(args.body === undefined ? {} : { body: args.body }) };
}

/**
 * Calls one operation through the package's generated method with the harness's example arguments,
 * and resolves what the method resolved; for a paged method, the page's whole result (`page.data`).
 */
export async function callOperation(client: Json, harness: SpecExamples, id: string, override: Partial<OperationArgs> = {}, options?: Json): Promise<unknown> {
  const m = methodFor(harness.model, id);
  const group = client[m.tag.property];
  const method = group?.[m.name];
  if (typeof method !== 'function') throw new Error(`the client has no ${m.tag.property}.${m.name} for ${id}`);
  const result = await method.call(group, methodParams({ ...harness.exampleArgs(id), ...override }), options);
  // A file answer (a Blob) compares by its content with the spec's example text.
  if (result instanceof Blob) return result.text();
  return m.paged ? result.data : result;
}

