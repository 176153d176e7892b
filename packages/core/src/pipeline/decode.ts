import { MalformedResponseError } from '../errors.js';
import type { CallContext, OperationHooks } from '../hooks.js';
import { type EnvelopeSpec, getPath, type OperationSpec } from '../spec.js';
import type { TransportResponse } from './send.js';

/**
 * Stage 6, decode: the body as JSON, then the result the method returns: the envelope's result
 * field, a JSON-string result decoded, and the `result` hook. Where the spec declares a JSON body
 * for the status received, an empty or non-JSON body is a MalformedResponseError, never `undefined`.
 */
export interface DecodedBody {
  /** The parsed body (a Blob for a declared non-JSON answer); undefined when there was none. */
  value: unknown;
}

const decoder = new TextDecoder();

export function decodeBody(response: TransportResponse, op: OperationSpec, provider: string): DecodedBody {
  if (op.responseMedia) {
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const media = op.responseMedia[String(response.status)] ?? op.responseMedia[`${String(response.status)[0]}XX`] ?? [];
    if (!/json/.test(type) && media.some((m) => !/json/.test(m))) return { value: new Blob([response.body], { type }) };
  }
  const declared = declaresJson(op, response.status);
  if (response.body.byteLength === 0) {
    if (declared) throw malformed(op, response, provider, 'the response body is empty, but the spec declares a JSON body');
    return { value: undefined };
  }
  try {
    return { value: JSON.parse(decoder.decode(response.body)) };
  } catch {
    if (declared || op.jsonStatuses === undefined) throw malformed(op, response, provider, 'the response body is not valid JSON');
    return { value: undefined };
  }
}

export function decodeResult(decoded: DecodedBody, op: OperationSpec, envelope: EnvelopeSpec | undefined, response: TransportResponse, provider: string, call: CallContext, hooks: OperationHooks): unknown {
  let result = decoded.value;
  if (envelope?.result !== undefined && op.envelope !== false && result !== null && typeof result === 'object') result = getPath(result, envelope.result);
  if (op.decodeJsonResult && typeof result === 'string') {
    try {
      result = JSON.parse(result);
    } catch {
      throw malformed(op, response, provider, 'the result is not the JSON document the spec promises');
    }
  }
  for (const hook of hooks.result) result = hook(result, { ...call, body: decoded.value });
  return result;
}

/** Whether the spec declares a JSON body for this status (`200`, or its class `2XX`). */
function declaresJson(op: OperationSpec, status: number): boolean {
  const statuses = op.jsonStatuses;
  if (!statuses) return false;
  const code = String(status);
  return statuses.includes(code) || statuses.includes(`${code[0]}XX`);
}

function malformed(op: OperationSpec, response: TransportResponse, provider: string, message: string): MalformedResponseError {
  return new MalformedResponseError({
    provider,
    status: response.status,
    statusText: response.statusText,
    method: op.method,
    url: response.shownUrl,
    operationId: op.id,
    providerMessage: message,
    attempts: response.attempts,
  });
}
