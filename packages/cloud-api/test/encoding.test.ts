import { beforeEach, describe, expect, it } from 'vitest';
import { contractHarness } from '../../../scripts/testing/contract.js';
import { createJsonAwareQuerySerializer } from '@provider-sdk/core';
import { createCloudApiClient, InvalidArgumentError } from '../src/index.js';
import { seeded, useCaptureServer } from './helpers.js';
import { expectedArgs, type PyValue, pyJsonLoads, ServerParseError, serverArgs, serverArgsOf } from './server-decoder.js';

const server = useCaptureServer();
const harness = contractHarness('cloud-api');
const CUSTOMER = '6f1d2c3b-4a59-4e8d-9c7b-1a2b3c4d5e6f';
const creds = { username: 'admin', password: 'Sup3r-Secret!' };
const local = () => createCloudApiClient({ baseUrl: server.url, retry: false, ...creds });

/** Strings that a plain-text query value would turn into something else, or that a form decoder splits or rewrites. */
const TRICKY_STRINGS = [
  '123', '-1', '0.5', '1e3', '007', 'true', 'false', 'null', 'NaN', 'Infinity', '-Infinity',
  '"quoted"', '"', '{"a":1}', '[1,2]', '[]', '{}', '', ' ', '  123  ', '\t', '&x=1', 'a;b', 'a+b', 'a b', '%41', '%zz', '%', '%2',
  '=', 'a=b&c=d', '#fragment', '?q=1', '/path', '\\', '\\u0041', "it's", 'Zoë Ñandú', '日本語', '😀 emoji 👍🏽', 'e\u0301', '\u2028\u2029',
  '\u0000nul', 'tab\tnew\nline\r', '\u007f\u0085', '\ufeffbom', 'jsonp_callback',
];

beforeEach(() => server.reset());

describe('the test decoder behaves like the Python 2 server', () => {
  it('splits on & and ;, reads + as a space, percent-decodes, and keeps bad escapes', () => {
    expect(serverArgs('a=1&b=2;c=3')).toEqual({ a: 1n, b: 2n, c: 3n });
    expect(serverArgs('a=%22x+y%22&b=x+y')).toEqual({ a: 'x y', b: 'x y' });
    expect(serverArgs('a=%41&b=%zz&c=%&d=%4')).toEqual({ a: 'A', b: '%zz', c: '%', d: '%4' });
    expect(serverArgs('a=&b')).toEqual({ a: '', b: '' });
  });

  it('refuses a name given twice, like the server', () => {
    expect(() => serverArgs('a=1&a=2')).toThrow(ServerParseError);
    expect(() => serverArgs('a=1;a=1')).toThrow('Multi-item arguments not supported');
  });

  it('decodes like json.loads, with the raw string as the fallback', () => {
    const cases: [string, PyValue][] = [
      ['123', 123n],
      ['1.0', 1],
      ['1e21', 1e21],
      ['12345678901234567890', 12345678901234567890n],
      ['NaN', Number.NaN],
      ['-Infinity', Number.NEGATIVE_INFINITY],
      [' true ', true],
      ['null', null],
      ['"\\ud83d\\ude00"', '😀'],
      ['{"a":[1,"1",{}]}', { a: [1n, '1', {}] }],
    ];
    for (const [text, value] of cases) expect(serverArgs(`v=${encodeURIComponent(text)}`).v).toEqual(value);
    for (const raw of ['', ' ', 'abc', '01', '[1,]', '{"a":1', "'x'", '"\u0001"', 'True']) {
      expect(serverArgs(`v=${encodeURIComponent(raw)}`).v).toBe(raw);
    }
    expect(() => pyJsonLoads('nan')).toThrow();
  });

  it('shows that plain-text values change type on the way (what the client must avoid)', () => {
    const naive = (value: string) => serverArgs(new URLSearchParams({ name: value }).toString()).name;
    expect(naive('123')).toBe(123n);
    expect(naive('true')).toBe(true);
    expect(naive('null')).toBe(null);
    expect(naive('{"a":1}')).toEqual({ a: 1n });
    expect(naive('"quoted"')).toBe('quoted');
    expect(naive('NaN')).toBeNaN();
    expect(naive(String(1e21))).toBe(1e21); // a float, where the int 10**21 was meant
    expect(serverArgs(`name=${String(1e21)}`).name).toBe('1e 21'); // unescaped, the + even becomes a space
  });
});

