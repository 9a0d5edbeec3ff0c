// A role assignment checkpoint restores an engine that decides and explains exactly as the one it
// was taken from, and damaged bytes are refused, never half-read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { CheckpointWriter } from './checkpoint-format.js';
import { AuthorizationEngine } from './engine.js';
import type { CheckRequest } from './engine.js';

const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const WRITER = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const TENANT = '0c0c0c0c-0000-4000-8000-000000000001';
const ALICE = '11111111-0000-4000-8000-000000000001';
const TEAM = '22222222-0000-4000-8000-000000000001';
const SUB = '33333333-3333-4333-8333-333333333333';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-app`;
// Scopes that are not Latin-1 take the two-byte string path; a non-GUID id takes the table's other-id path.
const WIDE = `/subscriptions/${SUB}/resourceGroups/rg-日本`;
const ACCENTED = `/subscriptions/${SUB}/resourceGroups/rg-Ünïcode`;
const T = Date.parse('2026-11-21T08:00:00Z');

const roles = [
  { id: READER, roleName: 'Reader', actions: ['*/read'] },
  { id: WRITER, roleName: 'Writer', actions: ['*'] },
];

// Role definitions and groups are not in a checkpoint: each engine is given them, as a start loads them.
function withRolesAndGroups(engine: AuthorizationEngine): AuthorizationEngine {
  for (const r of roles) {
    engine.putRoleDefinition({ id: r.id, roleName: r.roleName, description: '', roleType: 'BuiltInRole', permissions: [{ actions: r.actions, notActions: [], dataActions: [], notDataActions: [] }], assignableScopes: ['/'], scope: '/' });
  }
  engine.putMembership({ groupId: TEAM, memberId: ALICE, memberType: 'User' });
  return engine;
}

function put(engine: AuthorizationEngine, id: string, principalId: string, roleDefinitionId: string, scope: string): void {
  engine.putRoleAssignment({ id, scope, principalId, roleDefinitionId, principalType: 'User', createdAt: '', createdBy: '' });
}

const asks = (action: string): CheckRequest[] =>
  [RG, `${RG}/providers/Microsoft.Compute/virtualMachines/vm1`, WIDE, `${WIDE}/providers/Microsoft.Web/sites/s`, ACCENTED.toUpperCase(), `/subscriptions/${SUB}`].flatMap((scope) =>
    [ALICE, TEAM, 'someone-else'].map((principalId) => ({ principalId, tenantId: TENANT, action, scope, at: T })),
  );

function assertSameDecisions(a: AuthorizationEngine, b: AuthorizationEngine): void {
  for (const ask of [...asks('Microsoft.Compute/virtualMachines/read'), ...asks('Microsoft.Compute/virtualMachines/write')]) {
    assert.deepEqual(b.explain(ask), a.explain(ask), JSON.stringify(ask));
  }
}

function source(): AuthorizationEngine {
  const engine = withRolesAndGroups(new AuthorizationEngine());
  put(engine, '00000000-0000-4000-8000-000000000001', ALICE, READER, RG);
  put(engine, '00000000-0000-4000-8000-000000000002', TEAM, WRITER, WIDE);
  put(engine, 'not-a-guid-id', ALICE, WRITER, ACCENTED);
  put(engine, '00000000-0000-4000-8000-000000000003', TEAM, READER, `/subscriptions/${SUB}`);
  put(engine, '00000000-0000-4000-8000-000000000004', ALICE, WRITER, RG);
  engine.removeRoleAssignment('00000000-0000-4000-8000-000000000004'); // a free slot travels too
  return engine;
}

function isInvalidCheckpoint(text: string) {
  return (e: unknown) => e instanceof DomainError && e.code === 'InvalidCheckpoint' && e.target === 'checkpoint' && e.message.includes(text);
}

describe('role assignment checkpoint', () => {
  it('restores an engine that explains every decision as the original does, and both change alike afterwards', () => {
    const original = source();
    const restored = withRolesAndGroups(AuthorizationEngine.fromRoleAssignmentCheckpoint(original.roleAssignmentCheckpoint()));
    assert.equal(restored.roleAssignmentCount, 4);
    assertSameDecisions(original, restored);
    assert.equal(restored.check(asks('Microsoft.Compute/virtualMachines/write')[6] as CheckRequest), true, 'the group grant at the wide scope is held');

    // The restored table takes writes like any other: reuse of the free slot, replacement, removal by a non-GUID id.
    for (const engine of [original, restored]) {
      put(engine, '00000000-0000-4000-8000-000000000005', ALICE, WRITER, `${RG}/providers/Microsoft.Compute/virtualMachines/vm1`);
      put(engine, '00000000-0000-4000-8000-000000000001', ALICE, WRITER, RG);
      assert.equal(engine.removeRoleAssignment('NOT-A-GUID-ID'), true);
    }
    assert.equal(restored.roleAssignmentCount, 4);
    assertSameDecisions(original, restored);
  });

  it('refuses damaged bytes, naming what is wrong', () => {
    const bytes = source().roleAssignmentCheckpoint();
    const flipped = bytes.slice();
    flipped[bytes.length - 9] = (flipped[bytes.length - 9] as number) ^ 1;
    assert.throws(() => AuthorizationEngine.fromRoleAssignmentCheckpoint(flipped), isInvalidCheckpoint('checksum'));
    assert.throws(() => AuthorizationEngine.fromRoleAssignmentCheckpoint(bytes.slice(0, bytes.length - 4)), isInvalidCheckpoint('payload words'));
    assert.throws(() => AuthorizationEngine.fromRoleAssignmentCheckpoint(bytes.slice(0, 6)), isInvalidCheckpoint('whole number of words'));
    const otherFormat = bytes.slice();
    otherFormat[4] = 99;
    assert.throws(() => AuthorizationEngine.fromRoleAssignmentCheckpoint(otherFormat), isInvalidCheckpoint('format is 99'));
    assert.throws(() => AuthorizationEngine.fromRoleAssignmentCheckpoint(new Uint8Array(64)), isInvalidCheckpoint('magic'));
  });

  it('reads bytes that do not start on a word boundary (as a database driver may hand them over)', () => {
    const bytes = source().roleAssignmentCheckpoint();
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    assert.equal(AuthorizationEngine.fromRoleAssignmentCheckpoint(shifted.subarray(1)).roleAssignmentCount, 4);
  });

  // Well-sealed bytes whose tables contradict each other: a walk must never leave the arrays or loop.
  describe('refuses a sealed checkpoint whose tables do not fit together', () => {
    const slots = new Int32Array(2048);
    slots[1] = 1; // node 0
    slots[3] = 2; // node 1
    const buckets = (entry: number) => {
      const b = new Int32Array(2048);
      b[0] = entry; // slot + 1
      return b;
    };
    const sealed = (principal: number, parentOfNode1: number, scopes = ['/', `/subscriptions/${SUB}`], bucket = 1) =>
      new CheckpointWriter()
        .strings([ALICE])
        .strings([READER])
        .strings(scopes)
        .ints(slots)
        .ints(Int32Array.of(3, 0, -1, 1, 1)) // pool end, waste, free head, high water, live
        .ints(Int32Array.of(principal, 0, 0)) // pool: principal, role, slot
        .ints(Int32Array.of(0, 0, 0, -1, 0, 0, 3, 3, parentOfNode1, 0)) // nodes: start, end, capacity, parent, extras
        .ints(Int32Array.of(1)) // node of slot 0
        .ints(Uint32Array.of(1, 2, 3, 4)) // id words of slot 0
        .ints(new Int32Array(0))
        .strings([])
        .ints(buckets(bucket))
        .finish();

    it('accepts the consistent version', () => {
      assert.equal(AuthorizationEngine.fromRoleAssignmentCheckpoint(sealed(0, 0)).roleAssignmentCount, 1);
    });
    it('a principal out of range', () => {
      assert.throws(() => AuthorizationEngine.fromRoleAssignmentCheckpoint(sealed(5, 0)), isInvalidCheckpoint('entry at 0'));
    });
    it('a scope that is its own parent', () => {
      assert.throws(() => AuthorizationEngine.fromRoleAssignmentCheckpoint(sealed(0, 1)), isInvalidCheckpoint('scope node 1 has parent 1'));
    });
    it('an id index naming a slot that is not in use', () => {
      assert.throws(() => AuthorizationEngine.fromRoleAssignmentCheckpoint(sealed(0, 0, undefined, 2)), isInvalidCheckpoint('id index'));
    });
    it('a scope list that does not start at the root', () => {
      assert.throws(() => AuthorizationEngine.fromRoleAssignmentCheckpoint(sealed(0, 0, [`/subscriptions/${SUB}`, '/'])), isInvalidCheckpoint('root'));
    });
    it('a scope index that misses a scope', () => {
      assert.throws(() => AuthorizationEngine.fromRoleAssignmentCheckpoint(sealed(0, 0, ['/', `/subscriptions/${SUB}`, '/x'])), isInvalidCheckpoint('scope index'));
    });
  });
});
