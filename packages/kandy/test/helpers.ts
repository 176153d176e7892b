import type { ContractHarness } from '../../../scripts/testing/contract.js';

// Long-lived keys in the shape Kandy issues them (AAK/AAS: account, DAK/DAS: domain).
export const KEYS = {
  accountApiKey: 'AAKf3b9c2d41e6a4f07b8c95d2e1a3f6b70',
  accountApiSecret: 'AAS8d2e4f6a1b3c5d7e9f0a2b4c6d8e0f12',
  domainApiKey: 'DAK1e3c5a7b9d2f4e6a8c0b2d4f6a8c0e1d',
  domainApiSecret: 'DAS5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a',
} as const;

export interface Sent {
  method: string;
  url: URL;
  /** The query string exactly as sent. */
  search: string;
  prefer: string | null;
}

export interface Recorder {
  fetch: typeof fetch;
  sent: Sent[];
  /** Requests to a path (relative to the base URL), optionally of one method. */
  to(path: string, method?: string): Sent[];
}

/**
 * Wraps the harness's fetch (Prism) and records every request. `rewrite` may change a request
 * before it goes out (e.g. ask Prism for a failure example) or answer it itself.
 */
export function recorder(
  harness: ContractHarness,
  rewrite?: (request: Request, sent: Sent[]) => Request | Response | Promise<Request | Response>,
): Recorder {
  const sent: Sent[] = [];
  const recording: typeof fetch = async (input, init) => {
    let request = new Request(input, init);
    const url = new URL(request.url);
    const rewritten = rewrite ? await rewrite(request, sent) : request;
    if (rewritten instanceof Request) request = rewritten;
    sent.push({ method: request.method, url, search: url.search, prefer: request.headers.get('prefer') });
    return rewritten instanceof Response ? rewritten : harness.fetch(request);
  };
  return {
    fetch: recording,
    sent,
    to: (path, method) => sent.filter((s) => s.url.pathname === path && (method === undefined || s.method === method)),
  };
}

/** The same request, asking Prism for a named example or status. */
export function withPrefer(request: Request, prefer: string): Request {
  const headers = new Headers(request.headers);
  headers.set('prefer', prefer);
  return new Request(request, { headers });
}

export { capturingLogger, exposed, fakeClock, jsonResponse, type LogLine } from '../../../scripts/testing/kit.js';
