// The test side of each package's `./mock`: the real client against the MSW handlers, for every
// operation, with the contract harness's example arguments (examples.ts), compared with the spec's
// examples as examples.ts reads them (independently of the generator's copy in mock.ts).
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HttpHandler } from 'msw';
import { callOperation, type SpecExamples, specExamples } from './examples.js';

type Json = any;

/** An msw server for the handlers, listening for the file's tests; unknown requests fail the test. */
export function mockServer(handlers: readonly HttpHandler[]) {
  const server = setupServer(...handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** One test per operation of the spec: call it through the client, which only the mock answers. */
export function describeEveryMockedOperation(spec: string, client: Json): SpecExamples {
  const examples = specExamples(spec);
  describe(`every operation of specs/${spec}.yaml against its ./mock handlers`, () => {
    for (const op of examples.model.operations) {
      it(`${op.id}: ${op.method} ${op.path}`, async () => {
        expect(await callOperation(client, examples, op.id)).toEqual(examples.expectedResult(op.id));
      });
    }
  });
  return examples;
}
