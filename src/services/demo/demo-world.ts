/**
 * The demo world of product.md: Contoso (the provider and publisher), Fabrikam and Northwind (the
 * customers). Seeded only into a database created for it, through the same services every other
 * client uses, so every rule applies. Tenant and subscription ids are fixed (docs and examples
 * can name them); passwords and client secrets are fresh for every seeding.
 */
import { OWNER, READER } from '../../core/roles/builtin-catalog.js';
import type { DirectoryService } from '../identity/directory-service.js';
import { generatePassword } from '../identity/passwords.js';
import type { ResourceService } from '../resources/resource-service.js';
import type { RbacService } from '../rbac/rbac-service.js';
import type { DirectoryRoleService } from '../identity/directory-roles.js';
import { DIRECTORY_ROLES, GLOBAL_ADMINISTRATOR } from '../../core/identity/directory-roles.js';
import type { Store } from '../../storage/port.js';
import type { PublisherService } from '../marketplace/publisher-service.js';
import type { AuthorizationEngine } from '../../core/rbac/engine.js';
import { systemContext, type IdGenerator } from '../context.js';
import { createSubscription } from '../operator/subscription-admin.js';
import type { Services } from '../../app/services.js';
import { DEMO_IDS } from './demo-ids.js';

export { DEMO_IDS };

export interface DemoCredentials {
  readonly tenants: { name: string; tenantId: string; domain: string; role: 'provider' | 'customer' }[];
  readonly subscriptions: { subscriptionId: string; displayName: string; tenantId: string }[];
  readonly resourceGroups: { subscriptionId: string; name: string; resources: string[] }[];
  readonly users: { tenant: string; userPrincipalName: string; password: string; objectId: string; userType: 'Member' | 'Guest'; directoryRoles?: string[] }[];
  readonly groups: { tenant: string; displayName: string; objectId: string; members: string[] }[];
  readonly servicePrincipals: { tenant: string; displayName: string; objectId: string; clientId: string; clientSecret: string }[];
  readonly publishers: { publisherId: string; tenant: string; verified: boolean; eligibility: string[]; owners: string[]; developers?: string[] }[];
}

export interface DemoWorldDeps {
  readonly store: Store;
  readonly ids: IdGenerator;
  readonly directory: DirectoryService;
  readonly resources: ResourceService;
  readonly rbac: RbacService;
  readonly directoryRoles: DirectoryRoleService;
  readonly publishers: PublisherService;
  readonly engine: AuthorizationEngine;
}


const MARKER_COLLECTION = 'lantern';
const MARKER_ID = 'demo-world';

/** True when the database was seeded with the demo world. */
export async function holdsDemoWorld(store: Store): Promise<boolean> {
  return (await store.documents.get(MARKER_COLLECTION, MARKER_ID)) !== undefined;
}

const FABRIKAM_RESOURCES: Record<string, { type: string; name: string; properties: Record<string, unknown> }[]> = {
  'rg-web': [
    { type: 'Microsoft.Web/serverfarms', name: 'plan-web', properties: { sku: 'P1v3' } },
    { type: 'Microsoft.Web/sites', name: 'fabrikam-web', properties: { httpsOnly: true } },
  ],
  'rg-data': [
    { type: 'Microsoft.Storage/storageAccounts', name: 'fabrikamdata01', properties: { supportsHttpsTrafficOnly: true } },
    { type: 'Microsoft.Sql/servers', name: 'fabrikam-sql', properties: { version: '12.0' } },
  ],
  'rg-network': [
    { type: 'Microsoft.Network/virtualNetworks', name: 'vnet-prod', properties: { addressSpace: { addressPrefixes: ['10.10.0.0/16'] } } },
    { type: 'Microsoft.Network/networkSecurityGroups', name: 'nsg-web', properties: { securityRules: [] } },
  ],
};

const NORTHWIND_RESOURCES: Record<string, { type: string; name: string; properties: Record<string, unknown> }[]> = {
  'rg-app': [{ type: 'Microsoft.Web/sites', name: 'northwind-app', properties: { httpsOnly: true } }],
};

