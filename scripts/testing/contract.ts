// The test side of the contract harness: a fetch that watches every answer from Prism for
// validation failures, records which operations were really exercised (for `pnpm coverage`), and
// reads the spec's own examples so that tests compare results with what the spec promises.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { callOperation, type OperationArgs, type SpecExamples, specExamples } from './examples.js';
import { readViolations } from './violations.js';

export { callOperation, type OperationArgs, synthesize } from './examples.js';

type Json = any;

declare module 'vitest' {
  interface ProvidedContext {
    mocks: Record<string, string>;
  }
}

/** A made-up credential for every security scheme of an API: Prism checks a credential's form, not its value. */
export function exampleCredentials(api: { securitySchemes: Record<string, { type: string; scheme?: string }> }): Record<string, unknown> {
  const credentials: Record<string, unknown> = {};
  for (const [name, scheme] of Object.entries(api.securitySchemes)) {
    credentials[name] = scheme.type === 'http' && scheme.scheme === 'basic' ? { username: 'contract', password: 'contract-pass' } : `contract-${name}`;
  }
  return credentials;
}

export interface Violation {
  operation: string;
  status: number;
  detail: string;
}

export interface ContractHarness extends SpecExamples {
  baseUrl: string;
  /** Give this to the client under test. */
  fetch: typeof fetch;
  violations: Violation[];
  /** Fails the test if Prism reported any violation since the last call. */
  assertClean(): void;
}

export function contractHarness(spec: string): ContractHarness {
  const mocks = inject('mocks');
  const baseUrl = mocks?.[spec];
  if (!baseUrl) throw new Error(`no Prism mock for "${spec}": list it in the package's vitest.config.ts mocks`);
  const examples = specExamples(spec);
  const violations: Violation[] = [];
  const recordDir = process.env.PROVIDER_SDK_CONTRACT_DIR;

  const contractFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    const url = new URL(request.url);
    const found = (await readViolations(response)).filter((v) => v.severity === 'error');
    if (found.length) {
      violations.push({
        operation: `${request.method} ${url.pathname}`,
        status: response.status,
        detail: found.map((v) => (v.location ? `${v.location}: ${v.message}` : v.message)).join('; '),
      });
    } else if (recordDir && response.status < 300) {
      mkdirSync(recordDir, { recursive: true });
      const base = new URL(baseUrl).pathname.replace(/\/$/, '');
      appendFileSync(join(recordDir, 'calls.jsonl'), `${JSON.stringify({ spec, method: request.method, path: url.pathname.slice(base.length) })}\n`);
    }
    return response;
  };

  return {
    ...examples,
    baseUrl,
    fetch: contractFetch,
    violations,
    assertClean() {
      const found = violations.splice(0);
      expect(found, 'Prism reported contract violations').toEqual([]);
    },
  };
}

/**
 * One test per operation of the spec: call it through the package with the spec's example
 * arguments, require a clean bill from Prism, and compare the typed result with the spec's example.
 */
export function describeEveryOperation(harness: ContractHarness, client: Json, overrides: Record<string, Partial<OperationArgs>> = {}): void {
  describe(`every operation of specs/${harness.spec}.yaml against Prism`, () => {
    for (const op of harness.model.operations) {
      it(`${op.id}: ${op.method} ${op.path}`, async () => {
        const result = await callOperation(client, harness, op.id, overrides[op.id]);
        harness.assertClean();
        expect(result).toEqual(harness.expectedResult(op.id));
      });
    }
  });
}
