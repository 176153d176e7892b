import { type ArgumentIssue, type ClientOptions, InvalidArgumentError, type RequestOptions, Runtime, validateValue } from '@provider-sdk/core';
import {
  type AcceptMcaBody,
  type AcceptMcaResult,
  CancellationsApi,
  type CreateCustomerBody,
  type CreateCustomerResult,
  type CreateTenantResult,
  CustomersApi,
  McaApi,
  type SubmitCancellationRequestBody,
  type SubmitCancellationRequestResult,
  SubscriptionsApi,
  TenantsApi,
  type UpdateSubscriptionResult,
} from './generated/client.js';
import { api } from './generated/operations.js';
import type { components, paths } from './generated/schema.js';

export * from '@provider-sdk/core';
export * from './generated/client.js';
export { api } from './generated/operations.js';
export type { components, operations, paths } from './generated/schema.js';

type Schemas = components['schemas'];
export type Address = Schemas['Address'];
export type Contact = Schemas['Contact'];
export type ContactType = Contact['ContactType'];
export type Customer = Schemas['Customer'];
export type Subscription = Schemas['Subscription'];

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

export interface CascadeClientOptions extends Omit<ClientOptions, 'credentials' | 'serverVariables'> {
  /** The Cascade API user name, sent as `X-Username` on every request. */
  username: string;
  /** The Cascade API password, sent as `X-Password` on every request; never shown in errors or logs. */
  password: string;
  /**
   * Default `https://api.cascadeportal.com`. For a test environment pass its host, e.g.
   * `https://api.uatcascadeportal.com` (a guess: confirm it with your intY account manager).
   */
  baseUrl?: string;
}

export interface CascadeClient {
  readonly customers: CascadeCustomers;
  readonly tenants: CascadeTenants;
  readonly mca: CascadeMca;
  readonly subscriptions: CascadeSubscriptions;
  readonly cancellations: CascadeCancellations;
  /** The typed openapi-fetch client on the same transport, for anything the methods do not cover. */
  readonly raw: Runtime<paths>['raw'];
}

/**
 * Creates an Inty Cascade client.
 *
 * ```ts
 * const cascade = createCascadeClient({ username: process.env.CASCADE_USERNAME!, password: process.env.CASCADE_PASSWORD! });
 * const customers = await cascade.customers.list();
 * await cascade.subscriptions.changeQuantity('acme-widgets.co.uk', 'R-UK-CSP-365BT-CMC', 12);
 * ```
 */
export function createCascadeClient(options: CascadeClientOptions): CascadeClient {
  const { username, password, ...rest } = options ?? ({} as CascadeClientOptions);
  const issues: ArgumentIssue[] = [];
  if (typeof username !== 'string' || username === '') issues.push({ path: 'username', message: 'is required (sent as X-Username)' });
  if (typeof password !== 'string' || password === '') issues.push({ path: 'password', message: 'is required (sent as X-Password)' });
  if (issues.length) throw new InvalidArgumentError(undefined, issues);

  const runtime = new Runtime<paths>(api, { ...rest, credentials: { username, password } });
  return {
    customers: new CascadeCustomers(runtime, rest.validate ?? true),
    tenants: new CascadeTenants(runtime),
    mca: new CascadeMca(runtime),
    subscriptions: new CascadeSubscriptions(runtime),
    cancellations: new CascadeCancellations(runtime),
    raw: runtime.raw,
  };
}

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/**
 * The body of `customers.create`. `IsActive` (default true, filled in by the client like the wrapper)
 * and `IsoCountryCode` (the server's default: GBR) may be left out.
 */
export type CustomerInput = Optional<CreateCustomerBody, 'IsActive' | 'IsoCountryCode'>;

/** `customers.create` also enforces the State rule and keeps the administrator password out of errors. */
export class CascadeCustomers extends CustomersApi {
  readonly #runtime: Runtime<paths>;
  readonly #validate: boolean;

  /** @param validate The client-wide `validate` option (a call's own `validate` wins). */
  constructor(runtime: Runtime<paths>, validate = true) {
    super(runtime);
    this.#runtime = runtime;
    this.#validate = validate;
  }

