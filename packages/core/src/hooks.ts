import type { ApiError, ApiErrorInit, ArgumentIssue } from './errors.js';
import type { PagingOptions } from './pagination.js';
import type { RetryOptions } from './retry.js';
import type { ApiSpec, OperationSpec } from './spec.js';

/**
 * The named points where a provider package customises the request pipeline, registered when its
 * client is created (never by subclassing). The stages run in one direction:
 *
 *     build (hook: params) → check (hook: check) → authenticate → send (hook: isCredentialRefusal)
 *       → classify (hook: error) → decode (hook: result) → return   (any failure: hook `failure`)
 */

/** A call's parameters: path, query, header and cookie parameters by name, and the body under `body`. */
export type CallParams = Readonly<Record<string, unknown>>;

/** Options for a single call. */
export interface RequestOptions extends PagingOptions {
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout, covering headers and body. */
  timeoutMs?: number | undefined;
  retry?: RetryOptions | false | undefined;
  /** Headers added to this request. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Check arguments against the spec before sending (the safety checks always run). */
  validate?: boolean | undefined;
  /** This call's response validation (see ClientOptions.validateResponses). */
  validateResponses?: 'off' | 'warn' | 'throw' | undefined;
  /** This call's redirect policy (see ClientOptions.followRedirects). */
  followRedirects?: 'same-origin' | 'any' | undefined;
  /**
   * The idempotency key to send, where the spec names an idempotency header (`x-idempotency-header`);
   * without one the client makes a new key per call. Reuse a key to make a repeated call safe.
   */
  idempotencyKey?: string | undefined;
}

/** What a hook knows about the call it sees. */
export interface CallContext {
  readonly api: ApiSpec;
  readonly op: OperationSpec;
  readonly options: RequestOptions;
  /** Whether the spec's argument checks are on for this call. */
  readonly validate: boolean;
}

export interface Hooks {
  /** Limits this hook set to these operations (by operationId); every operation when absent. */
  operations?: readonly string[];
  /** build: rewrites the parameters before the request is built (e.g. fills a computed value). */
  params?(params: CallParams, ctx: CallContext): CallParams;
  /** check: more argument checks; any issue fails the call before anything is sent. */
  check?(params: CallParams, ctx: CallContext): readonly ArgumentIssue[] | undefined;
  /**
   * send: whether a failure means the server refused the credential the call used (a 401 always
   * does). A refused credential that can be renewed is dropped and the call repeated once.
   */
  isCredentialRefusal?(error: ApiError, ctx: CallContext): boolean;
  /** classify: the error for a failed answer, e.g. a provider's own class; undefined keeps the default. */
  error?(init: ApiErrorInit, ctx: CallContext & { readonly envelope: boolean }): ApiError | undefined;
  /** decode: the result, from the decoded data (`body` is the whole decoded body, before unwrapping). */
  result?(data: unknown, ctx: CallContext & { readonly body: unknown }): unknown;
  /** Sees every failure of the call before the caller does, and may replace it (e.g. add a hint). */
  failure?(error: unknown, ctx: CallContext): unknown;
}

/** The hooks that apply to one operation, composed in registration order. */
export interface OperationHooks {
  params: ((params: CallParams, ctx: CallContext) => CallParams)[];
  check: ((params: CallParams, ctx: CallContext) => readonly ArgumentIssue[] | undefined)[];
  isCredentialRefusal: ((error: ApiError, ctx: CallContext) => boolean)[];
  error: ((init: ApiErrorInit, ctx: CallContext & { readonly envelope: boolean }) => ApiError | undefined)[];
  result: ((data: unknown, ctx: CallContext & { readonly body: unknown }) => unknown)[];
  failure: ((error: unknown, ctx: CallContext) => unknown)[];
}

export function hooksFor(hooks: readonly Hooks[], operationId: string): OperationHooks {
  const out: OperationHooks = { params: [], check: [], isCredentialRefusal: [], error: [], result: [], failure: [] };
  for (const h of hooks) {
    if (h.operations && !h.operations.includes(operationId)) continue;
    if (h.params) out.params.push(h.params.bind(h));
    if (h.check) out.check.push(h.check.bind(h));
    if (h.isCredentialRefusal) out.isCredentialRefusal.push(h.isCredentialRefusal.bind(h));
    if (h.error) out.error.push(h.error.bind(h));
    if (h.result) out.result.push(h.result.bind(h));
    if (h.failure) out.failure.push(h.failure.bind(h));
  }
  return out;
}
