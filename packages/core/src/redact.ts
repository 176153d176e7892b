/**
 * Secrets must never reach an error message, a log line or a snapshot. Two independent guards:
 * - by name: query parameters and headers known to carry credentials are replaced wholesale;
 * - by value: every credential value the client has seen (keys, passwords, tokens it fetched) is
 *   registered here, and any text leaving the client is scrubbed of it, in plain, URL-encoded and
 *   Base64 (Basic auth) forms.
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
    this.values.add(value);
    for (const form of [encodeURIComponent(value), encodeURIComponent(value).replace(/%20/g, '+')]) {
      if (form !== value) this.values.add(form);
    }
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

function scrubDeep(value: unknown, scrub: (s: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, scrub));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, scrub);
    return out;
  }
  return value;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
