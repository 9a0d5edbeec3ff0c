import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Permission, RoleDefinition } from '../rbac/model.js';
import { BUILTIN_ROLES, READER } from './builtin-catalog.js';
import { CUSTOM_ROLES_PER_TENANT, validateCustomRoleDefinition } from './custom-roles.js';

const SUB = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333';
const MG = '/providers/Microsoft.Management/managementGroups/contoso';
const ID = '4a2a6d8c-1111-4b7e-9d1e-0123456789ab';

function block(p: Partial<Permission> = {}): Permission {
  return { actions: ['Microsoft.Compute/virtualMachines/read'], notActions: [], dataActions: [], notDataActions: [], ...p };
}

function custom(overrides: Partial<RoleDefinition> = {}): RoleDefinition {
  return { id: ID, roleName: 'VM Watcher', description: 'Reads VMs', roleType: 'CustomRole', permissions: [block()], assignableScopes: [SUB], scope: SUB, ...overrides };
}

function rejects(role: RoleDefinition, expected: { code: string; kind?: string; target?: string; message: string | RegExp }, existing: readonly RoleDefinition[] = BUILTIN_ROLES): void {
  assert.throws(() => validateCustomRoleDefinition(role, existing), { name: 'DomainError', ...expected });
}

describe('validateCustomRoleDefinition', () => {
  it('accepts a custom role at subscriptions, resource groups or one management group', () => {
    assert.doesNotThrow(() => validateCustomRoleDefinition(custom(), BUILTIN_ROLES));
    assert.doesNotThrow(() => validateCustomRoleDefinition(custom({ assignableScopes: [MG, SUB, `${SUB}/resourceGroups/rg1`] }), BUILTIN_ROLES));
  });

  it('needs a GUID name', () => {
    rejects(custom({ id: 'vm-watcher' }), { code: 'InvalidRoleDefinitionId', target: 'name', message: "The role definition ID 'vm-watcher' is not valid: it must be a GUID." });
  });

  it('creates and changes only custom roles', () => {
    rejects(custom({ roleType: 'BuiltInRole' }), { code: 'InvalidRoleDefinition', target: 'properties.type', message: /Only custom roles can be created or changed/ });
    rejects(custom({ id: READER }), { code: 'InvalidRoleDefinition', target: 'properties.type', message: "Only custom roles can be created or changed; 'Reader' is a built-in role." });
  });

  it('needs a roleName that no other role of the directory has', () => {
    rejects(custom({ roleName: '  ' }), { code: 'InvalidRoleDefinition', target: 'properties.roleName', message: 'A custom role needs a roleName.' });
    rejects(custom({ roleName: 'reader' }), { code: 'RoleDefinitionWithSameNameExists', kind: 'conflict', target: 'properties.roleName', message: `A role definition cannot be updated with a name that already exists: 'Reader' is role '${READER}'.` });
    const other = custom({ id: '4a2a6d8c-2222-4b7e-9d1e-0123456789ab' });
    rejects(custom(), { code: 'RoleDefinitionWithSameNameExists', message: /'VM Watcher' is role '4a2a6d8c-2222/ }, [other]);
    // Updating the role itself keeps its name.
    assert.doesNotThrow(() => validateCustomRoleDefinition(custom({ description: 'changed' }), [custom({ id: ID.toUpperCase() })]));
  });

  it('needs valid assignable scopes: at least one, no root or resources, one management group at most', () => {
    rejects(custom({ assignableScopes: [] }), { code: 'InvalidRoleDefinition', target: 'properties.assignableScopes', message: 'A custom role needs at least one assignable scope.' });
    rejects(custom({ assignableScopes: [SUB, 'subscriptions'] }), { code: 'InvalidRoleDefinition', target: 'properties.assignableScopes[1]', message: "The assignable scope 'subscriptions' is not a valid scope." });
    rejects(custom({ assignableScopes: ['/'] }), { code: 'InvalidRoleDefinition', target: 'properties.assignableScopes[0]', message: "The assignable scope '/' must be a management group, subscription or resource group." });
    rejects(custom({ assignableScopes: [`${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1`] }), { code: 'InvalidRoleDefinition', target: 'properties.assignableScopes[0]', message: /must be a management group, subscription or resource group/ });
    rejects(custom({ assignableScopes: [MG, `${MG}2`] }), { code: 'InvalidRoleDefinition', target: 'properties.assignableScopes[1]', message: 'A custom role may name only one management group among its assignable scopes.' });
  });

  it('keeps data actions away from management groups', () => {
    assert.doesNotThrow(() => validateCustomRoleDefinition(custom({ permissions: [block({ dataActions: ['Microsoft.Storage/*/read'] })] }), BUILTIN_ROLES));
    rejects(custom({ assignableScopes: [MG], permissions: [block({ dataActions: ['Microsoft.Storage/*/read'] })] }), { code: 'InvalidRoleDefinition', target: 'properties.assignableScopes', message: "A custom role with data actions can't be assignable at a management group." });
  });

  it('needs at least one action or data action, each an operation string', () => {
    const none = 'A custom role needs at least one permission: an action or a data action.';
    rejects(custom({ permissions: [] }), { code: 'InvalidRoleDefinition', target: 'properties.permissions', message: none });
    rejects(custom({ permissions: [block({ actions: [], notActions: ['*/write'] })] }), { code: 'InvalidRoleDefinition', target: 'properties.permissions', message: none });
    assert.doesNotThrow(() => validateCustomRoleDefinition(custom({ permissions: [block({ actions: [], dataActions: ['Microsoft.Storage/*/read'] })] }), BUILTIN_ROLES));
    rejects(custom({ permissions: [block(), block({ notActions: ['Microsoft.Compute/virtualMachines/ delete'] })] }), { code: 'InvalidRoleDefinition', target: 'properties.permissions[1].notActions[0]', message: /'Microsoft.Compute\/virtualMachines\/ delete' is not an operation string/ });
  });

  it("keeps a custom role's assignable scopes in its own directory", () => {
    const contoso = 'c0c0c0c0-0000-4000-8000-000000000001';
    const role = custom({ tenantId: contoso, assignableScopes: [SUB, MG, `${SUB}/resourceGroups/rg1`] });
    assert.doesNotThrow(() => validateCustomRoleDefinition(role, BUILTIN_ROLES, [contoso.toUpperCase(), undefined, contoso]));
    assert.throws(() => validateCustomRoleDefinition(role, BUILTIN_ROLES, [contoso, undefined, 'fabf0000-0000-4000-8000-000000000002']), {
      name: 'DomainError',
      code: 'InvalidAssignableScope',
      target: 'properties.assignableScopes[2]',
      message: `The assignable scope '${SUB}/resourceGroups/rg1' belongs to another directory: a custom role's assignable scopes must all be in the directory it is created in.`,
    });
    assert.doesNotThrow(() => validateCustomRoleDefinition(custom(), BUILTIN_ROLES, ['fabf0000-0000-4000-8000-000000000002']), 'a role of no known directory has nothing to compare');
  });

  it('stops at 5,000 custom roles per directory, but still updates', () => {
    const many = Array.from({ length: CUSTOM_ROLES_PER_TENANT }, (_, i) => custom({ id: `4a2a6d8c-0000-4000-8000-${String(i).padStart(12, '0')}`, roleName: `Role ${i}` }));
    rejects(custom(), { code: 'RoleDefinitionLimitExceeded', kind: 'limit', message: 'The directory already holds 5000 custom roles, the limit.' }, many);
    assert.doesNotThrow(() => validateCustomRoleDefinition(custom(), [...many.slice(1), custom()]));
    assert.doesNotThrow(() => validateCustomRoleDefinition(custom(), many.slice(1)));
  });
});
