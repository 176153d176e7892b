import { MissingCredentialsError } from './errors.js';
import type { SecretRegistry } from './redact.js';
import type { OperationSpec, SecuritySchemeSpec } from './spec.js';
import type { CredentialProvider } from './token-cache.js';

/**
 * Credentials are given per security scheme of the spec, by scheme name:
 * a string (API key, bearer token), `{ username, password }` (HTTP Basic), a function returning the
 * value, or a CredentialProvider (tokens that are fetched, cached and renewed).
 */
export interface BasicCredentials {
  username: string;
  password: string;
}

export type Credential = string | BasicCredentials | CredentialProvider | ((signal?: AbortSignal) => string | Promise<string>);

export type Credentials = Readonly<Record<string, Credential | undefined>>;

/** What one request carries to authenticate, and how to undo a refused token. */
export interface AppliedCredentials {
  headers: Record<string, string>;
  query: [string, string][];
  cookies: [string, string][];
  /** Providers whose value was used, to invalidate on a 401. */
  refreshable: { provider: CredentialProvider; value: string }[];
}

/** Picks the first accepted credential set the client has, or throws before anything is sent. */
export function chooseCredentialSet(op: OperationSpec, globalSecurity: readonly (readonly string[])[] | undefined, credentials: Credentials): readonly string[] {
  const accepted = op.security ?? globalSecurity ?? [];
  if (accepted.length === 0) return [];
  for (const set of accepted) {
    if (set.every((scheme) => credentials[scheme] !== undefined)) return set;
  }
  throw new MissingCredentialsError(op.id, accepted);
}

export async function applyCredentials(
  schemeNames: readonly string[],
  schemes: Readonly<Record<string, SecuritySchemeSpec>>,
  credentials: Credentials,
  secrets: SecretRegistry,
  signal?: AbortSignal,
): Promise<AppliedCredentials> {
  const applied: AppliedCredentials = { headers: {}, query: [], cookies: [], refreshable: [] };
  for (const name of schemeNames) {
    const scheme = schemes[name];
    const credential = credentials[name];
    if (!scheme) throw new RangeError(`unknown security scheme "${name}"`);
    if (credential === undefined) continue;

    if (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'basic') {
      if (typeof credential !== 'object' || !('username' in credential)) {
        throw new TypeError(`credential "${name}" must be { username, password }`);
      }
      const token = Buffer.from(`${credential.username}:${credential.password}`, 'utf8').toString('base64');
      secrets.addValue(credential.password);
      secrets.addValue(token);
      applied.headers.authorization = `Basic ${token}`;
      continue;
    }

    const value = await resolveValue(credential, signal);
    secrets.addValue(value);
    if (isProvider(credential)) applied.refreshable.push({ provider: credential, value });

    if (scheme.type === 'apiKey') {
      if (scheme.in === 'header') applied.headers[scheme.name.toLowerCase()] = value;
      else if (scheme.in === 'query') applied.query.push([scheme.name, value]);
      else applied.cookies.push([scheme.name, value]);
    } else {
      // http bearer, oauth2 and openIdConnect all end in a bearer token.
      applied.headers.authorization = `Bearer ${value}`;
    }
  }
  return applied;
}

/** Registers everything the spec marks as a credential location, for name-based redaction. */
export function registerSchemeNames(schemes: Readonly<Record<string, SecuritySchemeSpec>>, secrets: SecretRegistry): void {
  for (const scheme of Object.values(schemes)) {
    if (scheme.type !== 'apiKey') continue;
    if (scheme.in === 'query') secrets.addQueryName(scheme.name);
    else if (scheme.in === 'header') secrets.addHeaderName(scheme.name);
  }
}

/** Registers static credential values up front, so that even a failure before the first request is scrubbed. */
export function registerStaticSecrets(credentials: Credentials, secrets: SecretRegistry): void {
  for (const credential of Object.values(credentials)) {
    if (typeof credential === 'string') secrets.addValue(credential);
    else if (credential && typeof credential === 'object' && 'password' in credential) secrets.addValue(credential.password);
    else if (credential && typeof credential === 'object' && 'get' in credential) credential.registerSecrets?.(secrets);
  }
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
