// Runs one package's program and judges what it returned, the same way in every runtime: the result
// equals the spec's example, and the 404 came back as the package's NotFoundError (an ApiError).
// Only language built-ins here: this file is bundled for browsers and workers too.

export type Env = Readonly<Record<string, string | undefined>>;

export interface Outcome {
  operation: string;
  result: unknown;
  notFound: boolean;
  apiError: boolean;
  status: number | string;
  /** Answers checked against their response schema (`validateResponses` on the read): at least 1. */
  validated: number;
}

export type Program = (env: Env) => Promise<Outcome>;

export interface Config {
  /** What the program reads as its environment: the mocks' URLs and made-up credentials. */
  env: Record<string, string>;
  /** The spec's example result of each read operation, by package and operationId. */
  expected: Record<string, Record<string, unknown>>;
}

export interface Verdict {
  package: string;
  ok: boolean;
  /** The operation called, or what went wrong. */
  detail: string;
  /** The runtime and its version, as it tells them. */
  runtime?: string;
}

export async function check(name: string, program: Program, config: Config): Promise<Verdict> {
  try {
    const outcome = await program(config.env);
    const problems: string[] = [];
    const expected = config.expected[name] ?? {};
    if (!(outcome.operation in expected)) problems.push(`no expected result for ${outcome.operation}`);
    const got = JSON.parse(JSON.stringify(outcome.result));
    const difference = differs(got, expected[outcome.operation], 'result');
    if (difference) problems.push(difference);
    if (!outcome.notFound) problems.push(`the 404 was not a NotFoundError (${outcome.status})`);
    if (!outcome.apiError) problems.push('the 404 was not an ApiError');
    if (outcome.status !== 404) problems.push(`the error's status was ${outcome.status}`);
    if (!(outcome.validated >= 1)) problems.push(`the read was not checked against its response schema (${outcome.validated} answers checked): the lazy import of the schemas failed`);
    return { package: name, ok: problems.length === 0, detail: problems.length ? problems.join('; ') : outcome.operation };
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    return { package: name, ok: false, detail: `threw ${text}`.slice(0, 2000) };
  }
}

/** Where two JSON values differ (object key order aside), or undefined when they are equal. */
export function differs(got: unknown, want: unknown, path: string): string | undefined {
  if (Object.is(got, want)) return undefined;
  if (typeof got !== 'object' || typeof want !== 'object' || got === null || want === null || Array.isArray(got) !== Array.isArray(want)) {
    return `${path}: got ${JSON.stringify(got)?.slice(0, 200)}, expected ${JSON.stringify(want)?.slice(0, 200)}`;
  }
  const keys = new Set([...Object.keys(got), ...Object.keys(want)]);
  for (const key of keys) {
    const d = differs((got as Record<string, unknown>)[key], (want as Record<string, unknown>)[key], `${path}.${key}`);
    if (d) return d;
  }
  return undefined;
}
