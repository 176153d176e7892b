/**
 * Secrets must never reach an error message, a log line or a snapshot. Two independent guards:
 * - by name: query parameters and headers known to carry credentials are replaced wholesale;
 * - by value: every credential value the client has seen (keys, passwords, tokens it fetched) is
 *   registered here, and any text leaving the client is scrubbed of it, in every form the client or
 *   a server can produce from it (see `encodedForms`); Basic pairs are registered in Base64 too.
 */

export const REDACTED = '[REDACTED]';

/** Query parameter names treated as secret even when the spec does not say so. */
const SECRET_QUERY_NAME = /(^|_|-)(key|apikey|api_key|token|secret|password|passwd|pwd|signature|sig|auth|credential|credentials)$|^(access_token|refresh_token|id_token|client_secret|code)$/i;

/** Header names that always carry credentials. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token']);

/** Shorter values would make scrubbing mangle ordinary text; such secrets are still removed by name. */
const MIN_SCRUB_LENGTH = 4;

export class SecretRegistry {
  private readonly values = new Set<string>();
  private readonly queryNames = new Set<string>();
  private readonly headerNames = new Set<string>(SECRET_HEADERS);
  private pattern: RegExp | undefined;
  /** redactUrl results; cleared whenever what counts as secret changes. */
  private readonly shown = new Map<string, string>();

  /** Registers a secret value (and its encoded forms) for scrubbing. */
  addValue(value: string | undefined | null): void {
    if (!value || value.length < MIN_SCRUB_LENGTH || this.values.has(value)) return;
    for (const form of encodedForms(value)) if (form.length >= MIN_SCRUB_LENGTH) this.values.add(form);
    this.pattern = undefined;
    this.shown.clear();
  }

  addQueryName(name: string): void {
    this.queryNames.add(name.toLowerCase());
    this.shown.clear();
  }

  addHeaderName(name: string): void {
    this.headerNames.add(name.toLowerCase());
  }

  isSecretQueryName(name: string): boolean {
    return this.queryNames.has(name.toLowerCase()) || SECRET_QUERY_NAME.test(name);
  }

  isSecretHeader(name: string): boolean {
    return this.headerNames.has(name.toLowerCase());
  }

  /** Whether a text holds a registered secret value (in any of its registered forms). */
  containsSecret(text: string): boolean {
    if (this.values.size === 0 || !text) return false;
    return this.scrub(text) !== text;
  }

  /** Replaces every registered secret value in a text. */
  scrub(text: string): string {
    if (this.values.size === 0 || !text) return text;
    this.pattern ??= new RegExp(
      [...this.values]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    );
    return text.replace(this.pattern, REDACTED);
  }

  /** A URL safe to show: userinfo removed, secret query values replaced, known values scrubbed. */
  redactUrl(url: string): string {
    const cached = this.shown.get(url);
    if (cached !== undefined) return cached;
    const shown = this.redactUrlUncached(url);
    if (this.shown.size >= 512) this.shown.clear();
    this.shown.set(url, shown);
    return shown;
  }

  private redactUrlUncached(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return this.scrub(url);
    }
    if (parsed.username || parsed.password) {
      parsed.username = '';
      parsed.password = '';
    }
    // Rebuild the query by hand so that the non-secret parameters keep their exact encoding.
    const query = parsed.search.slice(1);
    if (query) {
      const parts = query.split('&').map((part) => {
        const eq = part.indexOf('=');
        const rawName = eq === -1 ? part : part.slice(0, eq);
        let name = rawName;
        try {
          name = decodeURIComponent(rawName.replace(/\+/g, ' '));
        } catch {
          // keep the raw name
        }
        return eq !== -1 && this.isSecretQueryName(name) ? `${rawName}=${REDACTED}` : part;
      });
      parsed.search = `?${parts.join('&')}`;
    }
    return this.scrub(parsed.toString());
  }

  /** Headers safe to show: secret ones replaced. */
  redactHeaders(headers: Headers | Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
    for (const [name, value] of entries) {
      out[name] = this.isSecretHeader(name) ? REDACTED : this.scrub(value);
    }
    return out;
  }

  /** Deep copy of a parsed body with every string scrubbed. */
  scrubValue<T>(value: T): T {
    if (this.values.size === 0) return value;
    return scrubDeep(value, (s) => this.scrub(s)) as T;
  }
}

/**
 * Every form a secret takes on its way out: as given; percent-encoded by encodeURIComponent, by
 * form encoding (URLSearchParams, `+` for spaces) and after the WHATWG URL parser re-encodes a
 * path or query (`'` becomes `%27`); JSON-string-escaped (also with `\/`, with non-ASCII as
 * `\uXXXX`, as PHP and Python write them, and twice: JSON inside JSON); HTML-escaped in the ways
 * templates do it (`&amp;` and `&lt;` always; `&gt;`, `&quot;`/`&#34;`, `&#39;`/`&#x27;`/`&apos;` or
 * not), of each of the forms above.
 */
export function encodedForms(value: string): Set<string> {
  const forms = new Set<string>([value]);
  const uri = encodeURIComponent(value);
  forms.add(uri);
  forms.add(uri.replace(/%20/g, '+'));
  forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  for (const url of [`http://h/?v=${uri}`, `http://h/${uri}`]) {
    const parsed = new URL(url);
    forms.add(parsed.search ? parsed.search.slice(3) : parsed.pathname.slice(1));
  }
  if (!/[#?&%]/.test(value)) {
    const parsed = new URL(`http://h/?v=${value}`);
    forms.add(parsed.search.slice(3));
  }
  const json = JSON.stringify(value).slice(1, -1);
  const jsonForms = [
    json,
    json.replace(/\//g, '\\/'),
    json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    // Escaped twice: a request dump (JSON) inside a JSON error body.
    JSON.stringify(json).slice(1, -1),
  ];
  for (const form of jsonForms) forms.add(form);
  // Any of these shown in an HTML page: templates escape `&` and `<` always, the rest as they choose.
  for (const text of [...forms]) for (const html of htmlForms(text)) forms.add(html);
  return forms;
}

function htmlForms(text: string): string[] {
  const out: string[] = [];
  const amp = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  for (const gt of [amp.replace(/>/g, '&gt;'), amp]) {
    for (const quot of [gt.replace(/"/g, '&quot;'), gt.replace(/"/g, '&#34;'), gt]) {
      for (const apos of ['&#39;', '&#x27;', '&apos;', "'"]) out.push(quot.replace(/'/g, apos));
    }
  }
  return out;
}

function scrubDeep(value: unknown, scrub: (s: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, scrub));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[scrub(k)] = scrubDeep(v, scrub);
    return out;
  }
  return value;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
