import { type ClientBase, type ClientOptions, clientBase, missingSetting, Runtime, withEnvironment } from '@provider-sdk/core';
import { createEnhanceApi, type EnhanceApi } from './generated/client.js';
import { api } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from './generated/client.js';
export * from './generated/core.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';
export {
  createProvisioning,
  type ProvisionCustomerInput,
  type ProvisionedCustomer,
  type Provisioning,
  ProvisioningError,
  type ProvisioningStep,
} from './provisioning.js';

export interface EnhanceClientOptions extends Omit<ClientOptions, 'credentials' | 'serverVariables' | 'hooks'> {
  /** Host name of the control panel, e.g. `cp.example.com`: the client calls `https://<panel>/api`. */
  panel?: string | undefined;
  /** An organization access token (panel: Settings → Access tokens), sent as a bearer token. */
  token?: string | (() => string | Promise<string>) | undefined;
  /** Or the `id0` session cookie of a logged-in panel user. */
  sessionCookie?: string | undefined;
}

/** The spec's resource groups, and `raw`, `drift()` and `withOptions()`. */
export interface EnhanceClient extends EnhanceApi, ClientBase<paths, EnhanceClient> {}

/**
 * Creates an Enhance control panel client. Options left out are read from the environment
 * (`ENHANCE_PANEL` or `ENHANCE_BASE_URL`, `ENHANCE_TOKEN` or `ENHANCE_SESSION_COOKIE`).
 *
 * ```ts
 * const enhance = createEnhanceClient({ panel: 'cp.example.com', token: process.env.ENHANCE_TOKEN });
 * const { id } = await enhance.customers.create({ org_id: orgId, body: { name: 'Acme Widgets Ltd' } });
 * for await (const org of enhance.customers.list({ org_id: orgId, recursive: true })) console.log(org.name);
 * ```
 */
export function createEnhanceClient(options?: EnhanceClientOptions): EnhanceClient {
  const { panel, token, sessionCookie, ...rest } = withEnvironment(api, options);
  if (token === undefined && sessionCookie === undefined) throw missingSetting(api, ['token', 'sessionCookie'], 'every Enhance operation is authenticated');
  return client(
    new Runtime<paths>(api, {
      ...rest,
      ...(panel === undefined ? {} : { serverVariables: { panel } }),
      credentials: { bearerAuth: token, sessionCookie },
    }),
  );
}

function client(runtime: Runtime<paths>): EnhanceClient {
  return { ...createEnhanceApi(runtime), ...clientBase(runtime, client) };
}
