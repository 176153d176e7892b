// Classifies the difference between two versions of a spec by what it does to the users of the
// generated client: breaking (their code or their calls may stop working), additive (new things they
// can use), or documentation only. Every rule is a row of RULES; the walker below only decides which
// row applies where. Schemas are compared with the direction in mind: a request schema that accepts
// less is breaking, a response schema that may hold more is breaking.
import { HTTP_METHODS, resolveRef } from './spec-model.js';
import type { OpenApiDocument } from './spec-check.js';

type Json = any;

export type Level = 'breaking' | 'additive' | 'docs';

export const RULES = {
  'operation-removed': { level: 'breaking', text: 'an operation was removed' },
  'operation-added': { level: 'additive', text: 'an operation was added' },
  'method-renamed': { level: 'breaking', text: "an operation's client method (tag or x-sdk-method) changed" },
  'operation-id-changed': { level: 'breaking', text: 'an operationId changed (it names the exported types)' },
  'parameter-removed': { level: 'breaking', text: 'a parameter was removed' },
  'parameter-added-required': { level: 'breaking', text: 'a required parameter was added' },
  'parameter-added-optional': { level: 'additive', text: 'an optional parameter was added' },
  'parameter-made-required': { level: 'breaking', text: 'a parameter was made required' },
  'parameter-made-optional': { level: 'additive', text: 'a parameter was made optional' },
  'parameter-encoding-changed': { level: 'breaking', text: 'how a parameter is serialized changed' },
  'body-removed': { level: 'breaking', text: 'a request body was removed' },
  'body-added-required': { level: 'breaking', text: 'a required request body was added' },
  'body-added-optional': { level: 'additive', text: 'an optional request body was added' },
  'body-made-required': { level: 'breaking', text: 'a request body was made required' },
  'body-made-optional': { level: 'additive', text: 'a request body was made optional' },
  'media-type-changed': { level: 'breaking', text: 'a body media type changed' },
  'success-response-removed': { level: 'breaking', text: 'a success response was removed' },
  'success-response-added': { level: 'breaking', text: 'a success response was added (the result type widens)' },
  'error-response-changed': { level: 'docs', text: 'an error response was added, removed or changed' },
  'type-narrowed': { level: 'breaking', text: 'a type was narrowed (a request accepts less)' },
  'type-widened': { level: 'additive', text: 'a type was widened (a request accepts more)' },
  'type-changed': { level: 'breaking', text: 'a response type changed' },
  'enum-value-removed': { level: 'breaking', text: 'an enum value was removed' },
  'enum-value-added-request': { level: 'additive', text: 'an enum value was added to a request' },
  'enum-value-added-response': { level: 'additive', text: 'an enum value was added to a response' },
  'enum-added-request': { level: 'breaking', text: 'a request value was restricted to an enum' },
  'enum-dropped-request': { level: 'additive', text: 'a request value is no longer restricted to an enum' },
  'enum-added-response': { level: 'additive', text: 'a response value is now documented as an enum' },
  'enum-dropped-response': { level: 'breaking', text: 'a response value is no longer restricted to an enum' },
  'property-removed': { level: 'breaking', text: 'a property was removed' },
  'property-added-required-request': { level: 'breaking', text: 'a required property was added to a request' },
  'property-added-optional-request': { level: 'additive', text: 'an optional property was added to a request' },
  'property-added-response': { level: 'additive', text: 'a property was added to a response' },
  'property-made-required-request': { level: 'breaking', text: 'a request property was made required' },
  'property-made-optional-request': { level: 'additive', text: 'a request property was made optional' },
  'property-made-optional-response': { level: 'breaking', text: 'a response property may now be absent' },
  'property-made-required-response': { level: 'additive', text: 'a response property is now always present' },
  'nullable-request-removed': { level: 'breaking', text: 'a request value may no longer be null' },
  'nullable-response-added': { level: 'breaking', text: 'a response value may now be null' },
  'nullable-relaxed': { level: 'additive', text: 'nullability was relaxed where it cannot hurt' },
  'constraint-tightened': { level: 'breaking', text: 'a request constraint was tightened' },
  'constraint-relaxed': { level: 'additive', text: 'a request constraint was relaxed' },
  'response-constraint-changed': { level: 'docs', text: 'a response constraint changed' },
  'composition-changed': { level: 'breaking', text: 'a oneOf/anyOf/allOf changed shape' },
  'security-changed': { level: 'breaking', text: 'authentication changed (schemes or requirements)' },
  'security-scheme-added': { level: 'additive', text: 'a security scheme was added that no operation requires' },
  'server-changed': { level: 'breaking', text: 'the server URL or its variables changed' },
  'pagination-removed': { level: 'breaking', text: 'paging was removed (the iterator disappears)' },
  'pagination-added': { level: 'additive', text: 'paging was added (an iterator appears)' },
  'pagination-changed': { level: 'breaking', text: 'paging changed' },
  'envelope-changed': { level: 'breaking', text: 'the response envelope or result decoding changed' },
  'idempotency-changed': { level: 'docs', text: 'retry behaviour (x-idempotent) changed' },
  'schema-removed': { level: 'breaking', text: 'a named schema was removed (its exported type disappears)' },
  'schema-added': { level: 'additive', text: 'a named schema was added' },
  'surface-call-breaks': { level: 'breaking', text: 'a call written against the old client no longer compiles (generated surface)' },
  'surface-result-changed': { level: 'breaking', text: "a method's result can no longer be used where the old one was (generated surface)" },
  documentation: { level: 'docs', text: 'descriptions, summaries, examples or other documentation changed' },
} as const satisfies Record<string, { level: Level; text: string }>;

