/**
 * Finds the provider's own message and error code in an error body, whatever its casing or nesting:
 * `{message}`, `{Message}`, `{error: {message, code}}`, `{error, error_description}` (OAuth),
 * `{errors: ["..."]}`, `{detail, title}` (problem+json), `{code, message, exception}`.
 */
export interface ErrorDescription {
  message?: string;
  code?: string | number;
}

const MESSAGE_KEYS = ['message', 'error_description', 'errormessage', 'exceptionmessage', 'detail', 'title', 'description', 'error'];
const CODE_KEYS = ['code', 'errorcode', 'error_code', 'type', 'error'];

export function describeErrorBody(body: unknown, depth = 0): ErrorDescription {
  if (typeof body === 'string') return body.trim() ? { message: truncate(body.trim(), 300) } : {};
  if (!body || typeof body !== 'object' || depth > 2) return {};
  if (Array.isArray(body)) {
    const texts = body.filter((x): x is string => typeof x === 'string');
    return texts.length ? { message: texts.join('; ') } : describeErrorBody(body[0], depth + 1);
  }
  const record = body as Record<string, unknown>;
  const byLower = new Map(Object.keys(record).map((k) => [k.toLowerCase(), record[k]]));
  const out: ErrorDescription = {};
  for (const key of MESSAGE_KEYS) {
    const value = byLower.get(key);
    if (typeof value === 'string' && value.trim()) {
      out.message = truncate(value.trim(), 500);
      break;
    }
  }
  for (const key of CODE_KEYS) {
    const value = byLower.get(key);
    if ((typeof value === 'string' && value.trim() && value !== out.message) || typeof value === 'number') {
      out.code = value as string | number;
      break;
    }
  }
  if (!out.message) {
    const nested = byLower.get('error') ?? byLower.get('errors');
    if (nested && typeof nested === 'object') {
      const inner = describeErrorBody(nested, depth + 1);
      out.message = inner.message;
      out.code ??= inner.code;
    }
  }
  if (out.message === undefined) delete out.message;
  if (out.code === undefined) delete out.code;
  return out;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
