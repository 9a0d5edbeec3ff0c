// The Lighthouse verdict of every one of Azure's 928 built-in roles, as Lantern ships them (data/builtin-roles.json).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RoleDefinition } from '../rbac/model.js';
import { BUILTIN_ROLES } from '../roles/builtin-catalog.js';
import { delegatableRoleVerdict, delegationVerdict } from './role-verdict.js';

// An independent restatement of the role-support rules, written from the spec, not from the module.
const FORBIDDEN_ACTIONS = new Set(
  [
    'Microsoft.Authorization/*',
    'Microsoft.Authorization/*/write',
    'Microsoft.Authorization/*/delete',
    ...['roleAssignments', 'roleDefinitions', 'classicAdministrators', 'locks', 'denyAssignments'].flatMap((t) => [
      `Microsoft.Authorization/${t}/write`,
      `Microsoft.Authorization/${t}/delete`,
    ]),
  ].map((a) => a.toLowerCase()),
);

function expected(role: RoleDefinition): { authorizations: string; eligible: string } {
  const both = (rule: string) => ({ authorizations: rule, eligible: rule });
  if (role.id === '8e3af657-a8ff-443c-a75c-2fe8c4bcb635') return both('owner');
  if (role.roleName.toLowerCase().includes('(deprecated)')) return both('deprecated');
  const blocks = role.permissions;
  if (blocks.some((b) => b.dataActions.length + b.notDataActions.length > 0)) return both('dataActions');
  if (role.id === '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9') return { authorizations: 'allowed', eligible: 'userAccessAdministrator' };
  if (blocks.some((b) => b.actions.some((a) => FORBIDDEN_ACTIONS.has(a.toLowerCase())))) return both('restrictedAction');
  return both('allowed');
}

function outcome(v: ReturnType<typeof delegationVerdict>['eligible']): string {
  return v.allowed ? 'allowed' : v.rule;
}

describe('delegation verdict of the full built-in catalog', () => {
  let roles: RoleDefinition[] = [];
  const byName = (name: string): RoleDefinition => {
    const role = roles.find((r) => r.roleName === name);
    assert.ok(role, `role '${name}' is in the catalog`);
    return role;
  };

  before(() => {
    roles = [...BUILTIN_ROLES];
  });

  it('reads all 928 built-in roles', () => {
    assert.equal(roles.length, 928);
    assert.ok(roles.every((r) => r.roleType === 'BuiltInRole' && r.scope === '/'));
  });

  it('matches an independent restatement of the rules for every role', () => {
    const mismatches = roles
      .map((role) => ({ role: role.roleName, want: expected(role), got: delegationVerdict(role) }))
      .filter(({ want, got }) => want.authorizations !== outcome(got.authorizations) || want.eligible !== outcome(got.eligible))
      .map(({ role }) => role);
    assert.deepEqual(mismatches, []);
  });

  it('leaves roughly 580 of 928 roles usable, and counts each refusal', () => {
    const tally = new Map<string, number>();
    for (const role of roles) {
      const key = outcome(delegationVerdict(role).authorizations);
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    const usable = tally.get('allowed') ?? 0;
    const eligible = roles.filter((r) => delegationVerdict(r).eligible.allowed).length;
    console.log(`usable in authorizations: ${usable} of ${roles.length}; as eligible: ${eligible}; refusals: ${JSON.stringify(Object.fromEntries(tally))}`);
    // Snapshot 2026-08-22: 578 roles pass every rule, plus User Access Administrator (authorizations only).
    // The 5 deprecated roles all have data actions too, so that rule changes which reason is given, not the count.
    assert.equal(usable, 579);
    assert.equal(eligible, 578);
    assert.deepEqual(Object.fromEntries(tally), { allowed: 579, owner: 1, dataActions: 314, restrictedAction: 29, deprecated: 5 });
  });

  it('gives every refusal a reason a publisher can read', () => {
    for (const role of roles) {
      const { authorizations, eligible } = delegationVerdict(role);
      for (const v of [authorizations, eligible]) {
        if (!v.allowed) assert.match(v.reason, new RegExp(`^${role.roleName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} can't be|^Owner can't be|^User Access Administrator can't be`));
      }
    }
  });

  it('refuses Owner', () => {
    const v = delegationVerdict(byName('Owner'));
    assert.equal(outcome(v.authorizations), 'owner');
    assert.equal(outcome(v.eligible), 'owner');
  });

  it('allows Contributor, Reader, Resource Policy Contributor and the registration assignment Delete Role, permanently and just in time', () => {
    for (const name of ['Contributor', 'Reader', 'Resource Policy Contributor', 'Managed Services Registration assignment Delete Role']) {
      assert.deepEqual(delegationVerdict(byName(name)), { authorizations: { allowed: true }, eligible: { allowed: true } }, name);
    }
  });

  it('refuses Storage Account Backup Contributor for its locks actions', () => {
    const v = delegationVerdict(byName('Storage Account Backup Contributor')).authorizations;
    assert.equal(outcome(v), 'restrictedAction');
    assert.ok(!v.allowed && v.reason.includes('Microsoft.Authorization/locks/write'));
  });

  it('refuses Log Analytics Contributor for its data actions', () => {
    assert.equal(outcome(delegationVerdict(byName('Log Analytics Contributor')).authorizations), 'dataActions');
  });

  it('allows User Access Administrator only permanently, with delegatedRoleDefinitionIds, never as eligible', () => {
    const v = delegationVerdict(byName('User Access Administrator'));
    assert.deepEqual(v.authorizations, { allowed: true, requiresDelegatedRoleDefinitionIds: true });
    assert.equal(outcome(v.eligible), 'userAccessAdministrator');
  });

  it('lets a delegate assign any built-in role except Owner and User Access Administrator', () => {
    const refused = roles.filter((r) => !delegatableRoleVerdict(r).allowed).map((r) => r.roleName).sort();
    assert.deepEqual(refused, ['Owner', 'User Access Administrator']);
  });
});