/** Seeds the demo world through the composed services; the caller has checked that the database is empty. */
export function seedDemoWorldInto(services: Services): Promise<DemoCredentials> {
  return seedDemoWorld({
    store: services.store,
    ids: services.ids,
    directory: services.identity.directory,
    resources: services.resources,
    rbac: services.rbac,
    directoryRoles: services.directoryRoles,
    publishers: services.marketplace.publishers,
    engine: services.access.engine,
  });
}

/** Seeds the demo world; the caller has checked that the database is empty. */
export async function seedDemoWorld(deps: DemoWorldDeps): Promise<DemoCredentials> {
  const { directory, resources, rbac, publishers, store, ids } = deps;
  const ctx = systemContext(ids);
  const out: DemoCredentials = { tenants: [], subscriptions: [], resourceGroups: [], users: [], groups: [], servicePrincipals: [], publishers: [] };

  const tenant = async (name: string, id: string, domain: string, role: 'provider' | 'customer') => {
    await directory.createTenant({ id, displayName: name, defaultDomain: domain });
    out.tenants.push({ name, tenantId: id, domain, role });
    return { name, id, domain };
  };
  const member = async (t: { name: string; id: string; domain: string }, alias: string, displayName: string, directoryRoles: string[] = []) => {
    const password = generatePassword();
    const user = await directory.createUser({ tenantId: t.id, userType: 'Member', userPrincipalName: `${alias}@${t.domain}`, displayName, password });
    for (const role of directoryRoles) await deps.directoryRoles.assign(t.id, user.id, role);
    const roles = directoryRoles.length === 0 ? {} : { directoryRoles: directoryRoles.map((r) => DIRECTORY_ROLES.get(r) ?? r) };
    out.users.push({ tenant: t.name, userPrincipalName: user.userPrincipalName, password, objectId: user.id, userType: 'Member', ...roles });
    return user;
  };
  const app = async (t: { name: string; id: string }, displayName: string) => {
    const sp = await directory.createServicePrincipal({ tenantId: t.id, displayName });
    const secret = await directory.addClientSecret(sp.id, { displayName: 'demo' });
    out.servicePrincipals.push({ tenant: t.name, displayName, objectId: sp.id, clientId: sp.appId, clientSecret: secret.value });
    return sp;
  };
  const group = async (t: { name: string; id: string }, displayName: string, members: { id: string; name: string }[], id?: string) => {
    const g = await directory.createGroup({ tenantId: t.id, displayName, ...(id === undefined ? {} : { id }) });
    for (const m of members) await directory.addMember(g.id, m.id);
    out.groups.push({ tenant: t.name, displayName, objectId: g.id, members: members.map((m) => m.name) });
    return g;
  };
  const assign = (scope: string, roleDefinitionId: string, principalId: string, principalType: 'User' | 'ServicePrincipal') =>
    rbac.putRoleAssignment(ctx, { name: ids.guid(), scope, roleDefinitionId, principalId, principalType });
  const subscription = async (t: { id: string }, subscriptionId: string, displayName: string, groups: typeof FABRIKAM_RESOURCES) => {
    await createSubscription({ store, engine: deps.engine }, { subscriptionId, tenantId: t.id, displayName });
    out.subscriptions.push({ subscriptionId, displayName, tenantId: t.id });
    const namespaces = new Set(Object.values(groups).flat().map((r) => r.type.split('/')[0] as string));
    for (const ns of namespaces) await resources.registerProvider(subscriptionId, ns);
    for (const [rg, items] of Object.entries(groups)) {
      await resources.putResourceGroup(subscriptionId, rg, { location: 'westeurope', tags: { environment: displayName } });
      const created: string[] = [];
      for (const item of items) {
        const id = `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/${item.type}/${item.name}`;
        await resources.putResource(id, { location: 'westeurope', properties: item.properties, tags: {} });
        created.push(id);
      }
      out.resourceGroups.push({ subscriptionId, name: rg, resources: created });
    }
    return `/subscriptions/${subscriptionId}`;
  };

  // Contoso: the managed service provider and publisher.
  const contoso = await tenant('Contoso', DEMO_IDS.contosoTenant, 'contoso.example', 'provider');
  // Contoso's admin administers the directory: it may elevate to read the tenant-level activity log (§3.8).
  const admin = await member(contoso, 'admin', 'Contoso Admin', [GLOBAL_ADMINISTRATOR]);
  const alice = await member(contoso, 'alice', 'Alice Engineer');
  const bob = await member(contoso, 'bob', 'Bob Support');
  const automationSp = await app(contoso, 'contoso-automation');
  const automation = await group(contoso, 'Contoso Automation', [{ id: automationSp.id, name: 'contoso-automation' }]);
  // Fixed ids: the example offer (`lantern offer init`) grants these groups.
  await group(contoso, 'Contoso L2 Engineers', [{ id: alice.id, name: alice.userPrincipalName }, { id: automation.id, name: 'Contoso Automation' }], DEMO_IDS.contosoL2Engineers);
  await group(contoso, 'Contoso L1 Support', [{ id: bob.id, name: bob.userPrincipalName }], DEMO_IDS.contosoL1Support);
  await group(contoso, 'Contoso Offboarding', [{ id: admin.id, name: admin.userPrincipalName }], DEMO_IDS.contosoOffboarding);
  // The verified publisher account `contoso`, its admin a Partner Center Owner and contoso-automation
  // a Developer (so `lantern offer …` works with its printed credentials), eligible through a
  // Solutions Partner designation for Infrastructure that the operator verified.
  await publishers.enroll(ctx, { publisherId: 'contoso', displayName: 'Contoso', tenantId: contoso.id, contacts: [{ name: 'Contoso Admin', email: admin.userPrincipalName }] });
  await publishers.setMemberRoles(ctx, 'contoso', admin.id, ['Owner']);
  await publishers.setMemberRoles(ctx, 'contoso', automationSp.id, ['Developer']);
  await publishers.claimEligibility(ctx, 'contoso', 'SolutionsPartner:Infrastructure', 'Solutions Partner for Infrastructure (Azure), demo');
  await publishers.decideEligibility(ctx, 'contoso', 'SolutionsPartner:Infrastructure', 'verified');
  const publisher = await publishers.verifyPublisher(ctx, 'contoso');
  out.publishers.push({ publisherId: 'contoso', tenant: contoso.name, verified: publisher.account.verified, eligibility: [...publisher.account.eligibility], owners: [admin.userPrincipalName], developers: ['contoso-automation'] });

  // Fabrikam: a customer with a production subscription.
  const fabrikam = await tenant('Fabrikam', DEMO_IDS.fabrikamTenant, 'fabrikam.example', 'customer');
  const fabOwner = await member(fabrikam, 'owner', 'Fabrikam Owner');
  const fabReader = await member(fabrikam, 'reader', 'Fabrikam Reader');
  const guestPassword = generatePassword();
  const guest = await directory.createUser({ tenantId: fabrikam.id, userType: 'Guest', email: 'auditor@northwind.example', displayName: 'Northwind Auditor (guest)', password: guestPassword });
  out.users.push({ tenant: fabrikam.name, userPrincipalName: guest.userPrincipalName, password: guestPassword, objectId: guest.id, userType: 'Guest' });
  const fabDeployer = await app(fabrikam, 'fabrikam-deployer');
  const fabScope = await subscription(fabrikam, DEMO_IDS.fabrikamProduction, 'Fabrikam Production', FABRIKAM_RESOURCES);
  await assign(fabScope, OWNER, fabOwner.id, 'User');
  await assign(fabScope, READER, fabReader.id, 'User');
  await assign(fabScope, OWNER, fabDeployer.id, 'ServicePrincipal');

  // Northwind: a second customer.
  const northwind = await tenant('Northwind', DEMO_IDS.northwindTenant, 'northwind.example', 'customer');
  const nwOwner = await member(northwind, 'owner', 'Northwind Owner');
  const nwDeployer = await app(northwind, 'northwind-deployer');
  const nwScope = await subscription(northwind, DEMO_IDS.northwindDev, 'Northwind Dev', NORTHWIND_RESOURCES);
  await assign(nwScope, OWNER, nwOwner.id, 'User');
  await assign(nwScope, OWNER, nwDeployer.id, 'ServicePrincipal');

  await store.documents.put(MARKER_COLLECTION, MARKER_ID, 'lantern', { seededAt: new Date().toISOString() });
  return out;
}
