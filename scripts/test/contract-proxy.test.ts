import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specExamples } from '../testing/examples.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const spec = specExamples('enhance');
// The four customer and subscription operations this fake panel answers (the spec has more).
const SEEDED = ['--only', 'getOrgCustomers,createCustomer,getCustomerSubscriptions,createCustomerSubscription'];

// A panel that answers with the spec's own examples, except for three deliberate drifts:
// a field of the wrong type, a missing required field, and a status code the spec does not declare.
let upstream: Server;
let upstreamUrl: string;
const seen: { method: string; url: string; authorization?: string }[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const isSubscriptions = req.url!.includes('/subscriptions');
    if (req.method === 'GET' && !isSubscriptions) {
      const page = structuredClone(spec.responseExample('getOrgCustomers'));
      page.items[0].websitesCount = 'three';
      return send(200, page);
    }
    if (req.method === 'GET') {
      const page = structuredClone(spec.responseExample('getCustomerSubscriptions'));
      delete page.items[0].planName;
      return send(200, page);
    }
    if (!isSubscriptions) return send(202, { id: spec.responseExample('createCustomer').id });
    return send(201, spec.responseExample('createCustomerSubscription'));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

async function contract(...args: string[]) {
  try {
    const { stdout, stderr } = await run(TSX, [join(ROOT, 'scripts', 'contract.ts'), 'enhance', ...args], { env: { ...process.env, ENHANCE_TOKEN: 'enh-upstream-token-42' } });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('pnpm contract against a drifting upstream through prism proxy', () => {
  it('names every drift, operation by operation, and exits non-zero', async () => {
    seen.length = 0;
    const { code, out } = await contract('--upstream', upstreamUrl, '--writes', ...SEEDED);
    expect(code).toBe(1);
    expect(out).toMatch(/✗ getOrgCustomers .*\n {4}response error at response\.body\.items\.0\.websitesCount: Response body property items\.0\.websitesCount must be integer/);
    expect(out).toMatch(/✗ getCustomerSubscriptions .*\n {4}response error at response\.body\.items\.0: Response body property items\.0 must have required property 'planName'/);
    expect(out).toMatch(/✗ createCustomer .*\n {4}response (error|warning) at response: Unable to match the returned status code with those defined in the document: 201,400,401,403,404,409/);
    expect(out).toMatch(/✓ createCustomerSubscription .* 201/);
    expect(out).toContain('1 of 4 operations matched the spec');
    // The requests really reached the upstream, authenticated, and the token is in no line of the report.
    expect(seen.map((s) => s.method)).toEqual(['GET', 'POST', 'GET', 'POST']);
    expect(seen.every((s) => s.authorization === 'Bearer enh-upstream-token-42')).toBe(true);
    expect(out).not.toContain('enh-upstream-token-42');
  });

  it('runs only read-only operations unless --writes is given', async () => {
    seen.length = 0;
    const { out } = await contract('--upstream', upstreamUrl, ...SEEDED);
    expect(seen.map((s) => s.method)).toEqual(['GET', 'GET']);
    expect(out).toContain('0 of 2 operations matched the spec; 2 write operations skipped (pass --writes to include them)');
  });

  it('--report writes what the client itself found, in the drift report format pnpm drift reads', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'contract-report-')), 'drift.json');
    const { out } = await contract('--upstream', upstreamUrl, '--writes', ...SEEDED, '--report', file);
    expect(out).toContain(`drift report written to ${file}`);
    // Prism still judges every exchange (from its violations header).
    expect(out).toMatch(/✗ getOrgCustomers .*\n {4}response error at response\.body\.items\.0\.websitesCount/);
    const report = JSON.parse(readFileSync(file, 'utf8'));
    expect(report.provider).toBe('Enhance');
    expect(report.spec.file).toBe('specs/enhance.yaml');
    const found = report.drifts.map((d: { operation: string; path: string; kind: string; received: string }) => `${d.operation} ${d.kind} ${d.path} ${d.received}`);
    expect(found).toEqual(
      expect.arrayContaining(['getOrgCustomers break $.items[*].websitesCount string', 'getCustomerSubscriptions break $.items[*].planName missing']),
    );
    expect(readFileSync(file, 'utf8')).not.toContain('enh-upstream-token-42');
    const { stdout } = await run(TSX, [join(ROOT, 'scripts', 'drift.ts'), 'enhance', file]);
    expect(stdout).toMatch(/getOrgCustomers 200\n {2}✗ break {4}\$\.items\[\*\]\.websitesCount: expected integer, received string/);
  });

  it('passes when the upstream keeps to the spec', async () => {
    const { code, out } = await contract('--upstream', upstreamUrl, '--writes', '--only', 'createCustomerSubscription');
    expect(code, out).toBe(0);
    expect(out).toContain('1 of 1 operations matched the spec');
  });

  it('says which credentials it needs', async () => {
    try {
      await run(TSX, [join(ROOT, 'scripts', 'contract.ts'), 'enhance', '--upstream', upstreamUrl], { env: { ...process.env, ENHANCE_TOKEN: '' } });
      expect.unreachable();
    } catch (error) {
      const e = error as { code: number; stderr: string };
      expect(e.code).toBe(2);
      expect(e.stderr).toContain('set ENHANCE_TOKEN (an organization access token');
    }
  });
});
