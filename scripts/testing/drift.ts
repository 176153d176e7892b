// The response-validation tests every package runs: a local server answers one operation with the
// spec's example, then with a drifted copy (a renamed field, a changed type); the client must find
// nothing in the example, report each drift once in `warn` (counted), raise it in `throw` with the
// data attached, and check nothing when validation is off.
import { describe, expect, it } from 'vitest';
import type { DriftReport } from '../../packages/core/src/drift.js';
import type { Logger } from '../../packages/core/src/logger.js';
import { capturingLogger, failure, json, startServer, type RecordedRequest } from './kit.js';

export interface DriftContext {
  baseUrl: string;
  /** A token endpoint on the same server, for clients that fetch OAuth2 tokens. */
  tokenUrl: string;
  logger: Logger;
  validateResponses?: 'off' | 'warn' | 'throw';
}

export interface DriftTarget<Client> {
  provider: string;
  createClient(context: DriftContext): Client & { drift(): DriftReport };
  /** How the server answers a token request, or undefined when `req` is not one. */
  tokenAnswer?(req: RecordedRequest): unknown | undefined;
  operation: string;
  read(client: Client, options?: object): Promise<unknown>;
  /** The spec's example answer of `operation`. */
  answer: unknown;
  status?: number;
  /** Changes a copy of the answer the way a drifting API would. */
  drift(answer: any): void;
  /** The drifts that change must produce (path and kind), no more. */
  expected: { path: string; kind: 'addition' | 'break' }[];
  /** A word the ResponseValidationError class is re-exported as by the package. */
  ResponseValidationError: abstract new (...args: never[]) => Error;
}

const DRIFT_LINE = /^response drift/;

export function describeResponseDrift<Client>(target: DriftTarget<Client>): void {
  const drifted = structuredClone(target.answer);
  target.drift(drifted);

  async function withServer<T>(body: unknown, run: (context: Omit<DriftContext, 'validateResponses'>, lines: ReturnType<typeof capturingLogger>) => Promise<T>): Promise<T> {
    const server = await startServer((req, res) => {
      const token = target.tokenAnswer?.(req);
      if (token !== undefined) return json(res, 200, token);
      json(res, target.status ?? 200, body);
    });
    const log = capturingLogger();
    try {
      return await run({ baseUrl: server.url, tokenUrl: `${server.url}/oauth/token`, logger: log.logger }, log);
    } finally {
      await server.close();
    }
  }

  const seen = (report: DriftReport) =>
    report.drifts.map((d) => ({ path: d.path, kind: d.kind })).sort((a, b) => `${a.path}${a.kind}`.localeCompare(`${b.path}${b.kind}`));
  const expected = [...target.expected].sort((a, b) => `${a.path}${a.kind}`.localeCompare(`${b.path}${b.kind}`));

  describe(`${target.provider}: response validation of ${target.operation}`, () => {
    it("finds no drift in the spec's own example", async () => {
      await withServer(target.answer, async (context, log) => {
        const client = target.createClient({ ...context, validateResponses: 'throw' });
        await target.read(client);
        expect(client.drift().drifts).toEqual([]);
        // At least the read (Kandy's token calls are API calls, checked too).
        expect(client.drift().checked).toBeGreaterThanOrEqual(1);
        expect(log.lines.filter((l) => DRIFT_LINE.test(l.message))).toEqual([]);
      });
    });

    it('off (the default): a drifted answer is returned unchecked', async () => {
      await withServer(drifted, async (context, log) => {
        const client = target.createClient(context);
        const off = target.createClient({ ...context, validateResponses: 'off' });
        const result = await target.read(client);
        expect(await target.read(off)).toEqual(result);
        expect(client.drift()).toMatchObject({ checked: 0, drifts: [] });
        expect(off.drift()).toMatchObject({ checked: 0, drifts: [] });
        expect(log.lines.filter((l) => DRIFT_LINE.test(l.message))).toEqual([]);
      });
    });

    it('warn: logs one line per distinct drift, counts every answer, and returns the data', async () => {
      await withServer(drifted, async (context, log) => {
        const client = target.createClient({ ...context, validateResponses: 'warn' });
        const first = await target.read(client);
        const second = await target.read(client);
        expect(second).toEqual(first);
        const report = client.drift();
        expect(seen(report)).toEqual(expected);
        expect(report.drifts.every((d) => d.count === 2 && d.operation === target.operation && d.status === (target.status ?? 200))).toBe(true);
        expect(report.spec?.file).toBe(`specs/${target.provider}.yaml`);
        expect(JSON.parse(JSON.stringify(report))).toEqual(report);
        const lines = log.lines.filter((l) => DRIFT_LINE.test(l.message));
        expect(lines.map((l) => [l.level, l.fields?.path, l.fields?.kind]).sort()).toEqual(expected.map((e) => ['warn', e.path, e.kind]).sort());
        for (const line of lines) expect(line.message).toContain(target.operation);
      });
    });

    it('throw: a break is a ResponseValidationError that carries the data and the drifts', async () => {
      await withServer(drifted, async (context) => {
        const warned = await target.read(target.createClient({ ...context, validateResponses: 'warn' }));
        const client = target.createClient({ ...context, validateResponses: 'throw' });
        const error = (await failure(target.read(client))) as Error & { data: unknown; drifts: { path: string; kind: string }[]; status: number };
        expect(error).toBeInstanceOf(target.ResponseValidationError);
        expect(error.name).toBe('ResponseValidationError');
        expect(error.data).toEqual(warned);
        expect(seen({ provider: '', spec: undefined, checked: 1, drifts: error.drifts as never })).toEqual(expected);
        // The per-call option wins over the client's.
        const quiet = target.createClient(context);
        await expect(target.read(quiet, { validateResponses: 'throw' })).rejects.toBeInstanceOf(target.ResponseValidationError);
        await expect(target.read(client, { validateResponses: 'off' })).resolves.toEqual(warned);
      });
    });
  });
}
