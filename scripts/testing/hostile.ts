// The hostile-server suite: every provider package runs it (test/hostile.test.ts) with its real
// credential kinds planted as unique strings. Two local origins: A plays the API (and its token
// endpoint), B is "another origin" that must never see a credential. A redirects (every status, to
// itself or to B, with the query or without), resets, stalls, echoes the request into an error body,
// answers empty or huge bodies and repeats pages. The suite asserts that B receives no secret in any
// header, query or body, that no call outlives its timeout, that no socket stays open, and that every
// failure is the documented typed error, with no secret in anything a user could see.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../packages/core/src/logger.js';
import { capturingLogger } from './kit.js';

/** Every printable ASCII punctuation character: what a secret may contain. */
export const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** A secret with a unique alphanumeric marker at both ends (any encoding keeps the marker readable). */
export function plantSecret(label: string): { value: string; marker: string } {
  const marker = `MK${label.replace(/[^A-Za-z0-9]/g, '').slice(0, 6)}${Math.random().toString(36).slice(2, 10)}`;
  return { marker, value: `${marker}${PUNCTUATION}${marker}` };
}

export interface HostileRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface HostileOrigin {
  url: string;
  requests: HostileRequest[];
  /** Connections currently open. */
  open(): number;
  handle: (req: HostileRequest, res: ServerResponse) => void;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 whose handler the test swaps; every answer closes its connection. */
export async function hostileOrigin(): Promise<HostileOrigin> {
  const sockets = new Set<Socket>();
  const origin: HostileOrigin = {
    url: '',
    requests: [],
    open: () => sockets.size,
    handle: (_req, res) => answer(res, 200, {}),
    close: async () => undefined,
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    origin.requests.push(recorded);
    origin.handle(recorded, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  origin.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return origin;
}

export function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close', ...headers });
  res.end(text);
}

export interface HostileContext {
  /** Origin A: the API (and its token endpoint). */
  baseUrl: string;
  /** A token endpoint URL on origin A, for clients that fetch OAuth2 tokens. */
  tokenUrl: string;
  logger: Logger;
  timeoutMs: number;
  followRedirects?: 'same-origin' | 'any';
}

export interface HostileTarget<Client> {
  provider: string;
  /** The client under test, on origin A, with its planted credentials. */
  createClient(context: HostileContext): Client;
  /** Every secret planted in the client's credentials. */
  planted: { value: string; marker: string }[];
  /**
   * How origin A answers a token request, if the client fetches tokens (OAuth2, Kandy's token calls):
   * the body to send, or undefined when `req` is not a token request. `token` is a planted token.
   */
  tokenAnswer?(req: HostileRequest, token: string): unknown | undefined;
  /** A read call, and what a successful read answers (the spec's example). */
  read(client: Client, options?: object): Promise<unknown>;
  readAnswer: unknown;
  /** A call that sends a request body, and its successful answer. */
  write?(client: Client, options?: object): Promise<unknown>;
  writeAnswer?: unknown;
  /** A paged list: the iteration, and a page of `items` out of `total`. */
  list?: { iterate(client: Client): AsyncIterable<unknown>; page(items: unknown[], total: number): unknown };
}

/** Everything of an error a user could see: text, stack, JSON, inspect with hidden fields, the cause chain. */
function shown(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(String(e), (e as Error).stack ?? '', JSON.stringify(e) ?? '', inspect(e, { depth: 10, showHidden: true }));
  }
  return parts.join('\n');
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The planted secrets found in a text: by marker (every text encoding keeps it), or in Base64 (alone or in a Basic pair). */
function leaks(text: string, planted: HostileTarget<unknown>['planted'], tokens: string[]): string[] {
  const found: string[] = [];
  for (const { value, marker } of [...planted, ...tokens.map((t) => ({ value: t, marker: t.slice(0, t.indexOf('!')) }))]) {
    if (text.includes(marker) || text.includes(base64(value).slice(0, 16))) found.push(marker);
  }
  for (const a of planted) for (const b of planted) if (text.includes(base64(`${a.value}:${b.value}`).slice(0, 24))) found.push(`${a.marker}:${b.marker}`);
  return found;
}

function requestText(r: HostileRequest): string {
  return `${r.method} ${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`;
}

async function settle(promise: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

const REDIRECTS = [301, 302, 303, 307, 308] as const;

export function describeHostileServer<Client>(target: HostileTarget<Client>): void {
  describe(`${target.provider} against hostile servers`, () => {
    const minted: string[] = [];
    async function setUp(followRedirects?: 'same-origin' | 'any', timeoutMs = 10_000) {
      const a = await hostileOrigin();
      const b = await hostileOrigin();
      const log = capturingLogger();
      const client = target.createClient({ baseUrl: a.url, tokenUrl: `${a.url}/oauth/token`, logger: log.logger, timeoutMs, ...(followRedirects ? { followRedirects } : {}) });
      /** Origin A's API answers with `api`; token requests get a planted token. */
      const serve = (api: (req: HostileRequest, res: ServerResponse) => void) => {
        a.handle = (req, res) => {
          if (target.tokenAnswer) {
            const token = plantSecret(`tok${minted.length}`);
            const body = target.tokenAnswer(req, token.value);
            if (body !== undefined) {
              minted.push(token.value);
              return answer(res, 200, body);
            }
          }
          api(req, res);
        };
      };
      const teardown = async () => {
        // No connection outlives its call: every answer closed its own, and timed-out attempts were
        // aborted. (After an abort, Node's fetch opens one idle spare connection, which it closes
        // after its 4 s keep-alive timeout: hence the wait.)
        const closed = await waitFor(() => a.open() === 0 && b.open() === 0, 6_000);
        const open = a.open() + b.open();
        await a.close();
        await b.close();
        expect(closed, `${open} connection(s) still open`).toBe(true);
      };
      return { a, b, log, client, serve, teardown };
    }
    const calls = (client: Client): [string, () => Promise<unknown>, unknown][] => [
      ['read', () => target.read(client), target.readAnswer],
      ...(target.write ? [['write', () => target.write!(client), target.writeAnswer] as [string, () => Promise<unknown>, unknown]] : []),
    ];

    it('refuses every redirect to another origin by default: a RedirectError, and the other origin sees nothing', async () => {
      const { a, b, log, client, serve, teardown } = await setUp();
      for (const status of REDIRECTS) {
        for (const keepQuery of [false, true]) {
          serve((req, res) => answer(res, status, {}, { location: `${b.url}/elsewhere${keepQuery ? new URL(req.url, a.url).search : ''}` }));
          for (const [kind, call] of calls(client)) {
            const outcome = await settle(call());
            expect(outcome.ok, `${kind} after a ${status}`).toBe(false);
            if (!outcome.ok) {
              expect((outcome.error as Error).name, `${kind} after a ${status}`).toBe('RedirectError');
              expect(leaks(shown(outcome.error), target.planted, minted), `${kind} after a ${status}: the error`).toEqual([]);
            }
          }
        }
      }
      expect(b.requests).toEqual([]);
      expect(leaks(log.text(), target.planted, minted)).toEqual([]);
      await teardown();
    });

    it("with followRedirects: 'any', follows to another origin without a single credential, and never sends a body there", async () => {
      const { a, b, log, client, serve, teardown } = await setUp('any');
      for (const status of REDIRECTS) {
        serve((req, res) => answer(res, status, {}, { location: `${b.url}/elsewhere${new URL(req.url, a.url).search}` }));
        for (const [kind, call, success] of calls(client)) {
          b.handle = (_req, res) => answer(res, 200, success);
          const before = b.requests.length;
          const outcome = await settle(call());
          const sentBody = kind === 'write';
          const refused = sentBody && (status === 301 || status === 302 || status === 307 || status === 308);
          expect(outcome.ok, `${kind} after a ${status}`).toBe(!refused);
          if (!outcome.ok) expect((outcome.error as Error).name).toBe('RedirectError');
          // A followed write is a 303 (now a GET without body); a refused one sends nothing.
          expect(b.requests.length - before, `${kind} after a ${status}`).toBe(refused ? 0 : 1);
        }
      }
      for (const request of b.requests) expect(leaks(requestText(request), target.planted, minted), requestText(request)).toEqual([]);
      for (const request of b.requests) expect(request.body, 'no body reaches the other origin').toBe('');
      expect(leaks(log.text(), target.planted, minted)).toEqual([]);
      await teardown();
    });

    it('follows redirects within the origin, and never turns a redirected write into a silent GET', async () => {
      const { a, client, serve, teardown } = await setUp();
      for (const status of REDIRECTS) {
        for (const [kind, call, success] of calls(client)) {
          serve((req, res) => (req.url.startsWith('/moved/') ? answer(res, 200, success) : answer(res, status, {}, { location: `/moved${req.url}` })));
          const outcome = await settle(call());
          const isWrite = kind === 'write';
          const refused = isWrite && (status === 301 || status === 302);
          expect(outcome.ok, `${kind} after a same-origin ${status}`).toBe(!refused);
          if (!outcome.ok) expect((outcome.error as Error).name).toBe('RedirectError');
          const moved = a.requests.filter((r) => r.url.startsWith('/moved/')).at(-1);
          if (!refused) expect(moved?.method, `${kind} after a ${status}`).toBe(status === 303 && isWrite ? 'GET' : a.requests.at(-2)?.method);
          a.requests.length = 0;
        }
      }
      await teardown();
    });

    it('turns a reset into a ConnectionError and a stall into a TimeoutError, in time, leaving no socket open', async () => {
      const { client, serve, teardown } = await setUp(undefined, 250);
      serve((_req, res) => res.socket?.destroy());
      const reset = await settle(target.read(client, { retry: false }));
      expect(reset.ok).toBe(false);
      if (!reset.ok) expect((reset.error as Error).name).toBe('ConnectionError');
      serve(() => undefined); // never answers
      const started = Date.now();
      const stalls = await Promise.all(Array.from({ length: 20 }, () => settle(target.read(client, { retry: false }))));
      // 20 calls of a 250 ms timeout, at once: well under 5 s even on a loaded machine, and never the 30 s default.
      expect(Date.now() - started).toBeLessThan(5_000);
      for (const s of stalls) expect(!s.ok && (s.error as Error).name).toBe('TimeoutError');
      serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
        res.write('{"a":'); // the body stalls after the headers
      });
      const stalledBody = await settle(target.read(client, { retry: false }));
      expect(!stalledBody.ok && (stalledBody.error as Error).name).toBe('TimeoutError');
      await teardown();
    });

    it('keeps every secret out of errors and logs when the server echoes the request back, in any encoding', async () => {
      const { client, log, serve, teardown } = await setUp();
      const echoes: ((req: HostileRequest) => [string, Record<string, string>])[] = [
        (req) => [JSON.stringify({ message: requestText(req), request: req }), { 'content-type': 'application/json' }],
        (req) => [`<html><body><pre>${requestText(req).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}</pre></body></html>`, { 'content-type': 'text/html' }],
        (req) => [`error: ${requestText(req)}`, { 'content-type': 'text/plain' }],
        (req) => [JSON.stringify({ error: requestText(req) }).replace(/\//g, '\\/'), { 'content-type': 'application/json' }],
      ];
      const errors: unknown[] = [];
      for (const echo of echoes) {
        serve((req, res) => {
          const [text, headers] = echo(req);
          res.writeHead(400, { connection: 'close', ...headers });
          res.end(text);
        });
        for (const [, call] of calls(client)) {
          const outcome = await settle(call());
          expect(outcome.ok).toBe(false);
          if (!outcome.ok) errors.push(outcome.error);
        }
      }
      for (const error of errors) expect(leaks(shown(error), target.planted, minted), shown(error).slice(0, 2_000)).toEqual([]);
      expect(leaks(log.text(), target.planted, minted)).toEqual([]);
      await teardown();
    });

    it('bounds a huge error body, and refuses an empty success body where the spec promises JSON', async () => {
      // 10 MB take a while on a busy machine: this test is about the bound, not the clock.
      const { client, serve, teardown } = await setUp(undefined, 10_000);
      serve((_req, res) => answer(res, 500, { message: 'x'.repeat(10 * 1024 * 1024) }));
      const huge = await settle(target.read(client, { retry: false }));
      expect(huge.ok).toBe(false);
      if (!huge.ok) {
        expect((huge.error as Error).name).toBe('InternalServerError');
        const error = huge.error as Error & { body: unknown };
        expect(error.message.length).toBeLessThan(1_200);
        expect(JSON.stringify(error.body).length).toBeLessThan(70_000);
      }
      serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
        res.end();
      });
      const empty = await settle(target.read(client));
      expect(!empty.ok && (empty.error as Error).name).toBe('MalformedResponseError');
      await teardown();
    });

    if (target.list) {
      it('stops with a PaginationError when the server repeats the same page forever', async () => {
        const { client, serve, teardown } = await setUp();
        serve((_req, res) => answer(res, 200, target.list!.page([{ id: 'same' }, { id: 'page' }], 1_000_000)));
        let seen = 0;
        const outcome = await settle(
          (async () => {
            for await (const _ of target.list!.iterate(client)) seen++;
          })(),
        );
        expect(!outcome.ok && (outcome.error as Error).name).toBe('PaginationError');
        expect(seen).toBeLessThan(10);
        await teardown();
      });
    }

    if (target.tokenAnswer) {
      it('keeps token requests in bounds: no redirect to another origin, the call timeout and abort hold while waiting', async () => {
        const { a, b, client, log, teardown } = await setUp(undefined, 300);
        const isToken = (req: HostileRequest) => target.tokenAnswer!(req, 'probe') !== undefined;
        const pending: ServerResponse[] = [];
        a.handle = (req, res) => (isToken(req) ? answer(res, 307, {}, { location: `${b.url}/steal` }) : answer(res, 200, target.readAnswer));
        const redirected = await settle(target.read(client, { retry: false }));
        expect(redirected.ok).toBe(false);
        expect(b.requests).toEqual([]);
        a.handle = (req, res) => (isToken(req) ? void pending.push(res) : answer(res, 200, target.readAnswer)); // the token endpoint hangs
        const started = Date.now();
        const hung = await settle(target.read(client, { retry: false, timeoutMs: 300 }));
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(!hung.ok && (hung.error as Error).name).toMatch(/TimeoutError|TokenError/);
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 50);
        const aborted = await settle(target.read(client, { retry: false, signal: controller.signal, timeoutMs: 5_000 }));
        expect(!aborted.ok && (aborted.error as Error).name).toBe('AbortError');
        expect(leaks(log.text(), target.planted, minted)).toEqual([]);
        // The shared token fetch others might wait on goes on by design; end it before counting sockets.
        a.handle = (_req, res) => res.socket?.destroy();
        for (const res of pending) res.socket?.destroy();
        await teardown();
      });
    }
  });
}
