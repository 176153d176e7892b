import { describe, expect, it } from 'vitest';
import { callOperation, contractHarness, describeEveryOperation } from '../../../scripts/testing/contract.js';
import {
  type ApiError,
  AuthenticationError,
  CloudApiErrorCode,
  createCloudApiClient,
  InternalServerError,
  NotFoundError,
} from '../src/index.js';

const harness = contractHarness('cloud-api');
const PASSWORD = 'Sup3r-Secret!';
const cloud = createCloudApiClient({ baseUrl: harness.baseUrl, fetch: harness.fetch, retry: false, username: 'admin', password: PASSWORD });
const CUSTOMER = '6f1d2c3b-4a59-4e8d-9c7b-1a2b3c4d5e6f';

/** The 22 methods of cloud_api_customer, as the REST docs list them. */
const DOCUMENTED_METHODS = [
  'getObject', 'removeCapacityAvailable', 'listCapacity', 'find', 'unregisterDomain', 'create', 'setStatus', 'updateModelProperties',
  'listCloudSpaces', 'addCloudUserGroup', 'registerDomain', 'listGroups', 'removeCloudUserGroup', 'getXML', 'removeCapacityConsumed',
  'addCapacityConsumed', 'addCapacityAvailable', 'getXMLSchema', 'list', 'getYAML', 'listStatuses', 'delete',
];
const NOT_IMPLEMENTED = ['getXML', 'getXMLSchema', 'listCloudSpaces'];
const READS = ['getObject', 'listCapacity', 'find', 'listCloudSpaces', 'listGroups', 'getXML', 'getXMLSchema', 'list', 'getYAML', 'listStatuses'];

describeEveryOperation(harness, cloud);

describe('the spec describes every documented method', () => {
  const ops = harness.model.operations;

  it('has the 22 methods as GET /cloud_api_customer/<method>, in the customer group, named as the RPC names them', () => {
    expect(ops.map((op) => op.sdkMethod).sort()).toEqual([...DOCUMENTED_METHODS].sort());
    for (const op of ops) {
      expect(op.method).toBe('GET');
      expect(op.path).toBe(`/cloud_api_customer/${op.sdkMethod}`);
      expect(op.tag).toBe('customer');
      expect(op.security).toEqual([['basicAuth']]);
    }
  });

  it('puts /appserver/rest in the default server URL, with the bare REST port as the alternative', () => {
    const [server] = harness.model.servers;
    expect(server?.url).toBe('http://{host}:{port}{basePath}');
    expect(server?.variables?.basePath).toMatchObject({ default: '/appserver/rest', enum: ['/appserver/rest', ''] });
  });

  it('declares jobguid and executionparams on every method, and every parameter as JSON', () => {
    for (const op of ops) {
      const names = op.otherParams.map((p) => p.name);
      expect(names, op.id).toEqual(expect.arrayContaining(['jobguid', 'executionparams']));
      for (const p of op.otherParams) expect(p.in === 'query' && p.json, `${op.id} ${p.name}`).toBe(true);
    }
  });

  it('marks the not-implemented methods, and only retries the reads', () => {
    expect(ops.filter((op) => op.stability === 'not-implemented').map((op) => op.sdkMethod).sort()).toEqual([...NOT_IMPLEMENTED].sort());
    for (const op of ops) expect(op.idempotent ?? true, op.id).toBe(READS.includes(op.sdkMethod));
  });

  it('decodes the JSON-string results of list, find and listStatuses', () => {
    expect(ops.filter((op) => op.jsonResult).map((op) => op.sdkMethod).sort()).toEqual(['find', 'list', 'listStatuses']);
  });

  it('offers every method in the background as well', () => {
    // The group is a CustomerResource: its methods live on the prototype.
    const methods = (group: object) => Object.getOwnPropertyNames(Object.getPrototypeOf(group)).filter((name) => name !== 'constructor');
    expect(methods(cloud.async.customer).sort()).toEqual([...DOCUMENTED_METHODS].sort());
    expect(methods(cloud.customer).sort()).toEqual([...DOCUMENTED_METHODS].sort());
    for (const name of DOCUMENTED_METHODS) expect(typeof (cloud.async.customer as unknown as Record<string, unknown>)[name], name).toBe('function');
  });
});

