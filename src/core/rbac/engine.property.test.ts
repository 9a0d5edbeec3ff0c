// Property: for random worlds and random add/remove sequences, the engine decides every check
// exactly as the plain reference evaluator does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError } from '../errors.js';
import { AuthorizationEngine, PreparedAction, PreparedCaller, ScopeRun } from './engine.js';
import { ReferenceEvaluator } from './reference-evaluator.js';
import { ALL_PRINCIPALS } from './model.js';
import type { Permission } from './model.js';

const guid = (prefix: string, i: number) => `${prefix}${String(i).padStart(7, '0')}-0000-4000-8000-000000000000`;
const TENANTS = [guid('aaaaaaa', 1), guid('aaaaaaa', 2)];
// A small universe, so that random writes often meet: ids 0-2 are users, 3-5 groups.
const PRINCIPALS = Array.from({ length: 6 }, (_, i) => guid('b', i));
const GROUPS = PRINCIPALS.slice(3);
const ROLES = Array.from({ length: 3 }, (_, i) => guid('c', i));
const IDS = Array.from({ length: 4 }, (_, i) => guid('d', i));
const DELEGATION_IDS = IDS.slice(0, 2);
// SUBS[0] belongs to the first tenant, SUBS[2] to the second; SUBS[1] is known to neither.
const SUBS = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'];
const ASSIGNABLE = [
  '/',
  `/subscriptions/${SUBS[0]}`,
  `/subscriptions/${SUBS[0]}/resourceGroups/rg1`,
  `/subscriptions/${SUBS[0]}/resourceGroups/RG1/providers/Microsoft.Compute/virtualMachines/vm1`,
  `/subscriptions/${SUBS[0]}/resourcegroups/rg2`,
  `/subscriptions/${SUBS[1]}`,
  `/subscriptions/${SUBS[1]}/resourceGroups/rg1`,
  `/subscriptions/${SUBS[2]}`,
  `/subscriptions/${SUBS[2]}/resourceGroups/rg1`,
];
const DELEGATABLE = ASSIGNABLE.filter((s) => s.includes('/subscriptions/') && !s.includes('/providers/'));
const TARGETS = [
  ...ASSIGNABLE,
  `/SUBSCRIPTIONS/${SUBS[0]}/resourceGroups/rg1/`,
  `/subscriptions/${SUBS[0]}/resourceGroups/rg10`,
  `/subscriptions/${SUBS[0]}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1/extensions/ext1`,
  `/subscriptions/${SUBS[0]}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/sa1`,
  `/subscriptions/${SUBS[1]}/resourceGroups/rg2/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/default`,
  `/Subscriptions/${(SUBS[2] as string).toUpperCase()}/resourcegroups/RG1/providers/Microsoft.Compute/virtualMachines/vm1`,
  // Beside their group in a run of scopes: a resource, and the group itself spelled past its end.
  `/subscriptions/${SUBS[0]}/resourcegroups/rg2/providers/Microsoft.Web/sites/site1`,
  `/subscriptions/${SUBS[0]}/resourcegroups/rg2//`,
  `/subscriptions/${SUBS[1]}/resourceGroups/rg1/providers/Microsoft.Web/sites/site1`,
];
const ACTIONS = [
  'Microsoft.Compute/virtualMachines/read',
  'microsoft.compute/virtualmachines/WRITE',
  'Microsoft.Compute/virtualMachines/start/action',
  'Microsoft.Storage/storageAccounts/read',
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
  'Microsoft.Authorization/roleAssignments/write',
  'Microsoft.Authorization/locks/delete',
  'Microsoft.Resources/subscriptions/resourceGroups/read',
];
const PATTERNS = [
  '*',
  '*/read',
  'Microsoft.Compute/*',
  'Microsoft.Authorization/*/Delete',
  'Microsoft.Authorization/*',
  'Microsoft.Storage/*/read',
  'microsoft.compute/virtualMachines/*',
  'Microsoft.Compute/virtualMachines/read',
  '*/action',
  'Microsoft.*/write',
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*',
];

const pick = <T>(items: readonly T[]) => fc.constantFrom(...items);
const patterns = fc.subarray(PATTERNS, { maxLength: 3 });
const block: fc.Arbitrary<Permission> = fc.record({ actions: patterns, notActions: patterns, dataActions: patterns, notDataActions: patterns });
const blocks = fc.array(block, { minLength: 1, maxLength: 2 });
const pairs = fc.array(fc.record({ principalId: pick(PRINCIPALS), roleDefinitionId: pick(ROLES) }), { maxLength: 3 });
// A coarse clock, so checks often land exactly on a window's edges.
const time = fc.integer({ min: 0, max: 12 });
const iso = (ms: number) => new Date(ms).toISOString();
const meta = { createdAt: '2026-01-01T00:00:00Z', createdBy: 'test', createdByType: 'User' as const, lastModifiedAt: '2026-01-01T00:00:00Z', lastModifiedBy: 'test', lastModifiedByType: 'User' as const };
const principalRef = pick([...PRINCIPALS.map((id) => ({ id, type: 'User' as const })), { id: ALL_PRINCIPALS, type: 'SystemDefined' as const }]);

