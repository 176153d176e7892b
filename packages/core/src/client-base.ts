import type { DriftReport } from './drift.js';
import type { DerivedOptions, Runtime } from './runtime.js';

/** What every provider's client has beside its resource groups. */
export interface ClientBase<Paths extends object, Client> {
  /** The typed openapi-fetch client on the same pipeline, for anything the methods do not cover. */
  readonly raw: Runtime<Paths>['raw'];
  /** The distinct drifts of answers from the spec seen so far (`validateResponses`), as a report for `pnpm drift`. */
  drift(): DriftReport;
  /** A client with other call defaults (timeout, retry, headers, ...), sharing this one's transport, credentials and limiter. */
  withOptions(options: DerivedOptions): Client;
}

/** The ClientBase members of the client `build` makes on `runtime`; `withOptions` builds one on a derived runtime. */
export function clientBase<Paths extends object, Client>(runtime: Runtime<Paths>, build: (runtime: Runtime<Paths>) => Client): ClientBase<Paths, Client> {
  return { raw: runtime.raw, drift: () => runtime.drift(), withOptions: (options) => build(runtime.withOptions(options)) };
}
