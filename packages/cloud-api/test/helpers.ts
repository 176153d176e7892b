import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { LogFields, Logger } from '../src/index.js';

export interface CapturedRequest {
  method: string;
  /** The request target exactly as it arrived: path and raw query string. */
  url: string;
  headers: IncomingHttpHeaders;
}

export interface Answer {
  status?: number;
  body?: unknown;
  /** Sent as is instead of JSON.stringify(body). */
  text?: string;
  headers?: Record<string, string>;
}

export interface CaptureServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  requests: CapturedRequest[];
  /** What the next requests get (in order; the last one repeats). Default: a 200 `{result: true, jobguid: null}`. */
  answer(...answers: Answer[]): void;
  reset(): void;
}

/** A local node:http server for the whole file that records every request and answers as told. */
export function useCaptureServer(): CaptureServer {
  const requests: CapturedRequest[] = [];
  let queue: Answer[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const answer: Answer = (queue.length > 1 ? queue.shift() : queue[0]) ?? { body: { result: true, jobguid: null } };
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.text ?? JSON.stringify(answer.body));
  });
  const capture: CaptureServer = {
    url: '',
    port: 0,
    requests,
    answer(...answers) {
      queue = answers;
    },
    reset() {
      requests.length = 0;
      queue = [];
    },
  };
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    capture.port = (server.address() as AddressInfo).port;
    capture.url = `http://127.0.0.1:${capture.port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return capture;
}

/** A logger that keeps every line and its fields as text. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: LogFields) => lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Everything an error shows: message, stack, JSON and its own fields. */
export function shown(error: unknown): string {
  const e = error as Error & Record<string, unknown>;
  return [String(e), e.stack, JSON.stringify(e), JSON.stringify({ ...e }), String(e.url), JSON.stringify(e.body), JSON.stringify(e.cause ?? null)].join('\n');
}

/** A deterministic pseudo-random source (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
