import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PrincipalType } from '../identity/model.js';
import type { RoleAssignment, RoleDefinition } from '../rbac/model.js';
import { CONTRIBUTOR, OWNER, READER, findBuiltinRole } from './builtin-catalog.js';
import { ROLE_ASSIGNMENTS_PER_MANAGEMENT_GROUP, ROLE_ASSIGNMENTS_PER_SUBSCRIPTION, validateRoleAssignment } from './role-assignment-rules.js';
import type { RoleAssignmentContext, RoleAssignmentRequest } from './role-assignment-rules.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const SCOPE = `/subscriptions/${SUB}/resourceGroups/rg1`;
const NAME = '5a5a5a5a-0000-4000-8000-000000000001';
const USER = 'a1a1a1a1-0000-4000-8000-000000000010';
const MI = 'a1a1a1a1-0000-4000-8000-000000000012';
const SUB_ROLE = 'dddddddd-0000-4000-8000-000000000099';
const POLICY = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/enforce-tags`;

const subRole: RoleDefinition = {
  id: SUB_ROLE, roleName: 'Ops', description: '', roleType: 'CustomRole', scope: `/subscriptions/${SUB}`,
  permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }], assignableScopes: [`/subscriptions/${SUB}/resourceGroups/rg1`],
};
const types: Record<string, PrincipalType> = { [USER]: 'User', [MI]: 'ServicePrincipal' };

function request(overrides: Partial<RoleAssignmentRequest> = {}): RoleAssignmentRequest {
  return { name: NAME, scope: SCOPE, roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER}`, principalId: USER, principalType: 'User', ...overrides };
}

function context(overrides: Partial<RoleAssignmentContext> = {}): RoleAssignmentContext {
  return {
    findRole: (id) => findBuiltinRole(id) ?? (id === SUB_ROLE ? subRole : undefined),
    principalTypeOf: (id) => types[id],
    assignmentsAtScope: [],
    assignmentCount: 0,
    ...overrides,
  };
}

function existing(overrides: Partial<RoleAssignment> = {}): RoleAssignment {
  return { id: 'e0e0e0e0-0000-4000-8000-000000000001', scope: SCOPE, roleDefinitionId: READER, principalId: USER, principalType: 'User', createdAt: '2026-01-01T00:00:00Z', createdBy: 'x', ...overrides };
}

function rejects(r: RoleAssignmentRequest, c: RoleAssignmentContext, expected: { code: string; kind?: string; target?: string; message: string | RegExp }): void {
  assert.throws(() => validateRoleAssignment(r, c), { name: 'DomainError', ...expected });
}

