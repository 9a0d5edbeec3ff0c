/**
 * The rules ARM applies to `PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{guid}`,
 * including the narrow right a Lighthouse User Access Administrator delegate has. The caller passes
 * what the rules need to see (the role, the principal as the directory knows it, the assignments at
 * the scope, the count); nothing is read here. What the request says about its principal (type,
 * managed identity) is checked against the directory, never trusted.
 */
import { DomainError, assertThat, conflict, invalid } from '../errors.js';
import { isGuid } from '../guid.js';
import type { PrincipalType } from '../identity/model.js';
import type { RoleAssignment, RoleDefinition } from '../rbac/model.js';
import { isWithinScope, parseScope, scopeKey } from '../scope.js';
import type { ParsedScope } from '../scope.js';

/** Role assignments one subscription may hold (including those at its resource groups and resources). */
export const ROLE_ASSIGNMENTS_PER_SUBSCRIPTION = 4000;
/** Role assignments one management group may hold. */
export const ROLE_ASSIGNMENTS_PER_MANAGEMENT_GROUP = 500;

const PRINCIPAL_TYPES: readonly PrincipalType[] = ['User', 'Group', 'ServicePrincipal'];
const ROLE_DEFINITION_ID = /^(?:\/subscriptions\/[^/]+|\/providers\/Microsoft\.Management\/managementGroups\/[^/]+)?\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/i;

export interface RoleAssignmentRequest {
  /** The assignment name from the URL (a GUID). */
  readonly name: string;
  readonly scope: string;
  /** `properties.roleDefinitionId`: the full role definition id, or its bare GUID. */
  readonly roleDefinitionId: string;
  readonly principalId: string;
  /** Optional in ARM; when missing the principal must be known. */
  readonly principalType?: string;
  readonly delegatedManagedIdentityResourceId?: string;
}

/** A principal as the directory holds it, in whichever tenant. */
export interface DirectoryPrincipal {
  readonly type: PrincipalType;
  readonly tenantId: string;
  /** For a managed identity: the id of the Azure resource it belongs to. */
  readonly managedIdentityResourceId?: string;
}

export interface RoleAssignmentContext {
  /** Finds a role definition by its bare GUID. */
  readonly findRole: (roleDefinitionId: string) => RoleDefinition | undefined;
  /**
   * The directory the scope belongs to: its subscription's tenant, at tenant level the caller's.
   * Undefined only for the platform itself at tenant level: then the principal's own directory.
   */
  readonly directoryTenantId: string | undefined;
  /** The principal named by the request, as the directory holds it in any tenant; undefined when no tenant has it. */
  readonly principal: DirectoryPrincipal | undefined;
  /** The role assignments already at exactly this scope. */
  readonly assignmentsAtScope: readonly RoleAssignment[];
  /** How many role assignments the subscription (or management group) of the scope already holds. */
  readonly assignmentCount: number;
  /**
   * Set when the caller's right to assign roles comes only from a Lighthouse User Access Administrator
   * authorization: the roles that authorization lists in `delegatedRoleDefinitionIds`.
   */
  readonly lighthouseDelegate?: { readonly delegatedRoleDefinitionIds: readonly string[] };
}

export interface ValidRoleAssignment {
  /** `create` for a new assignment; `unchanged` when the same assignment is PUT again. */
  readonly outcome: 'create' | 'unchanged';
  /** The bare GUID of the role. */
  readonly roleDefinitionId: string;
  readonly principalType: PrincipalType;
}

