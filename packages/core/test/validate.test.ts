import { describe, expect, it } from 'vitest';
import type { SchemaSpec } from '../src/spec.js';
import { validateValue } from '../src/validate.js';

const schemas: Record<string, SchemaSpec> = {
  Address: { type: 'object', required: ['Line1', 'City'], properties: { Line1: { type: 'string' }, City: { type: 'string' } } },
  Quantity: { type: 'object', required: ['Quantity'], additionalProperties: false, properties: { Quantity: { type: 'integer', minimum: 1 } } },
  Upgrade: { type: 'object', required: ['ProductCode'], additionalProperties: false, properties: { ProductCode: { type: 'string' } } },
};
const check = (value: unknown, schema: SchemaSpec) => validateValue(value, schema, 'body', schemas).map((i) => `${i.path} ${i.message}`);

describe('validateValue', () => {
  it('checks types, and null only where nullable', () => {
    expect(check('1', { type: 'integer' })).toEqual(['body must be an integer']);
    expect(check(1.5, { type: 'integer' })).toEqual(['body must be an integer']);
    expect(check(Number.NaN, { type: 'number' })).toEqual(['body must be a number']);
    expect(check('true', { type: 'boolean' })).toEqual(['body must be a boolean']);
    expect(check({}, { type: 'array' })).toEqual(['body must be an array']);
    expect(check([], { type: 'object' })).toEqual(['body must be an object']);
    expect(check(null, { type: 'string' })).toEqual(['body must not be null']);
    expect(check(null, { type: 'string', nullable: true })).toEqual([]);
  });

  it('checks strings: length, pattern and formats', () => {
    expect(check('GB', { type: 'string', pattern: '^[A-Z]{3}$' })).toEqual(['body must match the pattern ^[A-Z]{3}$']);
    expect(check('ab', { type: 'string', minLength: 3, maxLength: 5 })).toEqual(['body must be at least 3 characters']);
    expect(check('abcdef', { type: 'string', maxLength: 5 })).toEqual(['body must be at most 5 characters']);
    expect(check('3f0d6c1e-8a55-4a49-9a53-0c6f2f8b7d21', { type: 'string', format: 'uuid' })).toEqual([]);
    expect(check('3f0d6c1e', { type: 'string', format: 'uuid' })).toEqual(['body must be a valid uuid']);
    expect(check('2024-02-30', { type: 'string', format: 'date' })).toEqual([]);
    expect(check('2024-13-01', { type: 'string', format: 'date' })).toEqual(['body must be a valid date']);
    expect(check('2019-02-06T00:00:00', { type: 'string', format: 'date-time' })).toEqual([]);
    expect(check('x', { type: 'string', format: 'no-such-format' })).toEqual([]);
  });

  it('checks numbers, enums and arrays', () => {
    expect(check(0, { type: 'integer', minimum: 1 })).toEqual(['body must be >= 1']);
    expect(check(201, { type: 'integer', maximum: 200 })).toEqual(['body must be <= 200']);
    expect(check(5, { type: 'number', minimum: 5, exclusiveMinimum: true })).toEqual(['body must be > 5']);
    expect(check(0.3, { type: 'number', multipleOf: 0.1 })).toEqual([]);
    expect(check('Yearly', { type: 'string', enum: ['Monthly', 'Annual'] })).toEqual(['body must be one of "Monthly", "Annual"']);
    expect(check([1, 'x'], { type: 'array', items: { type: 'integer' }, maxItems: 1 })).toEqual(['body must have at most 1 items', 'body[1] must be an integer']);
    expect(check([1, 1], { type: 'array', uniqueItems: true })).toEqual(['body must not contain duplicates']);
  });

  it('follows $refs and reports nested locations', () => {
    const schema: SchemaSpec = { type: 'object', properties: { HeadOfficeAddress: { $ref: '#/components/schemas/Address' }, Contacts: { type: 'array', items: { $ref: '#/components/schemas/Address' } } } };
    expect(check({ HeadOfficeAddress: { Line1: 'x' }, Contacts: [{ Line1: 'a', City: 'b' }, { City: 3 }] }, schema)).toEqual([
      'body.HeadOfficeAddress.City is required',
      'body.Contacts[1].Line1 is required',
      'body.Contacts[1].City must be a string',
    ]);
  });

  it('treats oneOf as exactly one, anyOf as at least one, allOf as all', () => {
    const oneOf: SchemaSpec = { oneOf: [{ $ref: '#/components/schemas/Quantity' }, { $ref: '#/components/schemas/Upgrade' }] };
    expect(check({ Quantity: 3 }, oneOf)).toEqual([]);
    expect(check({ ProductCode: 'R-UK-CSP' }, oneOf)).toEqual([]);
    expect(check({ Quantity: 3, ProductCode: 'x' }, oneOf)).toEqual(['body must match one of the allowed shapes']);
    expect(check({ Quantity: 0 }, oneOf)).toEqual(['body must match one of the allowed shapes']);
    expect(check({ a: 1 }, { oneOf: [{ type: 'object' }, { type: 'object' }] })).toEqual(['body matches more than one of the allowed shapes']);
    expect(check(3, { anyOf: [{ type: 'string' }, { type: 'integer' }] })).toEqual([]);
    expect(check(true, { anyOf: [{ type: 'string' }, { type: 'integer' }] })).toEqual(['body must match at least one of the allowed shapes']);
    expect(check({ City: 'x' }, { allOf: [{ $ref: '#/components/schemas/Address' }, { required: ['Zip'] }] })).toEqual([
      'body.Line1 is required',
      'body.Zip is required',
    ]);
  });

  it('names where a value is wrong, never the value itself', () => {
    const issues = check('hunter2-secret', { type: 'string', pattern: '^[0-9]+$' });
    expect(issues.join(' ')).not.toContain('hunter2');
  });
});
