import { describe, expect, it } from 'vitest';
import { jsonValueIssues } from '../src/json-values.js';

const issues = (value: unknown, schema?: Parameters<typeof jsonValueIssues>[2]) => jsonValueIssues(value, 'q', schema).map((i) => `${i.path} ${i.message.split(' (')[0]}`);

describe('jsonValueIssues', () => {
  it('accepts what JSON carries unchanged', () => {
    for (const value of ['123', 'true', 'null', '{"a":1}', '', '😀', 0, -1.5, 2 ** 53 - 1, 1e21, true, null, [1, 'x', null], { a: { b: [true] }, skipped: undefined }]) {
      expect(issues(value), JSON.stringify(value)).toEqual([]);
    }
  });

  it('refuses what JSON.stringify would change, saying where', () => {
    expect(issues(Number.NaN)).toEqual(['q must be a finite number']);
    expect(issues({ n: Number.NEGATIVE_INFINITY })).toEqual(['q.n must be a finite number']);
    expect(issues(2 ** 60)).toEqual(['q must be within ±(2^53 − 1) when integral']);
    expect(issues(1e21, { type: 'integer' })).toEqual(['q must be an integer within ±(2^53 − 1)']);
    expect(issues(10n)).toEqual(['q must be a number, not a bigint']);
    expect(issues([1, undefined])).toEqual(['q[1] must not be undefined inside an array']);
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point.
    expect(issues([1, , 3])).toEqual(['q[1] must not be a hole in the array']);
    expect(issues({ d: new Date(0) })).toEqual(['q.d must be a plain object or array, not a Date']);
    expect(issues({ f: () => 1 })).toEqual(['q.f must not be a function']);
    expect(issues('\uD800x')[0]).toMatch(/^q must be well-formed Unicode/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(issues(loop)).toEqual(['q.self must not contain itself']);
  });
});
