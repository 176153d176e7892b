import type { ContractHarness } from '../../../scripts/testing/contract.js';

/** Credentials in the shape a Cascade reseller gets them (the values are made up). */
export const CREDENTIALS = { username: 'api.reseller@acme-it.example', password: 'Cz9!vQ2#pL7wX4rT-cascade' } as const;

export interface Sent {
  method: string;
  /** Path relative to the base URL, still percent-encoded. */
  path: string;
  headers: Headers;
  /** The JSON body, parsed; undefined when there was none. */
  body: unknown;
}

export interface Recorder {
  fetch: typeof fetch;
  sent: Sent[];
  /** The last request sent. */
  last(): Sent;
}

/** Wraps a fetch (by default the harness's, i.e. Prism) and records every request it is given. */
export function recorder(harness: ContractHarness, inner: typeof fetch = harness.fetch): Recorder {
  const sent: Sent[] = [];
  const base = new URL(harness.baseUrl).pathname.replace(/\/$/, '');
  const recording: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const text = request.body ? await request.clone().text() : '';
    sent.push({
      method: request.method,
      path: new URL(request.url).pathname.slice(base.length),
      headers: new Headers(request.headers),
      body: text ? JSON.parse(text) : undefined,
    });
    return inner(request);
  };
  return {
    fetch: recording,
    sent,
    last() {
      const found = sent.at(-1);
      if (!found) throw new Error('nothing was sent');
      return found;
    },
  };
}

export { capturingLogger, exposed, failure, jsonResponse, type LogLine } from '../../../scripts/testing/kit.js';