describe('Cloud API against its Prism mock', () => {
  it('returns the decoded lists, not the JSON strings the server sends', async () => {
    const customers = await cloud.customer.list();
    harness.assertClean();
    expect(typeof harness.responseExample('customerList').result).toBe('string');
    expect(customers).toEqual(JSON.parse(harness.responseExample('customerList').result));
    expect(customers.map((c) => c.name)).toEqual(['Acme Hosting NV', '123']);
    expect(await cloud.customer.listStatuses()).toEqual(['ACTIVE', 'CONFIGURED', 'DISABLED']);
    expect(await cloud.customer.find({ name: 'Acme Hosting NV', status: 'ACTIVE' })).toEqual(JSON.parse(harness.responseExample('customerFind').result));
    harness.assertClean();
  });

  it('starts a job in the background and returns its guid', async () => {
    const jobguid = await cloud.async.customer.create({ name: 'Acme Hosting NV', executionparams: { maxduration: 600 } });
    harness.assertClean();
    expect(jobguid).toBe(harness.responseExample('customerCreate').jobguid);
  });

  it('calls the not-implemented methods like any other', async () => {
    expect(await cloud.customer.getXML({ customerguid: CUSTOMER })).toBe(harness.expectedResult('customerGetXML'));
    expect(await cloud.customer.listCloudSpaces({ customerguid: CUSTOMER })).toEqual(harness.expectedResult('customerListCloudSpaces'));
    harness.assertClean();
  });

  const documentedErrors: [string, string, new (...args: never[]) => ApiError, number, number][] = [
    ['code=401', 'authenticationRequired', AuthenticationError, 401, CloudApiErrorCode.AuthenticationRequired],
    ['code=401', 'authorizationFailed', AuthenticationError, 401, CloudApiErrorCode.AuthorizationFailed],
    ['code=404', 'serviceNotFound', NotFoundError, 404, CloudApiErrorCode.ServiceNotFound],
    ['code=404', 'methodNotFound', NotFoundError, 404, CloudApiErrorCode.MethodNotFound],
    ['code=500', 'internalError', InternalServerError, 500, CloudApiErrorCode.InternalError],
    ['code=500', 'unparsableParameters', InternalServerError, 500, CloudApiErrorCode.InternalError],
    ['code=500', 'hiddenDetails', InternalServerError, 500, CloudApiErrorCode.InternalError],
  ];

  it.each(documentedErrors)('maps %s %s to a typed error with the server code and message', async (code, example, type, status, errorCode) => {
    const error = await callOperation(cloud, harness, 'customerDelete', {}, { headers: { Prefer: `${code}, example=${example}` } }).catch(
      (e: unknown) => e,
    );
    const body = harness.responseExample('customerDelete', String(status), example);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ status, code: errorCode, providerMessage: body.message, body, operationId: 'customerDelete' });
    expect(body.code).toBe(errorCode);
  });

  it('keeps the password and the Basic token out of a 401, its message, stack and JSON', async () => {
    const error = await cloud.customer.list({}, { headers: { Prefer: 'code=401' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const token = Buffer.from(`admin:${PASSWORD}`).toString('base64');
    for (const text of [String(error), (error as Error).stack, JSON.stringify(error), (error as ApiError).url]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(token);
    }
  });

  it('notices when Prism rejects a request (the harness can fail)', async () => {
    // The methods and the raw client refuse a missing required parameter before sending, unless told not to check.
    await expect(cloud.raw.GET('/cloud_api_customer/delete', { params: { query: {} as never }, validate: false })).rejects.toMatchObject({ status: 422 });
    const found = harness.violations.splice(0);
    expect(found).toHaveLength(1);
    expect(found[0]!.detail).toMatch(/customerguid/);
  });
});
