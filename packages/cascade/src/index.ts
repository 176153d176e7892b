import {
  type ArgumentIssue,
  type CallParams,
  type ClientBase,
  type ClientOptions,
  clientBase,
  formatDateLayout,
  type Hooks,
  InvalidArgumentError,
  missingSetting,
  Runtime,
  validateValue,
  withEnvironment,
} from '@provider-sdk/core';
import { type Address, type CascadeApi, type Contact, createCascadeApi, type NewCustomer } from './generated/client.js';
import { api } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export * from './generated/client.js';
export * from './generated/core.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';

export type ContactType = Contact['ContactType'];

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

export interface CascadeClientOptions extends Omit<ClientOptions, 'credentials' | 'serverVariables' | 'hooks'> {
  /** The Cascade API user name, sent as `X-Username` on every request. Default: `CASCADE_USERNAME`. */
  username?: string | undefined;
  /** The Cascade API password, sent as `X-Password` on every request; never shown in errors or logs. Default: `CASCADE_PASSWORD`. */
  password?: string | undefined;
  /**
   * Default `https://api.cascadeportal.com`. For a test environment pass its host, e.g.
   * `https://api.uatcascadeportal.com` (a guess: confirm it with your intY account manager).
   */
  baseUrl?: string | undefined;
}

/** The spec's resource groups, and `raw`, `drift()` and `withOptions()`. */
export interface CascadeClient extends CascadeApi, ClientBase<paths, CascadeClient> {}

const ONMICROSOFT_SUFFIX = '.onmicrosoft.com';

/** What the spec cannot say: the State rule (it spans two properties) and the tenant path's own suffix. */
const cascadeHooks: Hooks[] = [
  {
    operations: ['createCustomer'],
    check: (params, call) => (call.validate ? stateRuleIssues(params.body) : undefined),
  },
  {
    operations: ['createTenant'],
    check: (params: CallParams) => {
      const tenantId = params.tenantId;
      if (typeof tenantId !== 'string' || !tenantId.toLowerCase().endsWith(ONMICROSOFT_SUFFIX)) return undefined;
      const prefix = tenantId.slice(0, -ONMICROSOFT_SUFFIX.length);
      return [{ path: 'path.tenantId', message: `must be the prefix only ("${prefix}"): the API appends ${ONMICROSOFT_SUFFIX} itself` }];
    },
  },
];

/**
 * Creates an Inty Cascade client.
 *
 * ```ts
 * const cascade = createCascadeClient({ username: process.env.CASCADE_USERNAME!, password: process.env.CASCADE_PASSWORD! });
 * const customers = await cascade.customers.list();
 * await cascade.subscriptions.changeQuantity({ customer: 'acme-widgets.co.uk', productCode: 'R-UK-CSP-365BT-CMC', body: { Quantity: 12 } });
 * ```
 *
 * From the spec, the client also sends `IsActive: true` and the MCA's `AgreementUrl` unless told
 * otherwise, formats Dates in each endpoint's layout (UTC), and registers `AdministratorPassword`
 * as a secret.
 */
export function createCascadeClient(options?: CascadeClientOptions): CascadeClient {
  const { username, password, ...rest } = withEnvironment(api, options) as Partial<CascadeClientOptions>;
  if (typeof username !== 'string' || username === '') throw missingSetting(api, ['username'], 'it is sent as X-Username on every request');
  if (typeof password !== 'string' || password === '') throw missingSetting(api, ['password'], 'it is sent as X-Password on every request');
  return client(new Runtime<paths>(api, { ...rest, credentials: { username, password }, hooks: cascadeHooks }));
}

function client(runtime: Runtime<paths>): CascadeClient {
  return { ...createCascadeApi(runtime), ...clientBase(runtime, client) };
}

// ---------------------------------------------------------------------------------------------
// The State rule
// ---------------------------------------------------------------------------------------------

/**
 * Countries (ISO 3166-1 alpha-3) whose addresses need a `State`. The wrapper's docstring says
 * "OPTIONAL unless in AU,CA,IT,JA,NL,ES,CH,US"; "JA" is no ISO code (it is Japan's FIPS code), so it
 * is read as Japan, JPN: a guess.
 */
export const STATE_REQUIRED_COUNTRIES = ['AUS', 'CAN', 'ITA', 'JPN', 'NLD', 'ESP', 'CHE', 'USA'] as const;

/** The server's default `IsoCountryCode`, as the spec declares it (wrapper docstring: "Defaults to GBR"). */
export const DEFAULT_COUNTRY = String(api.schemas.NewCustomer?.properties?.IsoCountryCode?.default);

/** Whether an address in this country (ISO 3166-1 alpha-3) needs a `State`. */
export function stateRequired(country: string): boolean {
  return (STATE_REQUIRED_COUNTRIES as readonly string[]).includes(country.toUpperCase());
}