const op = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('putRole' as const), role: pick(ROLES), permissions: blocks }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeRole' as const), role: pick(ROLES) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('putRA' as const), id: pick(IDS), scope: pick(ASSIGNABLE), principal: pick(PRINCIPALS), role: pick(ROLES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeRA' as const), id: pick(IDS) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('putMember' as const), group: pick(GROUPS), member: pick(PRINCIPALS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeMember' as const), group: pick(GROUPS), member: pick(PRINCIPALS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('putDeny' as const), id: pick(IDS), scope: pick(ASSIGNABLE), permissions: blocks, principals: fc.array(principalRef, { minLength: 1, maxLength: 2 }), excludes: fc.array(principalRef, { maxLength: 1 }), dnatc: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeDeny' as const), id: pick(IDS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('putDef' as const), sub: pick(SUBS), id: pick(DELEGATION_IDS), tenant: pick(TENANTS), authorizations: pairs, eligible: pairs }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeDef' as const), sub: pick(SUBS), id: pick(DELEGATION_IDS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('putReg' as const), id: pick(DELEGATION_IDS), scope: pick(DELEGATABLE), def: pick(DELEGATION_IDS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeReg' as const), id: pick(DELEGATION_IDS), scope: pick(DELEGATABLE) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('putActivation' as const), id: pick(IDS), reg: pick(DELEGATION_IDS), scope: pick(DELEGATABLE), principal: pick(PRINCIPALS), role: pick(ROLES), tenant: pick(TENANTS), start: time, length: time }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeActivation' as const), id: pick(IDS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bundle' as const), id: pick(DELEGATION_IDS), scope: pick(DELEGATABLE), tenant: pick(TENANTS), authorizations: pairs, principal: pick(PRINCIPALS.slice(0, 3)), viaGroup: fc.option(pick(GROUPS)), role: pick(ROLES), activationId: pick(IDS), start: time, length: time }) },
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('check' as const), principal: pick(PRINCIPALS.slice(0, 3)), tenant: pick(TENANTS), action: pick(ACTIONS), scope: pick(TARGETS), data: fc.boolean(), at: time }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

// A consistent delegation (definition, assignment, eligible authorization and its activation) in one
// step, so activations that really apply are common; the other ops then break it piece by piece.
function expand(o: Op): Op[] {
  if (o.kind !== 'bundle') return [o];
  const sub = SUBS.find((s) => o.scope.includes(s)) as string;
  const eligible = [{ principalId: o.viaGroup ?? o.principal, roleDefinitionId: o.role }];
  return [
    ...(o.viaGroup ? [{ kind: 'putMember' as const, group: o.viaGroup, member: o.principal }] : []),
    { kind: 'putDef', sub, id: o.id, tenant: o.tenant, authorizations: o.authorizations, eligible },
    { kind: 'putReg', id: o.id, scope: o.scope, def: o.id },
    { kind: 'putActivation', id: o.activationId, reg: o.id, scope: o.scope, principal: o.principal, role: o.role, tenant: o.tenant, start: o.start, length: o.length },
  ];
}

