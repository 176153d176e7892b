import type { ArgumentIssue } from './errors.js';
import { resolveSchema, type SchemaSpec } from './spec.js';

/**
 * Parameters declared with `content: application/json` travel as `JSON.stringify` text, which a
 * server decodes (the Cloud API: Python `json.loads`, falling back to the raw string). `JSON.stringify` is lossy in places
 * where it does not fail: NaN and ±Infinity become `null`, a Date becomes its ISO string, a Map
 * becomes `{}`, functions and symbols vanish, an array hole becomes `null`. Each of these would
 * reach the server as a different value or type than the caller passed, so the client refuses them
 * before sending anything. So are integral numbers beyond ±(2^53 − 1) but below 1e21:
 * `JSON.stringify(2 ** 60)` is `1152921504606847000`, which Python reads as an int that is not
 * 2^60. From 1e21 on `JSON.stringify` writes an exponent, which Python reads as a float of exactly
 * the same value: fine for a number, refused where the spec says `integer`. What it accepts arrives
 * intact:
 *
 * - strings: any well-formed text (`"123"`, `"true"`, `"null"`, `'{"a":1}'`, `""`, emoji); a lone
 *   surrogate half is refused;
 * - finite numbers, with exactly their value: safe integers as Python ints, all others as floats
 *   (JavaScript has one number type, so `1.0` is the int `1`, and `-0` is `0`);
 * - booleans, null, arrays without holes, and plain objects (properties set to `undefined` are
 *   left out, as if absent).
 *
 * Issues name the location and the rule, never the value (it may be a secret).
 */
export function jsonValueIssues(
  value: unknown,
  path: string,
  schema?: SchemaSpec,
  schemas: Readonly<Record<string, SchemaSpec>> = {},
): ArgumentIssue[] {
  const issues: ArgumentIssue[] = [];
  check(value, path, issues, new Set(), resolveSchema(schema, schemas), schemas);
  return issues;
}

/** Half of a UTF-16 surrogate pair without its other half: not text, and no UTF-8 form. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATE_MESSAGE =
  'must be well-formed Unicode (a lone surrogate travels as a \\u escape that older Python 2 json decoders refuse; the server would keep the raw text)';

function check(
  value: unknown,
  path: string,
  issues: ArgumentIssue[],
  ancestors: Set<object>,
  schema: SchemaSpec | undefined,
  schemas: Readonly<Record<string, SchemaSpec>>,
): void {
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) issues.push({ path, message: LONE_SURROGATE_MESSAGE });
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        issues.push({ path, message: 'must be a finite number (NaN and Infinity have no JSON form; they would arrive as null)' });
      } else if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        if (Math.abs(value) < 1e21) {
          issues.push({
            path,
            message: 'must be within ±(2^53 − 1) when integral (JSON writes the shortest digits, so the server would get an int other than this number)',
          });
        } else if (schema?.type === 'integer') {
          issues.push({ path, message: 'must be an integer within ±(2^53 − 1) (from 1e21 on it arrives as a float)' });
        }
      }
      return;
    case 'bigint':
      issues.push({ path, message: 'must be a number, not a bigint (JSON has no bigint form)' });
      return;
    case 'undefined':
      issues.push({ path, message: 'must not be undefined inside an array (it would arrive as null)' });
      return;
    case 'function':
    case 'symbol':
      issues.push({ path, message: `must not be a ${typeof value} (JSON has no ${typeof value} form; it would vanish)` });
      return;
  }
  if (value === null) return;
  const object = value as object;
  if (ancestors.has(object)) {
    issues.push({ path, message: 'must not contain itself (a circular structure has no JSON form)' });
    return;
  }
  ancestors.add(object);
  if (Array.isArray(object)) {
    const items = resolveSchema(schema?.items, schemas);
    for (let i = 0; i < object.length; i++) {
      if (!(i in object)) issues.push({ path: `${path}[${i}]`, message: 'must not be a hole in the array (it would arrive as null)' });
      else check(object[i], `${path}[${i}]`, issues, ancestors, items, schemas);
    }
  } else {
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (object as { constructor?: { name?: unknown } }).constructor?.name;
      issues.push({
        path,
        message: `must be a plain object or array, not ${typeof kind === 'string' && kind ? `a ${kind}` : 'a class instance'} (it would not arrive as itself; convert it first)`,
      });
    } else {
      if (Object.getOwnPropertySymbols(object).some((s) => Object.prototype.propertyIsEnumerable.call(object, s))) {
        issues.push({ path, message: 'must not have symbol keys (they would vanish)' });
      }
      const extra = typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
      for (const [key, item] of Object.entries(object)) {
        if (LONE_SURROGATE.test(key)) issues.push({ path: `${path}.<key>`, message: LONE_SURROGATE_MESSAGE });
        // A property set to undefined is left out, like an absent one: the same for a Python dict.
        if (item !== undefined) check(item, `${path}.${key}`, issues, ancestors, resolveSchema(schema?.properties?.[key] ?? extra, schemas), schemas);
      }
    }
  }
  ancestors.delete(object);
}
