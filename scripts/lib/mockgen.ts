// mock.ts: a package's `./mock` subpath. Only the spec's response examples and the wiring; the
// matching, checking and answering live once in @provider-sdk/core/mock.
import type { MockExamples, MockResponse } from '../../packages/core/src/mock.js';
import { header } from './codegen.js';
import type { Provider } from './providers.js';
import type { OpenApiDocument } from './spec-check.js';
import { type ApiModel, resolveRef } from './spec-model.js';

type Json = any;

/**
 * Every documented response of every operation: media type (JSON first) and example. A response
 * component (`$ref: '#/components/responses/Unauthorized'`) is one object wherever it is used, so
 * that mock.ts declares it once.
 */
export function mockExamples(doc: OpenApiDocument, model: ApiModel): { examples: MockExamples; shared: Map<MockResponse, string> } {
  const out: Record<string, { success: string; responses: Record<string, MockResponse> }> = {};
  const byRef = new Map<string, MockResponse>();
  const shared = new Map<MockResponse, string>();
  for (const op of model.operations) {
    const raw = resolveRef(doc, doc.paths[op.path])[op.method.toLowerCase()];
    const responses: Record<string, MockResponse> = {};
    for (const [status, value] of Object.entries<Json>(raw.responses ?? {})) {
      const ref = typeof value?.$ref === 'string' ? value.$ref : undefined;
      const known = ref ? byRef.get(ref) : undefined;
      if (known) {
        responses[status] = known;
        continue;
      }
      const answer = mockResponse(doc, resolveRef(doc, value));
      if (ref) {
        byRef.set(ref, answer);
        shared.set(answer, `response${ref.split('/').pop()!.replace(/[^A-Za-z0-9_$]/g, '_')}`);
      }
      responses[status] = answer;
    }
    const success = Object.keys(responses).find((s) => /^2/.test(s));
    if (success) out[op.id] = { success, responses };
  }
  // Declared once only where used more than once.
  for (const [answer] of shared) if (Object.values(out).filter((o) => Object.values(o.responses).includes(answer)).length < 2) shared.delete(answer);
  return { examples: out, shared };
}

function mockResponse(doc: OpenApiDocument, response: Json): MockResponse {
  const types = Object.keys(response.content ?? {});
  const mediaType = types.find((t) => /json/.test(t)) ?? types[0];
  if (!mediaType) return {};
  const media = response.content[mediaType];
  const first = Object.values<Json>(media.examples ?? {})[0];
  const example = media.example ?? (first ? resolveRef(doc, first).value : undefined);
  return { mediaType, ...(example === undefined ? {} : { example }) };
}

/** The examples as TypeScript: the shared response components as constants, then the table that uses them. */
function examplesSource(doc: OpenApiDocument, model: ApiModel): string {
  const { examples, shared } = mockExamples(doc, model);
  const marker = (name: string) => `@@shared:${name}@@`;
  const table = JSON.stringify(examples, (_key, value) => (shared.has(value) ? marker(shared.get(value)!) : value), 2).replace(/"@@shared:([A-Za-z0-9_$]+)@@"/g, '$1');
  const constants = [...shared].map(([answer, name]) => `const ${name}: MockExamples[string]['responses'][string] = ${JSON.stringify(answer, null, 2)};\n`).join('\n');
  return `${constants}${constants ? '\n' : ''}const examples: MockExamples = ${table};`;
}

export function generateMockTs(p: Provider, doc: OpenApiDocument, model: ApiModel): string {
  const factory = `create${p.typeName}Mock`;
  const required = model.servers[0] && Object.entries(model.servers[0].variables ?? {}).some(([, v]) => v['x-required']);
  return `${header(p)}// \`${p.npmName}/mock\`: MSW request handlers answering every operation with the spec's examples.
import { createMock, type MockExamples, type MockOptions, type ProviderMock } from '@provider-sdk/core/mock';
import { api } from './operations.js';
import type { operations } from './schema.js';

export type { MockAnswer, MockOptions, MockOverride, MockRequest, ProviderMock } from '@provider-sdk/core/mock';

${examplesSource(doc, model)}

/**
 * MSW request handlers (msw is an optional peer dependency) for ${model.title}. Every operation
 * answers the spec's example for its first 2xx status, once the request passes the spec's checks
 * (else a 422 naming the issues; 401 without credentials, 404 for a path of no operation).
 * ${required ? "The server URL has a required variable: pass `baseUrl`, the one the client uses." : "They answer under the client's default base URL, or `baseUrl`."}
 *
 * \`\`\`ts
 * const mock = ${factory}(${required ? "{ baseUrl: 'https://…' }" : ''});
 * const server = setupServer(...mock.handlers);
 * server.use(mock.override('${(model.operations.find((o) => o.method === 'GET') ?? model.operations[0])?.id ?? 'operationId'}', { status: 500 }));
 * \`\`\`
 */
export function ${factory}(options?: MockOptions): ProviderMock<operations> {
  return createMock<operations>(api, examples, options, '${factory}');
}
`;
}
