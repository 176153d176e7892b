// Types only from the modules every client carries: this one must not share code with them, or a
// splitting bundler moves that code into a chunk of its own that the client's first load needs too.
import type { Drift, DriftFinding, DriftLog, ValidateResponses } from './drift.js';
import type { LevelledLogger } from './logger.js';
import type { SecretRegistry } from './redact.js';
import type { ResponseSchemas, SchemaSpec } from './spec.js';

/*
 * The response drift walker, imported only when response validation is on. It is not validate.ts
 * (argument checks): answers are judged by what breaks a caller's code (types, required properties,
 * enums, null), not by string lengths or patterns, and unknown properties are reported as additions
 * rather than errors. Plain code, no `new Function`: it runs under a no-eval CSP (workers, browsers).
 */

type Schemas = Readonly<Record<string, SchemaSpec>>;

export interface Answer {
  mode: Exclude<ValidateResponses, 'off'>;
  operation: string;
  status: number;
  body: unknown;
  logger: LevelledLogger;
  secrets: SecretRegistry;
  now: number;
}

/**
 * Checks one answer's body against the schema of its status; logs each drift the first time the
 * client sees it (in `throw` mode only additions: breaks are raised by the caller) and counts every
 * one. Returns this answer's drifts.
 */
export function checkAnswer(log: DriftLog, responses: ResponseSchemas, answer: Answer): Drift[] {
  const { mode, operation, status, logger, secrets } = answer;
  const byStatus = responses.operations[operation];
  const code = String(status);
  const schema = byStatus?.[code] ?? byStatus?.[`${code[0]}XX`] ?? byStatus?.default;
  if (!schema) return [];
  log.checked++;
  const drifts: Drift[] = [];
  for (const finding of findDrifts(answer.body, schema, responses.schemas)) {
    // Paths carry the answer's property names and `received` its enum values: scrubbed like any text that leaves.
    const f = { ...finding, path: secrets.scrub(finding.path), received: secrets.scrub(finding.received) };
    const key = [operation, code, f.path, f.kind, f.expected, f.received].join('\u0000');
    let drift = log.seen.get(key);
    if (drift) drift.count++;
    else if (log.seen.size >= MAX_DISTINCT) {
      // A field that drifts with every answer (an enum turned free text) must not grow the log without end.
      if (!log.full) logger.warn(`response validation: ${MAX_DISTINCT} distinct drifts recorded; new ones are no longer recorded`, { operationId: operation });
      log.full = true;
      continue;
    } else {
      drift = { operation, status, ...f, count: 1, firstSeen: new Date(answer.now).toISOString() };
      log.seen.set(key, drift);
      // One line per distinct drift; a break that is thrown is not logged as well.
      if (mode === 'warn' || f.kind === 'addition') {
        logger.warn(`response drift (${f.kind}) in ${operation} ${status} at ${f.path}: expected ${f.expected}, received ${f.received}`, { operationId: operation, status, path: f.path, kind: f.kind });
      }
    }
    drifts.push({ ...drift });
  }
  return drifts;
}

const MAX_DEPTH = 64;
const MAX_FINDINGS = 100;
const MAX_DISTINCT = 500;

/** Every distinct drift of a body from its schema; array items share one path (`[*]`). */
export function findDrifts(value: unknown, schema: SchemaSpec, schemas: Schemas): DriftFinding[] {
  const out = new Map<string, DriftFinding>();
  walk(value, schema, ROOT, undefined, schemas, out, 0);
  return [...out.values()];
}

/** A path as a chain, turned into text only for a finding: most answers have none, so most paths are never written. */
interface Path {
  up: Path | undefined;
  /** A property name, or undefined for an array's items. */
  key: string | undefined;
}
const ROOT: Path = { up: undefined, key: '$' };

