/**
 * A small two-tenant world for the delegation and deployment tests: Contoso (the managing tenant:
 * alice and the automation service principal in "Contoso L2 Engineers", admin in "Contoso
 * Offboarding") and Fabrikam (the customer: an Owner, a guest Owner, a Contributor, a deployer
 * service principal with Owner, subscription "Fabrikam Production" with rg-web and rg-data, and a
 * second subscription). Subscriptions, resource groups and role assignments are written through
 * the store and fed to the engine, as an operator's seeding would.
 */
import { createSubscription } from '../../../src/services/operator/subscription-admin.js';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Group, ServicePrincipal, Tenant, User } from '../../../src/core/identity/model.js';
import type { RoleAssignment } from '../../../src/core/rbac/model.js';
import { CONTRIBUTOR, OWNER } from '../../../src/core/roles/builtin-catalog.js';
import type { Services } from '../../../src/app/services.js';

const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const ARM = 'https://management.azure.com/.default';
export const PASSWORD = 'Lantern-Test-Pass-42';

export interface Account<P> {
  readonly principal: P;
  token(): Promise<string>;
}

export interface DelegationWorld {
  readonly contoso: Tenant;
  readonly fabrikam: Tenant;
  readonly alice: Account<User>;
  readonly admin: Account<User>;
  readonly automation: Account<ServicePrincipal> & { readonly secret: string };
  readonly l2: Group;
  readonly offboarding: Group;
  readonly owner: Account<User>;
  readonly guest: Account<User>;
  readonly contributor: Account<User>;
  readonly deployer: Account<ServicePrincipal> & { readonly secret: string };
  readonly subscriptionId: string;
  readonly otherSubscriptionId: string;
}

const suffix = () => randomBytes(4).toString('hex');

/** Seeds the world into a composed Lantern. */
export async function seedDelegationWorld(services: Services): Promise<DelegationWorld> {
  const { directory, tokens } = services.identity;
  const userToken = (tenant: Tenant, user: User) => async () =>
    (await tokens.token(tenant.id, { grant_type: 'password', client_id: AZURE_CLI, username: user.userPrincipalName, password: PASSWORD, scope: ARM })).access_token;
  const appToken = (tenant: Tenant, sp: ServicePrincipal, secret: string) => async () =>
    (await tokens.token(tenant.id, { grant_type: 'client_credentials', client_id: sp.appId, client_secret: secret, scope: ARM })).access_token;
  const member = async (tenant: Tenant, name: string, displayName: string): Promise<Account<User>> => {
    const user = await directory.createUser({ tenantId: tenant.id, userType: 'Member', userPrincipalName: `${name}@${tenant.defaultDomain}`, displayName, password: PASSWORD });
    return { principal: user, token: userToken(tenant, user) };
  };
  const app = async (tenant: Tenant, displayName: string) => {
    const sp = await directory.createServicePrincipal({ tenantId: tenant.id, displayName });
    const secret = (await directory.addClientSecret(sp.id, { displayName: 'tests' })).value;
    return { principal: sp, secret, token: appToken(tenant, sp, secret) };
  };

  const contoso = await directory.createTenant({ displayName: 'Contoso', defaultDomain: `contoso-${suffix()}.example` });
  const fabrikam = await directory.createTenant({ displayName: 'Fabrikam', defaultDomain: `fabrikam-${suffix()}.example` });

  const alice = await member(contoso, 'alice', 'Alice');
  const admin = await member(contoso, 'admin', 'Contoso Admin');
  const automation = await app(contoso, 'contoso-automation');
  const l2 = await directory.createGroup({ tenantId: contoso.id, displayName: 'Contoso L2 Engineers' });
  const offboarding = await directory.createGroup({ tenantId: contoso.id, displayName: 'Contoso Offboarding' });
  await directory.addMember(l2.id, alice.principal.id);
  await directory.addMember(l2.id, automation.principal.id);
  await directory.addMember(offboarding.id, admin.principal.id);

  const owner = await member(fabrikam, 'owner', 'Fabrikam Owner');
  const contributor = await member(fabrikam, 'contributor', 'Fabrikam Contributor');
  const guestUser = await directory.createUser({ tenantId: fabrikam.id, userType: 'Guest', email: `guest@partner-${suffix()}.example`, displayName: 'Fabrikam Guest', password: PASSWORD });
  const guest = { principal: guestUser, token: userToken(fabrikam, guestUser) };
  const deployer = await app(fabrikam, 'fabrikam-deployer');

  const subscriptionId = randomUUID();
  const otherSubscriptionId = randomUUID();
  const { store } = services;
  const operator = { store, engine: services.access.engine };
  await createSubscription(operator, { subscriptionId, tenantId: fabrikam.id, displayName: 'Fabrikam Production' });
  await createSubscription(operator, { subscriptionId: otherSubscriptionId, tenantId: fabrikam.id, displayName: 'Fabrikam Dev' });
  for (const name of ['rg-web', 'rg-data']) await store.resources.putResourceGroup({ subscriptionId, name, location: 'westeurope', tags: {} });
  await store.resources.putResourceGroup({ subscriptionId: otherSubscriptionId, name: 'rg-dev', location: 'westeurope', tags: {} });

  for (const sub of [subscriptionId, otherSubscriptionId]) {
    await assignRole(services, `/subscriptions/${sub}`, OWNER, owner.principal.id, 'User');
    await assignRole(services, `/subscriptions/${sub}`, OWNER, guestUser.id, 'User');
    await assignRole(services, `/subscriptions/${sub}`, OWNER, deployer.principal.id, 'ServicePrincipal');
    await assignRole(services, `/subscriptions/${sub}`, CONTRIBUTOR, contributor.principal.id, 'User');
  }
  return { contoso, fabrikam, alice, admin, automation, l2, offboarding, owner, guest, contributor, deployer, subscriptionId, otherSubscriptionId };
}

