import { type ClientOptions, InvalidArgumentError, Runtime } from '@provider-sdk/core';
import { createEnhanceApi, type EnhanceApi } from './generated/client.js';
import { api } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from '@provider-sdk/core';
export * from './generated/client.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';

export interface EnhanceClientOptions extends Omit<ClientOptions, 'credentials' | 'serverVariables'> {
  /** Host name of the control panel, e.g. `cp.example.com`: the client calls `https://<panel>/api`. */
  panel?: string;
  /** An organization access token (panel: Settings → Access tokens), sent as a bearer token. */
  token?: string | (() => string | Promise<string>);
  /** Or the `id0` session cookie of a logged-in panel user. */
  sessionCookie?: string;
}

export interface EnhanceClient extends EnhanceApi {
  /** The typed openapi-fetch client on the same transport, for anything the methods do not cover. */
  readonly raw: Runtime<paths>['raw'];
}

/**
 * Creates an Enhance control panel client.
 *
 * ```ts
 * const enhance = createEnhanceClient({ panel: 'cp.example.com', token: process.env.ENHANCE_TOKEN });
 * const { id } = await enhance.customers.create(orgId, { name: 'Acme Widgets Ltd' });
 * for await (const org of enhance.customers.listAll(orgId, { recursive: true })) console.log(org.name);
 * ```
 */
export function createEnhanceClient(options: EnhanceClientOptions): EnhanceClient {
  const { panel, token, sessionCookie, ...rest } = options;
  if (token === undefined && sessionCookie === undefined) {
    throw new InvalidArgumentError(undefined, [{ path: 'token', message: 'or sessionCookie is required: every Enhance operation is authenticated' }]);
  }
  const runtime = new Runtime<paths>(api, {
    ...rest,
    ...(panel === undefined ? {} : { serverVariables: { panel } }),
    credentials: { bearerAuth: token, sessionCookie },
  });
  return { ...createEnhanceApi(runtime), raw: runtime.raw };
}
