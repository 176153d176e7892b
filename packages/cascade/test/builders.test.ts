import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractHarness } from '../../../scripts/testing/contract.js';
import {
  api,
  CONTACT_TYPES,
  createCascadeClient,
  formatCancellationDate,
  formatMcaDate,
  InvalidArgumentError,
  makeAddress,
  makeContact,
  type NewCustomer,
  STATE_REQUIRED_COUNTRIES,
  stateRequired,
} from '../src/index.js';
import { validateValue } from '@provider-sdk/core';
import { CREDENTIALS, failure, recorder } from './helpers.js';

const harness = contractHarness('cascade');
const rec = recorder(harness);
const cascade = createCascadeClient({ baseUrl: harness.baseUrl, fetch: rec.fetch, retry: false, ...CREDENTIALS });

const schemaIssues = (value: unknown, name: string) => validateValue(value, { $ref: `#/components/schemas/${name}` }, name, api.schemas);

function thrown(fn: () => unknown): InvalidArgumentError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('makeAddress (the wrapper make_address)', () => {
  it('builds the PascalCase address, leaving out an empty Line2 and State like the wrapper', () => {
    const address = makeAddress({ line1: '1 Market Street', line2: '', city: 'Leeds', state: '', postcode: 'LS1 6DT' });
    expect(address).toEqual({ Line1: '1 Market Street', City: 'Leeds', Postcode: 'LS1 6DT' });
    expect(schemaIssues(address, 'Address')).toEqual([]);
    const full = makeAddress({ line1: '500 Oak Avenue', line2: 'Suite 200', city: 'Springfield', state: 'IL', postcode: '62701', country: 'USA' });
    expect(full).toEqual({ Line1: '500 Oak Avenue', Line2: 'Suite 200', City: 'Springfield', State: 'IL', Postcode: '62701' });
    expect(schemaIssues(full, 'Address')).toEqual([]);
  });

  it('refuses a US address without a State', () => {
    const error = thrown(() => makeAddress({ line1: '500 Oak Avenue', city: 'Springfield', postcode: '62701', country: 'USA' }));
    expect(error.issues).toEqual([{ path: 'address.State', message: 'is required for an address in USA' }]);
  });

  it('needs a State in each of AU, CA, IT, JA, NL, ES, CH and US (as alpha-3), in any letter case, and nowhere else', () => {
    expect(STATE_REQUIRED_COUNTRIES).toEqual(['AUS', 'CAN', 'ITA', 'JPN', 'NLD', 'ESP', 'CHE', 'USA']);
    // The spec records the wrapper's own list, which this one translates.
    expect(harness.doc.components.schemas.Address['x-state-required-for']).toEqual(['AU', 'CA', 'IT', 'JA', 'NL', 'ES', 'CH', 'US']);
    for (const country of [...STATE_REQUIRED_COUNTRIES, 'usa', 'Jpn']) {
      expect(() => makeAddress({ line1: 'x', city: 'y', postcode: 'z', country }), country).toThrow(/address.State is required/);
      expect(makeAddress({ line1: 'x', city: 'y', postcode: 'z', country, state: 'S' }).State).toBe('S');
    }
    for (const country of ['GBR', 'FRA', 'DEU', 'IRL']) expect(makeAddress({ line1: 'x', city: 'y', postcode: 'z', country })).not.toHaveProperty('State');
    expect(stateRequired('gbr')).toBe(false);
  });

  it('refuses a country code that is not three letters', () => {
    for (const country of ['US', 'GB', 'UNITED STATES', 'GB1', '']) {
      const error = thrown(() => makeAddress({ line1: 'x', city: 'y', postcode: 'z', state: 'S', country }));
      expect(error.issues.map((i) => i.path), country).toEqual(['address.country']);
    }
  });

  it('refuses a missing line, city or postcode, naming each', () => {
    const error = thrown(() => makeAddress({ line1: '', city: undefined, postcode: 'LS1' } as never));
    expect(error.issues.map((i) => i.path).sort()).toEqual(['address.City', 'address.Line1']);
    expect(() => makeAddress(undefined as never)).toThrow(InvalidArgumentError);
  });
});

describe('makeContact (the wrapper make_contact)', () => {
  const jane = { firstName: 'Jane', lastName: 'Doe', email: 'jane.doe@acme-widgets.co.uk', phone: '+44 113 496 0000' };

  it('builds the PascalCase contact; IsPrimaryContact defaults to false', () => {
    expect(makeContact({ ...jane, type: 'BillingContact', primary: true })).toEqual({
      FirstName: 'Jane',
      LastName: 'Doe',
      EmailAddress: 'jane.doe@acme-widgets.co.uk',
      PhoneNumber: '+44 113 496 0000',
      ContactType: 'BillingContact',
      IsPrimaryContact: true,
    });
    const it = makeContact({ ...jane, type: 'ITContact' });
    expect(it.IsPrimaryContact).toBe(false);
    expect(schemaIssues(it, 'Contact')).toEqual([]);
    expect(CONTACT_TYPES).toEqual(harness.doc.components.schemas.Contact.properties.ContactType.enum);
  });

  it('refuses an unknown contact type', () => {
    for (const type of ['TechContact', 'billingcontact', '']) {
      const error = thrown(() => makeContact({ ...jane, type: type as never }));
      expect(error.issues, type).toEqual([{ path: 'contact.ContactType', message: 'must be one of "ITContact", "BillingContact"' }]);
    }
  });

  it('refuses an email address that is not one, and an empty name', () => {
    const error = thrown(() => makeContact({ ...jane, email: 'jane at acme', firstName: '', type: 'ITContact' }));
    expect(error.issues.map((i) => i.path).sort()).toEqual(['contact.EmailAddress', 'contact.FirstName']);
  });
});

