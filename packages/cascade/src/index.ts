import { type ClientOptions, Runtime } from '@provider-sdk/core';
import { createCascadeApi, type CascadeApi } from './generated/client.js';
import { api } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from '@provider-sdk/core';
export * from './generated/client.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';

export interface CascadeClientOptions extends ClientOptions {}

export interface CascadeClient extends CascadeApi {
  /** The typed openapi-fetch client on the same transport, for anything the methods do not cover. */
  readonly raw: Runtime<paths>['raw'];
}

/** Creates a Inty Cascade API client. Credentials go in `credentials`, by the spec's security scheme names. */
export function createCascadeClient(options: CascadeClientOptions = {}): CascadeClient {
  const runtime = new Runtime<paths>(api, options);
  return { ...createCascadeApi(runtime), raw: runtime.raw };
}
