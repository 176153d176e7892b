import { createCascadeClient, formatCancellationDate, formatMcaDate, MCA_AGREEMENT_URL, makeAddress, makeContact, NotFoundError } from '../src/index.js';

/** A short tour of the client, run by `pnpm demo` against a Prism mock of the spec. */
export async function demo(baseUrl: string, print: (label: string, value: unknown) => void): Promise<void> {
  // Prism checks that both headers are present, not their values.
  const cascade = createCascadeClient({ baseUrl, username: 'api.reseller@example.com', password: 'demo-password' });
  const customer = 'acme-widgets.co.uk';
  const product = 'R-UK-CSP-365BT-CMC';

  print('customers.list()', await cascade.customers.list());
  print(`customers.get({ primaryDomain: '${customer}' })`, await cascade.customers.get({ primaryDomain: customer }));

  // The builders check the wrapper's rules before anything is sent (a US address needs a State).
  const address = makeAddress({ line1: '500 Oak Avenue', city: 'Springfield', state: 'IL', postcode: '62701', country: 'USA' });
  const contact = makeContact({ firstName: 'Hank', lastName: 'Scorpio', email: 'hank@globex.com', phone: '+1 217 555 0100', type: 'BillingContact', primary: true });
  print('makeAddress / makeContact', { address, contact });
  try {
    makeAddress({ line1: '500 Oak Avenue', city: 'Springfield', postcode: '62701', country: 'USA' });
  } catch (error) {
    print('makeAddress without a State in the USA', (error as Error).message);
  }
  print(
    'customers.create({ body })',
    await cascade.customers.create({ body: { PrimaryDomain: 'globex.com', Name: 'Globex Corporation', Reference: 'GLOBEX-0002', IsoCountryCode: 'USA', HeadOfficeAddress: address, Contacts: [contact] } }),
  );

  print(`tenants.get({ customer: '${customer}' })`, await cascade.tenants.get({ customer }));
  print(
    `tenants.create({ customer: '${customer}', tenantId: 'acmewidgets' }) → POST .../MicrosoftTenant/acmewidgets.onmicrosoft.com`,
    await cascade.tenants.create({ customer, tenantId: 'acmewidgets' }),
  );

  print(`mca.get({ customer: '${customer}' })`, await cascade.mca.get({ customer }));
  const accepted = new Date(Date.UTC(2019, 1, 6));
  await cascade.mca.accept({
    customer,
    body: {
      DateAccepted: accepted,
      FirstName: 'Jane',
      Surname: 'Doe',
      PhoneNumber: '+44 113 496 0000',
      EmailAddress: 'jane.doe@acme-widgets.co.uk',
      AddressLine1: '1 Market Street',
      Postcode: 'LS1 6DT',
      CountryId: 26,
    },
  });
  print('mca.accept(...) with a Date', `sent DateAccepted ${formatMcaDate(accepted)} and AgreementUrl ${MCA_AGREEMENT_URL}`);

  print(`subscriptions.list({ customer: '${customer}' })`, await cascade.subscriptions.list({ customer }));
  print(`subscriptions.get({ customer: '${customer}', productCode: '${product}' })`, await cascade.subscriptions.get({ customer, productCode: product }));
  await cascade.subscriptions.create({ customer, body: { Reference: '17112020', Subscriptions: [{ ProductCode: product, Quantity: 1 }] } });
  await cascade.subscriptions.changeQuantity({ customer, productCode: product, body: { Quantity: 12 } });
  const { response } = await cascade.subscriptions.upgrade({ customer, productCode: product, body: { ProductCode: 'R-UK-CSP-365E3-CMC' } }).withResponse();
  print('subscriptions.create / changeQuantity / upgrade', `accepted, HTTP ${response.status} (the last two are unverified against the real API)`);

  const when = new Date(Date.UTC(2025, 2, 31));
  await cascade.cancellations.submit({ customer, productCode: product, body: { CancellationDateRequested: when } });
  print('cancellations.submit(...) with a Date', `sent CancellationDateRequested ${formatCancellationDate(when)}`);
  print('cancellations.get({ customer, productCode })', await cascade.cancellations.get({ customer, productCode: product }));
  await cascade.cancellations.abort({ customer, productCode: product });

  try {
    await cascade.customers.get({ primaryDomain: 'nobody.example' }, { headers: { Prefer: 'code=404' } });
  } catch (error) {
    if (error instanceof NotFoundError) print('a 404', { name: error.name, status: error.status, providerMessage: error.providerMessage });
  }
}
