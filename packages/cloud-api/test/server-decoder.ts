/**
 * What the Cloud API server makes of a query string, re-implemented for tests: the PyLabs
 * applicationserver's REST transport (Twisted, Python 2) parses the query like
 * `urlparse.parse_qs(qs, keep_blank_values=True)` does, refuses a name given twice ("Multi-item
 * arguments not supported"), and passes each value through `json.loads`, keeping the raw string
 * when that raises ValueError (rest.py `parse_args`).
 *
 * Python values are modelled so that types stay visible: str → string, int → bigint,
 * float → number, True/False → boolean, None → null, list → array, dict → plain object.
 */

export type PyValue = string | bigint | number | boolean | null | PyValue[] | { [key: string]: PyValue };

/** Raised where the server answers 500 "The server was unable to parse your request parameters". */
export class ServerParseError extends Error {}

/**
 * Python 2 `urlparse.parse_qsl(qs, keep_blank_values=True)`: split on `&` and `;`, skip empty
 * items, a name without `=` gets the empty value (Twisted's own parse_qs skips such items instead;
 * the client never sends one), `+` is a space, then `unquote`. Works on bytes, as Python 2 does.
 */
export function parseQsl(query: string): [Uint8Array, Uint8Array][] {
  // Python 2 sees the bytes of the request line; a URL as sent is ASCII, but be exact anyway.
  const bytes = Buffer.from(query, 'utf8').toString('latin1');
  const pairs: [Uint8Array, Uint8Array][] = [];
  for (const item of bytes.split('&').flatMap((part) => part.split(';'))) {
    if (!item) continue;
    const eq = item.indexOf('=');
    const name = eq === -1 ? item : item.slice(0, eq);
    const value = eq === -1 ? '' : item.slice(eq + 1);
    pairs.push([unquote(name.replace(/\+/g, ' ')), unquote(value.replace(/\+/g, ' '))]);
  }
  return pairs;
}

/** Python 2 `urllib.unquote`: `%` and two hex digits become that byte; any other `%` stays as it is. */
export function unquote(latin1: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < latin1.length; i++) {
    const hex = latin1.slice(i + 1, i + 3);
    if (latin1[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      out.push(latin1.charCodeAt(i));
    }
  }
  return Uint8Array.from(out);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** rest.py `parse_args`: one value per name, each JSON-decoded or else kept raw. */
export function serverArgs(query: string): Record<string, PyValue> {
  const grouped = new Map<string, Uint8Array[]>();
  for (const [name, value] of parseQsl(query)) {
    const key = Buffer.from(name).toString('utf8');
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const args: Record<string, PyValue> = {};
  for (const [name, values] of grouped) {
    if (values.length !== 1) throw new ServerParseError('Multi-item arguments not supported');
    Object.defineProperty(args, name, { value: jsonLoadsOrRaw(values[0]!), enumerable: true, writable: true, configurable: true });
  }
  return args;
}

/** `json.loads(value)`, falling back to the raw string (Python would keep the bytes). */
export function jsonLoadsOrRaw(value: Uint8Array): PyValue {
  let text: string;
  try {
    text = utf8.decode(value); // json.loads decodes a byte string as UTF-8; UnicodeDecodeError is a ValueError
  } catch {
    return Buffer.from(value).toString('latin1');
  }
  try {
    return pyJsonLoads(text);
  } catch (error) {
    if (error instanceof PyValueError) return text;
    throw error;
  }
}

class PyValueError extends Error {}

/**
 * Python 2.7's `json.loads` (strict mode, the default): JSON plus the literals `NaN`, `Infinity`
 * and `-Infinity`; integers without fraction or exponent are exact ints, other numbers floats;
 * control characters inside strings are refused; surrounding whitespace is ` \t\n\r` only.
 */
export function pyJsonLoads(text: string): PyValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new PyValueError(`${what} at ${i}`);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (): PyValue => {
    const c = text[i];
    if (c === '"') return string();
    if (c === '{') return object();
    if (c === '[') return array();
    for (const [literal, v] of [
      ['null', null],
      ['true', true],
      ['false', false],
    ] as const) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return v;
      }
    }
    const number = /^(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
    if (number) {
      i += number[0].length;
      return number[2] === undefined && number[3] === undefined ? BigInt(number[1]!) : Number(number[0]);
    }
    for (const [literal, v] of [
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['-Infinity', Number.NEGATIVE_INFINITY],
    ] as const) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return v;
      }
    }
    return fail('No JSON object could be decoded');
  };
  const string = (): string => {
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('Unterminated string');
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c.charCodeAt(0) < 0x20) fail('Invalid control character');
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const e = text[i + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && e in simple) {
        out += simple[e];
        i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        fail('Invalid \\escape');
      }
    }
  };
  const array = (): PyValue[] => {
    i++;
    const out: PyValue[] = [];
    ws();
    if (text[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      ws();
      out.push(value());
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      if (text[i] !== ',') fail('Expecting , delimiter');
      i++;
    }
  };
  const object = (): { [key: string]: PyValue } => {
    i++;
    const out: { [key: string]: PyValue } = {};
    ws();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail('Expecting property name');
      const key = string();
      ws();
      if (text[i] !== ':') fail('Expecting : delimiter');
      i++;
      ws();
      Object.defineProperty(out, key, { value: value(), enumerable: true, writable: true, configurable: true });
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      if (text[i] !== ',') fail('Expecting , delimiter');
      i++;
    }
  };
  ws();
  const result = value();
  ws();
  if (i !== text.length) fail('Extra data');
  return result;
}

/**
 * The Python value a JavaScript value should become: the same number, an int when integral and
 * below 1e21 in magnitude (JSON.stringify writes its digits), otherwise a float.
 */
export function expectedPy(value: unknown): PyValue {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 1e21 ? BigInt(value) : value;
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.map(expectedPy);
  if (typeof value === 'object' && value !== null) {
    const out: { [key: string]: PyValue } = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) Object.defineProperty(out, k, { value: expectedPy(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  throw new TypeError(`no Python counterpart for a ${typeof value}`);
}

/** The arguments the server gets from a request URL (path and query as sent). */
export function serverArgsOf(url: string): Record<string, PyValue> {
  const q = url.indexOf('?');
  return q === -1 ? {} : serverArgs(url.slice(q + 1));
}

/** The arguments a caller's parameters should become (undefined ones are not sent). */
export function expectedArgs(params: Readonly<Record<string, unknown>>): Record<string, PyValue> {
  return expectedPy(params) as Record<string, PyValue>;
}
