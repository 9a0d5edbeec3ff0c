import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RoleAssignment, RoleDefinition } from '../rbac/model.js';
import { CONTRIBUTOR, OWNER, READER, findBuiltinRole } from './builtin-catalog.js';
import { ROLE_ASSIGNMENTS_PER_MANAGEMENT_GROUP, ROLE_ASSIGNMENTS_PER_SUBSCRIPTION, roleGuidOf, validateRoleAssignment } from './role-assignment-rules.js';
import type { DirectoryPrincipal, RoleAssignmentContext, RoleAssignmentRequest } from './role-assignment-rules.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const CUSTOMER = 'c0c0c0c0-0000-4000-8000-000000000001';
const PROVIDER = 'fa0fa0fa-0000-4000-8000-000000000002';
const SCOPE = `/subscriptions/${SUB}/resourceGroups/rg1`;
const NAME = '5a5a5a5a-0000-4000-8000-000000000001';
const USER = 'a1a1a1a1-0000-4000-8000-000000000010';
const GROUP = 'b1b1b1b1-0000-4000-8000-000000000001';
const APP = 'a1a1a1a1-0000-4000-8000-000000000011';
const MI = 'a1a1a1a1-0000-4000-8000-000000000012';
const GUEST = 'a1a1a1a1-0000-4000-8000-000000000013';
const PROVIDER_USER = 'f1f1f1f1-0000-4000-8000-000000000020';
const PROVIDER_GROUP = 'f1f1f1f1-0000-4000-8000-000000000021';
const PROVIDER_APP = 'f1f1f1f1-0000-4000-8000-000000000022';
const PROVIDER_MI = 'f1f1f1f1-0000-4000-8000-000000000023';
const SUB_ROLE = 'dddddddd-0000-4000-8000-000000000099';
const POLICY = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/enforce-tags`;

const subRole: RoleDefinition = {
  id: SUB_ROLE, roleName: 'Ops', description: '', roleType: 'CustomRole', scope: `/subscriptions/${SUB}`,
  permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }], assignableScopes: [`/subscriptions/${SUB}/resourceGroups/rg1`],
};
// The directory, every tenant of it: the customer's principals (a guest user is one of them) and the provider's.
const DIRECTORY: Record<string, DirectoryPrincipal> = {
  [USER]: { type: 'User', tenantId: CUSTOMER },
  [GUEST]: { type: 'User', tenantId: CUSTOMER },
  [GROUP]: { type: 'Group', tenantId: CUSTOMER },
  [APP]: { type: 'ServicePrincipal', tenantId: CUSTOMER },
  [MI]: { type: 'ServicePrincipal', tenantId: CUSTOMER, managedIdentityResourceId: POLICY },
  [PROVIDER_USER]: { type: 'User', tenantId: PROVIDER },
  [PROVIDER_GROUP]: { type: 'Group', tenantId: PROVIDER },
  [PROVIDER_APP]: { type: 'ServicePrincipal', tenantId: PROVIDER },
  [PROVIDER_MI]: { type: 'ServicePrincipal', tenantId: PROVIDER, managedIdentityResourceId: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1` },
};

