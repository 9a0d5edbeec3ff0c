import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CONTRIBUTOR, READER, REGISTRATION_ASSIGNMENT_DELETE_ROLE, USER_ACCESS_ADMINISTRATOR } from '../roles/builtin-catalog.js';
import { diffGrants, isEmptyDiff, type Grants } from './authorization-diff.js';
import type { EligibleAuthorization } from './model.js';

const L2 = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const L1 = '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e';
const OFFBOARDING = '2c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f';

const v100: Grants = {
  authorizations: [
    { principalId: L2, principalIdDisplayName: 'Contoso L2 Engineers', roleDefinitionId: CONTRIBUTOR },
    { principalId: L1, principalIdDisplayName: 'Contoso L1 Support', roleDefinitionId: READER },
    { principalId: OFFBOARDING, principalIdDisplayName: 'Contoso Offboarding', roleDefinitionId: REGISTRATION_ASSIGNMENT_DELETE_ROLE },
  ],
  eligibleAuthorizations: [],
};

const eligible = (duration: string): EligibleAuthorization => ({
  principalId: L1,
  principalIdDisplayName: 'Contoso L1 Support',
  roleDefinitionId: CONTRIBUTOR,
  justInTimeAccessPolicy: { multiFactorAuthProvider: 'Azure', maximumActivationDuration: duration },
});

describe('diffGrants', () => {
  it('finds nothing between a version and itself, whatever the casing of the ids', () => {
    const upper: Grants = { ...v100, authorizations: v100.authorizations.map((a) => ({ ...a, principalId: a.principalId.toUpperCase() })) };
    assert.ok(isEmptyDiff(diffGrants(v100, upper)));
  });

  it('lists an added authorization', () => {
    const extra = { principalId: L1, principalIdDisplayName: 'Contoso L1 Support', roleDefinitionId: CONTRIBUTOR };
    const diff = diffGrants(v100, { ...v100, authorizations: [...v100.authorizations, extra] });
    assert.deepEqual(diff.added, [{ accessType: 'Permanent', ...extra }]);
    assert.deepEqual([diff.removed, diff.changed], [[], []]);
  });

  it('lists a removed authorization', () => {
    const diff = diffGrants(v100, { ...v100, authorizations: v100.authorizations.slice(0, 2) });
    assert.deepEqual(diff.removed.map((e) => e.roleDefinitionId), [REGISTRATION_ASSIGNMENT_DELETE_ROLE]);
    assert.deepEqual([diff.added, diff.changed], [[], []]);
  });

  it('treats the same principal and role moving from permanent to eligible as one removed and one added', () => {
    const to: Grants = { authorizations: v100.authorizations.filter((a) => a.principalId !== L2), eligibleAuthorizations: [{ ...eligible('PT4H'), principalId: L2 }] };
    const diff = diffGrants(v100, to);
    assert.deepEqual(diff.added.map((e) => [e.accessType, e.principalId]), [['Eligible', L2]]);
    assert.deepEqual(diff.removed.map((e) => [e.accessType, e.principalId]), [['Permanent', L2]]);
  });

  it('names the changed fields of an authorization kept in both versions', () => {
    const from: Grants = { ...v100, eligibleAuthorizations: [eligible('PT4H')] };
    const to: Grants = {
      authorizations: v100.authorizations.map((a) => (a.principalId === L2 ? { ...a, principalIdDisplayName: 'L2 Engineers' } : a)),
      eligibleAuthorizations: [{ ...eligible('PT2H'), justInTimeAccessPolicy: { multiFactorAuthProvider: 'None', maximumActivationDuration: 'PT2H' } }],
    };
    const diff = diffGrants(from, to);
    assert.deepEqual(diff.changed.map((c) => c.changedFields), [
      ['principalIdDisplayName'],
      ['justInTimeAccessPolicy.multiFactorAuthProvider', 'justInTimeAccessPolicy.maximumActivationDuration'],
    ]);
    assert.deepEqual([diff.added, diff.removed], [[], []]);
  });

  it('compares durations by length and assignable roles and approvers as sets', () => {
    const uaa = (ids: string[]) => ({ principalId: L2, roleDefinitionId: USER_ACCESS_ADMINISTRATOR, delegatedRoleDefinitionIds: ids });
    const withApprovers = (duration: string, approvers: string[]): EligibleAuthorization => ({
      ...eligible(duration),
      justInTimeAccessPolicy: { multiFactorAuthProvider: 'Azure', maximumActivationDuration: duration, managedByTenantApprovers: approvers.map((principalId) => ({ principalId })) },
    });
    const from: Grants = { authorizations: [uaa([CONTRIBUTOR, READER])], eligibleAuthorizations: [withApprovers('PT1H', [L2, OFFBOARDING])] };
    const same: Grants = { authorizations: [uaa([READER, CONTRIBUTOR])], eligibleAuthorizations: [withApprovers('PT60M', [OFFBOARDING, L2])] };
    assert.ok(isEmptyDiff(diffGrants(from, same)));
    const other: Grants = { authorizations: [uaa([READER])], eligibleAuthorizations: [withApprovers('PT1H', [L2])] };
    assert.deepEqual(diffGrants(from, other).changed.map((c) => c.changedFields), [['delegatedRoleDefinitionIds'], ['justInTimeAccessPolicy.managedByTenantApprovers']]);
  });
});
