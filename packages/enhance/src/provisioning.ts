import { ConflictError, NotFoundError, ProviderSdkError, type RequestOptions } from '@provider-sdk/core';
import type { EnhanceApi } from './generated/client.js';

/**
 * What every reseller's billing system writes, once, on the generated calls: provision a hosting
 * customer (org, owner login and membership, subscription, website), suspend and unsuspend it, and
 * deprovision it. Every step looks before it creates, so a run that failed half-way can simply be
 * run again: it finds what the first run made and carries on. A failure says which steps completed.
 */

export interface ProvisionCustomerInput {
  /** The customer organisation's name (matched exactly when looking for an existing one). */
  name: string;
  /** The owner's login email (matched case-insensitively). */
  ownerEmail: string;
  /** The owner's display name. Default: `name`. */
  ownerName?: string;
  /** The owner's password. Default: a random one, returned in `ownerPassword`. */
  ownerPassword?: string;
  /** The reseller's plan the customer subscribes to. */
  planId: number;
  /** The website's primary domain. */
  domain: string;
}

export interface ProvisionedCustomer {
  customerOrgId: string;
  loginId: string;
  memberId: string;
  subscriptionId: number;
  websiteId: string;
  /** The website's primary domain id (what DNS, TLS and mailbox calls take). */
  domainId: string | undefined;
  /** The generated owner password, when none was given: hand it to the customer, never log it. */
  ownerPassword?: string;
}

export type ProvisioningStep = 'customer' | 'login' | 'membership' | 'subscription' | 'website';

/** A step failed; `completed` holds the ids of the steps before it, to resume (run again) or roll back. */
export class ProvisioningError extends ProviderSdkError {
  override name = 'ProvisioningError';
  readonly step: ProvisioningStep;
  readonly completed: Partial<ProvisionedCustomer>;

  constructor(step: ProvisioningStep, completed: Partial<ProvisionedCustomer>, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Enhance provisioning stopped at the ${step} step (done: ${Object.keys(completed).join(', ') || 'nothing'}): ${reason}`, { cause });
    this.step = step;
    this.completed = { ...completed, ...(completed.ownerPassword ? { ownerPassword: '[REDACTED]' } : {}) };
  }
}

export interface Provisioning {
  provisionCustomer(input: ProvisionCustomerInput, options?: RequestOptions): Promise<ProvisionedCustomer>;
  /** Suspends the customer's subscription (its websites stop serving); unsuspend undoes it. */
  suspend(customer: Pick<ProvisionedCustomer, 'customerOrgId' | 'subscriptionId'>, options?: RequestOptions): Promise<void>;
  unsuspend(customer: Pick<ProvisionedCustomer, 'customerOrgId' | 'subscriptionId'>, options?: RequestOptions): Promise<void>;
  /**
   * Deletes the subscription (and its websites), then the customer organisation; what is already
   * gone is skipped. Enhance only marks them deleted unless `force` (a master-organisation admin only).
   */
  deprovisionCustomer(customer: Pick<ProvisionedCustomer, 'customerOrgId'> & { subscriptionId?: number | undefined }, options?: RequestOptions & { force?: boolean }): Promise<void>;
}

/** The recipe for one reseller organisation: `resellerOrgId` is the org whose plans the customers buy. */
export function createProvisioning(enhance: EnhanceApi, { resellerOrgId }: { resellerOrgId: string }): Provisioning {
  return {
    async provisionCustomer(input, options) {
      const done: Partial<ProvisionedCustomer> = {};
      let step: ProvisioningStep = 'customer';
      try {
        const customerOrgId = await findOrCreateCustomer(enhance, resellerOrgId, input.name, options);
        done.customerOrgId = customerOrgId;

        step = 'login';
        const found = await findLogin(enhance, customerOrgId, input.ownerEmail, options);
        let loginId = found;
        if (!loginId) {
          const password = input.ownerPassword ?? randomPassword();
          if (input.ownerPassword === undefined) done.ownerPassword = password;
          try {
            ({ id: loginId } = await enhance.logins.create(
              { orgId: customerOrgId, body: { email: input.ownerEmail, password, name: input.ownerName ?? input.name } },
              options,
            ));
          } catch (error) {
            if (error instanceof ConflictError) {
              throw new ProviderSdkError(`a login for ${input.ownerEmail} exists elsewhere in the reseller's realm; it cannot be looked up from this organisation`, { cause: error });
            }
            throw error;
          }
        }
        done.loginId = loginId;

        step = 'membership';
        done.memberId = await findOrCreateOwner(enhance, customerOrgId, loginId, options);

        step = 'subscription';
        done.subscriptionId = await findOrCreateSubscription(enhance, resellerOrgId, customerOrgId, input.planId, options);

        step = 'website';
        done.websiteId = await findOrCreateWebsite(enhance, customerOrgId, input.domain, done.subscriptionId, options);
        const website = await enhance.websites.get({ org_id: customerOrgId, website_id: done.websiteId }, options);
        done.domainId = website.domain?.id;
        return done as ProvisionedCustomer;
      } catch (error) {
        throw new ProvisioningError(step, done, error);
      }
    },

    async suspend(customer, options) {
      await enhance.subscriptions.update({ org_id: customer.customerOrgId, subscription_id: customer.subscriptionId, body: { isSuspended: true } }, options);
    },

    async unsuspend(customer, options) {
      await enhance.subscriptions.update({ org_id: customer.customerOrgId, subscription_id: customer.subscriptionId, body: { isSuspended: false } }, options);
    },

    async deprovisionCustomer(customer, options = {}) {
      const { force, ...request } = options;
      const forced = force ? { force: true } : {};
      if (customer.subscriptionId !== undefined) {
        await gone(enhance.subscriptions.delete({ org_id: customer.customerOrgId, subscription_id: customer.subscriptionId, ...forced }, request));
      }
      await gone(enhance.customers.delete({ org_id: customer.customerOrgId, ...forced }, request));
    },
  };
}

