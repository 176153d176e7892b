import { type ClientOptions, Runtime } from '@provider-sdk/core';
import { createKandyApi, type KandyApi } from './generated/client.js';
import { api } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from '@provider-sdk/core';
export * from './generated/client.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';

export interface KandyClientOptions extends ClientOptions {}

export interface KandyClient extends KandyApi {
  /** The typed openapi-fetch client on the same transport, for anything the methods do not cover. */
  readonly raw: Runtime<paths>['raw'];
}

/** Creates a Kandy.io REST API client. Credentials go in `credentials`, by the spec's security scheme names. */
export function createKandyClient(options: KandyClientOptions = {}): KandyClient {
  const runtime = new Runtime<paths>(api, options);
  return { ...createKandyApi(runtime), raw: runtime.raw };
}
