/**
 * A small two-tenant world for the ARM tests, built through the services: Contoso (customer) with a
 * subscription, resource groups and service principals holding roles, and Fabrikam (managing
 * tenant) with a principal delegated to Contoso through Lighthouse. Tokens come from Lantern's own
 * token service over HTTPS, through @azure/identity's ClientSecretCredential.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ClientSecretCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/identity';
import { CONTRIBUTOR, OWNER, READER, USER_ACCESS_ADMINISTRATOR } from '../../src/core/roles/builtin-catalog.js';
import { systemContext } from '../../src/services/context.js';
import { createSubscription } from '../../src/services/operator/subscription-admin.js';
import type { TestLantern } from '../support/lantern.js';

export interface TestPrincipal {
  readonly objectId: string;
  readonly appId: string;
  readonly tenantId: string;
  readonly secret: string;
  readonly displayName: string;
}

export interface ArmWorld {
  readonly contoso: string;
  readonly fabrikam: string;
  readonly subscriptionId: string;
  /** A second Contoso subscription that is not delegated. */
  readonly otherSubscriptionId: string;
  /** Owner of the subscription. */
  readonly owner: TestPrincipal;
  /** Reader on resource group `rg-app` only. */
  readonly rgReader: TestPrincipal;
  /** No role anywhere. */
  readonly nobody: TestPrincipal;
  /** Fabrikam principal with Contributor on the whole subscription through Lighthouse. */
  readonly fabrikamOps: TestPrincipal;
  /** Fabrikam principal with User Access Administrator (delegated: Reader) through Lighthouse. */
  readonly fabrikamUaa: TestPrincipal;
}

const domain = (label: string) => `${label}-${randomBytes(4).toString('hex')}.example`;

/** Builds the world in a running Lantern. */
export async function buildWorld(lantern: TestLantern): Promise<ArmWorld> {
  const { directory } = lantern.services.identity;
  const ctx = systemContext(lantern.services.ids);
  const contoso = (await directory.createTenant({ displayName: 'Contoso', defaultDomain: domain('contoso') })).id;
  const fabrikam = (await directory.createTenant({ displayName: 'Fabrikam', defaultDomain: domain('fabrikam') })).id;
  const principal = async (tenantId: string, displayName: string): Promise<TestPrincipal> => {
    const sp = await directory.createServicePrincipal({ tenantId, displayName });
    const secret = (await directory.addClientSecret(sp.id, { displayName: 'test' })).value;
    return { objectId: sp.id, appId: sp.appId, tenantId, secret, displayName };
  };
  const owner = await principal(contoso, 'contoso-owner');
  const rgReader = await principal(contoso, 'contoso-rg-reader');
  const nobody = await principal(contoso, 'contoso-nobody');
  const fabrikamOps = await principal(fabrikam, 'fabrikam-ops');
  const fabrikamUaa = await principal(fabrikam, 'fabrikam-uaa');

  const subscriptionId = randomUUID();
  await createSubscription({ store: lantern.services.store, engine: lantern.services.access.engine }, { subscriptionId, tenantId: contoso, displayName: 'Contoso Production' });
  const otherSubscriptionId = randomUUID();
  await createSubscription({ store: lantern.services.store, engine: lantern.services.access.engine }, { subscriptionId: otherSubscriptionId, tenantId: contoso, displayName: 'Contoso Development' });
  const sub = `/subscriptions/${subscriptionId}`;
  const { rbac, resources, delegation } = lantern.services;
  await resources.putResourceGroup(subscriptionId, 'rg-app', { location: 'westeurope' });
  await rbac.putRoleAssignment(ctx, { name: randomUUID(), scope: `/subscriptions/${otherSubscriptionId}`, roleDefinitionId: OWNER, principalId: owner.objectId, principalType: 'ServicePrincipal' });
  await rbac.putRoleAssignment(ctx, { name: randomUUID(), scope: sub, roleDefinitionId: OWNER, principalId: owner.objectId, principalType: 'ServicePrincipal' });
  await rbac.putRoleAssignment(ctx, { name: randomUUID(), scope: `${sub}/resourceGroups/rg-app`, roleDefinitionId: READER, principalId: rgReader.objectId, principalType: 'ServicePrincipal' });

  const definition = randomUUID();
  await delegation.putDefinition(ctx, sub, definition, {
    registrationDefinitionName: 'Fabrikam managed operations',
    managedByTenantId: fabrikam,
    authorizations: [
      { principalId: fabrikamOps.objectId, principalIdDisplayName: 'Fabrikam Ops', roleDefinitionId: CONTRIBUTOR },
      { principalId: fabrikamUaa.objectId, principalIdDisplayName: 'Fabrikam UAA', roleDefinitionId: USER_ACCESS_ADMINISTRATOR, delegatedRoleDefinitionIds: [READER] },
    ],
    eligibleAuthorizations: [],
  });
  await delegation.putAssignment(ctx, sub, randomUUID(), `${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${definition}`);
  return { contoso, fabrikam, subscriptionId, otherSubscriptionId, owner, rgReader, nobody, fabrikamOps, fabrikamUaa };
}

/** An @azure/identity credential for a test principal, against Lantern's token endpoint over HTTPS. */
export function credentialOf(lantern: TestLantern, p: TestPrincipal): TokenCredential {
  return new ClientSecretCredential(p.tenantId, p.appId, p.secret, { authorityHost: lantern.baseUrl, disableInstanceDiscovery: true });
}

/** A bearer token for raw HTTP calls. */
export async function tokenOf(lantern: TestLantern, p: TestPrincipal): Promise<string> {
  const token = await credentialOf(lantern, p).getToken('https://management.azure.com/.default');
  if (!token) throw new Error('no token');
  return token.token;
}

export interface ArmResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown> & { error?: { code: string; message: string }; value?: Record<string, unknown>[]; nextLink?: string };
}

/** One raw ARM call over HTTPS (NODE_EXTRA_CA_CERTS trusts the test certificate). */
export async function arm(lantern: TestLantern, method: string, path: string, token?: string, body?: unknown): Promise<ArmResponse> {
  const url = path.startsWith('https://') ? path : `${lantern.baseUrl}${path}`;
  const response = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as ArmResponse['body']) };
}
