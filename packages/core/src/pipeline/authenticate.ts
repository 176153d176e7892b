import { MissingCredentialsError } from '../errors.js';
import type { CallParams } from '../hooks.js';
import type { SecretRegistry } from '../redact.js';
import { type ApiSpec, getPath, type OperationSpec } from '../spec.js';
import type { CredentialProvider } from '../token-cache.js';

/**
 * Stage 3, authenticate: which of an operation's accepted credential sets the client has, and what
 * it puts on the request (headers, query parameters, cookies). This stage is also the one place
 * that registers secrets for redaction: credential values and the names that carry them, the
 * tokens providers fetch, and every parameter or body property the spec marks as a secret.
 *
 * Credentials are given per security scheme of the spec, by scheme name: a string (API key, bearer
 * token), `{ username, password }` (HTTP Basic), a function returning the value, or a
 * CredentialProvider (tokens that are fetched, cached and renewed).
 */
export interface BasicCredentials {
  username: string;
  password: string;
}

export type Credential = string | BasicCredentials | CredentialProvider | ((signal?: AbortSignal) => string | Promise<string>);

export type Credentials = Readonly<Record<string, Credential | undefined>>;

/** What one request carries to authenticate, and how to undo a refused token. */
export interface AppliedCredentials {
  headers: [string, string][];
  query: [string, string][];
  cookies: [string, string][];
  /** Providers whose value was used, to invalidate when the server refuses it. */
  refreshable: { provider: CredentialProvider; value: string }[];
}

const NONE: AppliedCredentials = Object.freeze({ headers: [], query: [], cookies: [], refreshable: [] }) as unknown as AppliedCredentials;

export class Authenticator {
  readonly credentials: Credentials;
  readonly #api: ApiSpec;
  readonly #secrets: SecretRegistry;
  /** Sets made only of plain values give the same answer every time: computed once per set. */
  readonly #static = new Map<string, Promise<AppliedCredentials>>();

  constructor(api: ApiSpec, credentials: Credentials, secrets: SecretRegistry) {
    this.#api = api;
    this.credentials = credentials;
    this.#secrets = secrets;
    for (const scheme of Object.values(api.securitySchemes)) {
      if (scheme.type !== 'apiKey') continue;
      if (scheme.in === 'query') secrets.addQueryName(scheme.name);
      else if (scheme.in === 'header') secrets.addHeaderName(scheme.name);
    }
    for (const op of Object.values(api.operations)) {
      for (const p of op.params ?? []) if (p.sensitive && p.in === 'query') secrets.addQueryName(p.name);
    }
    registerCredentialSecrets(credentials, secrets);
  }

  /** The same scheme set and secrets with some credentials added or replaced. */
  with(extra: Credentials): Authenticator {
    return new Authenticator(this.#api, { ...this.credentials, ...extra }, this.#secrets);
  }

  /** The first accepted credential set the client has; throws before anything is sent when none. */
  credentialSet(op: OperationSpec): readonly string[] {
    const accepted = op.security ?? [];
    if (accepted.length === 0) return [];
    for (const set of accepted) if (set.every((scheme) => this.credentials[scheme] !== undefined)) return set;
    const configured = Object.keys(this.credentials).filter((scheme) => this.credentials[scheme] !== undefined);
    throw new MissingCredentialsError(op.id, accepted, configured);
  }

  /** Whether the set is made only of plain values (strings, Basic pairs): nothing to wait for. */
  isPlain(set: readonly string[]): boolean {
    return set.every((name) => {
      const c = this.credentials[name];
      return typeof c === 'string' || (typeof c === 'object' && c !== null && 'password' in c);
    });
  }

  /** What the set puts on a request. Providers are asked each time; plain values once. */
  apply(set: readonly string[], signal: AbortSignal | undefined): Promise<AppliedCredentials> {
    if (set.length === 0) return Promise.resolve(NONE);
    if (!this.isPlain(set)) return this.#applyNow(set, signal);
    const key = set.join('\u0000');
    let applied = this.#static.get(key);
    if (!applied) {
      applied = this.#applyNow(set, signal);
      this.#static.set(key, applied);
      applied.catch(() => this.#static.delete(key));
    }
    return applied;
  }

  /** Registers the call's secret parameter values and secret body properties before anything can fail. */
  registerCallSecrets(op: OperationSpec, params: CallParams, body: unknown): void {
    for (const p of op.params ?? []) {
      const value = params[p.name];
      if (p.sensitive && typeof value === 'string') this.#secrets.addValue(value);
    }
    if (body !== undefined && op.body?.secrets) {
      for (const path of op.body.secrets) {
        const value = getPath(body, path);
        if (typeof value === 'string') this.#secrets.addValue(value);
      }
    }
  }

  async #applyNow(set: readonly string[], signal: AbortSignal | undefined): Promise<AppliedCredentials> {
    const applied: AppliedCredentials = { headers: [], query: [], cookies: [], refreshable: [] };
    for (const name of set) {
      const scheme = this.#api.securitySchemes[name];
      const credential = this.credentials[name];
      if (!scheme) throw new RangeError(`unknown security scheme "${name}"`);
      if (credential === undefined) continue;

      if (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'basic') {
        if (typeof credential !== 'object' || !('username' in credential)) throw new TypeError(`credential "${name}" must be { username, password }`);
        const token = base64Utf8(`${credential.username}:${credential.password}`);
        this.#secrets.addValue(credential.password);
        this.#secrets.addValue(token);
        applied.headers.push(['authorization', `Basic ${token}`]);
        continue;
      }

      const value = await resolveValue(credential, signal);
      this.#secrets.addValue(value);
      if (isProvider(credential)) applied.refreshable.push({ provider: credential, value });
      if (scheme.type === 'apiKey') {
        if (scheme.in === 'header') applied.headers.push([scheme.name.toLowerCase(), value]);
        else if (scheme.in === 'query') applied.query.push([scheme.name, value]);
        else applied.cookies.push([scheme.name, value]);
      } else {
        // http bearer, oauth2 and openIdConnect all end in a bearer token.
        applied.headers.push(['authorization', `Bearer ${value}`]);
      }
    }
    return applied;
  }
}

/** Registers credential values (and providers' secrets) up front, so even a failure before the first request is scrubbed. */
function registerCredentialSecrets(credentials: Credentials, secrets: SecretRegistry): void {
  for (const credential of Object.values(credentials)) {
    if (typeof credential === 'string') secrets.addValue(credential);
    else if (credential && typeof credential === 'object' && 'password' in credential) secrets.addValue(credential.password);
    else if (credential && typeof credential === 'object' && 'get' in credential) credential.registerSecrets?.(secrets);
  }
}

/** Base64 of the UTF-8 bytes of a text, with web-standard APIs only. */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function isProvider(credential: Credential): credential is CredentialProvider {
  return typeof credential === 'object' && credential !== null && 'get' in credential && typeof credential.get === 'function';
}

async function resolveValue(credential: Credential, signal?: AbortSignal): Promise<string> {
  if (typeof credential === 'string') return credential;
  if (typeof credential === 'function') return credential(signal);
  if (isProvider(credential)) return credential.get(signal);
  throw new TypeError('a { username, password } credential only fits an HTTP Basic scheme');
}
