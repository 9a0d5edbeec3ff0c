/**
 * The ARM JSON of each resource-plane object, as the Azure REST specs and SDKs expect it.
 */
import type Type from 'typebox';
import { supportedApiVersions } from '../../core/arm/api-versions.js';
import { resourceListing } from '../../core/resources/listing.js';
import type { ActivityLogEntry, GenericResource, ProviderRegistration, ResourceGroup } from '../../core/resources/model.js';
import type { RoleAssignment, RoleDefinition } from '../../core/rbac/model.js';
import { parseScope } from '../../core/scope.js';
import type { SubscriptionView, TenantView } from '../../services/resources/resource-service.js';
import type {
  EventDataSchema,
  GenericResourceSchema,
  ProviderSchema,
  ResourceGroupSchema,
  RoleAssignmentSchema,
  RoleDefinitionSchema,
  SubscriptionSchema,
  TenantSchema,
} from './arm-schemas.js';

/** `GET /tenants` item. */
export function renderTenant(view: TenantView): Type.Static<typeof TenantSchema> {
  const { tenant, tenantCategory } = view;
  return {
    id: `/tenants/${tenant.id}`,
    tenantId: tenant.id,
    tenantCategory,
    displayName: tenant.displayName,
    defaultDomain: tenant.defaultDomain,
    domains: [tenant.defaultDomain],
    tenantType: 'AAD',
  };
}

/** A subscription with `managedByTenants` (lighthouse.md §1.9). */
export function renderSubscription(view: SubscriptionView): Type.Static<typeof SubscriptionSchema> {
  const s = view.subscription;
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: s.state,
    authorizationSource: 'RoleBased',
    managedByTenants: view.managedByTenants.map((tenantId) => ({ tenantId })),
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
    tags: {},
  };
}

export function renderResourceGroup(rg: ResourceGroup): Type.Static<typeof ResourceGroupSchema> {
  return {
    id: `/subscriptions/${rg.subscriptionId}/resourceGroups/${rg.name}`,
    name: rg.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: rg.location,
    ...(rg.managedBy !== undefined ? { managedBy: rg.managedBy } : {}),
    tags: { ...rg.tags },
    properties: { provisioningState: 'Succeeded' },
  };
}

const NOTHING_EXPANDED: ReadonlySet<string> = new Set();

/** The fields a list's `$expand` names (`createdTime,changedTime,provisioningState`), case-folded. */
export function expandedFields(expand: string | undefined): ReadonlySet<string> {
  return new Set((expand ?? '').split(',').map((e) => e.trim().toLowerCase()));
}

/** True when `expand` (from `expandedFields`) adds nothing to a list's items: each is its resource's listing. */
export function expandsNothing(expand: ReadonlySet<string>): boolean {
  return !expand.has('createdtime') && !expand.has('changedtime') && !expand.has('provisioningstate');
}

/**
 * A generic resource. Single-resource answers carry `properties` (with `provisioningState`);
 * list items don't, as in ARM, unless `$expand` names createdTime, changedTime or provisioningState.
 */
export function renderResource(r: GenericResource, options: { full: boolean; expand?: ReadonlySet<string> }): Type.Static<typeof GenericResourceSchema> {
  const expand = options.expand ?? NOTHING_EXPANDED;
  return {
    ...resourceListing(r),
    ...(options.full ? { properties: { ...r.properties, provisioningState: 'Succeeded' } } : {}),
    ...(expand.has('createdtime') ? { createdTime: r.createdAt } : {}),
    ...(expand.has('changedtime') ? { changedTime: r.changedAt } : {}),
    ...(expand.has('provisioningstate') ? { provisioningState: 'Succeeded' } : {}),
  };
}

// The resource types Lantern itself serves, with their api-versions, for the providers API.
const SERVED_TYPES: Readonly<Record<string, readonly string[]>> = {
  'microsoft.resources': ['resourceGroups', 'subscriptions', 'tenants', 'providers', 'resources', 'deployments', 'operations'],
  'microsoft.authorization': ['roleAssignments', 'roleDefinitions', 'permissions'],
  'microsoft.managedservices': ['registrationDefinitions', 'registrationAssignments', 'marketplaceRegistrationDefinitions', 'operations', 'operationStatuses'],
  'microsoft.insights': ['eventtypes'],
};

export function renderProvider(p: ProviderRegistration): Type.Static<typeof ProviderSchema> {
  const types = SERVED_TYPES[p.namespace.toLowerCase()] ?? [];
  return {
    id: `/subscriptions/${p.subscriptionId}/providers/${p.namespace}`,
    namespace: p.namespace,
    registrationState: p.registrationState,
    registrationPolicy: 'RegistrationRequired',
    resourceTypes: types.map((t) => ({ resourceType: t, locations: [], apiVersions: [...(supportedApiVersions(`${p.namespace}/${t}`) ?? [])] })),
  };
}