describe('validateRoleAssignment', () => {
  it('accepts a full or bare role id and resolves it', () => {
    assert.deepEqual(validateRoleAssignment(request(), context()), { outcome: 'create', roleDefinitionId: READER, principalType: 'User' });
    assert.equal(validateRoleAssignment(request({ roleDefinitionId: READER.toUpperCase() }), context()).roleDefinitionId, READER);
    assert.equal(validateRoleAssignment(request({ roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${READER}` }), context()).outcome, 'create');
  });

  it('needs a GUID name and principal id', () => {
    rejects(request({ name: 'reader-for-bob' }), context(), { code: 'InvalidRoleAssignmentId', target: 'name', message: "The role assignment ID 'reader-for-bob' is not valid. The role assignment ID must be a GUID." });
    rejects(request({ principalId: 'bob' }), context(), { code: 'InvalidPrincipalId', target: 'properties.principalId', message: "The Principal ID 'bob' is not valid. Principal ID must be a GUID." });
  });

  it('needs a valid scope', () => {
    rejects(request({ scope: `/subscriptions/${SUB}/resourceGroups` }), context(), { code: 'InvalidResourceId', message: /is not a valid scope/ });
  });

  it('needs a valid role id of a role that exists', () => {
    rejects(request({ roleDefinitionId: 'Reader' }), context(), { code: 'InvalidRoleDefinitionId', target: 'properties.roleDefinitionId', message: /The role definition ID 'Reader' is not valid/ });
    const missing = '99999999-0000-4000-8000-000000000000';
    rejects(request({ roleDefinitionId: missing }), context(), { code: 'RoleDefinitionDoesNotExist', target: 'properties.roleDefinitionId', message: `The specified role definition with ID '${missing}' does not exist.` });
  });

  it('assigns a role only within its assignable scopes', () => {
    assert.equal(validateRoleAssignment(request({ roleDefinitionId: SUB_ROLE, scope: `${SCOPE}/providers/Microsoft.Compute/virtualMachines/vm1` }), context()).outcome, 'create');
    rejects(request({ roleDefinitionId: SUB_ROLE, scope: `/subscriptions/${SUB}` }), context(), {
      code: 'RoleDefinitionDoesNotExist',
      target: 'properties.roleDefinitionId',
      message: `The specified role definition with ID '${SUB_ROLE}' does not exist at scope '/subscriptions/${SUB}': the role is assignable only at '${SCOPE}'.`,
    });
  });

  it('checks the principal type against the directory', () => {
    assert.equal(validateRoleAssignment(request({ principalType: undefined }), context()).principalType, 'User');
    assert.equal(validateRoleAssignment(request({ principalType: 'group', principalId: 'b1b1b1b1-0000-4000-8000-000000000001' }), context()).principalType, 'Group');
    rejects(request({ principalType: 'Device' }), context(), { code: 'InvalidPrincipalType', target: 'properties.principalType', message: /'Device' is not valid/ });
    rejects(request({ principalType: 'ServicePrincipal' }), context(), { code: 'UnmatchedPrincipalType', target: 'properties.principalType', message: `The PrincipalId '${USER}' has type 'User', which is different from specified PrincipalType 'ServicePrincipal'.` });
    rejects(request({ principalType: undefined, principalId: 'b1b1b1b1-0000-4000-8000-000000000001' }), context(), { code: 'PrincipalNotFound', target: 'properties.principalId', message: /does not exist in the directory/ });
  });

  it('takes delegatedManagedIdentityResourceId only as a resource id, for a service principal', () => {
    assert.equal(validateRoleAssignment(request({ principalId: MI, principalType: 'ServicePrincipal', delegatedManagedIdentityResourceId: POLICY }), context()).outcome, 'create');
    const target = 'properties.delegatedManagedIdentityResourceId';
    rejects(request({ principalId: MI, principalType: 'ServicePrincipal', delegatedManagedIdentityResourceId: `/subscriptions/${SUB}` }), context(), { code: 'InvalidDelegatedManagedIdentityResourceId', target, message: /is not a resource id/ });
    rejects(request({ delegatedManagedIdentityResourceId: POLICY }), context(), { code: 'InvalidDelegatedManagedIdentityResourceId', target, message: /the principalType must be ServicePrincipal, not User/ });
  });

  it('lets a Lighthouse UAA delegate assign only its delegated roles, only to managed identities', () => {
    const delegate = context({ lighthouseDelegate: { delegatedRoleDefinitionIds: [CONTRIBUTOR.toUpperCase(), READER] } });
    const mi = { principalId: MI, principalType: 'ServicePrincipal', delegatedManagedIdentityResourceId: POLICY };
    assert.equal(validateRoleAssignment(request({ ...mi, roleDefinitionId: CONTRIBUTOR }), delegate).outcome, 'create');
    rejects(request({ ...mi, roleDefinitionId: OWNER }), delegate, { code: 'AuthorizationFailed', kind: 'forbidden', target: 'properties.roleDefinitionId', message: /allows assigning only the roles .*; role '8e3af657-a8ff-443c-a75c-2fe8c4bcb635' is not one of them/ });
    rejects(request({ principalId: MI, principalType: 'ServicePrincipal' }), delegate, { code: 'AuthorizationFailed', kind: 'forbidden', target: 'properties.delegatedManagedIdentityResourceId', message: /only to managed identities/ });
  });

  it('refuses a second assignment of the same role to the same principal at the scope', () => {
    rejects(request(), context({ assignmentsAtScope: [existing({ principalId: USER.toUpperCase(), scope: SCOPE.toUpperCase() })] }), { code: 'RoleAssignmentExists', kind: 'conflict', message: 'The role assignment already exists.' });
    assert.equal(validateRoleAssignment(request(), context({ assignmentsAtScope: [existing({ roleDefinitionId: CONTRIBUTOR })] })).outcome, 'create');
  });

  it('treats a repeated PUT as unchanged, and refuses to change an assignment', () => {
    assert.equal(validateRoleAssignment(request(), context({ assignmentsAtScope: [existing({ id: NAME })], assignmentCount: ROLE_ASSIGNMENTS_PER_SUBSCRIPTION })).outcome, 'unchanged');
    rejects(request(), context({ assignmentsAtScope: [existing({ id: NAME, roleDefinitionId: CONTRIBUTOR })] }), { code: 'RoleAssignmentUpdateNotPermitted', kind: 'conflict', message: /not allowed to be updated/ });
  });

  it('stops at 4,000 role assignments per subscription and 500 per management group', () => {
    assert.equal(validateRoleAssignment(request(), context({ assignmentCount: ROLE_ASSIGNMENTS_PER_SUBSCRIPTION - 1 })).outcome, 'create');
    rejects(request(), context({ assignmentCount: 4000 }), { code: 'RoleAssignmentLimitExceeded', kind: 'limit', message: 'No more role assignments can be created: this subscription already holds 4000, and the limit is 4000.' });
    const mg = request({ scope: '/providers/Microsoft.Management/managementGroups/mg1' });
    assert.equal(validateRoleAssignment(mg, context({ assignmentCount: ROLE_ASSIGNMENTS_PER_MANAGEMENT_GROUP - 1 })).outcome, 'create');
    rejects(mg, context({ assignmentCount: 500 }), { code: 'RoleAssignmentLimitExceeded', kind: 'limit', message: /this management group already holds 500, and the limit is 500/ });
    assert.equal(validateRoleAssignment(request({ scope: '/' }), context({ assignmentCount: 1_000_000 })).outcome, 'create');
  });
});