  /**
   * Create a customer (`POST /customers`, operation `createCustomer`).
   *
   * Like the wrapper, sends `IsActive: true` unless told otherwise. Before sending, checks the State
   * rule: when `IsoCountryCode` (GBR when omitted) is one of {@link STATE_REQUIRED_COUNTRIES}, the
   * head office and billing addresses need a `State`. `AdministratorPassword` is registered as a
   * secret, so an error body that echoes it is scrubbed.
   */
  override create(body: CustomerInput, options?: RequestOptions): Promise<CreateCustomerResult> {
    if ((options?.validate ?? this.#validate) && body && typeof body === 'object') {
      const issues = stateRuleIssues(body);
      if (issues.length) return Promise.reject(new InvalidArgumentError('createCustomer', issues));
    }
    if (typeof body?.AdministratorPassword === 'string') this.#runtime.secrets.addValue(body.AdministratorPassword);
    return super.create((body && typeof body === 'object' ? { ...body, IsActive: body.IsActive ?? true } : body) as CreateCustomerBody, options);
  }
}

const ONMICROSOFT_SUFFIX = '.onmicrosoft.com';

/** `tenants.create` takes the domain prefix only. */
export class CascadeTenants extends TenantsApi {
  /**
   * Create the customer's Microsoft tenant `<tenantId>.onmicrosoft.com`
   * (`POST /customers/{customer}/MicrosoftTenant/{tenantId}.onmicrosoft.com`, operation `createTenant`).
   *
   * @param customer The customer's primary domain.
   * @param tenantId The prefix only: `contoso` for `contoso.onmicrosoft.com`. A value that already
   *   ends with `.onmicrosoft.com` is refused (the path appends the suffix itself).
   */
  override create(customer: string, tenantId: string, options?: RequestOptions): Promise<CreateTenantResult> {
    if (typeof tenantId === 'string' && tenantId.toLowerCase().endsWith(ONMICROSOFT_SUFFIX)) {
      const prefix = tenantId.slice(0, -ONMICROSOFT_SUFFIX.length);
      return Promise.reject(
        new InvalidArgumentError('createTenant', [
          { path: 'path.tenantId', message: `must be the prefix only ("${prefix}"): the API appends ${ONMICROSOFT_SUFFIX} itself` },
        ]),
      );
    }
    return super.create(customer, tenantId, options);
  }
}

/** The MCA acceptance body, with `DateAccepted` as a Date or a string, and `AgreementUrl` optional. */
export type McaAcceptanceInput = Omit<AcceptMcaBody, 'DateAccepted' | 'AgreementUrl'> & { DateAccepted: Date | string; AgreementUrl?: string };

/** `mca.accept` formats a Date and fills the agreement URL. */
export class CascadeMca extends McaApi {
  /**
   * Accept the Microsoft Customer Agreement for a customer (`POST /customers/{customer}/McaAcceptance`,
   * operation `acceptMca`).
   *
   * A `Date` in `DateAccepted` is sent as `YYYY-MM-DDTHH:MM:SS` in UTC (see {@link formatMcaDate}); a
   * string must already have that form. `AgreementUrl` defaults to {@link MCA_AGREEMENT_URL}, as in the wrapper.
   */
  override accept(customer: string, body: McaAcceptanceInput, options?: RequestOptions): Promise<AcceptMcaResult> {
    if (!body || typeof body !== 'object') return super.accept(customer, body as AcceptMcaBody, options);
    let dateAccepted: string;
    try {
      dateAccepted = body.DateAccepted instanceof Date ? formatMcaDate(body.DateAccepted) : body.DateAccepted;
    } catch (error) {
      return Promise.reject(rename(error, 'acceptMca', 'body.DateAccepted'));
    }
    return super.accept(customer, { ...body, DateAccepted: dateAccepted, AgreementUrl: body.AgreementUrl ?? MCA_AGREEMENT_URL }, options);
  }
}

/** `subscriptions` adds the two methods the wrapper had for its one shared POST. */
export class CascadeSubscriptions extends SubscriptionsApi {
  /**
   * Change the quantity of a subscription: `POST /customers/{customer}/subscriptions/{productCode}`
   * with `{Quantity}` (operation `updateSubscription`).
   *
   * @experimental The wrapper's author marked this call "TODO: Doesn't Work."; it is not known to
   *   work against the real API.
   */
  changeQuantity(customer: string, productCode: string, quantity: number, options?: RequestOptions): Promise<UpdateSubscriptionResult> {
    return this.update(customer, productCode, { Quantity: quantity }, options);
  }

