import {
  ApiError,
  ConnectionError,
  type ClientBase,
  type CredentialProvider,
  clientBase,
  type Limiter,
  NotFoundError,
  type RequestOptions,
  type Runtime,
  TokenError,
} from '@provider-sdk/core';
import { createPax8Runtime, type Pax8ClientOptions } from '@provider-sdk/pax8';
import { createPax8V3Api, type Pax8V3Api } from './generated/client.js';
import { api } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from './generated/client.js';
export * from './generated/core.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';
export {
  createPax8Auth,
  PAX8_AUDIENCE,
  PAX8_LEGACY_AUDIENCE,
  PAX8_LEGACY_TOKEN_URL,
  PAX8_RATE_LIMIT,
  PAX8_TOKEN_MANAGER_URL,
  PAX8_TOKEN_URL,
  type Pax8Credentials,
} from '@provider-sdk/pax8';

/**
 * Options of the portal client: the same credentials object as `createPax8Client` (client id and
 * secret, token URL, audience, token store), or `auth` to reuse another client's token provider.
 */
export interface Pax8V3ClientOptions extends Pax8ClientOptions {}

/** Which route answered `msTenantId`. */
export type MsTenantIdRoute = 'v3' | 'api-v2';

export interface MsTenantIdResult {
  /** The company's Microsoft (Entra) tenant id. */
  tenantId: string;
  /** `v3`: `GET /api/v3/companies/{id}/msTenantId`; `api-v2`: the `msTenantID` entry of `GET /api-v2/1/provisionDetail`. */
  route: MsTenantIdRoute;
  /** Why the v3 route was not used, when the answer came from api-v2. */
  v3Failure?: string;
}

export interface MsTenantIdOptions extends RequestOptions {
  /** `auto` (default): v3, then api-v2 when v3 fails. Or ask one route only. */
  route?: 'auto' | MsTenantIdRoute;
}

export interface Pax8V3Client extends Pax8V3Api, ClientBase<paths, Pax8V3Client> {
  /** The token provider (shared with a v1 client when created with `auth: pax8.auth`). */
  readonly auth: CredentialProvider | string | ((signal?: AbortSignal) => string | Promise<string>);
  /** The limiter every call waits on (shared with a v1 client when created with `rateLimit: pax8.rateLimiter`). */
  readonly rateLimiter: Limiter | undefined;
  /**
   * A company's Microsoft tenant id. Tries the 2022 v3 route; when it fails (404, 401, 403, 5xx,
   * no connection, or an answer without `tenantId`), reads the `msTenantID` entry of api-v2
   * `provisionDetail`, and says which route answered. After the v3 route refuses the token
   * (401/403) once, this client goes straight to api-v2. Throws MsTenantIdNotFoundError when
   * neither route has the tenant id.
   *
   * @experimental Both routes are undocumented and may change or vanish.
   */
  msTenantId(companyId: string, options?: MsTenantIdOptions): Promise<MsTenantIdResult>;
}

/** Neither portal route knows a Microsoft tenant id for the company. */
export class MsTenantIdNotFoundError extends NotFoundError {
  override name = 'MsTenantIdNotFoundError';
  readonly companyId: string;
  readonly v3Failure: string | undefined;
  constructor(init: ConstructorParameters<typeof NotFoundError>[0] & { companyId: string; v3Failure?: string }) {
    super(init);
    this.companyId = init.companyId;
    this.v3Failure = init.v3Failure;
  }
}

/**
 * Creates a client of the undocumented Pax8 partner portal API.
 *
 * ```ts
 * const pax8 = createPax8Client({ clientId, clientSecret });
 * const portal = createPax8V3Client({ auth: pax8.auth, rateLimit: pax8.rateLimiter }); // one token, one budget
 * const { tenantId, route } = await portal.msTenantId(companyId);
 * ```
 *
 * @experimental Every operation of this client is undocumented by Pax8 and may change or vanish.
 */
export function createPax8V3Client(options?: Pax8V3ClientOptions): Pax8V3Client {
  const { runtime, auth } = createPax8Runtime<paths>(api, options);
  // Shared by every view: once the v3 route refuses the token, it is skipped.
  const state = { v3RefusesToken: false };
  return portalClient(runtime, auth, state);
}

function portalClient(runtime: Runtime<paths>, auth: Pax8V3Client['auth'], state: { v3RefusesToken: boolean }): Pax8V3Client {
  const generated = createPax8V3Api(runtime);

  async function msTenantId(companyId: string, msOptions: MsTenantIdOptions = {}): Promise<MsTenantIdResult> {
    const { route = 'auto', ...request } = msOptions;
    let v3Failure: string | undefined;
    if (route === 'v3' || (route === 'auto' && !state.v3RefusesToken)) {
      try {
        const answer = await generated.companies.getMsTenantId({ companyId }, request);
        const tenantId = (answer as { tenantId?: unknown } | undefined)?.tenantId;
        if (typeof tenantId === 'string' && tenantId.trim()) return { tenantId: tenantId.trim(), route: 'v3' };
        v3Failure = 'the v3 answer has no tenantId';
      } catch (error) {
        if (route === 'v3' || !fallsBack(error)) throw error;
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) state.v3RefusesToken = true;
        v3Failure = error instanceof ApiError ? `${error.status} ${error.name}` : (error as Error).name;
      }
      if (route === 'v3') throw notFound(companyId, `GET /api/v3/companies/${companyId}/msTenantId`, `the v3 route has no tenant id for company ${companyId}`);
      runtime.logger.warn(`msTenantId: the v3 route failed (${v3Failure}); trying api-v2 provisionDetail`, { operationId: 'getCompanyMsTenantId' });
    }
    const entries = await generated.provisionDetails.list({ companyId, page: 0, size: 200 }, request);
    const entry =
      entries.find((e) => e.entryName === 'msTenantID' && e.entryValue) ?? entries.find((e) => e.entryName?.toLowerCase() === 'mstenantid' && e.entryValue);
    if (entry?.entryValue) return { tenantId: entry.entryValue.trim(), route: 'api-v2', ...(v3Failure ? { v3Failure } : {}) };
    throw notFound(
      companyId,
      `GET /api-v2/1/provisionDetail?companyId=${companyId}`,
      `no Microsoft tenant id for company ${companyId}: ${v3Failure ? `the v3 route failed (${v3Failure}) and ` : ''}api-v2 provisionDetail has no msTenantID entry`,
      v3Failure,
    );
  }

  function notFound(companyId: string, request: string, message: string, v3Failure?: string): MsTenantIdNotFoundError {
    const [method, path] = request.split(' ', 2) as [string, string];
    return new MsTenantIdNotFoundError({
      provider: api.provider,
      status: 404,
      method,
      url: runtime.secrets.redactUrl(`${runtime.baseUrl}${path}`),
      operationId: 'msTenantId',
      providerMessage: message,
      companyId,
      v3Failure,
    });
  }

  return { ...generated, ...clientBase(runtime, (derived) => portalClient(derived, auth, state)), auth, rateLimiter: runtime.limiter, msTenantId };
}

/** The v3 failures that send msTenantId to api-v2: 401, 403, 404, 5xx, no connection. Not a token failure. */
function fallsBack(error: unknown): boolean {
  if (error instanceof TokenError) return false;
  if (error instanceof ApiError) return error.status === 401 || error.status === 403 || error.status === 404 || error.status >= 500;
  return error instanceof ConnectionError;
}
