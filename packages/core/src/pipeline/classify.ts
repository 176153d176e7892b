import { describeErrorBody } from '../error-body.js';
import { type ApiError, type ApiErrorInit, apiErrorFor, EnvelopeError } from '../errors.js';
import type { CallContext, OperationHooks } from '../hooks.js';
import type { SecretRegistry } from '../redact.js';
import { type EnvelopeSpec, getPath, type OperationSpec } from '../spec.js';
import { type DecodedBody, decodeBody } from './decode.js';
import type { TransportResponse } from './send.js';

/**
 * Stage 5, classify: what an answer means. A non-2xx status is an ApiError of the class for its
 * status; a failure inside a 2xx envelope is an EnvelopeError; either may be given a provider's own
 * class by the `error` hook. Error data is bounded: the body is scrubbed of secrets first, then kept
 * whole up to MAX_ERROR_BODY characters (parsed as JSON), else as truncated text; the provider's
 * message in `error.message` is cut at MAX_ERROR_MESSAGE characters.
 */
export const MAX_ERROR_BODY = 65_536;
export const MAX_ERROR_MESSAGE = 1_024;

export interface ClassifyContext {
  provider: string;
  secrets: SecretRegistry;
  envelope: EnvelopeSpec | undefined;
}

/** Throws the error an answer means; returns its decoded body when it is a success. */
export function classify(response: TransportResponse, op: OperationSpec, ctx: ClassifyContext, call: CallContext, hooks: OperationHooks): DecodedBody {
  if (response.status < 200 || response.status > 299) {
    throw buildError(httpErrorInit(response, ctx, op.method, op.id), call, hooks, false);
  }
  const decoded = decodeBody(response, op, ctx.provider);
  const envelope = ctx.envelope;
  if (envelope && op.envelope !== false && decoded.value !== null && typeof decoded.value === 'object') {
    const data = decoded.value;
    const status = envelope.status === undefined ? undefined : getPath(data, envelope.status);
    const failed =
      (envelope.status !== undefined && status !== undefined && !(envelope.success ?? [0]).includes(status)) ||
      (envelope.errorFlag !== undefined && Boolean(getPath(data, envelope.errorFlag)));
    if (failed) {
      const body = ctx.secrets.scrubValue(data);
      const code = envelope.code === undefined ? status : getPath(body, envelope.code);
      const message = envelope.message === undefined ? undefined : getPath(body, envelope.message);
      const init: ApiErrorInit = {
        provider: ctx.provider,
        status: response.status,
        statusText: response.statusText,
        method: op.method,
        url: response.shownUrl,
        operationId: op.id,
        body,
        code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
        providerMessage: typeof message === 'string' ? truncate(message, MAX_ERROR_MESSAGE) : undefined,
        attempts: response.attempts,
      };
      throw buildError(init, call, hooks, true);
    }
  }
  return decoded;
}

/** The init of an ApiError for a non-2xx answer: status, scrubbed and bounded body, the provider's code and message. */
export function httpErrorInit(response: TransportResponse, ctx: Pick<ClassifyContext, 'provider' | 'secrets'>, method: string, operationId?: string): ApiErrorInit {
  const body = boundedErrorBody(response.body, ctx.secrets);
  // An HTML error page (a proxy's 502, a login page) is kept in `body` but is not a message.
  const isHtml = /html/i.test(response.headers.get('content-type') ?? '') && typeof body === 'string';
  const described = isHtml ? {} : describeErrorBody(body);
  const headers = ctx.secrets.redactHeaders(response.headers);
  delete headers['set-cookie'];
  return {
    provider: ctx.provider,
    status: response.status,
    statusText: response.statusText,
    method,
    url: response.shownUrl,
    operationId,
    body,
    code: described.code,
    providerMessage: described.message === undefined ? undefined : truncate(described.message, MAX_ERROR_MESSAGE),
    headers,
    retryAfterMs: response.retryAfterMs,
    attempts: response.attempts,
  };
}

/** An error body: scrubbed of secrets, then parsed as JSON when small enough, else (truncated) text. */
export function boundedErrorBody(bytes: ArrayBuffer, secrets: SecretRegistry): unknown {
  if (bytes.byteLength === 0) return undefined;
  // Scrub before cutting, so that a secret straddling the cut cannot keep its first characters.
  const text = secrets.scrub(new TextDecoder().decode(bytes));
  if (text.length > MAX_ERROR_BODY) return `${text.slice(0, MAX_ERROR_BODY)}… [truncated: ${text.length} characters]`;
  try {
    // Scrubbed again once parsed: a secret the server escaped twice (JSON inside JSON) shows only now.
    return secrets.scrubValue(JSON.parse(text));
  } catch {
    return text;
  }
}

function buildError(init: ApiErrorInit, call: CallContext, hooks: OperationHooks, envelope: boolean): ApiError {
  for (const hook of hooks.error) {
    const error = hook(init, { ...call, envelope });
    if (error) return error;
  }
  return envelope ? new EnvelopeError(init) : apiErrorFor(init);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… [truncated]` : text;
}