// Applies a write to one side; returns the error code it threw, if any, so both sides can be compared.
function write(target: AuthorizationEngine | ReferenceEvaluator, o: Op): string {
  try {
    switch (o.kind) {
      case 'putRole':
        target.putRoleDefinition({ id: o.role, roleName: `role ${o.role.slice(0, 2)}`, description: '', roleType: 'CustomRole', permissions: o.permissions, assignableScopes: ['/'], scope: '/' });
        break;
      case 'removeRole':
        target.removeRoleDefinition(o.role);
        break;
      case 'putRA':
        target.putRoleAssignment({ id: o.id, scope: o.scope, principalId: o.principal, principalType: 'User', roleDefinitionId: o.role, createdAt: '', createdBy: '' });
        break;
      case 'removeRA':
        target.removeRoleAssignment(o.id);
        break;
      case 'putMember':
        target.putMembership({ groupId: o.group, memberId: o.member, memberType: GROUPS.includes(o.member) ? 'Group' : 'User' });
        break;
      case 'removeMember':
        target.removeMembership(o.group, o.member);
        break;
      case 'putDeny':
        target.putDenyAssignment({ id: o.id, denyAssignmentName: 'deny', scope: o.scope, permissions: o.permissions, principals: o.principals, excludePrincipals: o.excludes, doNotApplyToChildScopes: o.dnatc, isSystemProtected: true });
        break;
      case 'removeDeny':
        target.removeDenyAssignment(o.id);
        break;
      case 'putDef':
        target.putRegistrationDefinition({ id: o.id, subscriptionId: o.sub, managedByTenantId: o.tenant, authorizations: o.authorizations, eligibleAuthorizations: o.eligible.map((e) => ({ ...e, justInTimeAccessPolicy: { multiFactorAuthProvider: 'None', maximumActivationDuration: 'PT8H' } })), ...meta });
        break;
      case 'removeDef':
        target.removeRegistrationDefinition(o.sub, o.id);
        break;
      case 'putReg':
        target.putRegistrationAssignment({ id: o.id, scope: o.scope, registrationDefinitionId: o.def, ...meta });
        break;
      case 'removeReg':
        target.removeRegistrationAssignment(o.scope, o.id);
        break;
      case 'putActivation':
        target.putActivation({ id: o.id, registrationAssignmentId: o.reg, assignmentScope: o.scope, principalId: o.principal, roleDefinitionId: o.role, managedByTenantId: o.tenant, startsAt: iso(o.start), endsAt: iso(o.start + o.length), justification: '' });
        break;
      case 'removeActivation':
        target.removeActivation(o.id);
        break;
      case 'check':
      case 'bundle':
        break;
    }
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

function knowSubscriptions(target: AuthorizationEngine | ReferenceEvaluator): void {
  target.putSubscription(SUBS[0] as string, TENANTS[0] as string);
  target.putSubscription(SUBS[2] as string, TENANTS[1] as string);
}

test('the engine decides exactly as the reference evaluator on random worlds and change sequences', () => {
  fc.assert(
    fc.property(fc.array(blocks, { minLength: ROLES.length, maxLength: ROLES.length }), fc.array(op, { minLength: 20, maxLength: 150, size: 'max' }), (roleBlocks, ops) => {
      const engine = new AuthorizationEngine();
      const reference = new ReferenceEvaluator();
      // Prepared handles live across the whole sequence, as a token's and an operation's do across requests.
      const callers = new Map<string, PreparedCaller>();
      const actions = new Map<string, PreparedAction>();
      const prepared = <T>(map: Map<string, T>, key: string, make: () => T): T => map.get(key) ?? (map.set(key, make()).get(key) as T);
      // And one run of scopes through all of it, as a list page's checks run through its batches.
      const run = new ScopeRun();
      // `/` reaches SUBS[1] for nobody; no role assignment in SUBS[0] or SUBS[2] applies to a caller of the other tenant.
      for (const target of [engine, reference]) knowSubscriptions(target);
      // Every role exists up front, so most assignments can grant something.
      const setup: Op[] = roleBlocks.map((permissions, i) => ({ kind: 'putRole', role: ROLES[i] as string, permissions }));
      for (const o of [...setup, ...ops].flatMap(expand)) {
        if (o.kind !== 'check') {
          assert.equal(write(engine, o), write(reference, o), `write ${JSON.stringify(o)}`);
          continue;
        }
        const groupsOf = (x: string) => [...reference.groupsOf(x)].sort();
        assert.deepEqual([...engine.groups.groupsOf(o.principal)].sort(), groupsOf(o.principal), 'transitive groups');
        for (const g of GROUPS) {
          assert.deepEqual([...engine.groups.membersOf(g)].sort(), PRINCIPALS.filter((x) => groupsOf(x).includes(g)).sort(), 'transitive members');
        }
        const req = { principalId: o.principal, tenantId: o.tenant, action: o.action, scope: o.scope, dataAction: o.data, at: o.at };
        const expected = reference.check(req);
        assert.equal(engine.check(req), expected, `check ${JSON.stringify(req)}`);
        assert.equal(engine.explain(req).allowed, expected, `explain ${JSON.stringify(req)}`);
        const caller = prepared(callers, `${o.principal} ${o.tenant}`, () => new PreparedCaller(o.principal, o.tenant));
        const action = prepared(actions, `${o.action} ${String(o.data)}`, () => new PreparedAction(o.action, o.data));
        assert.equal(engine.checkPrepared(caller, action, o.scope, o.at), expected, `checkPrepared ${JSON.stringify(req)}`);
        assert.equal(engine.checkPrepared(caller, action, o.scope, o.at, run), expected, `checkPrepared in a run ${JSON.stringify(req)}`);
      }
    }),
    { numRuns: 600 },
  );
});

test('an engine restored from a role assignment checkpoint, given the rest again, decides as the original from then on', () => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 10, maxLength: 120, size: 'max' }), fc.nat(), (ops, cut) => {
      const steps = ops.flatMap(expand);
      const at = cut % (steps.length + 1);
      const original = new AuthorizationEngine();
      knowSubscriptions(original);
      for (const o of steps.slice(0, at)) write(original, o);
      const restored = AuthorizationEngine.fromRoleAssignmentCheckpoint(original.roleAssignmentCheckpoint());
      // Everything but role assignments is loaded afresh at a start, in the order it was written.
      knowSubscriptions(restored);
      for (const o of steps.slice(0, at)) if (o.kind !== 'putRA' && o.kind !== 'removeRA') write(restored, o);
      assert.equal(restored.roleAssignmentCount, original.roleAssignmentCount);
      for (const o of steps.slice(at)) {
        if (o.kind !== 'check') {
          assert.equal(write(restored, o), write(original, o), `write ${JSON.stringify(o)}`);
          continue;
        }
        const req = { principalId: o.principal, tenantId: o.tenant, action: o.action, scope: o.scope, dataAction: o.data, at: o.at };
        assert.deepEqual(restored.explain(req), original.explain(req), `explain ${JSON.stringify(req)}`);
      }
    }),
    { numRuns: 300 },
  );
});