function pathText(path: Path): string {
  if (path === ROOT) return '$';
  const up = pathText(path.up!);
  if (path.key === undefined) return `${up}[*]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(path.key) ? `${up}.${path.key}` : `${up}[${JSON.stringify(path.key)}]`;
}

function add(out: Map<string, DriftFinding>, at: Path, finding: Omit<DriftFinding, 'path'>, owner: string | undefined): void {
  const path = pathText(at);
  const key = `${path}\u0000${finding.kind}\u0000${finding.expected}\u0000${finding.received}`;
  if (out.size < MAX_FINDINGS && !out.has(key)) out.set(key, { path, ...finding, ...(owner ? { schema: owner } : {}) });
}

/** The schema behind `$ref`s, with the name of the last component schema passed. */
function resolve(schema: SchemaSpec | undefined, owner: string | undefined, schemas: Schemas): [SchemaSpec | undefined, string | undefined] {
  let current = schema;
  let name = owner;
  for (let hops = 0; current?.$ref && hops < MAX_DEPTH; hops++) {
    name = current.$ref.replace(/^#\/components\/schemas\//, '');
    current = schemas[name];
  }
  return [current, name];
}

/** allOf parts merged into one schema: their properties, required names, type and nullability. */
function flatten(schema: SchemaSpec, schemas: Schemas, depth: number): SchemaSpec {
  if (!schema.allOf || depth > MAX_DEPTH) return schema;
  const merged: { -readonly [K in keyof SchemaSpec]: SchemaSpec[K] } = { ...schema, allOf: undefined };
  let properties = { ...schema.properties };
  let required = [...(schema.required ?? [])];
  for (const raw of schema.allOf) {
    const [resolved] = resolve(raw, undefined, schemas);
    if (!resolved) continue;
    const part = flatten(resolved, schemas, depth + 1);
    properties = { ...properties, ...part.properties };
    required = [...required, ...(part.required ?? [])];
    merged.type ??= part.type;
    merged.enum ??= part.enum;
    merged.items ??= part.items;
    if (part.nullable) merged.nullable = true;
    if (part.additionalProperties !== undefined) merged.additionalProperties ??= part.additionalProperties;
    if (part.oneOf || part.anyOf) merged.anyOf ??= part.oneOf ?? part.anyOf;
  }
  if (Object.keys(properties).length) merged.properties = properties;
  if (required.length) merged.required = required;
  return merged;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function describe(schema: SchemaSpec | undefined, name: string | undefined): string {
  if (!schema) return 'any';
  if (schema.enum) return enumText(schema.enum);
  const type = schema.type ?? (schema.properties ? 'object' : 'any');
  return `${type}${schema.format ? ` (${schema.format})` : ''}${name && type === 'object' ? ` ${name}` : ''}`;
}

function enumText(values: readonly unknown[]): string {
  const shown = values.slice(0, 8).map((v) => JSON.stringify(v));
  return `one of ${shown.join(', ')}${values.length > 8 ? ', …' : ''}`;
}

/** An enum value as received: shortened (the caller scrubs it of secrets). */
function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function fits(value: unknown, type: SchemaSpec['type']): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case undefined:
      return true;
    default:
      return typeof value === type;
  }
}

function walk(value: unknown, raw: SchemaSpec | undefined, path: Path, owner: string | undefined, schemas: Schemas, out: Map<string, DriftFinding>, depth: number): void {
  const [resolved, name] = resolve(raw, owner, schemas);
  if (!resolved || depth > MAX_DEPTH) return;
  const schema = flatten(resolved, schemas, depth);
  const shape = raw?.$ref ? name : undefined;
  if (value === null) {
    const constrained = schema.type !== undefined || schema.enum !== undefined;
    if (constrained && !schema.nullable && !schema.enum?.includes(null)) add(out, path, { kind: 'break', expected: `${describe(schema, shape)} (not nullable)`, received: 'null' }, name);
    return;
  }
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches?.length) {
    // The branch the answer is closest to (fewest breaks, then fewest additions) speaks for it.
    let best: DriftFinding[] | undefined;
    for (const branch of branches) {
      const found = new Map<string, DriftFinding>();
      walk(value, branch, path, name, schemas, found, depth + 1);
      const list = [...found.values()];
      if (!best || score(list) < score(best)) best = list;
      if (list.length === 0) break;
    }
    for (const f of best ?? []) if (out.size < MAX_FINDINGS) out.set(`${f.path}\u0000${f.kind}\u0000${f.expected}\u0000${f.received}`, f);
  }
  if (!fits(value, schema.type)) return void add(out, path, { kind: 'break', expected: describe(schema, shape), received: typeOf(value) }, name);
  if (schema.enum && !schema.enum.includes(value)) return void add(out, path, { kind: 'break', expected: enumText(schema.enum), received: shownValue(value) }, name);
  if (Array.isArray(value)) {
    if (!schema.items) return;
    const items: Path = { up: path, key: undefined };
    for (const item of value) walk(item, schema.items, items, name, schemas, out, depth + 1);
    return;
  }
  if (typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  const properties = schema.properties;
  for (const required of schema.required ?? []) {
    const property = resolve(properties?.[required], name, schemas)[0];
    if (record[required] === undefined && !property?.writeOnly) {
      add(out, { up: path, key: required }, { kind: 'break', expected: describe(property, undefined), received: 'missing' }, name);
    }
  }
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (item === undefined) continue;
    const property = properties?.[key];
    if (property) walk(item, property, { up: path, key }, name, schemas, out, depth + 1);
    else if (typeof schema.additionalProperties === 'object') walk(item, schema.additionalProperties, { up: path, key }, name, schemas, out, depth + 1);
    else if (properties && schema.additionalProperties !== true && !branches) {
      // A property the spec does not name: the API grew (a schema without properties is free-form).
      add(out, { up: path, key }, { kind: 'addition', expected: 'no such property', received: typeOf(item) }, name);
    }
  }
}

function score(findings: readonly DriftFinding[]): number {
  let breaks = 0;
  for (const f of findings) if (f.kind === 'break') breaks++;
  return breaks * 1000 + findings.length;
}
