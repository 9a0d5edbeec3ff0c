/**
 * Microsoft.ManagedServices resources as each api-version shows them: `eligibleAuthorizations`
 * from 2020-02-01-preview, `systemData` from 2022-01-01-preview; `provisioningState` is always
 * `Succeeded` because every change completes within its request.
 */
import { MANAGED_SERVICES_API_VERSIONS, supportsEligibleAuthorizations } from '../../core/delegation/definition-input.js';
import type { Authorization, EligibleAuthorization, RegistrationAssignment, RegistrationDefinition } from '../../core/delegation/model.js';
import { parseScope } from '../../core/scope.js';
import { ASSIGNMENTS_TYPE, DEFINITIONS_TYPE, PROVIDER, definitionResourceId, type AssignmentView, type DefinitionView } from '../../services/delegation/delegation-service.js';
import type { MarketplaceRegistrationDefinition } from '../../services/delegation/marketplace-definitions.js';
import { marketplaceIdentifierOf } from '../../core/delegation/marketplace-identifier.js';

const SYSTEM_DATA_SINCE = '2022-01-01-preview';

function hasSystemData(apiVersion: string): boolean {
  return MANAGED_SERVICES_API_VERSIONS.indexOf(apiVersion) >= MANAGED_SERVICES_API_VERSIONS.indexOf(SYSTEM_DATA_SINCE);
}

function systemData(r: RegistrationDefinition | RegistrationAssignment) {
  return {
    createdBy: r.createdBy,
    createdByType: r.createdByType,
    createdAt: r.createdAt,
    lastModifiedBy: r.lastModifiedBy,
    lastModifiedByType: r.lastModifiedByType,
    lastModifiedAt: r.lastModifiedAt,
  };
}

// The wire types are mutable; the model's arrays are read-only, so lists are copied on the way out.
const authorizationsOut = (list: readonly Authorization[]) =>
  list.map(({ delegatedRoleDefinitionIds, ...a }) => ({ ...a, ...(delegatedRoleDefinitionIds ? { delegatedRoleDefinitionIds: [...delegatedRoleDefinitionIds] } : {}) }));
const eligibleOut = (list: readonly EligibleAuthorization[]) =>
  list.map(({ justInTimeAccessPolicy: { managedByTenantApprovers, ...policy }, ...e }) => ({
    ...e,
    justInTimeAccessPolicy: { ...policy, ...(managedByTenantApprovers ? { managedByTenantApprovers: [...managedByTenantApprovers] } : {}) },
  }));

/** A registration definition resource. */
export function renderDefinition(view: DefinitionView, apiVersion: string) {
  const d = view.definition;
  const eligible = supportsEligibleAuthorizations(apiVersion) && d.eligibleAuthorizations.length > 0;
  return {
    properties: {
      ...(d.registrationDefinitionName !== undefined ? { registrationDefinitionName: d.registrationDefinitionName } : {}),
      ...(d.description !== undefined ? { description: d.description } : {}),
      managedByTenantId: d.managedByTenantId,
      ...(view.managedByTenantName !== undefined ? { managedByTenantName: view.managedByTenantName } : {}),
      manageeTenantId: view.manageeTenantId,
      ...(view.manageeTenantName !== undefined ? { manageeTenantName: view.manageeTenantName } : {}),
      authorizations: authorizationsOut(d.authorizations),
      ...(eligible ? { eligibleAuthorizations: eligibleOut(d.eligibleAuthorizations) } : {}),
      provisioningState: 'Succeeded',
    },
    ...(d.plan ? { plan: d.plan } : {}),
    id: view.id,
    type: DEFINITIONS_TYPE,
    name: d.id,
    ...(hasSystemData(apiVersion) ? { systemData: systemData(d) } : {}),
  };
}

