// Compares one of our specs with an official OpenAPI document (Swagger 2.0 or OpenAPI 3.x, JSON or
// YAML) fact by fact, for a maintainer bringing a spec up to a provider's current documentation.
// Informational: `pnpm spec:compare <provider> <official>` (scripts/spec-compare.ts) prints it.
//
// A fact is something the official document states:
//   operations     an operation, matched by HTTP method + full path (server/base path joined with the
//                  path; path parameter names do not matter for matching)
//   operationIds   the operationId of a matched operation, where the official document gives one
//   parameters     a parameter (name + location) with its required-ness, type/format and request rules
//   requestBodies  a request body, and each property in it (nested through $ref, allOf, arrays) with
//                  type/format, required-ness and request rules; readOnly properties are not sent
//   responses      a status code of a matched operation, and each property of its body with
//                  type/format and required-ness; writeOnly properties are not answered
//   enums          each enum value of a parameter or property
// A fact is matched when our spec states the same; kept when it differs and our spec explains the
// difference as an observed quirk: the property, parameter, operation or schema carries `x-observed`,
// or an `x-observed` note around it names the property, parameter or value. Whatever our spec adds
// (an operation, parameter, property or enum value the official document lacks) is listed too, as
// `extra`, but is no fact of the official document and so not counted.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';

type Json = any;

