import { describe, expect, it } from 'vitest';
import { callOperation, contractHarness } from '../../../scripts/testing/contract.js';
import {
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  createCascadeClient,
  InternalServerError,
  InvalidArgumentError,
  type NewCustomer,
  NotFoundError,
  REDACTED,
} from '../src/index.js';
import { CREDENTIALS, capturingLogger, exposed, failure, jsonResponse, recorder } from './helpers.js';

const harness = contractHarness('cascade');
const { logger, lines } = capturingLogger();
const errors: unknown[] = [];
const ADMIN_PASSWORD = 'Adm1n-Initial-Pa55word';

/** Every request that reached Prism, to prove that the password really travelled. */
const rec = recorder(harness);
const cascade = createCascadeClient({ baseUrl: harness.baseUrl, fetch: rec.fetch, retry: false, logger, logLevel: 'debug', ...CREDENTIALS });

async function failed(promise: Promise<unknown>): Promise<unknown> {
  const error = await failure(promise);
  errors.push(error);
  return error;
}

/** Everything a user could see: each error as text, stack, JSON and inspected, and every log line. */
function everything(): string {
  return exposed(errors, lines);
}

describe('the password never appears in an error or a log line', () => {
  it('successful calls are logged at debug level without it', async () => {
    await cascade.customers.list();
    await cascade.subscriptions.changeQuantity({ customer: 'acme-widgets.co.uk', productCode: 'R-UK-CSP-365BT-CMC', body: { Quantity: 4 } });
    harness.assertClean();
    expect(rec.sent.every((s) => s.headers.get('x-password') === CREDENTIALS.password)).toBe(true);
    expect(lines.filter((l) => l.level === 'debug').length).toBeGreaterThanOrEqual(2);
  });

  it('HTTP errors from Prism: 401, 404 and 400 on every operation that declares them', async () => {
    for (const op of harness.model.operations) {
      const responses = harness.doc.paths[op.path][op.method.toLowerCase()].responses;
      for (const [code, type] of [
        ['401', AuthenticationError],
        ['404', NotFoundError],
        ['400', BadRequestError],
      ] as const) {
        if (!(code in responses)) continue;
        const error = await failed(callOperation(cascade, harness, op.id, {}, { headers: { Prefer: `code=${code}` } }));
        expect(error, `${op.id} ${code}`).toBeInstanceOf(type);
      }
    }
    expect(errors.length).toBeGreaterThanOrEqual(14 + 12 + 6);
    expect(lines.filter((l) => l.level === 'error').length).toBeGreaterThanOrEqual(errors.length);
  });

  it('an error body that echoes the password, or the headers, is scrubbed', async () => {
    const echo: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      return jsonResponse(
        {
          Message: `Login failed for ${request.headers.get('x-username')} with password ${request.headers.get('x-password')}`,
          Headers: Object.fromEntries(request.headers),
        },
        401,
      );
    };
    const client = createCascadeClient({ ...CREDENTIALS, fetch: echo, retry: false, logger, logLevel: 'debug' });
    const error = await failed(client.customers.get({ primaryDomain: 'acme-widgets.co.uk' }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).providerMessage).toBe(`Login failed for ${REDACTED} with password ${REDACTED}`);
    expect((error as AuthenticationError).body).toMatchObject({ Headers: { 'x-password': REDACTED, 'x-username': REDACTED } });
  });

  it('response headers that carry it are redacted by name', async () => {
    const leaky: typeof fetch = async () => new Response('oops', { status: 500, headers: { 'X-Password': CREDENTIALS.password, 'X-Debug': `pw=${CREDENTIALS.password}` } });
    const client = createCascadeClient({ ...CREDENTIALS, fetch: leaky, retry: false, logger, logLevel: 'debug' });
    const error = await failed(client.mca.get({ customer: 'acme-widgets.co.uk' }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).headers).toMatchObject({ 'x-password': REDACTED, 'x-debug': `pw=${REDACTED}` });
  });

  it('a connection failure whose message quotes it is scrubbed', async () => {
    const broken: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      throw new TypeError(`fetch failed: proxy rejected X-Password: ${request.headers.get('x-password')}`);
    };
    const client = createCascadeClient({ ...CREDENTIALS, fetch: broken, retry: false, logger, logLevel: 'debug' });
    const error = await failed(client.cancellations.get({ customer: 'acme-widgets.co.uk', productCode: 'R-UK-CSP-365BT-CMC' }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain(`X-Password: ${REDACTED}`);
  });

  it('invalid arguments name the place, never the value', async () => {
    const error = await failed(cascade.customers.get({ primaryDomain: '' }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    const badCreate = await failed(
      cascade.customers.create({
        body: {
          PrimaryDomain: CREDENTIALS.password,
          Name: 'x',
          Reference: 'y',
          IsoCountryCode: 'USA',
          AdministratorPassword: ADMIN_PASSWORD,
          HeadOfficeAddress: { Line1: 'a', City: 'b', Postcode: 'c' },
        },
      }),
    );
    expect(badCreate).toBeInstanceOf(InvalidArgumentError);
    const badBuilder = (() => {
      try {
        createCascadeClient({ username: CREDENTIALS.username, password: '' });
      } catch (e) {
        return e;
      }
    })();
    errors.push(badBuilder);
    expect(badBuilder).toBeInstanceOf(InvalidArgumentError);
  });

  it("the customer's AdministratorPassword, echoed by the server, is scrubbed too", async () => {
    const echoBody: typeof fetch = async (input, init) => {
      const body = await new Request(input, init).text();
      return jsonResponse({ Message: 'The request is invalid.', ModelState: { request: [`Rejected: ${body}`] } }, 400);
    };
    const client = createCascadeClient({ ...CREDENTIALS, fetch: echoBody, retry: false, logger, logLevel: 'debug' });
    const body = { ...(harness.exampleArgs('createCustomer').body as NewCustomer), AdministratorPassword: ADMIN_PASSWORD };
    const error = await failed(client.customers.create({ body }));
    expect(error).toBeInstanceOf(BadRequestError);
    const shown = JSON.stringify((error as BadRequestError).body);
    expect(shown).toContain('AdministratorPassword');
    expect(shown).toContain(REDACTED);
  });

  it('...and so nothing shown above contains it (checked last)', () => {
    const shown = everything();
    expect(shown.length).toBeGreaterThan(1000);
    expect(shown).not.toContain(CREDENTIALS.password);
    expect(shown).not.toContain(encodeURIComponent(CREDENTIALS.password));
    expect(shown).not.toContain(ADMIN_PASSWORD);
    harness.violations.splice(0);
  });
});
