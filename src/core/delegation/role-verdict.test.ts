import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Permission, RoleDefinition } from '../rbac/model.js';
import { OWNER, USER_ACCESS_ADMINISTRATOR, findBuiltinRole, LOG_ANALYTICS_CONTRIBUTOR, CONTRIBUTOR } from '../roles/builtin-catalog.js';
import { delegatableRoleVerdict, delegationVerdict } from './role-verdict.js';

// The 2026 list of lighthouse.md §3.1, restated here so that a change to the module's list shows.
const SPEC_RESTRICTED = [
  'Microsoft.Authorization/*', 'Microsoft.Authorization/*/write', 'Microsoft.Authorization/*/delete',
  'Microsoft.Authorization/roleAssignments/write', 'Microsoft.Authorization/roleAssignments/delete',
  'Microsoft.Authorization/roleDefinitions/write', 'Microsoft.Authorization/roleDefinitions/delete',
  'Microsoft.Authorization/classicAdministrators/write', 'Microsoft.Authorization/classicAdministrators/delete',
  'Microsoft.Authorization/locks/write', 'Microsoft.Authorization/locks/delete',
  'Microsoft.Authorization/denyAssignments/write', 'Microsoft.Authorization/denyAssignments/delete',
];

function role(overrides: Partial<RoleDefinition> & { permissions?: Permission[] } = {}): RoleDefinition {
  return {
    id: '11111111-2222-3333-4444-555555555555',
    roleName: 'Widget Operator',
    description: '',
    roleType: 'BuiltInRole',
    permissions: [{ actions: ['Microsoft.Widgets/*/read'], notActions: [], dataActions: [], notDataActions: [] }],
    assignableScopes: ['/'],
    scope: '/',
    ...overrides,
  };
}

function block(p: Partial<Permission>): Permission {
  return { actions: [], notActions: [], dataActions: [], notDataActions: [], ...p };
}

function rule(v: { allowed: boolean; rule?: string }): string {
  return v.allowed ? 'allowed' : (v.rule ?? '?');
}

describe('delegationVerdict', () => {
  it('allows a plain built-in role in both lists', () => {
    assert.deepEqual(delegationVerdict(role()), { authorizations: { allowed: true }, eligible: { allowed: true } });
  });

  it('refuses custom roles', () => {
    const v = delegationVerdict(role({ roleType: 'CustomRole' }));
    assert.equal(rule(v.authorizations), 'customRole');
    assert.equal(rule(v.eligible), 'customRole');
    assert.ok(!v.authorizations.allowed && v.authorizations.reason.includes('only Azure built-in roles'));
  });

  it('refuses Owner by id, in any casing, with a reason about access management', () => {
    const v = delegationVerdict(role({ id: OWNER.toUpperCase(), roleName: 'Owner', permissions: [block({ actions: ['*'] })] }));
    assert.deepEqual(v.authorizations, { allowed: false, rule: 'owner', reason: "Owner can't be delegated: it would let the provider manage the customer's access." });
    assert.equal(rule(v.eligible), 'owner');
  });

  it('refuses roles with data actions, and with only notDataActions, in any block', () => {
    const withData = role({ permissions: [block({ actions: ['*/read'] }), block({ dataActions: ['Microsoft.Storage/*'] })] });
    const withNotData = role({ permissions: [block({ actions: ['*/read'], notDataActions: ['Microsoft.Storage/x/read'] })] });
    for (const r of [withData, withNotData]) {
      assert.equal(rule(delegationVerdict(r).authorizations), 'dataActions');
      assert.equal(rule(delegationVerdict(r).eligible), 'dataActions');
    }
  });

  it('refuses every restricted action string, whatever its casing, and names it in the reason', () => {
    for (const action of SPEC_RESTRICTED) {
      for (const spelled of [action, action.toUpperCase()]) {
        const v = delegationVerdict(role({ permissions: [block({ actions: ['*/read', spelled] })] }));
        assert.equal(rule(v.authorizations), 'restrictedAction', spelled);
        assert.equal(rule(v.eligible), 'restrictedAction', spelled);
        assert.ok(!v.authorizations.allowed && v.authorizations.reason.includes(spelled));
      }
    }
  });

  it('matches restricted actions literally, not as permissions: wildcards and other Authorization actions pass', () => {
    for (const action of ['*', '*/write', 'Microsoft.Authorization/*/read', 'Microsoft.Authorization/policyAssignments/*', 'Microsoft.Authorization/locks/*']) {
      assert.equal(rule(delegationVerdict(role({ permissions: [block({ actions: [action] })] })).authorizations), 'allowed', action);
    }
    // A restricted string in notActions takes access away, so it is no reason to refuse (Contributor).
    const contributor = findBuiltinRole(CONTRIBUTOR);
    assert.ok(contributor);
    assert.equal(rule(delegationVerdict(contributor).authorizations), 'allowed');
  });

  it('refuses deprecated roles', () => {
    const v = delegationVerdict(role({ roleName: 'Purview role 9 (Deprecated)' }));
    assert.equal(rule(v.authorizations), 'deprecated');
    assert.equal(rule(v.eligible), 'deprecated');
  });

  it('allows User Access Administrator only in authorizations, and flags that it needs delegatedRoleDefinitionIds', () => {
    const uaa = findBuiltinRole(USER_ACCESS_ADMINISTRATOR);
    assert.ok(uaa);
    const v = delegationVerdict(uaa);
    assert.deepEqual(v.authorizations, { allowed: true, requiresDelegatedRoleDefinitionIds: true });
    assert.equal(rule(v.eligible), 'userAccessAdministrator');
    assert.ok(!v.eligible.allowed && v.eligible.reason.startsWith("User Access Administrator can't be an eligible"));
  });
});

describe('delegatableRoleVerdict', () => {
  it('allows built-in roles, even those refused for authorizations (data actions)', () => {
    const lac = findBuiltinRole(LOG_ANALYTICS_CONTRIBUTOR);
    assert.ok(lac);
    assert.deepEqual(delegatableRoleVerdict(lac), { allowed: true });
    assert.deepEqual(delegatableRoleVerdict(role()), { allowed: true });
  });

  it('refuses Owner, User Access Administrator and custom roles', () => {
    assert.equal(rule(delegatableRoleVerdict(role({ id: OWNER }))), 'owner');
    assert.equal(rule(delegatableRoleVerdict(role({ id: USER_ACCESS_ADMINISTRATOR }))), 'userAccessAdministrator');
    assert.equal(rule(delegatableRoleVerdict(role({ roleType: 'CustomRole' }))), 'customRole');
  });
});
