import { type ArgumentIssue, InvalidArgumentError } from '../errors.js';
import { checkValidateResponses } from '../drift.js';
import type { CallContext, CallParams, OperationHooks, RequestOptions } from '../hooks.js';
import { jsonValueIssues } from '../json-values.js';
import type { RetryOptions } from '../retry.js';
import type { OperationSpec, SchemaSpec } from '../spec.js';
import { validateValue } from '../validate.js';
import { encodePathValue, type RequestParts } from './build.js';

/**
 * Stage 2, check: nothing is sent unless the request is sound. With validation on (the default),
 * every argument is checked against the spec. Whatever `validate` says, the safety checks run: a
 * path segment that is empty, `.` or `..` (it would address another resource), a header or cookie
 * value with CR, LF or NUL (header injection), a JSON parameter that JSON.stringify would change,
 * and a missing path parameter. Issues name the location and the rule, never the value.
 */
export function checkRequest(op: OperationSpec, params: CallParams, parts: RequestParts, schemas: Readonly<Record<string, SchemaSpec>>, call: CallContext, hooks: OperationHooks): void {
  const issues: ArgumentIssue[] = [];
  for (const p of op.params ?? []) {
    const where = `${p.in}.${p.name}`;
    const value = params[p.name];
    if (p.in === 'path') {
      if (value === undefined || value === null) {
        issues.push({ path: where, message: 'is required' });
        continue;
      }
      const segment = encodePathValue(value);
      if (segment === '' || segment === '.' || segment === '..') issues.push({ path: where, message: `must not be ${segment === '' ? 'empty' : `"${segment}"`} (it would address another path)` });
    } else if (value === undefined || value === null) {
      if (p.required && call.validate) issues.push({ path: where, message: 'is required' });
      continue;
    }
    if (p.json) issues.push(...jsonValueIssues(value, where, p.schema, schemas));
    if (call.validate) issues.push(...validateValue(value, p.schema, where, schemas));
  }
  for (const [name, value] of Object.entries(parts.headers)) {
    if (UNSAFE_HEADER.test(value)) issues.push({ path: `header.${name}`, message: 'must not contain CR, LF or NUL' });
  }
  for (const [name, value] of parts.cookies) {
    if (UNSAFE_HEADER.test(value)) issues.push({ path: `cookie.${name}`, message: 'must not contain CR, LF or NUL' });
  }
  if (call.validate) {
    for (const name of parts.unknown) issues.push({ path: name, message: `is not a parameter of ${op.id}` });
    if (op.body) {
      if (parts.body === undefined) {
        if (op.body.required) issues.push({ path: 'body', message: 'is required' });
      } else {
        issues.push(...validateValue(parts.body, op.body.schema, 'body', schemas));
      }
    } else if (parts.body !== undefined) {
      issues.push({ path: 'body', message: `is not accepted by ${op.id}` });
    }
  }
  for (const hook of hooks.check) issues.push(...(hook(params, call) ?? []));
  if (issues.length) throw new InvalidArgumentError(op.id, issues);
}

const UNSAFE_HEADER = /[\r\n\0]/;

/**
 * Client and per-call options of the wrong type or out of range fail at once with a TypeError,
 * never as a connection error later (and never from a timer, where nobody can catch it).
 */
export function checkOptions(options: RequestOptions | undefined, where: string): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where} must be an object`);
  const { signal, timeoutMs, retry, headers, maxPages, followRedirects, validateResponses } = options;
  checkRedirectPolicy(followRedirects, `${where}.followRedirects`);
  checkValidateResponses(validateResponses, `${where}.validateResponses`);
  if (signal !== undefined && !isAbortSignal(signal)) throw new TypeError(`${where}.signal must be an AbortSignal`);
  if (timeoutMs !== undefined) checkTimeout(timeoutMs, `${where}.timeoutMs`);
  if (retry !== undefined && retry !== false) checkRetry(retry, `${where}.retry`);
  if (headers !== undefined && (typeof headers !== 'object' || headers === null)) throw new TypeError(`${where}.headers must be an object of strings`);
  if (maxPages !== undefined && !(typeof maxPages === 'number' && Number.isInteger(maxPages) && maxPages >= 1)) throw new TypeError(`${where}.maxPages must be a positive integer`);
}

export function checkRedirectPolicy(value: unknown, where: string): void {
  if (value !== undefined && value !== 'same-origin' && value !== 'any') throw new TypeError(`${where} must be 'same-origin' or 'any'`);
}

export function checkTimeout(value: unknown, where: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new TypeError(`${where} must be a positive, finite number of milliseconds`);
}

export function checkRetry(retry: RetryOptions, where: string): void {
  if (typeof retry !== 'object' || retry === null) throw new TypeError(`${where} must be an object or false`);
  const counts: [keyof RetryOptions, number][] = [
    ['maxAttempts', 1],
    ['baseDelayMs', 0],
    ['maxDelayMs', 0],
    ['maxRetryAfterMs', 0],
  ];
  for (const [name, min] of counts) {
    const value = retry[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < min)) throw new TypeError(`${where}.${name} must be a finite number ≥ ${min}`);
  }
  if (retry.jitter !== undefined && (typeof retry.jitter !== 'number' || !(retry.jitter >= 0 && retry.jitter <= 1))) throw new TypeError(`${where}.jitter must be between 0 and 1`);
  if (retry.statuses !== undefined && !(Array.isArray(retry.statuses) && retry.statuses.every((s) => Number.isInteger(s)))) throw new TypeError(`${where}.statuses must be a list of HTTP statuses`);
}

function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof AbortSignal !== 'undefined' && value instanceof AbortSignal) return true;
  // A signal from another realm or polyfill: the shape fetch and timers rely on.
  const s = value as Partial<AbortSignal> | null;
  return typeof s === 'object' && s !== null && typeof s.aborted === 'boolean' && typeof s.addEventListener === 'function' && typeof s.removeEventListener === 'function';
}
