import { type ClientOptions, Runtime } from '@provider-sdk/core';
import { createPax8Api, type Pax8Api } from './generated/client.js';
import { api } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from '@provider-sdk/core';
export * from './generated/client.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';

export interface Pax8ClientOptions extends ClientOptions {}

export interface Pax8Client extends Pax8Api {
  /** The typed openapi-fetch client on the same transport, for anything the methods do not cover. */
  readonly raw: Runtime<paths>['raw'];
}

/** Creates a Pax8 Partner API client. Credentials go in `credentials`, by the spec's security scheme names. */
export function createPax8Client(options: Pax8ClientOptions = {}): Pax8Client {
  const runtime = new Runtime<paths>(api, options);
  return { ...createPax8Api(runtime), raw: runtime.raw };
}
