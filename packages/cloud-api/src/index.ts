import { type ClientOptions, Runtime } from '@provider-sdk/core';
import { createCloudApiApi, type CloudApiApi } from './generated/client.js';
import { api } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from '@provider-sdk/core';
export * from './generated/client.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';

export interface CloudApiClientOptions extends ClientOptions {}

export interface CloudApiClient extends CloudApiApi {
  /** The typed openapi-fetch client on the same transport, for anything the methods do not cover. */
  readonly raw: Runtime<paths>['raw'];
}

/** Creates a Cloud API (cloud_api_customer) client. Credentials go in `credentials`, by the spec's security scheme names. */
export function createCloudApiClient(options: CloudApiClientOptions = {}): CloudApiClient {
  const runtime = new Runtime<paths>(api, options);
  return { ...createCloudApiApi(runtime), raw: runtime.raw };
}