function request(overrides: Partial<RoleAssignmentRequest> = {}): RoleAssignmentRequest {
  return { name: NAME, scope: SCOPE, roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER}`, principalId: USER, principalType: 'User', ...overrides };
}

// The context without the principal: `validate` looks the request's principal up in DIRECTORY, as the service does.
type Context = Omit<RoleAssignmentContext, 'principal'> & { principal?: DirectoryPrincipal };

function context(overrides: Partial<RoleAssignmentContext> = {}): Context {
  return {
    findRole: (id) => findBuiltinRole(id) ?? (id === SUB_ROLE ? subRole : undefined),
    directoryTenantId: CUSTOMER,
    assignmentsAtScope: [],
    assignmentCount: 0,
    ...overrides,
  };
}

function existing(overrides: Partial<RoleAssignment> = {}): RoleAssignment {
  return { id: 'e0e0e0e0-0000-4000-8000-000000000001', scope: SCOPE, roleDefinitionId: READER, principalId: USER, principalType: 'User', createdAt: '2026-01-01T00:00:00Z', createdBy: 'x', ...overrides };
}

function validate(r: RoleAssignmentRequest, c: Context) {
  return validateRoleAssignment(r, { principal: DIRECTORY[r.principalId.toLowerCase()], ...c });
}

function rejects(r: RoleAssignmentRequest, c: Context, expected: { code: string; kind?: string; target?: string; message: string | RegExp }): void {
  assert.throws(() => validate(r, c), { name: 'DomainError', ...expected });
}

describe('validateRoleAssignment', () => {
  it('accepts a full or bare role id and resolves it', () => {
    assert.deepEqual(validate(request(), context()), { outcome: 'create', roleDefinitionId: READER, principalType: 'User' });
    assert.equal(validate(request({ roleDefinitionId: READER.toUpperCase() }), context()).roleDefinitionId, READER);
    assert.equal(validate(request({ roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${READER}` }), context()).outcome, 'create');
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
    assert.equal(validate(request({ roleDefinitionId: SUB_ROLE, scope: `${SCOPE}/providers/Microsoft.Compute/virtualMachines/vm1` }), context()).outcome, 'create');
    rejects(request({ roleDefinitionId: SUB_ROLE, scope: `/subscriptions/${SUB}` }), context(), {
      code: 'RoleDefinitionDoesNotExist',
      target: 'properties.roleDefinitionId',
      message: `The specified role definition with ID '${SUB_ROLE}' does not exist at scope '/subscriptions/${SUB}': the role is assignable only at '${SCOPE}'.`,
    });
  });

  it('takes the principal and its type from the directory, never from the request', () => {
    assert.equal(validate(request({ principalType: undefined }), context()).principalType, 'User');
    assert.equal(validate(request({ principalType: 'group', principalId: GROUP }), context()).principalType, 'Group');
    rejects(request({ principalType: 'Device' }), context(), { code: 'InvalidPrincipalType', target: 'properties.principalType', message: /'Device' is not valid/ });
    rejects(request({ principalType: 'ServicePrincipal' }), context(), { code: 'UnmatchedPrincipalType', target: 'properties.principalType', message: `The PrincipalId '${USER}' has type 'User', which is different from specified PrincipalType 'ServicePrincipal'.` });
    // Unknown to every directory: refused whatever principalType says (Lantern's directory has no replication delay).
    for (const principalType of [undefined, 'User', 'ServicePrincipal']) {
      rejects(request({ principalType, principalId: '0e0e0e0e-0000-4000-8000-000000000001' }), context(), {
        code: 'PrincipalNotFound', target: 'properties.principalId', message: new RegExp(`Principal 0e0e0e0e-0000-4000-8000-000000000001 does not exist in the directory ${CUSTOMER}`),
      });
    }
  });

  it("refuses a principal of another tenant's directory, whatever the request says about it", () => {
    for (const principalId of [PROVIDER_USER, PROVIDER_USER.toUpperCase(), PROVIDER_GROUP, PROVIDER_APP, PROVIDER_MI]) {
      for (const principalType of [undefined, 'User', 'Group', 'ServicePrincipal']) {
        rejects(request({ principalId, principalType }), context(), { code: 'PrincipalNotFound', kind: 'invalid', target: 'properties.principalId', message: new RegExp(`does not exist in the directory ${CUSTOMER}\\. .*only through an Azure Lighthouse delegation`) });
      }
    }
    rejects(request({ principalId: PROVIDER_MI, principalType: 'ServicePrincipal', delegatedManagedIdentityResourceId: DIRECTORY[PROVIDER_MI]?.managedIdentityResourceId }), context(), { code: 'PrincipalNotFound', message: /does not exist in the directory/ });
    // The same message for "elsewhere" and "nowhere": the error tells nothing about other directories.
    const message = (principalId: string) => {
      try {
        validate(request({ principalId, principalType: undefined }), context());
        return '';
      } catch (error) {
        return (error as Error).message.replace(principalId, 'P');
      }
    };
    assert.equal(message(PROVIDER_USER), message('0e0e0e0e-0000-4000-8000-000000000001'));
    assert.equal(validate(request({ principalId: GUEST }), context()).outcome, 'create', 'a guest user is an object of the customer directory');
    assert.equal(validate(request({ principalId: PROVIDER_USER }), context({ directoryTenantId: PROVIDER })).outcome, 'create', "in the provider's own directory");
    assert.equal(validate(request({ principalId: PROVIDER_USER, scope: '/' }), context({ directoryTenantId: undefined })).outcome, 'create', "the platform at '/': the principal's own directory");
  });

  it('takes delegatedManagedIdentityResourceId only as the resource id of the managed identity named', () => {
    const mi = { principalId: MI, principalType: 'ServicePrincipal' };
    assert.equal(validate(request({ ...mi, delegatedManagedIdentityResourceId: POLICY }), context()).outcome, 'create');
    assert.equal(validate(request({ ...mi, delegatedManagedIdentityResourceId: POLICY.toUpperCase() }), context()).outcome, 'create', 'in any casing');
    const target = 'properties.delegatedManagedIdentityResourceId';
    rejects(request({ ...mi, delegatedManagedIdentityResourceId: `/subscriptions/${SUB}` }), context(), { code: 'InvalidDelegatedManagedIdentityResourceId', target, message: /is not a resource id/ });
    rejects(request({ ...mi, delegatedManagedIdentityResourceId: `${POLICY}-other` }), context(), { code: 'InvalidDelegatedManagedIdentityResourceId', target, message: /belongs to the resource .*, not to/ });
    rejects(request({ delegatedManagedIdentityResourceId: POLICY }), context(), { code: 'InvalidDelegatedManagedIdentityResourceId', target, message: /is a User of the directory, not a managed identity/ });
    rejects(request({ principalId: APP, principalType: 'ServicePrincipal', delegatedManagedIdentityResourceId: POLICY }), context(), { code: 'InvalidDelegatedManagedIdentityResourceId', target, message: /is a ServicePrincipal of the directory, not a managed identity/ });
  });

  it("lets a Lighthouse UAA delegate assign only its delegated roles, only to the customer's managed identities", () => {
    const delegate = context({ lighthouseDelegate: { delegatedRoleDefinitionIds: [CONTRIBUTOR.toUpperCase(), READER] } });
    const mi = { principalId: MI, principalType: 'ServicePrincipal', delegatedManagedIdentityResourceId: POLICY };
    assert.equal(validate(request({ ...mi, roleDefinitionId: CONTRIBUTOR }), delegate).outcome, 'create');
    rejects(request({ ...mi, roleDefinitionId: OWNER }), delegate, { code: 'AuthorizationFailed', kind: 'forbidden', target: 'properties.roleDefinitionId', message: /allows assigning only the roles .*; role '8e3af657-a8ff-443c-a75c-2fe8c4bcb635' is not one of them/ });
    rejects(request({ principalId: MI, principalType: 'ServicePrincipal' }), delegate, { code: 'AuthorizationFailed', kind: 'forbidden', target: 'properties.delegatedManagedIdentityResourceId', message: /only to managed identities/ });
    for (const principalId of [USER, GUEST, GROUP, APP]) {
      rejects(request({ principalId, principalType: undefined }), delegate, { code: 'AuthorizationFailed', kind: 'forbidden', message: /only to managed identities of the customer's directory/ });
    }
    // The attack of issue 11: the delegate names itself (or its group, or its app) as a "ServicePrincipal" with a delegatedManagedIdentityResourceId.
    for (const principalId of [PROVIDER_USER, PROVIDER_GROUP, PROVIDER_APP, PROVIDER_MI]) {
      rejects(request({ ...mi, principalId, roleDefinitionId: CONTRIBUTOR }), delegate, { code: 'PrincipalNotFound', message: /only through an Azure Lighthouse delegation/ });
    }
  });

  it('refuses a second assignment of the same role to the same principal at the scope', () => {
    rejects(request(), context({ assignmentsAtScope: [existing({ principalId: USER.toUpperCase(), scope: SCOPE.toUpperCase() })] }), { code: 'RoleAssignmentExists', kind: 'conflict', message: 'The role assignment already exists.' });
    assert.equal(validate(request(), context({ assignmentsAtScope: [existing({ roleDefinitionId: CONTRIBUTOR })] })).outcome, 'create');
  });

  it('treats a repeated PUT as unchanged, and refuses to change an assignment', () => {
    assert.equal(validate(request(), context({ assignmentsAtScope: [existing({ id: NAME })], assignmentCount: ROLE_ASSIGNMENTS_PER_SUBSCRIPTION })).outcome, 'unchanged');
    rejects(request(), context({ assignmentsAtScope: [existing({ id: NAME, roleDefinitionId: CONTRIBUTOR })] }), { code: 'RoleAssignmentUpdateNotPermitted', kind: 'conflict', message: /not allowed to be updated/ });
  });

  it('stops at 4,000 role assignments per subscription and 500 per management group', () => {
    assert.equal(validate(request(), context({ assignmentCount: ROLE_ASSIGNMENTS_PER_SUBSCRIPTION - 1 })).outcome, 'create');
    rejects(request(), context({ assignmentCount: 4000 }), { code: 'RoleAssignmentLimitExceeded', kind: 'limit', message: 'No more role assignments can be created: this subscription already holds 4000, and the limit is 4000.' });
    const mg = request({ scope: '/providers/Microsoft.Management/managementGroups/mg1' });
    assert.equal(validate(mg, context({ assignmentCount: ROLE_ASSIGNMENTS_PER_MANAGEMENT_GROUP - 1 })).outcome, 'create');
    rejects(mg, context({ assignmentCount: 500 }), { code: 'RoleAssignmentLimitExceeded', kind: 'limit', message: /this management group already holds 500, and the limit is 500/ });
    assert.equal(validate(request({ scope: '/' }), context({ assignmentCount: 1_000_000 })).outcome, 'create');
  });
});

describe('roleGuidOf', () => {
  it('reads the role GUID from a bare GUID or an ARM role definition id, in lower case, and nothing else', () => {
    assert.equal(roleGuidOf(READER.toUpperCase()), READER);
    assert.equal(roleGuidOf(`/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/${READER}`), READER);
    assert.equal(roleGuidOf(`/providers/Microsoft.Authorization/roleDefinitions/${READER}`), READER);
    for (const bad of ['', 'Reader', `${READER}x`, '/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/not-a-guid']) assert.equal(roleGuidOf(bad), undefined, bad);
  });
});