/** A registration assignment resource, with its definition embedded when `expand` is set. */
export function renderAssignment(view: AssignmentView, apiVersion: string, expand: boolean) {
  const a = view.assignment;
  const definitionId = view.definition?.id ?? definitionResourceId(parseScope(a.scope).subscriptionId ?? '', a.registrationDefinitionId);
  return {
    properties: {
      registrationDefinitionId: definitionId,
      provisioningState: 'Succeeded',
      ...(expand && view.definition ? { registrationDefinition: renderDefinition(view.definition, apiVersion) } : {}),
    },
    id: view.id,
    type: ASSIGNMENTS_TYPE,
    name: a.id,
    ...(hasSystemData(apiVersion) ? { systemData: systemData(a) } : {}),
  };
}

/** A marketplace registration definition at `scope` (undefined: tenant level). */
export function renderMarketplaceDefinition(d: MarketplaceRegistrationDefinition, scope: string | undefined, apiVersion: string) {
  const name = marketplaceIdentifierOf(d.plan);
  const eligible = supportsEligibleAuthorizations(apiVersion) && d.eligibleAuthorizations.length > 0;
  return {
    properties: {
      managedByTenantId: d.managedByTenantId,
      authorizations: authorizationsOut(d.authorizations),
      ...(eligible ? { eligibleAuthorizations: eligibleOut(d.eligibleAuthorizations) } : {}),
      ...(d.offerDisplayName !== undefined ? { offerDisplayName: d.offerDisplayName } : {}),
      ...(d.publisherDisplayName !== undefined ? { publisherDisplayName: d.publisherDisplayName } : {}),
      ...(d.planDisplayName !== undefined ? { planDisplayName: d.planDisplayName } : {}),
    },
    plan: d.plan,
    id: `${scope ?? ''}/providers/${PROVIDER}/marketplaceRegistrationDefinitions/${name}`,
    type: `${PROVIDER}/marketplaceRegistrationDefinitions`,
    name,
  };
}

// The provider's operations with their display strings (the RP's published operation list).
const DISPLAY_PROVIDER = 'Microsoft Managed Services';
const OPERATIONS: readonly (readonly [name: string, resource: string, operation: string, description: string])[] = [
  ['register/action', DISPLAY_PROVIDER, 'Register Managed Services.', 'Register to Managed Services.'],
  ['unregister/action', DISPLAY_PROVIDER, 'Unregister Managed Services.', 'Unregister from Managed Services.'],
  ['registrationDefinitions/read', 'Managed Services Registration Definition', 'List Managed Services Registration Definitions', 'Retrieves a list of Managed Services registration definitions.'],
  ['registrationDefinitions/write', 'Managed Services Registration Definition', 'Add Managed Services Registration Definition', 'Add or modify Managed Services registration definition.'],
  ['registrationDefinitions/delete', 'Managed Services Registration Definition', 'Remove Managed Services Registration Definition', 'Removes Managed Services registration definition.'],
  ['registrationAssignments/read', 'Managed Services Registration Assignment', 'List Managed Services Registration Assignments', 'Retrieves a list of Managed Services registration assignments.'],
  ['registrationAssignments/write', 'Managed Services Registration Assignment', 'Add Managed Services Registration Assignment', 'Add or modify Managed Services registration assignment.'],
  ['registrationAssignments/delete', 'Managed Services Registration Assignment', 'Remove Managed Services Registration Assignment', 'Removes Managed Services registration assignment.'],
  ['marketplaceRegistrationDefinitions/read', 'Managed Services Marketplace Registration Definition', 'List Managed Services Marketplace Registration Definitions.', 'Retrieves a list of Managed Services registration definitions.'],
  ['operationStatuses/read', 'Operation Status', 'Get the Operation Status', 'Reads the operation status for the resource.'],
  ['operations/read', 'Managed Services Operations', 'List Managed Services Operations.', 'Retrieves a list of Managed Services operations.'],
];

/** The body of `GET …/providers/Microsoft.ManagedServices/operations`. */
export function operationList() {
  return {
    value: OPERATIONS.map(([name, resource, operation, description]) => ({
      name: `${PROVIDER}/${name}`,
      display: { provider: DISPLAY_PROVIDER, resource, operation, description },
    })),
  };
}
