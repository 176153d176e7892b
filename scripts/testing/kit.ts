// Small test tools every package's tests use: a local HTTP server, a clock that never waits, a
// logger that keeps its lines, and a view of everything a user could see of errors and logs (to
// search it for secrets).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import type { Clock } from '../../packages/core/src/clock.js';
import type { Logger, LogFields } from '../../packages/core/src/logger.js';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A local HTTP server whose handler sees every request in order; `requests` records them. */
export async function startServer(
  handler: (req: RecordedRequest, res: ServerResponse, index: number) => void | Promise<void>,
): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    requests.push(recorded);
    await handler(recorded, res, requests.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers a node:http request with JSON. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A JSON answer made up by the test, for an injected fetch (cases a mock cannot serve). */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A clock that never waits: sleeps are recorded and advance time instantly. */
export function fakeClock(start = 1_700_000_000_000): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms, signal) {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
  };
}

export interface LogLine {
  level: string;
  message: string;
  fields: LogFields | undefined;
}

/** A logger that keeps every line; `text()` renders them all, as a user's log would show them. */
export function capturingLogger(): { logger: Logger; lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => void lines.push({ level, message, fields });
  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    lines,
    text: () => lines.map((l) => `${l.level} ${l.message} ${JSON.stringify(l.fields ?? {})}`).join('\n'),
  };
}

/** Settles a promise that should fail, and returns what it failed with. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`the call should have failed, but returned ${JSON.stringify(outcome.value)}`);
  return outcome.error;
}

/** Everything a user could see of some errors and log lines: text, stack, JSON, inspected, causes. */
export function exposed(errors: readonly unknown[], lines: readonly LogLine[] = []): string {
  const shownErrors = errors.map((e) => {
    const error = e as Error;
    return [String(error), error?.stack, JSON.stringify(error), inspect(error, { depth: 10 }), JSON.stringify(error?.cause ?? null)].join('\n');
  });
  const shownLines = lines.map((l) => `${l.level} ${l.message} ${JSON.stringify(l.fields ?? {})}`);
  return [...shownErrors, ...shownLines].join('\n');
}