function stateRuleIssues(body: unknown): ArgumentIssue[] {
  if (!body || typeof body !== 'object') return [];
  const customer = body as Partial<NewCustomer>;
  const country = typeof customer.IsoCountryCode === 'string' ? customer.IsoCountryCode : DEFAULT_COUNTRY;
  if (!stateRequired(country)) return [];
  const issues: ArgumentIssue[] = [];
  for (const field of ['HeadOfficeAddress', 'BillingAddress'] as const) {
    const address = customer[field];
    if (address && typeof address === 'object' && !address.State) {
      issues.push({ path: `body.${field}.State`, message: `is required when IsoCountryCode is ${country.toUpperCase()}` });
    }
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Builders (the wrapper's make_address / make_contact)
// ---------------------------------------------------------------------------------------------

export interface AddressInput {
  line1: string;
  line2?: string;
  city: string;
  /** Required when `country` is one of {@link STATE_REQUIRED_COUNTRIES}. */
  state?: string;
  postcode: string;
  /**
   * The ISO 3166-1 alpha-3 code of the address's country (e.g. `USA`), used only to apply the State
   * rule: the API's address has no country field, the customer's `IsoCountryCode` says where it is.
   * Defaults to GBR, the API's default country.
   */
  country?: string;
}

/**
 * Builds an `Address` as the API expects it (PascalCase; `Line2` and `State` only when given), or
 * throws InvalidArgumentError: a missing line, city or postcode, a country that is not three
 * letters, or a missing State in a country that needs one.
 *
 * ```ts
 * makeAddress({ line1: '500 Oak Avenue', city: 'Springfield', state: 'IL', postcode: '62701', country: 'USA' });
 * ```
 */
export function makeAddress(input: AddressInput): Address {
  const issues: ArgumentIssue[] = [];
  const address: Record<string, unknown> = { Line1: input?.line1, City: input?.city, Postcode: input?.postcode };
  if (input?.line2 !== undefined && input.line2 !== '') address.Line2 = input.line2;
  if (input?.state !== undefined && input.state !== '') address.State = input.state;
  issues.push(...validateValue(address, { $ref: '#/components/schemas/Address' }, 'address', api.schemas));

  let country = DEFAULT_COUNTRY;
  if (input?.country !== undefined) {
    if (typeof input.country !== 'string' || !/^[A-Za-z]{3}$/.test(input.country)) {
      issues.push({ path: 'address.country', message: 'must be an ISO 3166-1 alpha-3 code: three letters, e.g. GBR or USA' });
    } else {
      country = input.country.toUpperCase();
    }
  }
  if (stateRequired(country) && address.State === undefined) {
    issues.push({ path: 'address.State', message: `is required for an address in ${country}` });
  }
  if (issues.length) throw new InvalidArgumentError(undefined, issues);
  return address as unknown as Address;
}

/** The contact types, as the spec's `Contact.ContactType` lists them. */
export const CONTACT_TYPES = (api.schemas.Contact?.properties?.ContactType?.enum ?? []) as readonly ContactType[];

export interface ContactInput {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  /** `ITContact` or `BillingContact`; send a BillingContact to populate the Cascade GUI. */
  type: ContactType;
  /** Default false. */
  primary?: boolean;
}

/**
 * Builds a `Contact` as the API expects it, or throws InvalidArgumentError (an unknown contact
 * type, an email address that is not one, an empty name or phone).
 *
 * ```ts
 * makeContact({ firstName: 'Jane', lastName: 'Doe', email: 'jane@acme.example', phone: '+44 113 496 0000', type: 'BillingContact', primary: true });
 * ```
 */
export function makeContact(input: ContactInput): Contact {
  const contact = {
    FirstName: input?.firstName,
    LastName: input?.lastName,
    EmailAddress: input?.email,
    PhoneNumber: input?.phone,
    ContactType: input?.type,
    IsPrimaryContact: input?.primary ?? false,
  };
  const issues = validateValue(contact, { $ref: '#/components/schemas/Contact' }, 'contact', api.schemas);
  if (issues.length) throw new InvalidArgumentError(undefined, issues);
  return contact as Contact;
}

// ---------------------------------------------------------------------------------------------
// Dates: the layouts and patterns are the spec's (`x-date-layout`, `pattern`)
// ---------------------------------------------------------------------------------------------

/** The agreement URL the wrapper always sends with an MCA acceptance (the spec's client default). */
export const MCA_AGREEMENT_URL = String(api.schemas.McaAcceptanceRequest?.properties?.AgreementUrl?.default);

/**
 * Formats a date for `mca.accept`'s `DateAccepted`: `YYYY-MM-DDTHH:MM:SS`, in UTC, without zone or
 * fraction (e.g. `2019-02-06T00:00:00`). A string is returned unchanged if it already has that form.
 * (`mca.accept` takes a Date itself; this is for showing or storing the value.)
 */
export const formatMcaDate = dateFormatter('McaAcceptanceRequest', 'DateAccepted');

/**
 * Formats a date for `cancellations.submit`'s `CancellationDateRequested`: `YYYY-MM-DD HH:MM:SS`, in
 * UTC (e.g. `2025-03-31 00:00:00`). A string is returned unchanged if it already has that form.
 */
export const formatCancellationDate = dateFormatter('CancellationRequestBody', 'CancellationDateRequested');

function dateFormatter(schema: string, property: string): (value: Date | string) => string {
  const spec = api.schemas[schema]?.properties?.[property];
  const layout = spec?.dateLayout ?? '';
  const pattern = new RegExp(spec?.pattern ?? '^$');
  const shape = `${layout.toUpperCase()} (e.g. ${formatDateLayout(new Date(Date.UTC(2019, 1, 6)), layout)})`;
  return (value) => {
    if (typeof value === 'string') {
      if (pattern.test(value)) return value;
      throw new InvalidArgumentError(undefined, [{ path: 'date', message: `must be a Date or a string of the form ${shape}` }]);
    }
    const formatted = value instanceof Date ? formatDateLayout(value, layout) : undefined;
    if (formatted === undefined) throw new InvalidArgumentError(undefined, [{ path: 'date', message: 'must be a valid Date between the years 0 and 9999' }]);
    return formatted;
  };
}