  /**
   * Upgrade a subscription to another product code: `POST /customers/{customer}/subscriptions/{productCode}`
   * with `{ProductCode: newProductCode}` (operation `updateSubscription`).
   *
   * @experimental The wrapper's author marked this call "Todo: Untested.".
   */
  upgrade(customer: string, productCode: string, newProductCode: string, options?: RequestOptions): Promise<UpdateSubscriptionResult> {
    return this.update(customer, productCode, { ProductCode: newProductCode }, options);
  }
}

/** The cancellation request body, with the date as a Date or a string. */
export type CancellationRequestInput = Omit<SubmitCancellationRequestBody, 'CancellationDateRequested'> & { CancellationDateRequested: Date | string };

/** `cancellations.submit` formats a Date. */
export class CascadeCancellations extends CancellationsApi {
  /**
   * Request the cancellation of a subscription
   * (`POST /customers/{customer}/subscriptions/{productCode}/cancellation-request`, operation `submitCancellationRequest`).
   *
   * A `Date` is sent as `YYYY-MM-DD HH:MM:SS` in UTC (see {@link formatCancellationDate}); a string
   * must already have that form.
   */
  override submit(customer: string, productCode: string, body: CancellationRequestInput, options?: RequestOptions): Promise<SubmitCancellationRequestResult> {
    if (!body || typeof body !== 'object') return super.submit(customer, productCode, body as SubmitCancellationRequestBody, options);
    let requested: string;
    try {
      requested = body.CancellationDateRequested instanceof Date ? formatCancellationDate(body.CancellationDateRequested) : body.CancellationDateRequested;
    } catch (error) {
      return Promise.reject(rename(error, 'submitCancellationRequest', 'body.CancellationDateRequested'));
    }
    return super.submit(customer, productCode, { ...body, CancellationDateRequested: requested }, options);
  }
}

function rename(error: unknown, operationId: string, path: string): unknown {
  if (!(error instanceof InvalidArgumentError)) return error;
  return new InvalidArgumentError(
    operationId,
    error.issues.map((issue) => ({ ...issue, path })),
  );
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

/** The server's default `IsoCountryCode` (wrapper docstring: "Defaults to GBR"). */
export const DEFAULT_COUNTRY = 'GBR';

/** Whether an address in this country (ISO 3166-1 alpha-3) needs a `State`. */
export function stateRequired(country: string): boolean {
  return (STATE_REQUIRED_COUNTRIES as readonly string[]).includes(country.toUpperCase());
}

function stateRuleIssues(body: CustomerInput): ArgumentIssue[] {
  const country = typeof body.IsoCountryCode === 'string' ? body.IsoCountryCode : DEFAULT_COUNTRY;
  if (!stateRequired(country)) return [];
  const issues: ArgumentIssue[] = [];
  for (const field of ['HeadOfficeAddress', 'BillingAddress'] as const) {
    const address = body[field];
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

export const CONTACT_TYPES: readonly ContactType[] = ['ITContact', 'BillingContact'];

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
// Dates
// ---------------------------------------------------------------------------------------------

/** The agreement URL the wrapper always sends with an MCA acceptance. */
export const MCA_AGREEMENT_URL = 'https://aka.ms/customeragreement';

const MCA_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const CANCELLATION_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * Formats a date for `mca.accept`'s `DateAccepted`: `YYYY-MM-DDTHH:MM:SS`, in UTC, without zone or
 * fraction (e.g. `2019-02-06T00:00:00`). A string is returned unchanged if it already has that form.
 */
export function formatMcaDate(value: Date | string): string {
  return formatDate(value, 'T', MCA_DATE, 'YYYY-MM-DDTHH:MM:SS (e.g. 2019-02-06T00:00:00)');
}

/**
 * Formats a date for `cancellations.submit`'s `CancellationDateRequested`: `YYYY-MM-DD HH:MM:SS`, in
 * UTC (e.g. `2025-03-31 00:00:00`). A string is returned unchanged if it already has that form.
 */
export function formatCancellationDate(value: Date | string): string {
  return formatDate(value, ' ', CANCELLATION_DATE, 'YYYY-MM-DD HH:MM:SS (e.g. 2025-03-31 00:00:00)');
}

function formatDate(value: Date | string, separator: 'T' | ' ', pattern: RegExp, shape: string): string {
  if (typeof value === 'string') {
    if (pattern.test(value)) return value;
    throw new InvalidArgumentError(undefined, [{ path: 'date', message: `must be a Date or a string of the form ${shape}` }]);
  }
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidArgumentError(undefined, [{ path: 'date', message: 'must be a valid Date' }]);
  }
  const year = value.getUTCFullYear();
  if (year < 0 || year > 9999) throw new InvalidArgumentError(undefined, [{ path: 'date', message: 'must be between the years 0 and 9999' }]);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    `${pad(year, 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}` +
    `${separator}${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`
  );
}