export type RuleId = keyof typeof RULES;

export interface Change {
  rule: RuleId;
  level: Level;
  where: string;
  detail?: string;
}

export interface SpecDiff {
  level: Level | 'none';
  changes: Change[];
}

const ORDER: Record<Level | 'none', number> = { none: 0, docs: 1, additive: 2, breaking: 3 };

export function maxLevel(levels: (Level | 'none')[]): Level | 'none' {
  return levels.reduce<Level | 'none'>((a, b) => (ORDER[b] > ORDER[a] ? b : a), 'none');
}

export type Bump = 'major' | 'minor' | 'patch';

/** The version bump a change needs: breaking → major (minor while 0.x), additive → minor, docs → patch. */
export function bumpFor(level: Level | 'none', version: string): Bump | 'none' {
  if (level === 'none') return 'none';
  if (level === 'breaking') return version.startsWith('0.') ? 'minor' : 'major';
  return level === 'additive' ? 'minor' : 'patch';
}

export function diffSpecs(before: OpenApiDocument, after: OpenApiDocument): SpecDiff {
  const changes: Change[] = [];
  const add = (rule: RuleId, where: string, detail?: string) => changes.push({ rule, level: RULES[rule].level, where, ...(detail ? { detail } : {}) });

  diffServers(before, after, add);
  diffSecuritySchemes(before, after, add);
  if (!sameJson(before['x-envelope'], after['x-envelope'])) add('envelope-changed', 'document x-envelope');

  const oldOps = operationsOf(before);
  const newOps = operationsOf(after);
  for (const [key, op] of oldOps) {
    const next = newOps.get(key);
    if (!next) add('operation-removed', key, op.op.operationId);
    else diffOperation(before, after, key, op, next, add);
  }
  for (const [key, op] of newOps) if (!oldOps.has(key)) add('operation-added', key, op.op.operationId);

  const schemasA = Object.keys(before.components?.schemas ?? {});
  const schemasB = Object.keys(after.components?.schemas ?? {});
  for (const name of schemasA) if (!schemasB.includes(name)) add('schema-removed', `components.schemas.${name}`);
  for (const name of schemasB) if (!schemasA.includes(name)) add('schema-added', `components.schemas.${name}`);

  if (!sameJson(docsOnly(before), docsOnly(after))) add('documentation', 'document');
  if (!changes.length && !sameJson(before, after)) add('documentation', 'document', 'parts no operation uses');
  return { level: maxLevel(changes.map((c) => c.level)), changes: dedupe(changes) };
}

type Add = (rule: RuleId, where: string, detail?: string) => void;
interface OpRef {
  op: Json;
  params: Json[];
  security: Json;
}

function operationsOf(doc: OpenApiDocument): Map<string, OpRef> {
  const out = new Map<string, OpRef>();
  for (const [path, raw] of Object.entries<Json>(doc.paths ?? {})) {
    const item = resolveRef(doc, raw);
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = new Map<string, Json>();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const resolved = resolveRef(doc, p);
        params.set(`${resolved.in}:${resolved.name}`, resolved);
      }
      out.set(`${method.toUpperCase()} ${path}`, { op, params: [...params.values()], security: op.security ?? doc.security ?? [] });
    }
  }
  return out;
}