describe('the builders and the State rule in customers.create', () => {
  const base = harness.exampleArgs('createCustomer').body as NewCustomer;

  it('a customer built with the builders is accepted by Prism', async () => {
    await cascade.customers.create({
      body: {
        PrimaryDomain: 'globex.com',
        Name: 'Globex Corporation',
        Reference: 'GLOBEX-0002',
        IsoCountryCode: 'USA',
        HeadOfficeAddress: makeAddress({ line1: '500 Oak Avenue', city: 'Springfield', state: 'IL', postcode: '62701', country: 'USA' }),
        BillingAddress: makeAddress({ line1: 'PO Box 7', city: 'Springfield', state: 'IL', postcode: '62705', country: 'USA' }),
        Contacts: [makeContact({ firstName: 'Hank', lastName: 'Scorpio', email: 'hank@globex.com', phone: '+1 217 555 0100', type: 'BillingContact', primary: true })],
      },
    });
    harness.assertClean();
    expect(rec.last()).toMatchObject({ method: 'POST', path: '/customers', body: { IsoCountryCode: 'USA', HeadOfficeAddress: { State: 'IL' } } });
  });

  it('refuses a US customer whose addresses lack a State, before sending', async () => {
    const before = rec.sent.length;
    const noState = { Line1: '500 Oak Avenue', City: 'Springfield', Postcode: '62701' };
    const error = await failure(cascade.customers.create({ body: { ...base, IsoCountryCode: 'USA', HeadOfficeAddress: noState, BillingAddress: noState } }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).issues).toEqual([
      { path: 'body.HeadOfficeAddress.State', message: 'is required when IsoCountryCode is USA' },
      { path: 'body.BillingAddress.State', message: 'is required when IsoCountryCode is USA' },
    ]);
    expect(rec.sent.length).toBe(before);
  });

  it('applies no State rule to the default country (GBR)', async () => {
    const { IsoCountryCode: _gone, ...noCountry } = base;
    await cascade.customers.create({ body: noCountry });
    harness.assertClean();
    expect(rec.last().body).not.toHaveProperty('IsoCountryCode');
  });

  it('is a client-side rule: with validate: false it is not applied, and Prism (the spec) cannot tell', async () => {
    const noState = { Line1: '500 Oak Avenue', City: 'Springfield', Postcode: '62701' };
    await cascade.customers.create({ body: { ...base, IsoCountryCode: 'USA', HeadOfficeAddress: noState } }, { validate: false });
    harness.assertClean();
    expect(rec.last().body).toMatchObject({ IsoCountryCode: 'USA', HeadOfficeAddress: noState });
  });
});

describe('dates in the two formats the API uses (UTC)', () => {
  // A far-off local zone (UTC+13:45 in February), so that formatting in local time would show.
  const zone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'Pacific/Chatham';
    expect(new Date(Date.UTC(2019, 1, 6)).getHours()).not.toBe(0);
  });
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('MCA acceptance: YYYY-MM-DDTHH:MM:SS, no zone, no fraction', () => {
    expect(formatMcaDate(new Date(Date.UTC(2019, 1, 6)))).toBe('2019-02-06T00:00:00');
    expect(formatMcaDate(new Date('2024-12-31T23:59:59.999-05:00'))).toBe('2025-01-01T04:59:59');
    expect(formatMcaDate(new Date(Date.UTC(987, 0, 2, 3, 4, 5)))).toBe('0987-01-02T03:04:05');
    expect(formatMcaDate('2019-02-06T00:00:00')).toBe('2019-02-06T00:00:00');
  });

  it('cancellation: YYYY-MM-DD HH:MM:SS with a space', () => {
    expect(formatCancellationDate(new Date(Date.UTC(2025, 2, 31)))).toBe('2025-03-31 00:00:00');
    expect(formatCancellationDate(new Date('2025-06-01T00:30:00+02:00'))).toBe('2025-05-31 22:30:00');
    expect(formatCancellationDate('2025-03-31 00:00:00')).toBe('2025-03-31 00:00:00');
  });

  it('each format matches its pattern in the spec', () => {
    const schemas = harness.doc.components.schemas;
    const date = new Date();
    expect(formatMcaDate(date)).toMatch(new RegExp(schemas.McaAcceptanceRequest.properties.DateAccepted.pattern));
    expect(formatCancellationDate(date)).toMatch(new RegExp(schemas.CancellationRequestBody.properties.CancellationDateRequested.pattern));
  });

  it('refuses a string of the other format, an ISO string with a zone, and an invalid Date', () => {
    expect(() => formatMcaDate('2019-02-06 00:00:00')).toThrow(/YYYY-MM-DDTHH:MM:SS/);
    expect(() => formatMcaDate('2019-02-06T00:00:00Z')).toThrow(InvalidArgumentError);
    expect(() => formatCancellationDate('2025-03-31T00:00:00')).toThrow(/YYYY-MM-DD HH:MM:SS/);
    expect(() => formatCancellationDate('2025-03-31')).toThrow(InvalidArgumentError);
    expect(() => formatCancellationDate(new Date(Number.NaN))).toThrow(/valid Date/);
    expect(() => formatMcaDate(new Date(Date.UTC(10000, 0, 1)))).toThrow(/between the years/);
  });
});
