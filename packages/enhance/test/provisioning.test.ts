// The provisioning recipe against Prism (every request it sends is valid for the spec) and against a
// small stateful stand-in of the panel (Prism's answers are stateless: it cannot show that a second run
// finds what the first one made, or that a failed run resumes).
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { contractHarness } from '../../../scripts/testing/contract.js';
import { json, type RecordedRequest, startServer, type TestServer } from '../../../scripts/testing/kit.js';
import { createEnhanceClient, createProvisioning, ProvisioningError } from '../src/index.js';

const RESELLER = '9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';
const TOKEN = 'enh_live_provisioning_0a1b2c';

describe('provisioning against the Prism mock', () => {
  const harness = contractHarness('enhance');
  const enhance = createEnhanceClient({ baseUrl: harness.baseUrl, fetch: harness.fetch, token: TOKEN, retry: false });
  const provisioning = createProvisioning(enhance, { resellerOrgId: RESELLER });

  it('finds the customer the examples describe, step by step, with every request valid for the spec', async () => {
    const ids = await provisioning.provisionCustomer({ name: 'Acme Widgets Ltd', ownerEmail: 'JANE@acme-widgets.example', planId: 7, domain: 'acme-widgets.example' });
    harness.assertClean();
    expect(ids).toEqual({
      customerOrgId: '3f0d6c1e-8a55-4a49-9a53-0c6f2f8b7d21',
      loginId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
      memberId: '0c9a8b7c-6d5e-4f3a-9b2c-1d0e9f8a7b6c',
      subscriptionId: 1042,
      websiteId: 'e2b7c1d4-5f6a-4b8c-9d0e-1f2a3b4c5d6e',
      domainId: expect.any(String),
    });
    await provisioning.suspend(ids);
    await provisioning.unsuspend(ids);
    await provisioning.deprovisionCustomer(ids);
    harness.assertClean();
  });

  it('creates what it does not find', async () => {
    const ids = await provisioning.provisionCustomer({ name: 'Initech Ltd', ownerEmail: 'bill@initech.example', planId: 9, domain: 'initech.example' });
    harness.assertClean();
    // The create examples' ids, and a generated password for the new login.
    expect(ids.customerOrgId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids.ownerPassword).toMatch(/^[A-Za-z0-9]{20}$/);
  });
});

function noContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

/** The part of a panel the recipe touches, in memory. `failOn` makes one route answer 500 once. */
function standIn() {
  let n = 0;
  const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const orgs = new Map<string, { id: string; parentId: string; name: string; status: string; ownerId?: string; ownerLoginId?: string }>();
  const logins = new Map<string, { id: string; email: string; name: string; org: string }>();
  const members = new Map<string, { id: string; loginId: string; org: string }>();
  const subscriptions = new Map<number, { id: number; planId: number; org: string; status: string; isSuspended: boolean }>();
  const websites = new Map<string, { id: string; org: string; domain: { id: string; domain: string } }>();
  const created: string[] = [];
  const state = { orgs, logins, members, subscriptions, websites, created, failOn: undefined as string | undefined };
  const page = (items: unknown[]) => ({ total: items.length, items });

  const handle = (req: RecordedRequest, res: ServerResponse) => {
    const url = new URL(req.url, 'http://panel');
    const body = req.body ? JSON.parse(req.body) : undefined;
    const route = `${req.method} ${url.pathname.replace(/[0-9a-f-]{36}/g, ':id').replace(/\/\d+(\/|$)/g, '/:n$1')}`;
    if (state.failOn === route) {
      state.failOn = undefined;
      return json(res, 500, { code: 'internal', message: 'the panel failed' });
    }
    const [, , orgId, , sub] = url.pathname.split('/');
    switch (route) {
      case 'GET /orgs/:id/customers':
        return json(res, 200, page([...orgs.values()].filter((o) => o.parentId === orgId && o.name.includes(url.searchParams.get('search') ?? ''))));
      case 'POST /orgs/:id/customers': {
        const org = { id: id(), parentId: orgId!, name: body.name, status: 'active' };
        orgs.set(org.id, org);
        created.push('customer');
        return json(res, 201, { id: org.id });
      }
      case 'GET /orgs/:id': {
        const org = orgs.get(orgId!);
        return org ? json(res, 200, { ...org, subscriptionsCount: 0, websitesCount: 0, createdAt: '2025-01-01T00:00:00Z', locale: 'en' }) : json(res, 404, { code: 'not_found' });
      }
      case 'DELETE /orgs/:id':
        return orgs.delete(orgId!) ? noContent(res) : json(res, 404, { code: 'not_found' });
      case 'GET /orgs/:id/logins':
        return json(res, 200, page([...logins.values()].filter((l) => l.org === orgId)));
      case 'POST /logins': {
        const login = { id: id(), email: body.email, name: body.name, org: url.searchParams.get('orgId')! };
        logins.set(login.id, login);
        created.push('login');
        return json(res, 201, { id: login.id });
      }
      case 'GET /orgs/:id/members':
        return json(res, 200, page([...members.values()].filter((m) => m.org === orgId)));
      case 'POST /orgs/:id/members': {
        const member = { id: id(), loginId: body.loginId, org: orgId! };
        members.set(member.id, member);
        const org = orgs.get(orgId!)!;
        Object.assign(org, { ownerId: member.id, ownerLoginId: body.loginId });
        created.push('member');
        return json(res, 201, { id: member.id });
      }
      case 'GET /orgs/:id/customers/:id/subscriptions':
        return json(res, 200, page([...subscriptions.values()].filter((s) => s.org === sub)));
      case 'POST /orgs/:id/customers/:id/subscriptions': {
        const subscription = { id: 1000 + subscriptions.size, planId: body.planId, org: sub!, status: 'active', isSuspended: false };
        subscriptions.set(subscription.id, subscription);
        created.push('subscription');
        return json(res, 201, { id: subscription.id });
      }
      case 'PATCH /orgs/:id/subscriptions/:n': {
        const s = subscriptions.get(Number(sub));
        if (!s) return json(res, 404, { code: 'not_found' });
        s.isSuspended = body.isSuspended;
        return noContent(res);
      }
      case 'DELETE /orgs/:id/subscriptions/:n':
        return subscriptions.delete(Number(sub)) ? noContent(res) : json(res, 404, { code: 'not_found' });
      case 'POST /orgs/:id/domains/check': {
        const site = [...websites.values()].find((w) => w.domain.domain === body.domain);
        return json(res, 200, !site ? { status: 'notInUse' } : site.org === orgId ? { status: 'inUseCurrentOrg', websiteId: site.id } : { status: 'inUseAnotherOrg' });
      }
      case 'POST /orgs/:id/websites': {
        const site = { id: id(), org: orgId!, domain: { id: id(), domain: body.domain } };
        websites.set(site.id, site);
        created.push('website');
        return json(res, 201, { id: site.id });
      }
      case 'GET /orgs/:id/websites/:id': {
        const site = websites.get(sub!);
        return site ? json(res, 200, { id: site.id, orgId: site.org, domain: site.domain, status: 'active' }) : json(res, 404, { code: 'not_found' });
      }
      default:
        return json(res, 501, { code: 'not_implemented', message: route });
    }
  };
  return { state, handle };
}