/** Checks a role assignment create against ARM's rules; returns the resolved role id and principal type. */
export function validateRoleAssignment(request: RoleAssignmentRequest, context: RoleAssignmentContext): ValidRoleAssignment {
  assertThat(isGuid(request.name), () =>
    invalid('InvalidRoleAssignmentId', `The role assignment ID '${request.name}' is not valid. The role assignment ID must be a GUID.`, 'name'),
  );
  const scope = parseScope(request.scope);
  assertThat(isGuid(request.principalId), () =>
    invalid('InvalidPrincipalId', `The Principal ID '${request.principalId}' is not valid. Principal ID must be a GUID.`, 'properties.principalId'),
  );
  const roleId = bareRoleId(request.roleDefinitionId);
  const role = context.findRole(roleId);
  if (!role) {
    throw invalid('RoleDefinitionDoesNotExist', `The specified role definition with ID '${roleId}' does not exist.`, 'properties.roleDefinitionId');
  }
  if (!role.assignableScopes.some((s) => isWithinScope(scope.id, s))) {
    throw invalid(
      'RoleDefinitionDoesNotExist',
      `The specified role definition with ID '${roleId}' does not exist at scope '${scope.id}': the role is assignable only at ${role.assignableScopes.map((s) => `'${s}'`).join(', ')}.`,
      'properties.roleDefinitionId',
    );
  }
  const principal = resolvePrincipal(request, context);
  const principalType = principal.type;
  if (request.delegatedManagedIdentityResourceId !== undefined) {
    validateDelegatedIdentity(request.delegatedManagedIdentityResourceId, request.principalId, principal);
  }
  if (context.lighthouseDelegate) enforceDelegateRule(context.lighthouseDelegate.delegatedRoleDefinitionIds, roleId, request, principal);

  const same = context.assignmentsAtScope.find((a) => a.id.toLowerCase() === request.name.toLowerCase());
  const matches = (a: RoleAssignment) =>
    scopeKey(a.scope) === scopeKey(scope.id) && a.principalId.toLowerCase() === request.principalId.toLowerCase() && a.roleDefinitionId.toLowerCase() === roleId;
  if (same) {
    if (!matches(same)) {
      throw conflict('RoleAssignmentUpdateNotPermitted', 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.', 'name');
    }
    return { outcome: 'unchanged', roleDefinitionId: roleId, principalType };
  }
  if (context.assignmentsAtScope.some(matches)) {
    throw conflict('RoleAssignmentExists', 'The role assignment already exists.', 'name');
  }
  enforceLimit(scope, context.assignmentCount);
  return { outcome: 'create', roleDefinitionId: roleId, principalType };
}

/** The role definition GUID (lower-case) a role assignment names, bare or as an ARM id; undefined when it names none. */
export function roleGuidOf(value: string): string | undefined {
  const guid = isGuid(value) ? value : ROLE_DEFINITION_ID.exec(value)?.[1];
  return isGuid(guid) ? guid.toLowerCase() : undefined;
}

function bareRoleId(value: string): string {
  const guid = roleGuidOf(value);
  if (guid === undefined) {
    throw invalid(
      'InvalidRoleDefinitionId',
      `The role definition ID '${value}' is not valid: it must be '/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{guid}' or the bare GUID.`,
      'properties.roleDefinitionId',
    );
  }
  return guid;
}

// The principal as the scope's directory holds it. A principal of another directory is not found
// here, whatever the request says about it: it gets access only through a Lighthouse delegation.
// The same answer for "elsewhere" and "nowhere", so the error tells nothing about other directories.
function resolvePrincipal(request: RoleAssignmentRequest, context: RoleAssignmentContext): DirectoryPrincipal {
  const given = request.principalType;
  const type = given === undefined ? undefined : PRINCIPAL_TYPES.find((t) => t.toLowerCase() === given.toLowerCase());
  if (given !== undefined && !type) {
    throw invalid('InvalidPrincipalType', `The principalType '${given}' is not valid: it must be User, Group or ServicePrincipal.`, 'properties.principalType');
  }
  const actual = context.principal;
  const directory = context.directoryTenantId ?? actual?.tenantId;
  if (!actual || directory === undefined || actual.tenantId.toLowerCase() !== directory.toLowerCase()) {
    throw invalid(
      'PrincipalNotFound',
      `Principal ${request.principalId} does not exist in the directory ${directory ?? 'of any tenant'}. A role assignment names a user, group or service principal of the scope's own directory (a guest user is one); a principal of another directory gets access only through an Azure Lighthouse delegation.`,
      'properties.principalId',
    );
  }
  if (type !== undefined && actual.type !== type) {
    throw invalid(
      'UnmatchedPrincipalType',
      `The PrincipalId '${request.principalId}' has type '${actual.type}', which is different from specified PrincipalType '${type}'.`,
      'properties.principalType',
    );
  }
  return actual;
}

// delegatedManagedIdentityResourceId names the resource a managed identity belongs to: the principal must be that identity.
function validateDelegatedIdentity(resourceId: string, principalId: string, principal: DirectoryPrincipal): void {
  const target = 'properties.delegatedManagedIdentityResourceId';
  let level: string;
  try {
    level = parseScope(resourceId).level;
  } catch {
    level = 'invalid';
  }
  if (level !== 'resource') {
    throw invalid('InvalidDelegatedManagedIdentityResourceId', `The delegatedManagedIdentityResourceId '${resourceId}' is not a resource id.`, target);
  }
  const owner = principal.managedIdentityResourceId;
  if (owner === undefined) {
    throw invalid(
      'InvalidDelegatedManagedIdentityResourceId',
      `delegatedManagedIdentityResourceId is for managed identities: the principal '${principalId}' is a ${principal.type} of the directory, not a managed identity.`,
      target,
    );
  }
  if (scopeKey(owner) !== scopeKey(resourceId)) {
    throw invalid(
      'InvalidDelegatedManagedIdentityResourceId',
      `The managed identity '${principalId}' belongs to the resource '${owner}', not to '${resourceId}'.`,
      target,
    );
  }
}

// A Lighthouse UAA delegate may only hand the listed roles to the customer's managed identities
// (the principal is of the customer's directory already: resolvePrincipal saw to it).
function enforceDelegateRule(delegatedRoleDefinitionIds: readonly string[], roleId: string, request: RoleAssignmentRequest, principal: DirectoryPrincipal): void {
  if (!delegatedRoleDefinitionIds.some((id) => id.toLowerCase() === roleId)) {
    throw new DomainError(
      'forbidden',
      'AuthorizationFailed',
      `The client's delegated access allows assigning only the roles ${delegatedRoleDefinitionIds.map((id) => `'${id}'`).join(', ')}; role '${roleId}' is not one of them.`,
      { target: 'properties.roleDefinitionId' },
    );
  }
  if (request.delegatedManagedIdentityResourceId === undefined || principal.managedIdentityResourceId === undefined) {
    throw new DomainError(
      'forbidden',
      'AuthorizationFailed',
      `The client's delegated access allows assigning roles only to managed identities of the customer's directory, with delegatedManagedIdentityResourceId set to the resource that owns the identity; '${request.principalId}' is ${principal.managedIdentityResourceId === undefined ? `a ${principal.type}, not a managed identity` : 'a managed identity, but delegatedManagedIdentityResourceId is not set'}.`,
      { target: request.delegatedManagedIdentityResourceId === undefined ? 'properties.delegatedManagedIdentityResourceId' : 'properties.principalId' },
    );
  }
}

function enforceLimit(scope: ParsedScope, count: number): void {
  // Assignments below a subscription count against it; at a management group, against the group.
  const [limit, where] = scope.subscriptionId
    ? [ROLE_ASSIGNMENTS_PER_SUBSCRIPTION, 'subscription']
    : scope.managementGroup
      ? [ROLE_ASSIGNMENTS_PER_MANAGEMENT_GROUP, 'management group']
      : [undefined, 'tenant'];
  if (limit !== undefined && count >= limit) {
    throw new DomainError(
      'limit',
      'RoleAssignmentLimitExceeded',
      `No more role assignments can be created: this ${where} already holds ${count}, and the limit is ${limit}.`,
    );
  }
}

/**
 * Whether a role assignment outlives the end of a Lighthouse delegation of `managingTenantId`.
 * Inside a customer's scope only a delegate of the managing tenant can make a role assignment as a
 * principal of that tenant (no role assignment there applies to it), so what such a principal made
 * flowed from a delegation: it ends with it, unless another delegation of the same tenant still
 * covers the assignment's scope (the access could have flowed from that one).
 */
export function outlivesDelegation(
  assignment: Pick<RoleAssignment, 'scope'>,
  creatorTenantId: string | undefined,
  managingTenantId: string,
  remainingDelegationScopes: readonly string[],
): boolean {
  if (creatorTenantId === undefined || creatorTenantId.toLowerCase() !== managingTenantId.toLowerCase()) return true;
  return remainingDelegationScopes.some((scope) => isWithinScope(assignment.scope, scope));
}
