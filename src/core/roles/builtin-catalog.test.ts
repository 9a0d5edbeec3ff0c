import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromCatalogRole, toCatalogRole } from './builtin-catalog-format.js';
import { BUILTIN_ROLES, OWNER, READER, REGISTRATION_ASSIGNMENT_DELETE_ROLE, USER_ACCESS_ADMINISTRATOR, findBuiltinRole } from './builtin-catalog.js';
import { parseAzRoleDefinitions } from './import-az-roles.js';
import { BUILTIN_ROLES_FILE, SKIP_WITHOUT_ROLE_DUMP } from '../../../test/support/shared-data.js';

const ROLES_FILE = BUILTIN_ROLES_FILE;

// The roles lighthouse.md §4.6 asks for, plus those Lantern's onboarding and activity log need.
const REQUIRED = [
  'Owner', 'Contributor', 'Reader', 'User Access Administrator', 'Role Based Access Control Administrator',
  'Managed Services Registration assignment Delete Role', 'Monitoring Reader', 'Monitoring Contributor',
  'Virtual Machine Contributor', 'Network Contributor', 'Storage Account Contributor', 'Log Analytics Reader',
  'Log Analytics Contributor', 'Security Reader', 'Security Admin', 'Resource Policy Contributor', 'Backup Contributor',
  'Backup Operator', 'Support Request Contributor', 'Tag Contributor', 'Website Contributor', 'SQL DB Contributor',
  'Key Vault Contributor', 'Storage Blob Data Reader', 'Automation Contributor',
];

describe('built-in role catalog', () => {
  it('ships every required role once', () => {
    const names = BUILTIN_ROLES.map((r) => r.roleName);
    assert.deepEqual(REQUIRED.filter((n) => !names.includes(n)), []);
    assert.equal(new Set(BUILTIN_ROLES.map((r) => r.id)).size, BUILTIN_ROLES.length);
  });

  it("ships Azure's whole catalog: 928 built-in roles at '/', each once, every one surviving its catalog entry unchanged", () => {
    assert.equal(BUILTIN_ROLES.length, 928);
    assert.ok(BUILTIN_ROLES.every((r) => r.roleType === 'BuiltInRole' && r.scope === '/' && r.assignableScopes.join() === '/'));
    for (const role of BUILTIN_ROLES) assert.deepEqual(fromCatalogRole(toCatalogRole(role)), role, role.roleName);
    assert.ok(BUILTIN_ROLES.some((r) => r.permissions.some((p) => p.condition !== undefined)), 'conditions are kept');
  });

  it('holds the facts of the Azure dump, role for role', { skip: SKIP_WITHOUT_ROLE_DUMP }, async () => {
    const file = (await import(ROLES_FILE, { with: { type: 'json' } })) as { default: unknown };
    const azure = parseAzRoleDefinitions(file.default);
    assert.equal(azure.length, BUILTIN_ROLES.length);
    for (const role of azure) assert.deepEqual(findBuiltinRole(role.id), role, role.roleName);
  });

  it('names the well-known ids after their roles', () => {
    assert.equal(findBuiltinRole(OWNER)?.roleName, 'Owner');
    assert.equal(findBuiltinRole(READER)?.roleName, 'Reader');
    assert.equal(findBuiltinRole(USER_ACCESS_ADMINISTRATOR)?.roleName, 'User Access Administrator');
    assert.equal(findBuiltinRole(REGISTRATION_ASSIGNMENT_DELETE_ROLE)?.roleName, 'Managed Services Registration assignment Delete Role');
  });

  it('finds roles by id in any casing and nothing else', () => {
    assert.equal(findBuiltinRole(READER.toUpperCase())?.id, READER);
    assert.equal(findBuiltinRole('00000000-0000-0000-0000-000000000001'), undefined);
  });
});