/** Seeds a role assignment and feeds it to the engine. */
export async function assignRole(services: Services, scope: string, roleDefinitionId: string, principalId: string, principalType: RoleAssignment['principalType']): Promise<void> {
  const assignment: RoleAssignment = { id: randomUUID(), scope, roleDefinitionId, principalId, principalType, createdAt: new Date().toISOString(), createdBy: 'seed' };
  await services.store.authorization.putRoleAssignment(assignment);
  services.access.engine.putRoleAssignment(assignment);
}

/** Another Fabrikam subscription with the given resource groups, owned by the Owner and the deployer. */
export async function addSubscription(services: Services, w: DelegationWorld, resourceGroups: readonly string[]): Promise<string> {
  const subscriptionId = randomUUID();
  await createSubscription({ store: services.store, engine: services.access.engine }, { subscriptionId, tenantId: w.fabrikam.id, displayName: `Fabrikam ${subscriptionId.slice(0, 8)}` });
  for (const name of resourceGroups) await services.store.resources.putResourceGroup({ subscriptionId, name, location: 'westeurope', tags: {} });
  await assignRole(services, `/subscriptions/${subscriptionId}`, OWNER, w.owner.principal.id, 'User');
  await assignRole(services, `/subscriptions/${subscriptionId}`, OWNER, w.deployer.principal.id, 'ServicePrincipal');
  await assignRole(services, `/subscriptions/${subscriptionId}`, CONTRIBUTOR, w.contributor.principal.id, 'User');
  return subscriptionId;
}

export interface ArmResponse {
  readonly status: number;
  readonly body: Record<string, unknown> & { error?: { code: string; message: string; target?: string } };
}

/** One ARM call with a bearer token; answers the status and the parsed JSON body (empty object when none). */
export async function arm(baseUrl: string, method: string, path: string, token: string, body?: unknown): Promise<ArmResponse> {
  const res = await fetch(new URL(path, baseUrl), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as ArmResponse['body']) };
}
