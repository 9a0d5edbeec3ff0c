/**
 * The rules ARM applies to `PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{guid}`,
 * including the narrow right a Lighthouse User Access Administrator delegate has. The caller passes
 * what the rules need to see (the role, the assignments at the scope, the count); nothing is read here.
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

export interface RoleAssignmentContext {
  /** Finds a role definition by its bare GUID. */
  readonly findRole: (roleDefinitionId: string) => RoleDefinition | undefined;
  /** The type of a principal of the directory; undefined when unknown (e.g. not yet replicated). */
  readonly principalTypeOf: (principalId: string) => PrincipalType | undefined;
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
  const principalType = resolvePrincipalType(request, context);
  if (request.delegatedManagedIdentityResourceId !== undefined) {
    validateDelegatedIdentity(request.delegatedManagedIdentityResourceId, principalType);
  }
  if (context.lighthouseDelegate) enforceDelegateRule(context.lighthouseDelegate.delegatedRoleDefinitionIds, roleId, request);

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

function bareRoleId(value: string): string {
  const guid = isGuid(value) ? value : ROLE_DEFINITION_ID.exec(value)?.[1];
  if (!isGuid(guid)) {
    throw invalid(
      'InvalidRoleDefinitionId',
      `The role definition ID '${value}' is not valid: it must be '/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{guid}' or the bare GUID.`,
      'properties.roleDefinitionId',
    );
  }
  return guid.toLowerCase();
}

function resolvePrincipalType(request: RoleAssignmentRequest, context: RoleAssignmentContext): PrincipalType {
  const actual = context.principalTypeOf(request.principalId);
  const given = request.principalType;
  if (given === undefined) {
    if (actual === undefined) {
      throw invalid(
        'PrincipalNotFound',
        `Principal ${request.principalId} does not exist in the directory. If it was just created, set properties.principalType (User, Group or ServicePrincipal).`,
        'properties.principalId',
      );
    }
    return actual;
  }
  const type = PRINCIPAL_TYPES.find((t) => t.toLowerCase() === given.toLowerCase());
  if (!type) {
    throw invalid('InvalidPrincipalType', `The principalType '${given}' is not valid: it must be User, Group or ServicePrincipal.`, 'properties.principalType');
  }
  if (actual !== undefined && actual !== type) {
    throw invalid(
      'UnmatchedPrincipalType',
      `The PrincipalId '${request.principalId}' has type '${actual}', which is different from specified PrincipalType '${type}'.`,
      'properties.principalType',
    );
  }
  return type;
}

function validateDelegatedIdentity(resourceId: string, principalType: PrincipalType): void {
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
  if (principalType !== 'ServicePrincipal') {
    throw invalid(
      'InvalidDelegatedManagedIdentityResourceId',
      `delegatedManagedIdentityResourceId is for managed identities: the principalType must be ServicePrincipal, not ${principalType}.`,
      target,
    );
  }
}

// A Lighthouse UAA delegate may only hand the listed roles to the customer's managed identities.
function enforceDelegateRule(delegatedRoleDefinitionIds: readonly string[], roleId: string, request: RoleAssignmentRequest): void {
  if (!delegatedRoleDefinitionIds.some((id) => id.toLowerCase() === roleId)) {
    throw new DomainError(
      'forbidden',
      'AuthorizationFailed',
      `The client's delegated access allows assigning only the roles ${delegatedRoleDefinitionIds.map((id) => `'${id}'`).join(', ')}; role '${roleId}' is not one of them.`,
      { target: 'properties.roleDefinitionId' },
    );
  }
  if (request.delegatedManagedIdentityResourceId === undefined) {
    throw new DomainError(
      'forbidden',
      'AuthorizationFailed',
      "The client's delegated access allows assigning roles only to managed identities: set delegatedManagedIdentityResourceId to the resource that owns the identity.",
      { target: 'properties.delegatedManagedIdentityResourceId' },
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