describe('every value reaches a local server with its JSON type intact', () => {
  it.each(TRICKY_STRINGS.map((s) => [JSON.stringify(s), s]))('the string %s', async (_, value) => {
    const params = { name: value, description: value, city: value, country: value };
    await local().customer.create(params);
    expect(server.requests).toHaveLength(1);
    expect(serverArgsOf(server.requests[0]!.url)).toEqual(expectedArgs(params));
  });

  it('sends a string as JSON text: a customer named 123 travels as %22123%22', async () => {
    await local().customer.create({ name: '123' });
    expect(server.requests[0]!.url).toBe('/cloud_api_customer/create?name=%22123%22');
  });

  it.each([0, 1, -1, 42, 2 ** 31, 2 ** 53 - 1, -(2 ** 53 - 1)])('the integer %d (a Python int)', async (amount) => {
    const params = { customerguid: CUSTOMER, amount, capacityunittype: 'CU' };
    await local().customer.addCapacityAvailable(params);
    const args = serverArgsOf(server.requests[0]!.url);
    expect(args).toEqual(expectedArgs(params));
    expect(typeof args.amount).toBe('bigint');
  });

  it('-0 arrives as the int 0 (JavaScript has a single number type)', async () => {
    await local().customer.addCapacityConsumed({ customerguid: CUSTOMER, amount: -0, capacityunittype: 'CU' });
    expect(serverArgsOf(server.requests[0]!.url).amount).toBe(0n);
  });

  it.each([0.5, -2.5, 0.1, 1e-7, 123.456, 1e21, 1.7976931348623157e308, 5e-324])('the float %d (the same double)', async (timetostart) => {
    await local().customer.delete({ customerguid: CUSTOMER, executionparams: { timetostart } });
    expect(serverArgsOf(server.requests[0]!.url).executionparams).toEqual({ timetostart });
  });

  it('an integral number from 1e21 on arrives as a float of the same value (fine for a number parameter)', async () => {
    const executionparams = { timetostart: 1e21, custom: [-1e300, 1e21 + 2 ** 20] };
    await local().customer.delete({ customerguid: CUSTOMER, executionparams });
    expect(serverArgsOf(server.requests[0]!.url).executionparams).toEqual(executionparams);
  });

  it('refuses an integer parameter that is not a safe integer', async () => {
    const error = await local()
      .customer.addCapacityAvailable({ customerguid: CUSTOMER, amount: 2 ** 53, capacityunittype: 'CU' })
      .catch((e: unknown) => e);
    expect((error as InvalidArgumentError).issues).toEqual([{ path: 'query.amount', message: expect.stringMatching(/within ±\(2\^53 − 1\)/) }]);
    expect(server.requests).toHaveLength(0);
  });

  it('booleans, null and nested executionparams keep every type', async () => {
    const executionparams = {
      name: '123',
      description: '{"a":1}',
      userErrormsg: 'null',
      internalErrormsg: 'true',
      maxduration: 60,
      wait: true,
      priority: -1,
      timetostart: 0.25,
      custom: {
        list: [1, '1', true, 'true', null, 'null', [], {}, [[]], { 'k&=;+%#': 'v#?' }],
        empty: '',
        emoji: '😀',
        'key with spaces': ' value ',
        gone: undefined,
      },
    };
    const params = { name: 'Acme', resourcegroupguid: '', jobguid: '', executionparams };
    await local().customer.create(params);
    const args = serverArgsOf(server.requests[0]!.url);
    expect(args).toEqual(expectedArgs(params));
    expect((args.executionparams as Record<string, PyValue>).wait).toBe(true);
    expect(args.jobguid).toBe('');
  });

  it('null is sent as JSON null (Python None) when a caller passes it', async () => {
    await local().customer.find({ name: null as never }, { validate: false });
    expect(serverArgsOf(server.requests[0]!.url)).toEqual({ name: null });
  });

  it('sends each name once, always with "=", and only the parameters the caller gave', async () => {
    await local().customer.updateModelProperties({ customerguid: CUSTOMER, name: 'a&name=b', city: undefined });
    const query = server.requests[0]!.url.split('?')[1]!;
    const items = query.split(/[&;]/);
    expect(items.map((item) => item.split('=')[0])).toEqual(['customerguid', 'name']);
    expect(items.every((item) => item.includes('='))).toBe(true);
    expect(serverArgsOf(server.requests[0]!.url)).toEqual({ customerguid: CUSTOMER, name: 'a&name=b' });
  });

  it('sends nothing for the defaults: the server applies its own', async () => {
    await local().customer.listStatuses();
    await local().customer.list();
    expect(server.requests.map((r) => r.url)).toEqual(['/cloud_api_customer/listStatuses', '/cloud_api_customer/list']);
  });

  it('round-trips 300 random JSON values (seeded)', async () => {
    const random = seeded(20110214);
    const alphabet = ['a', 'Z', '0', '9', ' ', '+', '&', ';', '=', '%', '#', '?', '"', "'", '\\', '/', '{', '}', '[', ']', ':', ',', '.', '-', 'é', '日', '😀', '\n', '\t', '\u0000', '\u2028'];
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const text = () => Array.from({ length: Math.floor(random() * 9) }, () => pick(alphabet)).join('');
    const jsonish = () => pick(['123', 'true', 'null', '{"a":1}', '[1]', '"x"', 'NaN', '-0', '1e5', '']);
    const anyValue = (depth: number): unknown => {
      switch (Math.floor(random() * (depth > 2 ? 6 : 8))) {
        case 0: return text();
        case 1: return jsonish();
        case 2: return Math.floor((random() - 0.5) * 2 ** 40);
        case 3: {
          const float = (random() - 0.5) * 10 ** Math.floor(random() * 60 - 20);
          // Integral numbers between 2^53 and 1e21 are refused (see the refusals below).
          return Number.isInteger(float) && !Number.isSafeInteger(float) && Math.abs(float) < 1e21 ? float * 1e6 : float;
        }
        case 4: return random() < 0.5;
        case 5: return null;
        case 6: return Array.from({ length: Math.floor(random() * 4) }, () => anyValue(depth + 1));
        default: return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [text(), anyValue(depth + 1)]));
      }
    };
    const client = local();
    for (let n = 0; n < 300; n++) {
      const params = { name: random() < 0.5 ? text() : jsonish(), description: text(), executionparams: { payload: anyValue(0) } };
      server.reset();
      await client.customer.create(params);
      expect(serverArgsOf(server.requests[0]!.url), JSON.stringify(params)).toEqual(expectedArgs(params));
    }
  });

  it('the raw client sends JSON text as well (and returns the decoded result, not the envelope)', async () => {
    server.answer({ body: { result: CUSTOMER, jobguid: null } });
    const { data } = await local().raw.GET('/cloud_api_customer/create', { params: { query: { name: '123', executionparams: { wait: true } } } });
    expect(data).toBe(CUSTOMER);
    expect(serverArgsOf(server.requests[0]!.url)).toEqual({ name: '123', executionparams: { wait: true } });
  });

  it("core's JSON query serializer is the same encoding, for callers that build URLs themselves", () => {
    const query = createJsonAwareQuerySerializer(new Set(['name', 'amount', 'skipped', 'executionparams']))({ name: '123', amount: 5, skipped: undefined, executionparams: { wait: false } });
    expect(serverArgs(query)).toEqual({ name: '123', amount: 5n, executionparams: { wait: false } });
  });
});

