import { createQuerySerializer } from 'openapi-fetch';

/**
 * Query serialization. Parameters declared with `content: application/json` are sent as JSON text
 * (URL-encoded), so that objects, arrays, numbers, booleans, null and strings that look like JSON
 * all reach a JSON-decoding server with the exact value and type the caller passed. Everything
 * else uses the OpenAPI defaults (form style, exploded arrays).
 */
export type QuerySerializer = (query: Record<string, unknown>) => string;

/** OpenAPI's default query style: form, exploded arrays, deepObject for objects. */
export const formSerializer: QuerySerializer = createQuerySerializer({
  array: { style: 'form', explode: true },
  object: { style: 'deepObject', explode: true },
});

/**
 * A serializer for the JSON parameters named, and (`unexploded`) the array parameters the spec
 * declares with `explode: false` (`roles=a,b`); everything else in form style.
 */
export function createJsonAwareQuerySerializer(jsonParams: ReadonlySet<string>, unexploded: ReadonlySet<string> = new Set()): QuerySerializer {
  if (jsonParams.size === 0 && unexploded.size === 0) return formSerializer;
  return (query) => {
    const parts: string[] = [];
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      if (jsonParams.has(name)) {
        parts.push(`${encodeURIComponent(name)}=${encodeJsonQueryValue(value)}`);
      } else if (unexploded.has(name) && Array.isArray(value)) {
        parts.push(`${encodeURIComponent(name)}=${value.map((v) => encodeURIComponent(String(v))).join(',')}`);
      } else {
        const part = formSerializer({ [name]: value });
        if (part) parts.push(part);
      }
    }
    return parts.join('&');
  };
}

/**
 * One JSON query value, URL-encoded. `encodeURIComponent` escapes `&`, `;`, `+`, `=` and `#`, so
 * that form decoders (which split on `&` and `;` and read `+` as a space) get the text back intact.
 */
export function encodeJsonQueryValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('value cannot be encoded as JSON');
  return encodeURIComponent(text);
}
