import type { ArgumentIssue } from './errors.js';
import type { SchemaSpec } from './spec.js';

/**
 * Checks a request value against its spec schema so that a bad argument fails before any request
 * is sent. Covers what the specs use: types, enums, required and read-only properties, string
 * length, patterns and common formats, number ranges, array bounds, and the combinators.
 * Issues name the location and the rule, never the value (it may be a secret).
 */
export function validateValue(
  value: unknown,
  schema: SchemaSpec | undefined,
  path: string,
  schemas: Readonly<Record<string, SchemaSpec>>,
): ArgumentIssue[] {
  const issues: ArgumentIssue[] = [];
  check(value, schema, path, schemas, issues, 0);
  return issues;
}

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/,
  email: /^[^\s@]+@[^\s@]+$/,
};

const MAX_DEPTH = 64;

function check(
  value: unknown,
  schema: SchemaSpec | undefined,
  path: string,
  schemas: Readonly<Record<string, SchemaSpec>>,
  issues: ArgumentIssue[],
  depth: number,
): void {
  if (!schema || depth > MAX_DEPTH) return;
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/components\/schemas\//, '');
    check(value, schemas[name], path, schemas, issues, depth + 1);
    return;
  }
  if (value === null) {
    if (!schema.nullable && schema.type !== undefined) issues.push({ path, message: 'must not be null' });
    return;
  }
  if (schema.allOf) for (const part of schema.allOf) check(value, part, path, schemas, issues, depth + 1);
  if (schema.anyOf && !schema.anyOf.some((s) => validateValue(value, s, path, schemas).length === 0)) {
    issues.push({ path, message: 'must match at least one of the allowed shapes' });
  }
  if (schema.oneOf) {
    const matches = schema.oneOf.filter((s) => validateValue(value, s, path, schemas).length === 0).length;
    if (matches !== 1) {
      issues.push({ path, message: matches === 0 ? 'must match one of the allowed shapes' : 'matches more than one of the allowed shapes' });
    }
  }
  if (schema.not && validateValue(value, schema.not, path, schemas).length === 0) {
    issues.push({ path, message: 'matches a shape that is not allowed' });
  }
  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) {
    issues.push({ path, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` });
    return;
  }
  switch (schema.type) {
    case 'string':
      // The build stage formats valid Dates where the spec gives a layout; what is left is not one.
      if (value instanceof Date && schema.dateLayout) return void issues.push({ path, message: 'must be a valid Date (years 0 to 9999) or a string' });
      // A file: a Blob (or File) is what a multipart body carries for `format: binary`.
      if (schema.format === 'binary') return void (value instanceof Blob || typeof value === 'string' || issues.push({ path, message: 'must be a Blob or File' }));
      if (typeof value !== 'string') return void issues.push({ path, message: 'must be a string' });
      checkString(value, schema, path, issues);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return void issues.push({ path, message: 'must be an integer' });
      checkNumber(value, schema, path, issues);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return void issues.push({ path, message: 'must be a number' });
      checkNumber(value, schema, path, issues);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') issues.push({ path, message: 'must be a boolean' });
      return;
    case 'array':
      if (!Array.isArray(value)) return void issues.push({ path, message: 'must be an array' });
      checkArray(value, schema, path, schemas, issues, depth);
      return;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) return void issues.push({ path, message: 'must be an object' });
      checkObject(value as Record<string, unknown>, schema, path, schemas, issues, depth);
      return;
    default: {
      // No type: object keywords still apply to objects (e.g. `required` inside an allOf part).
      const objectKeywords = schema.properties || schema.required || schema.additionalProperties !== undefined;
      if (objectKeywords && typeof value === 'object' && !Array.isArray(value)) {
        checkObject(value as Record<string, unknown>, schema, path, schemas, issues, depth);
      }
    }
  }
}

function checkString(value: string, schema: SchemaSpec, path: string, issues: ArgumentIssue[]): void {
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    issues.push({ path, message: schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters` });
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    issues.push({ path, message: `must be at most ${schema.maxLength} characters` });
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
    issues.push({ path, message: `must match the pattern ${schema.pattern}` });
  }
  const format = schema.format ? FORMATS[schema.format] : undefined;
  if (format && !format.test(value)) issues.push({ path, message: `must be a valid ${schema.format}` });
}

function checkNumber(value: number, schema: SchemaSpec, path: string, issues: ArgumentIssue[]): void {
  if (schema.minimum !== undefined) {
    if (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum) {
      issues.push({ path, message: `must be ${schema.exclusiveMinimum ? '>' : '>='} ${schema.minimum}` });
    }
  }
  if (schema.maximum !== undefined) {
    if (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum) {
      issues.push({ path, message: `must be ${schema.exclusiveMaximum ? '<' : '<='} ${schema.maximum}` });
    }
  }
  if (schema.multipleOf !== undefined && Math.abs(value / schema.multipleOf - Math.round(value / schema.multipleOf)) > 1e-9) {
    issues.push({ path, message: `must be a multiple of ${schema.multipleOf}` });
  }
}

function checkArray(
  value: unknown[],
  schema: SchemaSpec,
  path: string,
  schemas: Readonly<Record<string, SchemaSpec>>,
  issues: ArgumentIssue[],
  depth: number,
): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    issues.push({ path, message: `must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}` });
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    issues.push({ path, message: `must have at most ${schema.maxItems} items` });
  }
  if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
    issues.push({ path, message: 'must not contain duplicates' });
  }
  for (const [i, item] of value.entries()) check(item, schema.items, `${path}[${i}]`, schemas, issues, depth + 1);
}

function checkObject(
  value: Record<string, unknown>,
  schema: SchemaSpec,
  path: string,
  schemas: Readonly<Record<string, SchemaSpec>>,
  issues: ArgumentIssue[],
  depth: number,
): void {
  const properties = schema.properties ?? {};
  for (const name of schema.required ?? []) {
    // Read-only properties are answers from the server; a request need not carry them.
    if (properties[name]?.readOnly) continue;
    if (value[name] === undefined) issues.push({ path: `${path}.${name}`, message: 'is required' });
  }
  const count = Object.keys(value).filter((k) => value[k] !== undefined).length;
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    issues.push({ path, message: `must have at least ${schema.minProperties} properties` });
  }
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    issues.push({ path, message: `must have at most ${schema.maxProperties} properties` });
  }
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const propertySchema = properties[name];
    if (propertySchema) {
      check(item, propertySchema, `${path}.${name}`, schemas, issues, depth + 1);
    } else if (schema.additionalProperties === false) {
      issues.push({ path: `${path}.${name}`, message: 'is not a known property' });
    } else if (typeof schema.additionalProperties === 'object') {
      check(item, schema.additionalProperties, `${path}.${name}`, schemas, issues, depth + 1);
    }
  }
}