function diffOperation(before: Json, after: Json, where: string, a: OpRef, b: OpRef, add: Add): void {
  if (a.op.operationId !== b.op.operationId) add('operation-id-changed', where, `${a.op.operationId} → ${b.op.operationId}`);
  const method = (op: Json) => `${op.tags?.[0] ?? 'default'}.${op['x-sdk-method'] ?? op.operationId}`;
  if (method(a.op) !== method(b.op)) add('method-renamed', where, `${method(a.op)} → ${method(b.op)}`);
  if (!sameJson(normalizeSecurity(a.security), normalizeSecurity(b.security))) add('security-changed', where);

  const pa = a.op['x-pagination'];
  const pb = b.op['x-pagination'];
  if (pa && !pb) add('pagination-removed', where);
  else if (!pa && pb) add('pagination-added', where);
  else if (!sameJson(pa, pb)) add('pagination-changed', where);
  if (!sameJson(a.op['x-json-result'], b.op['x-json-result']) || (a.op['x-envelope'] === false) !== (b.op['x-envelope'] === false)) {
    add('envelope-changed', where);
  }
  if (a.op['x-idempotent'] !== b.op['x-idempotent']) add('idempotency-changed', where);

  // Parameters
  const key = (p: Json) => `${p.in}:${p.name}`;
  const oldParams = new Map(a.params.map((p) => [key(p), p]));
  const newParams = new Map(b.params.map((p) => [key(p), p]));
  for (const [k, p] of oldParams) {
    const q = newParams.get(k);
    const at = `${where} ${p.in}.${p.name}`;
    if (!q) {
      add('parameter-removed', at);
      continue;
    }
    if (!p.required && q.required) add('parameter-made-required', at);
    if (p.required && !q.required) add('parameter-made-optional', at);
    const encoding = (x: Json) => JSON.stringify([Boolean(x.content), x.style ?? null, x.explode ?? null]);
    if (encoding(p) !== encoding(q)) add('parameter-encoding-changed', at);
    diffSchema(before, after, paramSchema(p), paramSchema(q), at, 'request', add, new Set());
    if (!sameJson(docsOf(p), docsOf(q))) add('documentation', at);
  }
  for (const [k, q] of newParams) {
    if (!oldParams.has(k)) add(q.required ? 'parameter-added-required' : 'parameter-added-optional', `${where} ${q.in}.${q.name}`);
  }

  // Request body
  const ba = a.op.requestBody ? resolveRef(before, a.op.requestBody) : undefined;
  const bb = b.op.requestBody ? resolveRef(after, b.op.requestBody) : undefined;
  if (ba && !bb) add('body-removed', where);
  else if (!ba && bb) add(bb.required ? 'body-added-required' : 'body-added-optional', where);
  else if (ba && bb) {
    if (!ba.required && bb.required) add('body-made-required', where);
    if (ba.required && !bb.required) add('body-made-optional', where);
    diffContent(before, after, ba.content, bb.content, `${where} body`, 'request', add);
  }

  // Responses
  const ra = a.op.responses ?? {};
  const rb = b.op.responses ?? {};
  for (const status of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
    const at = `${where} response ${status}`;
    const success = /^2/.test(status);
    const x = ra[status] ? resolveRef(before, ra[status]) : undefined;
    const y = rb[status] ? resolveRef(after, rb[status]) : undefined;
    if (x && !y) add(success ? 'success-response-removed' : 'error-response-changed', at);
    else if (!x && y) add(success ? 'success-response-added' : 'error-response-changed', at);
    else if (x && y) {
      if (success) diffContent(before, after, x.content, y.content, at, 'response', add);
      else if (!sameJson(x, y)) add('error-response-changed', at);
    }
  }
  if (!sameJson(docsOf(a.op), docsOf(b.op))) add('documentation', where);
}

function paramSchema(p: Json): Json {
  return p.content?.['application/json']?.schema ?? p.schema;
}

function diffContent(before: Json, after: Json, a: Json, b: Json, where: string, direction: Direction, add: Add): void {
  const ta = Object.keys(a ?? {});
  const tb = Object.keys(b ?? {});
  if (!sameJson(ta, tb)) add('media-type-changed', where, `${ta.join(',') || 'none'} → ${tb.join(',') || 'none'}`);
  for (const type of ta.filter((t) => tb.includes(t))) {
    diffSchema(before, after, a[type].schema, b[type].schema, where, direction, add, new Set());
    if (!sameJson(a[type].example ?? a[type].examples, b[type].example ?? b[type].examples)) add('documentation', `${where} example`);
  }
}

