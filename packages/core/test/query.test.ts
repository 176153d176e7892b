import { describe, expect, it } from 'vitest';
import { createJsonAwareQuerySerializer, encodeJsonQueryValue } from '../src/query.js';

describe('JSON-aware query serializer', () => {
  const serialize = createJsonAwareQuerySerializer(new Set(['executionparams', 'name']));

  it('encodes JSON parameters as JSON text and keeps every JSON type', () => {
    const values: unknown[] = ['123', 123, 'true', true, 'null', null, '', '{"a":1}', { maxduration: 60, wait: false }, [1, 'two']];
    for (const value of values) {
      const query = serialize({ name: value });
      const raw = new URLSearchParams(query).get('name')!;
      expect(JSON.parse(raw), JSON.stringify(value)).toEqual(value);
    }
  });

  it('escapes the characters form decoders split on or rewrite', () => {
    const query = serialize({ name: 'a&b;c+d=e#f%g h' });
    expect(query).toBe('name=%22a%26b%3Bc%2Bd%3De%23f%25g%20h%22');
    expect(query.split(/[&;]/)).toHaveLength(1);
  });

  it('uses form style for the other parameters, in the given order, and drops undefined', () => {
    expect(serialize({ page: 0, tags: ['a', 'b'], executionparams: { wait: true }, skip: undefined, flag: false })).toBe(
      'page=0&tags=a&tags=b&executionparams=%7B%22wait%22%3Atrue%7D&flag=false',
    );
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => encodeJsonQueryValue(undefined)).toThrow(TypeError);
  });

  it('sends an array declared with explode: false as one comma-separated value', () => {
    const unexploded = createJsonAwareQuerySerializer(new Set(), new Set(['roles']));
    expect(unexploded({ roles: ['Owner', 'Super Admin'], servers: ['a', 'b'] })).toBe('roles=Owner,Super%20Admin&servers=a&servers=b');
  });
});
