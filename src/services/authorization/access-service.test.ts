// The access service's per-answer checkers decide each item as a lone check would, whatever order the items come in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuthorizationEngine } from '../../core/rbac/engine.js';
import type { Caller } from '../../core/identity/model.js';
import { createAccessService } from './access-service.js';

const TENANT = '0c0c0c0c-0000-4000-8000-000000000001';
const SUB = '33333333-3333-4333-8333-333333333333';
const RG = `/subscriptions/${SUB}/resourceGroups/rg`;
const STORAGE_READER = '55555555-0000-4000-8000-000000000001';
const caller: Caller = { objectId: '11111111-0000-4000-8000-000000000001', tenantId: TENANT, principalType: 'User', appId: 'app', displayName: 'Alice' };
const ctx = { caller, correlationId: 'c', requestId: 'r' };

describe('access service', () => {
  const engine = new AuthorizationEngine();
  engine.putSubscription(SUB, TENANT);
  engine.putRoleDefinition({
    id: STORAGE_READER, roleName: 'Storage reader', description: '', roleType: 'CustomRole', scope: `/subscriptions/${SUB}`, assignableScopes: [`/subscriptions/${SUB}`],
    permissions: [{ actions: ['Microsoft.Storage/storageAccounts/read', 'Microsoft.Compute/disks/read'], notActions: [], dataActions: [], notDataActions: [] }],
  });
  engine.putRoleAssignment({ id: '99999999-0000-4000-8000-000000000001', scope: RG, roleDefinitionId: STORAGE_READER, principalId: caller.objectId, principalType: 'User', createdAt: '', createdBy: '' });
  const access = createAccessService(engine, { now: () => new Date() });
  const items = [
    ['Microsoft.Storage/storageAccounts', `${RG}/providers/Microsoft.Storage/storageAccounts/a`],
    ['Microsoft.Storage/storageAccounts', `${RG}/providers/Microsoft.Storage/storageAccounts/b`],
    ['Microsoft.Compute/virtualMachines', `${RG}/providers/Microsoft.Compute/virtualMachines/vm`],
    ['Microsoft.Storage/storageAccounts', `${RG}2/providers/Microsoft.Storage/storageAccounts/c`],
    ['Microsoft.Compute/disks', `${RG}/providers/Microsoft.Compute/disks/d`],
    ['Microsoft.Compute/virtualMachines', `${RG}/providers/Microsoft.Compute/virtualMachines/vm2`],
    ['microsoft.storage/STORAGEACCOUNTS', `${RG}/providers/microsoft.storage/storageaccounts/e`],
    // A list page checks each resource at its stored key, the id case-folded.
    ['Microsoft.Storage/storageAccounts', `${RG}/providers/Microsoft.Storage/storageAccounts/F`.toLowerCase()],
    ['Microsoft.Storage/storageAccounts', `${RG}2/providers/Microsoft.Storage/storageAccounts/G`.toLowerCase()],
  ] as const;
  const expected = [true, true, false, false, true, false, true, true, false];

  it('readsEach answers each item of a list with mixed types as allows does', () => {
    const reads = access.readsEach(ctx);
    assert.deepEqual(items.map(([type, id]) => reads(type, id)), expected);
    assert.deepEqual(items.map(([type, id]) => access.allows(ctx, `${type}/read`, id)), expected);
  });

  it('allowsEach answers each item as allows does when the action changes from item to item', () => {
    const allows = access.allowsEach(ctx);
    assert.deepEqual(items.map(([type, id]) => allows(`${type}/read`, id)), expected);
    assert.deepEqual([...items].reverse().map(([type, id]) => allows(`${type}/read`, id)), [...expected].reverse());
  });
});