describe('provisioning against a stateful stand-in of the panel', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function setUp() {
    const panel = standIn();
    server = await startServer(panel.handle);
    const enhance = createEnhanceClient({ baseUrl: server.url, token: TOKEN, retry: false });
    return { panel, provisioning: createProvisioning(enhance, { resellerOrgId: RESELLER }) };
  }
  const input = { name: 'Acme Widgets Ltd', ownerEmail: 'jane@acme-widgets.example', planId: 7, domain: 'acme-widgets.example' };

  it('provisions once: a second run finds everything and creates nothing', async () => {
    const { panel, provisioning } = await setUp();
    const first = await provisioning.provisionCustomer(input);
    expect(panel.state.created).toEqual(['customer', 'login', 'member', 'subscription', 'website']);
    expect(first.domainId).toBe(panel.state.websites.get(first.websiteId)!.domain.id);
    const second = await provisioning.provisionCustomer({ ...input, ownerEmail: 'Jane@Acme-Widgets.example' });
    expect(panel.state.created).toHaveLength(5);
    const { ownerPassword: _, ...ids } = first;
    expect(second).toEqual(ids);
  });

  it('reports the completed steps when one fails, and a second run resumes where it stopped', async () => {
    const { panel, provisioning } = await setUp();
    panel.state.failOn = 'POST /orgs/:id/websites';
    const error = (await provisioning.provisionCustomer(input).catch((e: unknown) => e)) as ProvisioningError;
    expect(error).toBeInstanceOf(ProvisioningError);
    expect(error.step).toBe('website');
    expect(Object.keys(error.completed).sort()).toEqual(['customerOrgId', 'loginId', 'memberId', 'ownerPassword', 'subscriptionId']);
    // The generated password is kept out of the error; the caller set no password, so it logs nothing secret.
    expect(error.completed.ownerPassword).toBe('[REDACTED]');
    expect(error.message).toMatch(/stopped at the website step.*Enhance 500/);
    const resumed = await provisioning.provisionCustomer(input);
    expect(panel.state.created).toEqual(['customer', 'login', 'member', 'subscription', 'website']);
    expect(resumed.customerOrgId).toBe(error.completed.customerOrgId);
  });

  it('suspends, unsuspends and deprovisions, skipping what is already gone', async () => {
    const { panel, provisioning } = await setUp();
    const ids = await provisioning.provisionCustomer(input);
    await provisioning.suspend(ids);
    expect(panel.state.subscriptions.get(ids.subscriptionId)!.isSuspended).toBe(true);
    await provisioning.unsuspend(ids);
    expect(panel.state.subscriptions.get(ids.subscriptionId)!.isSuspended).toBe(false);
    await provisioning.deprovisionCustomer(ids);
    expect(panel.state.orgs.has(ids.customerOrgId)).toBe(false);
    expect(panel.state.subscriptions.size).toBe(0);
    await provisioning.deprovisionCustomer(ids); // again: nothing left, no error
  });

  it('refuses a domain another organisation uses', async () => {
    const { provisioning } = await setUp();
    await provisioning.provisionCustomer(input);
    const error = (await provisioning.provisionCustomer({ ...input, name: 'Globex', ownerEmail: 'hank@globex.example' }).catch((e: unknown) => e)) as ProvisioningError;
    expect(error.step).toBe('website');
    expect(error.message).toContain('inUseAnotherOrg');
  });
});