type Direction = 'request' | 'response';

const TIGHTER_WHEN_LARGER = ['minLength', 'minimum', 'minItems', 'minProperties'] as const;
const TIGHTER_WHEN_SMALLER = ['maxLength', 'maximum', 'maxItems', 'maxProperties'] as const;

function diffSchema(before: Json, after: Json, rawA: Json, rawB: Json, where: string, dir: Direction, add: Add, seen: Set<string>): void {
  if (rawA === undefined && rawB === undefined) return;
  const pairKey = `${rawA?.$ref ?? ''}|${rawB?.$ref ?? ''}|${where}`;
  if ((rawA?.$ref || rawB?.$ref) && seen.has(pairKey)) return;
  seen.add(pairKey);
  const a = rawA ? resolveRef(before, rawA) : {};
  const b = rawB ? resolveRef(after, rawB) : {};
  if (seen.size > 5000) return;

  // Types
  const typeA = a.type;
  const typeB = b.type;
  if (typeA !== typeB) {
    if (dir === 'request' && typeA === 'integer' && typeB === 'number') add('type-widened', where, 'integer → number');
    else if (dir === 'request' && typeA !== undefined && typeB === undefined) add('type-widened', where, `${typeA} → any`);
    else if (dir === 'request') add('type-narrowed', where, `${typeA ?? 'any'} → ${typeB ?? 'any'}`);
    else add('type-changed', where, `${typeA ?? 'any'} → ${typeB ?? 'any'}`);
    return;
  }
  if ((a.format ?? null) !== (b.format ?? null)) {
    if (dir === 'response') add('response-constraint-changed', where, `format ${a.format ?? 'none'} → ${b.format ?? 'none'}`);
    else add(b.format === undefined ? 'constraint-relaxed' : 'constraint-tightened', where, `format ${a.format ?? 'none'} → ${b.format ?? 'none'}`);
  }

  // Enums
  if (a.enum || b.enum) {
    if (a.enum && b.enum) {
      const removed = a.enum.filter((v: unknown) => !b.enum.some((w: unknown) => sameJson(v, w)));
      const added = b.enum.filter((v: unknown) => !a.enum.some((w: unknown) => sameJson(v, w)));
      for (const v of removed) add('enum-value-removed', where, JSON.stringify(v));
      for (const v of added) add(dir === 'request' ? 'enum-value-added-request' : 'enum-value-added-response', where, JSON.stringify(v));
    } else if (b.enum) add(dir === 'request' ? 'enum-added-request' : 'enum-added-response', where);
    else add(dir === 'request' ? 'enum-dropped-request' : 'enum-dropped-response', where);
  }

  // Nullability
  if (Boolean(a.nullable) !== Boolean(b.nullable)) {
    if (dir === 'request' && a.nullable) add('nullable-request-removed', where);
    else if (dir === 'response' && b.nullable) add('nullable-response-added', where);
    else add('nullable-relaxed', where);
  }

  // Constraints
  const constraint = (name: string, tighter: boolean) => {
    if (dir === 'response') add('response-constraint-changed', where, name);
    else add(tighter ? 'constraint-tightened' : 'constraint-relaxed', where, `${name} ${a[name] ?? 'none'} → ${b[name] ?? 'none'}`);
  };
  for (const name of TIGHTER_WHEN_LARGER) {
    if (a[name] !== b[name]) constraint(name, b[name] !== undefined && (a[name] === undefined || b[name] > a[name]));
  }
  for (const name of TIGHTER_WHEN_SMALLER) {
    if (a[name] !== b[name]) constraint(name, b[name] !== undefined && (a[name] === undefined || b[name] < a[name]));
  }
  for (const name of ['pattern', 'multipleOf', 'exclusiveMinimum', 'exclusiveMaximum', 'uniqueItems'] as const) {
    if (!sameJson(a[name], b[name])) constraint(name, b[name] !== undefined && b[name] !== false);
  }
  if (!sameJson(a.additionalProperties, b.additionalProperties) && (a.additionalProperties === false || b.additionalProperties === false)) {
    constraint('additionalProperties', b.additionalProperties === false);
  }

  // Composition
  for (const kind of ['oneOf', 'anyOf', 'allOf'] as const) {
    const xa: Json[] = a[kind] ?? [];
    const xb: Json[] = b[kind] ?? [];
    if (xa.length !== xb.length) add('composition-changed', where, `${kind} ${xa.length} → ${xb.length} parts`);
    for (let i = 0; i < Math.min(xa.length, xb.length); i++) diffSchema(before, after, xa[i], xb[i], `${where} ${kind}[${i}]`, dir, add, seen);
  }

  // Arrays and objects
  if (a.items || b.items) diffSchema(before, after, a.items, b.items, `${where}[]`, dir, add, seen);
  const propsA: Record<string, Json> = a.properties ?? {};
  const propsB: Record<string, Json> = b.properties ?? {};
  const reqA = new Set<string>(a.required ?? []);
  const reqB = new Set<string>(b.required ?? []);
  for (const name of Object.keys(propsA)) {
    const at = `${where}.${name}`;
    if (!(name in propsB)) {
      add('property-removed', at);
      continue;
    }
    const readOnly = resolveRef(after, propsB[name]).readOnly === true;
    if (!reqA.has(name) && reqB.has(name)) {
      if (dir === 'request' && !readOnly) add('property-made-required-request', at);
      if (dir === 'response') add('property-made-required-response', at);
    }
    if (reqA.has(name) && !reqB.has(name)) add(dir === 'request' ? 'property-made-optional-request' : 'property-made-optional-response', at);
    diffSchema(before, after, propsA[name], propsB[name], at, dir, add, seen);
  }
  for (const name of Object.keys(propsB)) {
    if (name in propsA) continue;
    const at = `${where}.${name}`;
    const readOnly = resolveRef(after, propsB[name]).readOnly === true;
    if (dir === 'response') add('property-added-response', at);
    else if (readOnly) add('documentation', at, 'read-only property');
    else add(reqB.has(name) ? 'property-added-required-request' : 'property-added-optional-request', at);
  }
  if (!sameJson(docsOf(a), docsOf(b))) add('documentation', where);
}

