import { InvalidArgumentError } from './errors.js';
import type { ApiSpec, EnvironmentVariable } from './spec.js';

export type { EnvironmentVariable };

/*
 * Defaults from the environment, the way SDK users expect them (`PAX8_CLIENT_ID`, `ENHANCE_TOKEN`,
 * ...): each spec lists its variables (`x-environment`), and a client reads one only when the option
 * it stands for was not given. Read from `process.env` (Node, Bun) or `Deno.env` (Deno, with
 * permission); browsers and workers have none, so options there must be given.
 */

/** The level of the console logger a client uses when none is given: `debug`, `info`, `warn` or `error`. */
export const LOG_LEVEL_VARIABLE = 'PROVIDER_SDK_LOG';

/** One variable's value, or undefined (also where the runtime has no environment, or denies it). */
export function environmentValue(name: string): string | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> }; Deno?: { env?: { get(name: string): string | undefined } } };
  try {
    const value = g.process?.env?.[name] ?? g.Deno?.env?.get(name);
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}

/** `options` with every option the spec's environment table names filled from the environment where it was not given. */
export function withEnvironment<T extends object>(api: Pick<ApiSpec, 'environment'>, options: T | undefined): T {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError('client options must be an object');
  const out: Record<string, unknown> = { ...options };
  for (const variable of api.environment ?? []) {
    if (out[variable.option] !== undefined) continue;
    const value = environmentValue(variable.name);
    if (value !== undefined) out[variable.option] = value;
  }
  return out as T;
}

/** What to tell a user who left a required setting out: the options, and the variables that stand for them. */
export function missingSetting(api: Pick<ApiSpec, 'provider' | 'environment'>, options: readonly string[], why: string): InvalidArgumentError {
  const variables = (api.environment ?? []).filter((v) => options.includes(v.option)).map((v) => v.name);
  const given = options.map((o) => `{ ${o} }`).join(' or ');
  const env = variables.length ? `, or set ${variables.join(' or ')}` : '';
  return new InvalidArgumentError(undefined, [{ path: options[0]!, message: `is required: ${why}. Pass ${given}${env}` }]);
}