export const CATEGORIES = ['operations', 'operationIds', 'parameters', 'requestBodies', 'responses', 'enums'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Difference {
  category: Category;
  /** missing: stated officially, absent from ours; differs: both state it, differently; extra: ours only. */
  kind: 'missing' | 'differs' | 'extra';
  /** Where: `GET /v1/companies query sort`, `POST /v1/orders request lineItems[].quantity`, ... */
  where: string;
  detail: string;
  /** Our spec explains it as an observed quirk (`x-observed`). */
  kept: boolean;
}

export interface Count {
  matched: number;
  kept: number;
  total: number;
}

export interface Comparison {
  ours: DocumentInfo;
  official: DocumentInfo;
  counts: Record<Category, Count>;
  differences: Difference[];
}

export interface DocumentInfo {
  title: string;
  version: string;
  format: string;
  basePath: string;
  operations: number;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Request rules compared for parameters and request bodies (answers carry no rules worth comparing). */
const RULES = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'multipleOf',
  'minProperties',
  'maxProperties',
] as const;
/** Formats that name the same thing. */
const FORMAT_ALIASES: Record<string, string> = { 'yyyy-mm-dd': 'date', 'yyyy-mm-dd hh:mm:ss': 'date-time' };
const MAX_DEPTH = 12;

// ---------------------------------------------------------------------------------------------
// Loading

/** Reads an OpenAPI document from a path or an http(s) URL, JSON or YAML. Throws when it cannot. */
export async function loadDocument(source: string): Promise<Json> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    const response = await fetch(source, { headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' } });
    if (!response.ok) throw new Error(`${source}: HTTP ${response.status}`);
    text = await response.text();
  } else {
    text = await readFile(source, 'utf8');
  }
  return parseDocument(text, source);
}

/** Parses JSON or YAML text into an OpenAPI document; throws when it is not one. */
export function parseDocument(text: string, name = 'document'): Json {
  let doc: Json;
  try {
    doc = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: -1 });
  } catch (error) {
    throw new Error(`${name}: not JSON or YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (!doc || typeof doc !== 'object' || (doc.openapi === undefined && doc.swagger === undefined)) {
    throw new Error(`${name}: not an OpenAPI or Swagger document (no "openapi" or "swagger" field)`);
  }
  if (!doc.paths || typeof doc.paths !== 'object') throw new Error(`${name}: no paths`);
  return doc;
}

// ---------------------------------------------------------------------------------------------
// A document reduced to what is compared

interface Param {
  name: string;
  in: string;
  required: boolean;
  schema: Json;
  /** x-observed on the parameter itself. */
  notes: string[];
}

interface Operation {
  method: string;
  /** The full path as written (base path joined). */
  path: string;
  operationId: string | undefined;
  params: Param[];
  body: { mediaType: string; schema: Json } | undefined;
  responses: Map<string, { schema: Json | undefined }>;
  notes: string[];
}

interface Normalized {
  doc: Json;
  info: DocumentInfo;
  operations: Map<string, Operation>;
}

function resolvePointer(doc: Json, ref: string): Json {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .reduce((node: Json, key) => node?.[decodeURIComponent(key).replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

function deref(doc: Json, value: Json): Json {
  let current = value;
  for (let i = 0; current && typeof current === 'object' && typeof current.$ref === 'string' && i < 20; i++) {
    current = resolvePointer(doc, current.$ref);
  }
  return current;
}

function notesOf(node: Json): string[] {
  const value = node?.['x-observed'];
  if (value === undefined || value === null || value === false) return [];
  return [typeof value === 'string' ? value : JSON.stringify(value)];
}

function basePathOf(doc: Json): string {
  if (doc.swagger !== undefined) return trimSlash(doc.basePath ?? '');
  const url: string | undefined = doc.servers?.[0]?.url;
  if (!url) return '';
  const withVariables = url.replace(/\{([^}]+)\}/g, (_, name: string) => doc.servers[0].variables?.[name]?.default ?? '');
  try {
    return trimSlash(new URL(withVariables, 'http://relative.invalid').pathname);
  } catch {
    return '';
  }
}

function trimSlash(path: string): string {
  const p = path.replace(/\/+$/, '');
  return p === '' || p.startsWith('/') ? p : `/${p}`;
}

function joinPath(base: string, path: string): string {
  return `${base}/${path.replace(/^\/+/, '')}`.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}

/** The matching key of an operation: method and path with placeholders blanked. */
function opKey(method: string, fullPath: string): string {
  return `${method.toUpperCase()} ${fullPath.replace(/\{[^}]*\}/g, '{}')}`;
}

function swaggerParamSchema(p: Json): Json {
  const schema: Json = {};
  for (const key of ['type', 'format', 'enum', 'items', 'default', ...RULES]) if (p[key] !== undefined) schema[key] = p[key];
  return schema;
}

function normalize(doc: Json): Normalized {
  const swagger = doc.swagger !== undefined;
  const basePath = basePathOf(doc);
  const operations = new Map<string, Operation>();
  for (const [path, rawItem] of Object.entries<Json>(doc.paths ?? {})) {
    const item = deref(doc, rawItem) ?? {};
    for (const method of METHODS) {
      const op = item[method];
      if (!op || typeof op !== 'object') continue;
      const merged = new Map<string, Json>();
      for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const p = deref(doc, raw);
        if (p?.name !== undefined) merged.set(`${p.in}:${p.name}`, p);
      }
      const params: Param[] = [];
      let body: Operation['body'];
      const formData: Json = { type: 'object', properties: {}, required: [] as string[] };
      for (const p of merged.values()) {
        if (swagger && p.in === 'body') body = { mediaType: (op.consumes ?? doc.consumes ?? ['application/json'])[0], schema: p.schema };
        else if (swagger && p.in === 'formData') {
          formData.properties[p.name] = swaggerParamSchema(p);
          if (p.required) formData.required.push(p.name);
        } else {
          const content = p.content ? Object.values<Json>(p.content)[0] : undefined;
          const schema = swagger ? swaggerParamSchema(p) : (content?.schema ?? p.schema);
          params.push({ name: p.name, in: p.in, required: p.in === 'path' || p.required === true, schema, notes: notesOf(p) });
        }
      }
      if (swagger && !body && Object.keys(formData.properties).length) body = { mediaType: 'application/x-www-form-urlencoded', schema: formData };
      if (!swagger && op.requestBody) {
        const rb = deref(doc, op.requestBody);
        const media = pickMedia(rb?.content);
        if (media) body = { mediaType: media[0], schema: media[1]?.schema };
      }
      const responses = new Map<string, { schema: Json | undefined }>();
      for (const [status, rawResponse] of Object.entries<Json>(op.responses ?? {})) {
        const response = deref(doc, rawResponse) ?? {};
        const schema = swagger ? response.schema : pickMedia(response.content)?.[1]?.schema;
        responses.set(String(status), { schema });
      }
      const fullPath = joinPath(basePath, path);
      operations.set(opKey(method, fullPath), {
        method: method.toUpperCase(),
        path: fullPath,
        operationId: op.operationId,
        params,
        body,
        responses,
        notes: notesOf(op),
      });
    }
  }
  return {
    doc,
    operations,
    info: {
      title: String(doc.info?.title ?? ''),
      version: String(doc.info?.version ?? ''),
      format: swagger ? `swagger ${doc.swagger}` : `openapi ${doc.openapi}`,
      basePath,
      operations: operations.size,
    },
  };
}

function pickMedia(content: Json): [string, Json] | undefined {
  const entries = Object.entries<Json>(content ?? {});
  return (
    entries.find(([type]) => type === 'application/json') ?? entries.find(([type]) => /[/+]json\b/i.test(type) || type === '*/*') ?? entries[0]
  );
}

// ---------------------------------------------------------------------------------------------
// Schemas, reduced to their facts

interface View {
  type: string | undefined;
  format: string | undefined;
  enum: unknown[] | undefined;
  properties: Record<string, Json>;
  required: Set<string>;
  items: Json | undefined;
  readOnly: boolean;
  writeOnly: boolean;
  rules: Record<string, unknown>;
  /** Required-sets of anyOf/oneOf alternatives, e.g. `anyOf: price | quantity`. */
  groups: string[];
  notes: string[];
}

/** One schema with $ref, allOf, anyOf and oneOf folded in. */
function view(doc: Json, schema: Json, depth = 0): View {
  const v: View = {
    type: undefined,
    format: undefined,
    enum: undefined,
    properties: {},
    required: new Set(),
    items: undefined,
    readOnly: false,
    writeOnly: false,
    rules: {},
    groups: [],
    notes: [],
  };
  const apply = (s: Json, d: number): void => {
    if (!s || typeof s !== 'object' || d > 24) return;
    v.notes.push(...notesOf(s));
    if (s.readOnly === true) v.readOnly = true;
    if (s.writeOnly === true) v.writeOnly = true;
    if (typeof s.$ref === 'string') {
      apply(resolvePointer(doc, s.$ref), d + 1);
      return;
    }
    const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
    if (type !== undefined && v.type === undefined) v.type = type;
    if (s.format !== undefined && v.format === undefined) v.format = s.format;
    if (Array.isArray(s.enum) && v.enum === undefined) v.enum = s.enum;
    for (const [name, prop] of Object.entries<Json>(s.properties ?? {})) {
      v.properties[name] = v.properties[name] === undefined ? prop : { allOf: [v.properties[name], prop] };
    }
    for (const name of s.required ?? []) v.required.add(name);
    if (s.items !== undefined && v.items === undefined) v.items = s.items;
    for (const rule of RULES) if (s[rule] !== undefined && v.rules[rule] === undefined) v.rules[rule] = s[rule];
    for (const part of s.allOf ?? []) apply(part, d + 1);
    for (const key of ['anyOf', 'oneOf'] as const) {
      if (!Array.isArray(s[key])) continue;
      const alternatives = s[key].map((part: Json) => view(doc, part, d + 1));
      const sets: string[] = [];
      for (const alt of alternatives) {
        for (const [name, prop] of Object.entries<Json>(alt.properties)) if (v.properties[name] === undefined) v.properties[name] = prop;
        if (alt.required.size) sets.push([...alt.required].sort().join('+'));
        v.notes.push(...alt.notes);
      }
      if (sets.length) v.groups.push(`${key}: ${sets.sort().join(' | ')}`);
      const types = new Set(alternatives.map((a: View) => a.type).filter(Boolean));
      if (v.type === undefined && types.size === 1) v.type = [...types][0] as string;
      if (v.enum === undefined && alternatives.length && alternatives.every((a: View) => a.enum)) {
        v.enum = [...new Map(alternatives.flatMap((a: View) => a.enum!).map((e: unknown) => [JSON.stringify(e), e])).values()];
      }
    }
  };
  apply(schema, depth);
  if (v.type === undefined && Object.keys(v.properties).length) v.type = 'object';
  if (v.type === undefined && v.items !== undefined) v.type = 'array';
  return v;
}

interface Fact {
  path: string;
  type: string | undefined;
  format: string | undefined;
  required: boolean;
  enum: unknown[] | undefined;
  rules: Record<string, unknown>;
  groups: string[];
  /** x-observed on this property (or parameter) itself. */
  own: string[];
  /** x-observed on the schema it refers to (explains its values). */
  schema: string[];
  /** x-observed notes of the objects and the operation around it. */
  around: string[];
  /** Listed as required without being defined. */
  undefinedRequired?: boolean;
}

interface FactSet {
  facts: Map<string, Fact>;
  /** The x-observed notes that apply inside each object, by its path ('' for the body itself). */
  inside: Map<string, string[]>;
}

/** Every property of a body, nested, keyed by path (`lineItems[].quantity`); `(body)` is the body itself. */
function facts(doc: Json, schema: Json, context: 'request' | 'response', around: string[] = []): FactSet {
  const out: FactSet = { facts: new Map(), inside: new Map() };
  const root = view(doc, schema);
  out.facts.set('(body)', fact('(body)', root, false, notesOf(schema), around));
  walk(root, '', [], 0);
  return out;

  function fact(path: string, v: View, required: boolean, own: string[], notes: string[]): Fact {
    return { path, type: v.type, format: v.format, required, enum: v.enum, rules: v.rules, groups: v.groups, own, schema: v.notes, around: notes };
  }
  function walk(v: View, prefix: string, notes: string[], depth: number): void {
    if (depth > MAX_DEPTH) return;
    const inside = [...notes, ...v.notes];
    // The operation's notes count around its body's top-level properties only.
    const here = depth === 0 ? [...around, ...inside] : inside;
    if (v.type === 'array' && v.items !== undefined) {
      const items = view(doc, v.items);
      const path = `${prefix}[]`;
      if (Object.keys(items.properties).length) walk(items, path, inside, depth + 1);
      else out.facts.set(path, fact(path, items, false, notesOf(v.items), here));
      return;
    }
    out.inside.set(prefix, here);
    for (const [name, raw] of Object.entries<Json>(v.properties)) {
      const p = view(doc, raw);
      if ((context === 'request' && p.readOnly) || (context === 'response' && p.writeOnly)) continue;
      const path = prefix ? `${prefix}.${name}` : name;
      out.facts.set(path, fact(path, p, v.required.has(name), notesOf(raw), here));
      if (p.type === 'object' || p.type === 'array' || Object.keys(p.properties).length) walk(p, path, inside, depth + 1);
    }
    for (const name of v.required) {
      if (v.properties[name] !== undefined) continue;
      const path = prefix ? `${prefix}.${name}` : name;
      out.facts.set(path, { ...fact(path, view(doc, {}), true, [], here), undefinedRequired: true });
    }
  }
}

/** The path of the object a property sits in: `lineItems[].quantity` → `lineItems[]`, `name` → ''. */
function containerOf(path: string): string {
  if (path.endsWith('[]')) return path.slice(0, -2);
  const cut = path.lastIndexOf('.');
  return cut >= 0 ? path.slice(0, cut) : '';
}

// ---------------------------------------------------------------------------------------------
// Comparing

/** Whether a note names `word` as a whole word (`commitment` is named in "commitment instead of ..."). */
function names(notes: readonly string[], word: unknown): boolean {
  const text = String(word);
  if (!text) return false;
  const pattern = new RegExp(`(^|[^A-Za-z0-9_])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`);
  return notes.some((n) => pattern.test(n));
}

function normFormat(format: string | undefined): string | undefined {
  if (format === undefined) return undefined;
  return FORMAT_ALIASES[format.toLowerCase()] ?? format;
}

function show(value: unknown): string {
  return value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value);
}

class Tally {
  readonly counts = Object.fromEntries(CATEGORIES.map((c) => [c, { matched: 0, kept: 0, total: 0 }])) as Record<Category, Count>;
  readonly differences: Difference[] = [];

  /** Counts one official fact: matched, kept, or neither. */
  fact(category: Category, outcome: 'matched' | 'kept' | 'unmatched', n = 1): void {
    this.counts[category].total += n;
    if (outcome !== 'unmatched') this.counts[category][outcome] += n;
  }
  diff(category: Category, kind: Difference['kind'], where: string, detail: string, kept = false): void {
    this.differences.push({ category, kind, where, detail, kept });
  }
}

/** Compares our spec with an official document. Both are parsed OpenAPI/Swagger documents. */
export function compareSpecs(oursDoc: Json, officialDoc: Json): Comparison {
  const ours = normalize(oursDoc);
  const official = normalize(officialDoc);
  const t = new Tally();

  for (const [key, o] of official.operations) {
    const u = ours.operations.get(key);
    const label = `${o.method} ${o.path}`;
    if (!u) {
      t.fact('operations', 'unmatched');
      t.diff('operations', 'missing', label, o.operationId ? `not in ours (official operationId ${o.operationId})` : 'not in ours');
      countMissingOperation(t, official.doc, o);
      continue;
    }
    t.fact('operations', 'matched');
    if (o.operationId !== undefined) {
      if (o.operationId === u.operationId) t.fact('operationIds', 'matched');
      else {
        t.fact('operationIds', 'unmatched');
        t.diff('operationIds', 'differs', label, `official ${o.operationId}, ours ${show(u.operationId)}`);
      }
    }
    compareParams(t, label, official.doc, o, ours.doc, u);
    compareBodies(t, label, official.doc, o, ours.doc, u);
    compareResponses(t, label, official.doc, o, ours.doc, u);
  }
  for (const [key, u] of ours.operations) {
    if (!official.operations.has(key)) t.diff('operations', 'extra', `${u.method} ${u.path}`, `not in the official document (ours ${show(u.operationId)})`);
  }
  return { ours: ours.info, official: official.info, counts: t.counts, differences: t.differences };
}

/** An operation we lack: its facts all count as unmatched, under the one `missing` line. */
function countMissingOperation(t: Tally, doc: Json, o: Operation): void {
  if (o.operationId !== undefined) t.fact('operationIds', 'unmatched');
  for (const p of o.params) {
    t.fact('parameters', 'unmatched');
    t.fact('enums', 'unmatched', view(doc, p.schema).enum?.length ?? enumOfItems(doc, p.schema));
  }
  if (o.body) countFacts(t, 'requestBodies', facts(doc, o.body.schema, 'request'));
  for (const response of o.responses.values()) {
    t.fact('responses', 'unmatched');
    if (response.schema) countFacts(t, 'responses', facts(doc, response.schema, 'response'));
  }
}

function countFacts(t: Tally, category: Category, all: FactSet, outcome: 'unmatched' | 'kept' = 'unmatched'): void {
  for (const f of all.facts.values()) {
    t.fact(category, outcome);
    if (f.enum) t.fact('enums', outcome, f.enum.length);
  }
}

function enumOfItems(doc: Json, schema: Json): number {
  const v = view(doc, schema);
  return v.type === 'array' && v.items ? (view(doc, v.items).enum?.length ?? 0) : 0;
}

function paramFact(doc: Json, p: Param): Fact {
  let v = view(doc, p.schema);
  // An array parameter's enum is its items' enum.
  if (v.type === 'array' && v.items && !v.enum) {
    const items = view(doc, v.items);
    v = { ...v, enum: items.enum };
  }
  return {
    path: p.name,
    type: v.type,
    format: v.format,
    required: p.required,
    enum: v.enum,
    rules: v.rules,
    groups: [],
    own: [...p.notes, ...notesOf(p.schema)],
    schema: v.notes,
    around: [],
  };
}

function compareParams(t: Tally, label: string, oDoc: Json, o: Operation, uDoc: Json, u: Operation): void {
  // Path parameters pair by position in the template, so a renamed placeholder is one difference.
  const oPath = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const uPath = [...u.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const partner = (p: Param): Param | undefined => {
    if (p.in === 'path') {
      const name = uPath[oPath.indexOf(p.name)];
      return u.params.find((q) => q.in === 'path' && q.name === name);
    }
    return u.params.find((q) => q.in === p.in && q.name === p.name);
  };
  const used = new Set<Param>();
  for (const p of o.params) {
    const where = `${label} ${p.in} ${p.name}`;
    const q = partner(p);
    const of = paramFact(oDoc, p);
    if (!q) {
      const kept = names(u.notes, p.name);
      t.fact('parameters', kept ? 'kept' : 'unmatched');
      t.fact('enums', kept ? 'kept' : 'unmatched', of.enum?.length ?? 0);
      t.diff('parameters', 'missing', where, 'not in ours', kept);
      continue;
    }
    used.add(q);
    const uf = paramFact(uDoc, q);
    uf.around = u.notes;
    const problems = attributeDiffs(of, uf, true);
    if (q.name !== p.name) problems.unshift(`named ${q.name} in ours`);
    settle(t, 'parameters', where, problems, uf, p.name);
    compareEnums(t, where, of, uf, p.name);
  }
  for (const q of u.params) {
    if (used.has(q)) continue;
    const uf = paramFact(uDoc, q);
    t.diff('parameters', 'extra', `${label} ${q.in} ${q.name}`, 'not in the official document', uf.own.length > 0 || uf.schema.length > 0 || names(u.notes, q.name));
  }
}

/** The attribute differences of two facts of the same name. */
function attributeDiffs(o: Fact, u: Fact, rules: boolean): string[] {
  const problems: string[] = [];
  if (o.undefinedRequired) {
    if (!u.required) problems.push('official requires it (without defining it), ours does not');
    return problems;
  }
  if (o.type !== undefined && o.type !== u.type) problems.push(`type: official ${o.type}, ours ${show(u.type)}`);
  if (normFormat(o.format) !== normFormat(u.format)) problems.push(`format: official ${show(o.format)}, ours ${show(u.format)}`);
  if (o.required !== u.required) problems.push(o.required ? 'required officially, optional in ours' : 'optional officially, required in ours');
  if (rules) {
    for (const rule of RULES) {
      if (JSON.stringify(o.rules[rule]) !== JSON.stringify(u.rules[rule])) problems.push(`${rule}: official ${show(o.rules[rule])}, ours ${show(u.rules[rule])}`);
    }
    const og = o.groups.join('; ');
    const ug = u.groups.join('; ');
    if (og !== ug) problems.push(`alternatives: official ${og || '(none)'}, ours ${ug || '(none)'}`);
  }
  return problems;
}

/** Counts one fact from its attribute differences, and lists them. */
function settle(t: Tally, category: Category, where: string, problems: string[], u: Fact, name: string): void {
  if (!problems.length) {
    t.fact(category, 'matched');
    return;
  }
  const kept = u.own.length > 0 || names(u.around, name);
  t.fact(category, kept ? 'kept' : 'unmatched');
  for (const p of problems) t.diff(category, 'differs', where, p, kept);
}

function compareEnums(t: Tally, where: string, o: Fact, u: Fact, name: string): void {
  const oValues = o.enum ?? [];
  // A value we lack is explained when a note names it; a value we add, when its schema carries a note.
  const explained = (value: unknown) => u.own.length > 0 || names([...u.schema, ...u.around], value);
  const keptFor = (value: unknown) => explained(value) || u.schema.length > 0 || names(u.around, name);
  if (oValues.length && u.enum === undefined) {
    const kept = u.own.length > 0 || names(u.around, name);
    t.fact('enums', kept ? 'kept' : 'unmatched', oValues.length);
    t.diff('enums', 'differs', where, `ours is not an enum (official: ${oValues.map(show).join(', ')})`, kept);
    return;
  }
  const ours = new Set((u.enum ?? []).map((e) => JSON.stringify(e)));
  const theirs = new Set(oValues.map((e) => JSON.stringify(e)));
  for (const value of oValues) {
    if (ours.has(JSON.stringify(value))) t.fact('enums', 'matched');
    else {
      const kept = explained(value);
      t.fact('enums', kept ? 'kept' : 'unmatched');
      t.diff('enums', 'missing', where, `value ${show(value)} not in ours`, kept);
    }
  }
  if (!u.enum) return;
  const extra = u.enum.filter((e) => !theirs.has(JSON.stringify(e)));
  if (!oValues.length && extra.length) {
    t.diff('enums', 'extra', where, `ours restricts it to ${extra.map(show).join(', ')}; the official document leaves it open`, keptFor(name));
    return;
  }
  for (const value of extra) t.diff('enums', 'extra', where, `value ${show(value)} not in the official document`, keptFor(value));
}

function compareFactSets(t: Tally, category: Category, where: string, o: FactSet, u: FactSet, rules: boolean): void {
  const missing = new Set<string>();
  for (const [path, of] of o.facts) {
    const uf = u.facts.get(path);
    const name = path.replace(/\[\]$/, '').split('.').pop() ?? path;
    const at = `${where} ${path}`;
    if (!uf) {
      missing.add(path);
      const notes = u.inside.get(containerOf(path));
      const kept = notes !== undefined && names(notes, name);
      t.fact(category, kept ? 'kept' : 'unmatched');
      t.fact('enums', kept ? 'kept' : 'unmatched', of.enum?.length ?? 0);
      // Listed once, at the outermost property we lack.
      if (!ancestors(path).some((a) => missing.has(a))) {
        t.diff(category, 'missing', at, of.undefinedRequired ? 'required officially but not defined there; not in ours' : 'not in ours', kept);
      }
      continue;
    }
    settle(t, category, at, attributeDiffs(of, uf, rules), uf, name);
    compareEnums(t, at, of, uf, name);
  }
  for (const [path, uf] of u.facts) {
    if (o.facts.has(path) || ancestors(path).some((a) => u.facts.has(a) && !o.facts.has(a))) continue;
    const name = path.replace(/\[\]$/, '').split('.').pop() ?? path;
    t.diff(category, 'extra', `${where} ${path}`, 'not in the official document', uf.own.length > 0 || uf.schema.length > 0 || names(uf.around, name));
  }
}

/** The paths of the properties around `path`, outermost first. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let p = containerOf(path); p; p = containerOf(p)) out.unshift(p);
  return out;
}

function compareBodies(t: Tally, label: string, oDoc: Json, o: Operation, uDoc: Json, u: Operation): void {
  if (!o.body) {
    if (u.body) t.diff('requestBodies', 'extra', `${label} request`, 'a body the official document does not take');
    return;
  }
  const of = facts(oDoc, o.body.schema, 'request');
  if (!u.body) {
    t.diff('requestBodies', 'missing', `${label} request`, 'no request body in ours');
    countFacts(t, 'requestBodies', of);
    return;
  }
  compareFactSets(t, 'requestBodies', `${label} request`, of, facts(uDoc, u.body.schema, 'request', u.notes), true);
}

function compareResponses(t: Tally, label: string, oDoc: Json, o: Operation, uDoc: Json, u: Operation): void {
  for (const [status, response] of o.responses) {
    const theirs = u.responses.get(status);
    const where = `${label} ${status}`;
    if (!theirs) {
      t.fact('responses', 'unmatched');
      t.diff('responses', 'missing', where, 'status not declared in ours');
      if (response.schema) countFacts(t, 'responses', facts(oDoc, response.schema, 'response'));
      continue;
    }
    t.fact('responses', 'matched');
    if (!response.schema) continue;
    const of = facts(oDoc, response.schema, 'response');
    if (!theirs.schema) {
      t.diff('responses', 'missing', where, 'no body schema in ours');
      countFacts(t, 'responses', of);
      continue;
    }
    compareFactSets(t, 'responses', where, of, facts(uDoc, theirs.schema, 'response', u.notes), false);
  }
  for (const status of u.responses.keys()) {
    if (!o.responses.has(status)) t.diff('responses', 'extra', `${label} ${status}`, 'status not in the official document');
  }
}

// ---------------------------------------------------------------------------------------------
// Printing

export function formatComparison(c: Comparison, labels: { ours: string; official: string }): string {
  const lines: string[] = [];
  const describe = (i: DocumentInfo) => `${i.title || '(untitled)'} ${i.version}, ${i.format}, base path ${i.basePath || '/'}, ${i.operations} operations`;
  lines.push(`ours:     ${labels.ours} (${describe(c.ours)})`);
  lines.push(`official: ${labels.official} (${describe(c.official)})`);
  lines.push('');
  lines.push('category        matched / official   kept (observed quirk)   differing');
  let matched = 0;
  let kept = 0;
  let total = 0;
  for (const category of CATEGORIES) {
    const n = c.counts[category];
    matched += n.matched;
    kept += n.kept;
    total += n.total;
    lines.push(row(category, n));
  }
  lines.push(row('all', { matched, kept, total }));
  for (const category of CATEGORIES) {
    const list = c.differences.filter((d) => d.category === category);
    if (!list.length) continue;
    lines.push('', `${category}:`);
    for (const d of list) lines.push(`  ${d.kept ? 'kept: observed quirk' : d.kind.padEnd(20)}  ${d.where}: ${d.detail}`);
  }
  return `${lines.join('\n')}\n`;
}

function row(name: string, n: Count): string {
  const share = n.total ? ` (${Math.round((100 * n.matched) / n.total)} %)` : '';
  return `${name.padEnd(14)} ${String(n.matched).padStart(7)} / ${String(n.total).padEnd(8)}${share.padEnd(8)}  ${String(n.kept).padStart(5)}                 ${String(n.total - n.matched - n.kept).padStart(5)}`;
}