function diffServers(before: Json, after: Json, add: Add): void {
  const strip = (servers: Json[] = []) =>
    servers.map((s) => ({ url: s.url, variables: Object.fromEntries(Object.entries<Json>(s.variables ?? {}).map(([k, v]) => [k, { default: v.default, enum: v.enum ?? null }])) }));
  if (!sameJson(strip(before.servers), strip(after.servers))) add('server-changed', 'servers');
}

function diffSecuritySchemes(before: Json, after: Json, add: Add): void {
  const a: Record<string, Json> = before.components?.securitySchemes ?? {};
  const b: Record<string, Json> = after.components?.securitySchemes ?? {};
  const essential = (s: Json) => ({ type: s.type, in: s.in ?? null, name: s.name ?? null, scheme: s.scheme?.toLowerCase() ?? null, flows: s.flows ? Object.keys(s.flows) : null });
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[name] && b[name]) {
      if (!sameJson(essential(a[name]), essential(b[name]))) add('security-changed', `securitySchemes.${name}`);
      else if (!sameJson(a[name], b[name])) add('documentation', `securitySchemes.${name}`);
    } else if (a[name]) add('security-changed', `securitySchemes.${name}`, 'removed');
    else if (!isRequired(after, name)) add('security-scheme-added', `securitySchemes.${name}`);
    // A new scheme that operations require shows up as a per-operation security change.
  }
}

function isRequired(doc: Json, scheme: string): boolean {
  return [...operationsOf(doc).values()].some((op) => (op.security as Json[]).some((req) => scheme in req));
}

function normalizeSecurity(security: Json[]): string[] {
  return security.map((req) => Object.keys(req).sort().join('+')).sort();
}

const DOC_KEYS = ['description', 'summary', 'title', 'example', 'examples', 'externalDocs', 'deprecated', 'x-stability'];

function docsOf(node: Json): Json {
  if (!node || typeof node !== 'object') return null;
  const out: Json = {};
  for (const k of Object.keys(node)) if (DOC_KEYS.includes(k) || (k.startsWith('x-') && !['x-pagination', 'x-envelope', 'x-json-result', 'x-idempotent', 'x-sdk-method'].includes(k))) out[k] = node[k];
  return out;
}

/** The document-level documentation: info, tags, and anything else not compared structurally. */
function docsOnly(doc: Json): Json {
  return { info: doc.info, tags: doc.tags, externalDocs: doc.externalDocs, rest: Object.keys(doc).filter((k) => k.startsWith('x-') && k !== 'x-envelope').map((k) => [k, doc[k]]) };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function dedupe(changes: Change[]): Change[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const key = `${c.rule}|${c.where}|${c.detail ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