async function findOrCreateCustomer(enhance: EnhanceApi, resellerOrgId: string, name: string, options?: RequestOptions): Promise<string> {
  for await (const org of enhance.customers.list({ org_id: resellerOrgId, search: name }, options)) {
    if (org.name === name && org.status !== 'deleted') return org.id;
  }
  return (await enhance.customers.create({ org_id: resellerOrgId, body: { name } }, options)).id;
}

async function findLogin(enhance: EnhanceApi, orgId: string, email: string, options?: RequestOptions): Promise<string | undefined> {
  const wanted = email.toLowerCase();
  for await (const login of enhance.logins.list({ org_id: orgId }, options)) if (login.email.toLowerCase() === wanted) return login.id;
  return undefined;
}

async function findOrCreateOwner(enhance: EnhanceApi, orgId: string, loginId: string, options?: RequestOptions): Promise<string> {
  const org = await enhance.customers.get({ org_id: orgId }, options);
  if (org.ownerId && org.ownerLoginId === loginId) return org.ownerId;
  for await (const member of enhance.members.list({ org_id: orgId }, options)) if (member.loginId === loginId) return member.id;
  return (await enhance.members.create({ org_id: orgId, body: { loginId, roles: ['Owner'] } }, options)).id;
}

async function findOrCreateSubscription(enhance: EnhanceApi, resellerOrgId: string, customerOrgId: string, planId: number, options?: RequestOptions): Promise<number> {
  for await (const s of enhance.subscriptions.list({ org_id: resellerOrgId, customer_org_id: customerOrgId }, options)) {
    if (s.planId === planId && s.status === 'active') return s.id;
  }
  return (await enhance.subscriptions.create({ org_id: resellerOrgId, customer_org_id: customerOrgId, body: { planId } }, options)).id;
}

async function findOrCreateWebsite(enhance: EnhanceApi, orgId: string, domain: string, subscriptionId: number, options?: RequestOptions): Promise<string> {
  const check = await enhance.domains.checkDomain({ org_id: orgId, body: { domain } }, options);
  if (check.status === 'inUseCurrentOrg' && check.websiteId) return check.websiteId;
  if (check.status !== 'notInUse') throw new ProviderSdkError(`the domain ${domain} cannot be used here: ${check.status}`);
  return (await enhance.websites.create({ org_id: orgId, body: { domain, subscriptionId } }, options)).id;
}

/** Resolves when the call succeeded or the thing was already gone (404). */
async function gone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/** 20 characters from a 62-letter alphabet (about 119 bits), from the platform's CSPRNG. */
function randomPassword(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  while (out.length < 20) {
    // 248 is the largest multiple of 62 below 256: rejecting above it keeps every letter equally likely.
    for (const byte of crypto.getRandomValues(new Uint8Array(32))) if (byte < 248 && out.length < 20) out += alphabet[byte % 62];
  }
  return out;
}