describe('values that would not reach the server as themselves are refused before sending', () => {
  class Job {
    wait = false;
  }
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  const sparse: unknown[] = [1];
  sparse[2] = 3;
  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['NaN', { maxduration: Number.NaN }, /executionparams\.maxduration must be a finite number/],
    ['Infinity nested deep', { custom: { a: [1, Number.POSITIVE_INFINITY] } }, /executionparams\.custom\.a\[1\] must be a finite number/],
    ['-Infinity', { timetostart: Number.NEGATIVE_INFINITY }, /must be a finite number/],
    ['an integer parameter of 1e21', { priority: 1e21 }, /executionparams\.priority must be an integer within ±\(2\^53 − 1\)/],
    ['an unsafe integer parameter', { maxduration: 2 ** 53 }, /within ±\(2\^53 − 1\)/],
    ['an unsafe integral number anywhere (2**60 would arrive as 1152921504606847000)', { custom: [2 ** 60] }, /custom\[0\] must be within ±\(2\^53 − 1\) when integral/],
    ['an unsafe integral number below 1e21', { timetostart: -(2 ** 53 + 2) }, /must be within ±\(2\^53 − 1\) when integral/],
    ['a bigint', { custom: 10n }, /not a bigint/],
    ['a Date', { custom: new Date(0) }, /must be a plain object or array, not a Date/],
    ['a Map', { custom: new Map() }, /not a Map/],
    ['a class instance', { custom: new Job() }, /not a Job/],
    ['a function', { custom: () => 1 }, /must not be a function/],
    ['a symbol', { custom: Symbol('x') }, /must not be a symbol/],
    ['undefined in an array', { custom: [undefined] }, /custom\[0\] must not be undefined inside an array/],
    ['an array hole', { custom: sparse }, /custom\[1\] must not be a hole/],
    ['a circular structure', { custom: circular }, /must not contain itself/],
    ['a lone surrogate', { name: 'ab\ud800' }, /must be well-formed Unicode/],
    ['a lone surrogate in a key', { custom: { '\udc00': 1 } }, /must be well-formed Unicode/],
  ];

  it.each(refused)('%s', async (_, executionparams, message) => {
    for (const validate of [true, false]) {
      const error = await local()
        .customer.delete({ customerguid: CUSTOMER, executionparams }, { validate })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toMatch(message);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a non-finite top-level number even with validation off', async () => {
    const error = await local()
      .customer.addCapacityAvailable({ customerguid: CUSTOMER, amount: Number.NaN, capacityunittype: 'CU' }, { validate: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).issues).toEqual([{ path: 'query.amount', message: expect.stringMatching(/finite/) }]);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses them in the raw client too, and never echoes the value', async () => {
    const secret = 'dont-show-me-4711';
    const error = await local()
      .raw.GET('/cloud_api_customer/delete', { params: { query: { customerguid: CUSTOMER, executionparams: { [secret]: Number.NaN } } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(server.requests).toHaveLength(0);
    const lone = await local()
      .customer.create({ name: `${secret}\ud800` })
      .catch((e: unknown) => e);
    expect(String(lone)).not.toContain(secret);
  });
});

describe('the same values through Prism', () => {
  it('are accepted by the mock, and decode to what the caller passed', async () => {
    const sent: string[] = [];
    const client = createCloudApiClient({
      baseUrl: harness.baseUrl,
      retry: false,
      ...creds,
      fetch: (input, init) => {
        sent.push(new Request(input, init).url);
        return harness.fetch(input, init);
      },
    });
    for (const value of TRICKY_STRINGS) {
      const params = { name: value, description: value, executionparams: { userErrormsg: value, maxduration: 60, wait: true, custom: [value, 1, null] } };
      sent.length = 0;
      await expect(client.customer.create(params)).resolves.toBe(harness.expectedResult('customerCreate'));
      harness.assertClean();
      const url = new URL(sent[0]!);
      expect(serverArgsOf(`${url.pathname}${url.search}`)).toEqual(expectedArgs(params));
    }
  });
});
