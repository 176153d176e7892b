import { ProviderSdkError } from './errors.js';
import type { LevelledLogger } from './logger.js';
import type { SecretRegistry } from './redact.js';
import type { ApiSpec, ResponseSchemas } from './spec.js';

/*
 * Response validation: where a real answer differs from the spec's response schema ("drift"). This
 * module is what every client carries (modes, the report, the error); the schema walker
 * (drift-walk.ts) and the generated response schemas are imported only when validation is on.
 */

/** `off` (default): answers are not checked. `warn`: drifts are logged and counted. `throw`: a break is a ResponseValidationError. */
export type ValidateResponses = 'off' | 'warn' | 'throw';

/** Sets a client's `validateResponses` when the option is not given (`off`, `warn` or `throw`). */
export const VALIDATE_RESPONSES_VARIABLE = 'PROVIDER_SDK_VALIDATE_RESPONSES';

/** `addition`: the answer has what the spec does not name (the API grew). `break`: it lacks or changes what the spec promises. */
export type DriftKind = 'addition' | 'break';

/** One difference the walker found in one answer. */
export interface DriftFinding {
  /** JSON path into the body, array items as `[*]`: `$.content[*].status`. */
  path: string;
  kind: DriftKind;
  /** What the spec says: a type (`integer`, `string (date-time)`), `one of "a", "b"`, `no such property`. */
  expected: string;
  /** What came: a type, `missing`, `null`, or (for enums only) the value, redacted and shortened. */
  received: string;
  /** The component schema whose property or value drifted, when the path is inside one. */
  schema?: string;
}

/** One distinct drift, as counted by a client. */
export interface Drift extends DriftFinding {
  operation: string;
  status: number;
  /** How many answers showed it. */
  count: number;
  /** ISO 8601 time of the first answer that showed it. */
  firstSeen: string;
}

/** What `client.drift()` returns and `pnpm contract --report` writes; `pnpm drift` reads it. JSON-serialisable. */
export interface DriftReport {
  provider: string;
  spec: { file: string; version: string } | undefined;
  /** How many answers were checked against a schema (so that no drifts means something). */
  checked: number;
  drifts: Drift[];
}

/** An answer broke the spec's response schema (`validateResponses: 'throw'`); `data` is still the decoded result. */
export class ResponseValidationError extends ProviderSdkError {
  override name = 'ResponseValidationError';
  readonly operationId: string;
  readonly status: number;
  /** The result the call would have returned, for callers that can still use it. */
  readonly data: unknown;
  /** Every drift of this answer (breaks and additions). */
  readonly drifts: readonly Drift[];
  constructor(operationId: string, status: number, data: unknown, drifts: readonly Drift[]) {
    const breaks = drifts.filter((d) => d.kind === 'break');
    const shown = breaks.slice(0, 3).map((d) => `${d.path}: expected ${d.expected}, received ${d.received}`);
    super(`${operationId} answered ${status} with a body that breaks the spec: ${shown.join('; ')}${breaks.length > 3 ? ` (and ${breaks.length - 3} more)` : ''}`);
    this.operationId = operationId;
    this.status = status;
    this.data = data;
    this.drifts = drifts;
  }
}

type Walker = typeof import('./drift-walk.js');

/** The distinct drifts one client (and its views) has seen; the checker and schemas are loaded on first use. */
export class DriftLog {
  readonly api: ApiSpec;
  /** Distinct drifts by key (operation, status, path, kind, expected, received). */
  readonly seen = new Map<string, Drift>();
  /** Answers checked against a schema. */
  checked = 0;
  /** Set once the log holds as many distinct drifts as it keeps. */
  full = false;
  #loaded: Promise<{ schemas: ResponseSchemas; walker: Walker } | undefined> | undefined;

  constructor(api: ApiSpec) {
    this.api = api;
  }

  report(): DriftReport {
    return { provider: this.api.provider, spec: this.api.spec, checked: this.checked, drifts: [...this.seen.values()].map((d) => ({ ...d })) };
  }

  /** Checks one answer's body (see drift-walk.ts `checkAnswer`); in `throw` mode a break is a ResponseValidationError. */
  async check(mode: Exclude<ValidateResponses, 'off'>, operation: string, status: number, body: unknown, data: unknown, logger: LevelledLogger, secrets: SecretRegistry, now: number): Promise<void> {
    const responses = this.api.responses;
    this.#loaded ??= responses
      ? Promise.all([responses(), import('./drift-walk.js')]).then(
          // responses.ts leaves out the components operations.ts holds as they are.
          ([loaded, walker]) => ({ schemas: { operations: loaded.operations, schemas: { ...this.api.schemas, ...loaded.schemas } }, walker }),
          (error: unknown) => {
            // Validation is a diagnostic: a bundle that left the schemas out must not break calls.
            logger.warn(`response validation is off: the response schemas could not be loaded (${error instanceof Error ? error.message : String(error)})`);
            return undefined;
          },
        )
      : Promise.resolve(undefined);
    const loaded = await this.#loaded;
    if (!loaded) return;
    const drifts = loaded.walker.checkAnswer(this, loaded.schemas, { mode, operation, status, body, logger, secrets, now });
    if (mode === 'throw' && drifts.some((d) => d.kind === 'break')) throw new ResponseValidationError(operation, status, data, drifts);
  }
}

/** The mode from the environment, when it names one. */
export function validateResponsesFrom(value: string | undefined): ValidateResponses | undefined {
  const mode = value?.toLowerCase();
  return mode === 'off' || mode === 'warn' || mode === 'throw' ? mode : undefined;
}

export function checkValidateResponses(value: unknown, where: string): void {
  if (value !== undefined && value !== 'off' && value !== 'warn' && value !== 'throw') throw new TypeError(`${where} must be 'off', 'warn' or 'throw'`);
}