// Built-in roles are shown at the scope they were asked for, as ARM does.
function roleDefinitionIdAt(scope: string, roleId: string): string {
  const p = parseScope(scope);
  const base = p.subscriptionId ? `/subscriptions/${p.subscriptionId}` : p.level === 'managementGroup' ? p.id : '';
  return `${base}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}

export function renderRoleDefinition(role: RoleDefinition, scope: string): Type.Static<typeof RoleDefinitionSchema> {
  return {
    id: roleDefinitionIdAt(role.roleType === 'CustomRole' ? role.scope : scope, role.id),
    name: role.id,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName: role.roleName,
      type: role.roleType,
      description: role.description,
      assignableScopes: [...role.assignableScopes],
      permissions: role.permissions.map((p) => ({
        actions: [...p.actions],
        notActions: [...p.notActions],
        dataActions: [...p.dataActions],
        notDataActions: [...p.notDataActions],
        ...(p.condition !== undefined ? { condition: p.condition } : {}),
        ...(p.conditionVersion !== undefined ? { conditionVersion: p.conditionVersion } : {}),
      })),
      ...(role.createdOn !== undefined ? { createdOn: role.createdOn } : {}),
      ...(role.updatedOn !== undefined ? { updatedOn: role.updatedOn } : {}),
    },
  };
}

/** The full id of a role assignment. */
export function roleAssignmentId(scope: string, name: string): string {
  const at = parseScope(scope).id;
  return `${at === '/' ? '' : at}/providers/Microsoft.Authorization/roleAssignments/${name}`;
}

export function renderRoleAssignment(a: RoleAssignment): Type.Static<typeof RoleAssignmentSchema> {
  return {
    id: roleAssignmentId(a.scope, a.id),
    name: a.id,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      roleDefinitionId: roleDefinitionIdAt(a.scope, a.roleDefinitionId),
      principalId: a.principalId,
      principalType: a.principalType,
      scope: a.scope,
      ...(a.description !== undefined ? { description: a.description } : {}),
      ...(a.delegatedManagedIdentityResourceId !== undefined ? { delegatedManagedIdentityResourceId: a.delegatedManagedIdentityResourceId } : {}),
      createdOn: a.createdAt,
      updatedOn: a.createdAt,
      createdBy: a.createdBy,
      updatedBy: a.createdBy,
    },
  };
}

const localized = (value: string, localizedValue = value) => ({ value, localizedValue });

/** An activity-log entry as ARM's EventData (the fields the portal and `az monitor activity-log list` read). */
export function renderEvent(e: ActivityLogEntry, operationDisplay: (action: string) => string): Type.Static<typeof EventDataSchema> {
  const p = parseScope(e.resourceId);
  const namespace = e.operationName.split('/')[0] ?? '';
  const resourceType = p.resourceType ?? (p.level === 'resourceGroup' ? 'Microsoft.Resources/subscriptions/resourceGroups' : p.level === 'subscription' ? 'Microsoft.Resources/subscriptions' : namespace);
  const ticks = (BigInt(Date.parse(e.eventTimestamp)) * 10_000n + 621_355_968_000_000_000n).toString();
  const code = e.statusCode;
  return {
    authorization: { action: e.operationName, scope: e.resourceId },
    caller: e.caller,
    channels: 'Operation',
    claims: {
      'http://schemas.microsoft.com/identity/claims/objectidentifier': e.callerObjectId,
      'http://schemas.microsoft.com/identity/claims/tenantid': e.callerTenantId,
      name: e.caller,
    },
    correlationId: e.correlationId,
    description: e.description ?? '',
    eventDataId: e.eventDataId,
    eventName: localized('EndRequest', 'End request'),
    category: localized('Administrative'),
    eventTimestamp: e.eventTimestamp,
    submissionTimestamp: e.eventTimestamp,
    id: `${e.resourceId === '/' ? '' : e.resourceId}/events/${e.eventDataId}/ticks/${ticks}`,
    level: e.status === 'Failed' ? 'Error' : 'Informational',
    operationId: e.correlationId,
    operationName: localized(e.operationName, operationDisplay(e.operationName)),
    ...(p.resourceGroup !== undefined ? { resourceGroupName: p.resourceGroup } : {}),
    resourceProviderName: localized(p.namespace ?? namespace),
    resourceType: localized(resourceType),
    resourceId: e.resourceId,
    status: localized(e.status),
    subStatus: code === undefined ? localized('') : localized(String(code), `HTTP Status Code: ${code}`),
    ...(e.subscriptionId !== undefined ? { subscriptionId: e.subscriptionId } : {}),
    tenantId: e.tenantId,
    ...(e.httpMethod !== undefined ? { httpRequest: { method: e.httpMethod } } : {}),
    properties: {
      ...(code !== undefined ? { statusCode: String(code) } : {}),
      ...(e.statusMessage !== undefined ? { statusMessage: e.statusMessage } : {}),
      ...(e.description !== undefined ? { description: e.description } : {}),
    },
  };
}
