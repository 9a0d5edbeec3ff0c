import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRoleAssignmentFilter, parseRoleDefinitionFilter } from './authorization-filter.js';

const ID = '0f0e0d0c-0b0a-0908-0706-050403020100';

describe('role assignment $filter', () => {
  it('reads atScope(), assignedTo and principalId', () => {
    assert.deepEqual(parseRoleAssignmentFilter(undefined), {});
    assert.deepEqual(parseRoleAssignmentFilter('atScope()'), { atScope: true });
    assert.deepEqual(parseRoleAssignmentFilter(`atScope() and assignedTo('${ID.toUpperCase()}')`), { atScope: true, assignedTo: ID });
    assert.deepEqual(parseRoleAssignmentFilter(`principalId eq '${ID}'`), { principalId: ID });
  });
  it('refuses unknown fields, non-GUIDs and contradictions', () => {
    for (const bad of ["roleDefinitionId eq 'x'", "principalId eq 'bob'", `principalId eq '${ID}' and assignedTo('${ID}')`, 'atScope', `principalId ne '${ID}'`]) {
      assert.throws(() => parseRoleAssignmentFilter(bad), { code: 'InvalidFilterInQueryString' }, bad);
    }
  });
});

describe('role definition $filter', () => {
  it('reads roleName and type', () => {
    assert.deepEqual(parseRoleDefinitionFilter("roleName eq 'Reader'"), { roleName: 'Reader' });
    assert.deepEqual(parseRoleDefinitionFilter("type eq 'customrole'"), { type: 'CustomRole' });
  });
  it('refuses anything else', () => {
    for (const bad of ["type eq 'Other'", "description eq 'x'", 'roleName'] ) assert.throws(() => parseRoleDefinitionFilter(bad), { code: 'InvalidFilterInQueryString' }, bad);
  });
});
