import { type ClientOptions, Runtime } from '@provider-sdk/core';
import { createPax8V3Api, type Pax8V3Api } from './generated/client.js';
import { api } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from '@provider-sdk/core';
export * from './generated/client.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';

export interface Pax8V3ClientOptions extends ClientOptions {}

export interface Pax8V3Client extends Pax8V3Api {
  /** The typed openapi-fetch client on the same transport, for anything the methods do not cover. */
  readonly raw: Runtime<paths>['raw'];
}

/** Creates a Pax8 partner portal API (undocumented) client. Credentials go in `credentials`, by the spec's security scheme names. */
export function createPax8V3Client(options: Pax8V3ClientOptions = {}): Pax8V3Client {
  const runtime = new Runtime<paths>(api, options);
  return { ...createPax8V3Api(runtime), raw: runtime.raw };
}
