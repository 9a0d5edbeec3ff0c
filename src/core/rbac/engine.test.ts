// One test per decision rule of lighthouse.md §4, with Azure's real built-in roles read in place.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import type { RegistrationDefinition } from '../delegation/model.js';
import { AuthorizationEngine, PreparedAction, PreparedCaller, ScopeRun } from './engine.js';
import type { CheckRequest, DelegationLink } from './engine.js';
import { ALL_PRINCIPALS } from './model.js';
import type { DenyAssignment, RoleDefinition } from './model.js';
import { BUILTIN_ROLES } from '../roles/builtin-catalog.js';
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const UAA = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9';
const BLOB_DATA_READER = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';
const VM_CONTRIBUTOR = '9980e02c-c2be-4d73-94e8-173b1dc7cf3c';

const CUSTOMER = '0c0c0c0c-0000-4000-8000-000000000001';
const MSP = '0a0a0a0a-0000-4000-8000-000000000002';
const OTHER_MSP = '0b0b0b0b-0000-4000-8000-000000000003';
const ALICE = '11111111-0000-4000-8000-000000000001';
const BOB = '11111111-0000-4000-8000-000000000002';
const ADMINS = '22222222-0000-4000-8000-000000000001';
const OPS = '22222222-0000-4000-8000-000000000002';
const SUB = '33333333-3333-4333-8333-333333333333';
const SUB2 = '44444444-4444-4444-8444-444444444444';
const SUB_SCOPE = `/subscriptions/${SUB}`;
const RG = `${SUB_SCOPE}/resourceGroups/rg-app`;
const VM = `${RG}/providers/Microsoft.Compute/virtualMachines/vm1`;
const T0 = Date.parse('2026-11-21T08:00:00Z');
const HOUR = 3_600_000;

const builtIns: readonly RoleDefinition[] = BUILTIN_ROLES;

let seq = 0;
const nextId = () => `99999999-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

function engineWithRoles(): AuthorizationEngine {
  const engine = new AuthorizationEngine();
  for (const role of builtIns) engine.putRoleDefinition(role);
  return engine;
}

function assign(engine: AuthorizationEngine, principalId: string, roleDefinitionId: string, scope: string, id = nextId()): string {
  engine.putRoleAssignment({ id, scope, roleDefinitionId, principalId, principalType: 'User', createdAt: '', createdBy: '' });
  return id;
}

function delegate(engine: AuthorizationEngine, scope: string, definition: Partial<RegistrationDefinition>): { id: string } {
  const id = nextId();
  const meta = { createdAt: '', createdBy: '', createdByType: 'User' as const, lastModifiedAt: '', lastModifiedBy: '', lastModifiedByType: 'User' as const };
  engine.putRegistrationDefinition({ id, subscriptionId: SUB, managedByTenantId: MSP, authorizations: [], eligibleAuthorizations: [], ...definition, ...meta });
  engine.putRegistrationAssignment({ id, scope, registrationDefinitionId: id, ...meta });
  return { id };
}

function deny(overrides: Partial<DenyAssignment>): DenyAssignment {
  return {
    id: nextId(),
    denyAssignmentName: 'managed app lock',
    scope: SUB_SCOPE,
    permissions: [{ actions: ['*/delete'], notActions: [], dataActions: [], notDataActions: [] }],
    principals: [{ id: ALL_PRINCIPALS, type: 'SystemDefined' }],
    excludePrincipals: [],
    doNotApplyToChildScopes: false,
    isSystemProtected: true,
    ...overrides,
  };
}

const req = (principalId: string, action: string, scope: string, extra: Partial<CheckRequest> = {}): CheckRequest => ({
  principalId,
  tenantId: CUSTOMER,
  action,
  scope,
  at: T0,
  ...extra,
});

describe('AuthorizationEngine: role assignments and scopes', () => {
  it('inherits an assignment down the scope tree, not sideways or up', () => {
    const engine = engineWithRoles();
    assign(engine, ALICE, READER, RG);
    assert.equal(engine.check(req(ALICE, 'Microsoft.Compute/virtualMachines/read', VM)), true);
    assert.equal(engine.check(req(ALICE, 'Microsoft.Resources/subscriptions/resourceGroups/read', RG)), true);
    assert.equal(engine.check(req(ALICE, 'Microsoft.Resources/subscriptions/read', SUB_SCOPE)), false, 'not up');
    assert.equal(engine.check(req(ALICE, 'Microsoft.Compute/virtualMachines/read', `${SUB_SCOPE}/resourceGroups/rg-app2`)), false, 'a sibling whose name starts the same');
    assert.equal(engine.check(req(ALICE, 'Microsoft.Compute/virtualMachines/read', `/subscriptions/${SUB2}/resourceGroups/rg-app`)), false);
  });

  it("an assignment at '/' reaches the subscriptions of the caller's own tenant only", () => {
    const engine = engineWithRoles();
    engine.putSubscription(SUB, CUSTOMER);
    engine.putSubscription(SUB2, MSP);
    assign(engine, ALICE, READER, '/');
    const read = 'Microsoft.Resources/subscriptions/resourceGroups/read';
    assert.equal(engine.check(req(ALICE, read, RG)), true, 'own tenant');
    assert.equal(engine.check(req(ALICE, read, `/subscriptions/${SUB2}/resourceGroups/rg-app`)), false, "another tenant's subscription");
    assert.equal(engine.check(req(ALICE, read, '/subscriptions/55555555-5555-4555-8555-555555555555/resourceGroups/x')), false, 'a subscription of no known tenant');
    assert.equal(engine.check(req(ALICE, 'Microsoft.Insights/eventtypes/values/read', '/providers/microsoft.insights/eventtypes/management')), true, 'tenant-level scopes');
    assert.equal(engine.explain(req(ALICE, read, `/subscriptions/${SUB2}`)).allowed, false);
  });

  it('compares scopes, actions and ids case-insensitively', () => {
    const engine = engineWithRoles();
    assign(engine, ALICE.toUpperCase(), READER.toUpperCase(), RG.toUpperCase());
    assert.equal(engine.check(req(ALICE, 'MICROSOFT.COMPUTE/virtualmachines/READ', VM.toLowerCase() + '/')), true);
    assign(engine, BOB, READER, `${SUB_SCOPE}/resourceGroups/Grüne-Ölwerke`);
    assert.equal(engine.check(req(BOB, 'Microsoft.Web/sites/read', `${SUB_SCOPE}/resourcegroups/GRÜNE-ÖLWERKE/providers/Microsoft.Web/sites/s1`)), true, 'beyond ASCII too');
    assert.equal(engine.check(req(BOB, 'Microsoft.Web/sites/read', `${SUB_SCOPE}/resourcegroups/Grune-Olwerke`)), false);
  });

  it('takes any string as a principal, tenant, action or scope, such as an object key the language reserves', () => {
    const engine = engineWithRoles();
    assign(engine, '__proto__', READER, '/subscriptions/constructor');
    for (const odd of ['__proto__', 'constructor', 'toString', '0', '4294967295', 'hasOwnProperty']) {
      assert.equal(engine.check({ principalId: odd, tenantId: odd, action: odd, scope: `/${odd}`, at: T0 }), false, odd);
      assert.equal(engine.check({ principalId: ALICE, tenantId: CUSTOMER, action: 'Microsoft.Compute/virtualMachines/read', scope: `/subscriptions/${odd}`, at: T0 }), false, odd);
    }
    assert.equal(engine.check({ principalId: '__proto__', tenantId: CUSTOMER, action: 'Microsoft.Compute/virtualMachines/read', scope: '/subscriptions/constructor/resourceGroups/rg', at: T0 }), true);
    assert.equal(engine.check({ principalId: '__proto__', tenantId: CUSTOMER, action: '__proto__', scope: '/subscriptions/constructor', at: T0 }), false);
  });

  it('decides alike past the bounds of its caches: distinct actions, casings, request scopes and callers', () => {
    const engine = engineWithRoles();
    assign(engine, ALICE, VM_CONTRIBUTOR, RG);
    const write = 'Microsoft.Compute/virtualMachines/write';
    // 70,000 distinct actions no role grants, among 4,096 casings of one it does, at 140,000 new scopes below the VM,
    // from 140,000 callers with no grant; Alice and Bob (no grant either) ask again and again, so they and the action
    // as first spelt are cached whenever a cache starts afresh.
    const casing = (i: number) => [...write].map((c, k) => ((i >> k % 12) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
    const stranger = (i: number) => `77777777-0000-4000-8000-${String(i).padStart(12, '0')}`;
    assert.equal(engine.check(req(ALICE, write, VM)), true);
    assert.equal(engine.check(req(ALICE, 'Microsoft.Authorization/roleAssignments/write', VM)), false);
    // Handles prepared once, as for a token and an operation, outlive every cache reset below.
    const [alice, bob, writing] = [new PreparedCaller(ALICE, CUSTOMER), new PreparedCaller(BOB, CUSTOMER), new PreparedAction(write)];
    assert.equal(engine.checkPrepared(alice, writing, VM, T0), true);
    for (let i = 0; i < 70_000; i++) {
      const [a, b] = [`${VM}/extensions/a${i}`, `${VM}/extensions/b${i}`];
      assert.equal(engine.check(req(ALICE, casing(i % 4096), a)), true, casing(i));
      assert.equal(engine.check(req(ALICE, `Contoso.Widgets/widget${i}/write`, b)), false);
      assert.equal(engine.check(req(stranger(2 * i), write, a)), false);
      assert.equal(engine.check(req(stranger(2 * i + 1), write, b)), false);
      if (i % 100 === 0) {
        assert.equal(engine.check(req(ALICE, write, b)), true, `after ${i}`);
        assert.equal(engine.check(req(BOB, write, a)), false, `after ${i}`);
        assert.equal(engine.checkPrepared(alice, writing, b, T0), true, `prepared, after ${i}`);
        assert.equal(engine.checkPrepared(bob, writing, a, T0), false, `prepared, after ${i}`);
      }
    }
    assert.equal(engine.check(req(ALICE, write, VM)), true);
    assert.equal(engine.check(req(ALICE, 'Microsoft.Authorization/roleAssignments/write', VM)), false);
  });

  it('answers a prepared check as check does, across group changes, tenants and engines', () => {
    const engine = engineWithRoles();
    const group = nextId();
    assign(engine, group, READER, SUB_SCOPE);
    const [alice, reading, writing] = [new PreparedCaller(ALICE, CUSTOMER), new PreparedAction('Microsoft.Compute/virtualMachines/read'), new PreparedAction('Microsoft.Compute/virtualMachines/write')];
    assert.equal(engine.checkPrepared(alice, reading, VM, T0), false);
    engine.putMembership({ groupId: group, memberId: ALICE, memberType: 'User' });
    assert.equal(engine.checkPrepared(alice, reading, VM, T0), true, 'a new membership reaches a prepared caller');
    assert.equal(engine.checkPrepared(alice, writing, VM, T0), false);
    engine.removeMembership(group, ALICE);
    assert.equal(engine.checkPrepared(alice, reading, VM, T0), false, 'so does a removed one');
    // The same principal named from the provider's tenant: a delegation applies to that caller only.
    delegate(engine, SUB_SCOPE, { authorizations: [{ principalId: ALICE, roleDefinitionId: CONTRIBUTOR }] });
    const fromMsp = new PreparedCaller(ALICE, MSP);
    assert.equal(engine.checkPrepared(fromMsp, writing, VM, T0), true);
    assert.equal(engine.checkPrepared(alice, writing, VM, T0), false, 'the customer-tenant caller stays itself after the MSP one');
    assert.equal(engine.checkPrepared(fromMsp, writing, VM, T0), true);
    // A handle met by another engine resolves again there.
    const other = engineWithRoles();
    assert.equal(other.checkPrepared(fromMsp, writing, VM, T0), false);
    assign(other, ALICE, CONTRIBUTOR, RG);
    assert.equal(other.checkPrepared(alice, writing, VM, T0), true);
    assert.equal(engine.checkPrepared(alice, writing, VM, T0), false);
  });

  it('answers a prepared check as check does after every kind of write', () => {
    const engine = engineWithRoles();
    const [alice, writing] = [new PreparedCaller(ALICE, CUSTOMER), new PreparedAction('Microsoft.Compute/virtualMachines/write')];
    const prepared = (scope = VM) => engine.checkPrepared(alice, writing, scope, T0);
    // One run lives through every write, as a list page's checks live through its batches.
    const run = new ScopeRun();
    const agrees = (what: string, expected: boolean, scope = VM) => {
      assert.equal(prepared(scope), expected, what);
      assert.equal(engine.check(req(ALICE, 'Microsoft.Compute/virtualMachines/write', scope)), expected, `check: ${what}`);
      // A sibling first, so the run may answer the scope from its prefix.
      engine.checkPrepared(alice, writing, `${scope.replace(/\/+$/, '')}-sibling`, T0, run);
      assert.equal(engine.checkPrepared(alice, writing, scope, T0, run), expected, `in a run: ${what}`);
    };
    agrees('nothing held', false);
    const held = assign(engine, ALICE, CONTRIBUTOR, RG);
    agrees('a role assignment', true);
    agrees('not above it', false, SUB_SCOPE);
    agrees('another spelling of the same scope', true, `${VM.toUpperCase()}/`);
    agrees('not a look-alike resource group', false, `${RG}2/providers/Microsoft.Compute/virtualMachines/vm1`);
    engine.putSubscription(SUB, MSP);
    agrees('its subscription moved to another directory', false);
    engine.putSubscription(SUB, CUSTOMER);
    agrees('and back', true);
    const locked = deny({ scope: RG, permissions: [{ actions: ['*/write'], notActions: [], dataActions: [], notDataActions: [] }] });
    engine.putDenyAssignment(locked);
    agrees('a deny assignment', false);
    engine.removeDenyAssignment(locked.id);
    agrees('its removal', true);
    engine.putRoleDefinition({ ...(builtIns.find((r) => r.id === CONTRIBUTOR) as RoleDefinition), permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }] });
    agrees('its role narrowed', false);
    engine.putRoleDefinition(builtIns.find((r) => r.id === CONTRIBUTOR) as RoleDefinition);
    engine.removeRoleAssignment(held);
    agrees('the assignment removed', false);
    engine.putRoleAssignmentLines(`${nextId()} ${ALICE} ${CONTRIBUTOR} ${VM}`);
    agrees('an assignment from packed lines', true);
    const restored = AuthorizationEngine.fromRoleAssignmentCheckpoint(engine.roleAssignmentCheckpoint());
    for (const role of builtIns) restored.putRoleDefinition(role);
    assert.equal(restored.checkPrepared(alice, writing, VM, T0), true, 'a restored engine');
    assert.equal(restored.checkPrepared(alice, writing, `${VM}2`, T0), false);
  });

  it('answers the scopes of a run as check does: under a prefix with nothing below it, and every spelling that leaves it', () => {
    const engine = engineWithRoles();
    const alice = new PreparedCaller(ALICE, CUSTOMER);
    const reading = new PreparedAction('Microsoft.Compute/virtualMachines/read');
    const run = new ScopeRun();
    const vm = (name: string, group = RG) => `${group}/providers/Microsoft.Compute/virtualMachines/${name}`;
    const agrees = (what: string, expected: boolean, scope: string) => {
      assert.equal(engine.checkPrepared(alice, reading, scope, T0, run), expected, `in the run: ${what}`);
      assert.equal(engine.check(req(ALICE, 'Microsoft.Compute/virtualMachines/read', scope)), expected, `check: ${what}`);
    };
    assign(engine, ALICE, READER, RG);
    agrees('a resource of the group', true, vm('a'));
    agrees('the next one, from the prefix', true, vm('b'));
    agrees('a resource of a look-alike group', false, vm('c', `${RG}2`));
    agrees('the group again', true, vm('d'));
    agrees('its subscription', false, SUB_SCOPE);
    // Read at the group itself is denied, below it not: the group spelled with slashes after it is the group itself.
    const exact = deny({ scope: RG, doNotApplyToChildScopes: true, permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }] });
    engine.putDenyAssignment(exact);
    agrees('a resource after the deny', true, vm('e'));
    agrees('the group, by a spelling with two slashes after the prefix', false, `${RG}//`);
    agrees('the group, with a trailing slash', false, `${RG}/`);
    agrees('a resource spelled with two slashes', true, `${RG}//providers/Microsoft.Compute/virtualMachines/f`);
    agrees('a resource, the prefix in another casing', true, vm('g', RG.toUpperCase()));
    engine.removeDenyAssignment(exact.id);
    const everywhere = deny({ scope: RG, permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }] });
    agrees('before a deny of the whole group', true, vm('h'));
    engine.putDenyAssignment(everywhere);
    agrees('a deny put mid-run', false, vm('i'));
    engine.removeDenyAssignment(everywhere.id);
    agrees('and removed', true, vm('j'));
    // A node below the prefix mid-run: a deny at one resource.
    engine.putDenyAssignment(deny({ scope: vm('k'), permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }] }));
    agrees('the resource denied, after the run had its group', false, vm('k'));
    agrees('its neighbour', true, vm('l'));
    agrees('a child of the denied resource', false, `${vm('k')}/extensions/x`);
    // The root resolves nothing for a run: what `/` grants depends on the scope itself.
    assign(engine, ALICE, READER, '/');
    agrees('a scope outside any subscription', true, '/providers/Microsoft.Compute/virtualMachines/x');
    agrees('a subscription of no known directory, which `/` does not reach', false, `/subscriptions/${SUB2}/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/x`);
  });

  it('applies a group assignment to members of nested groups', () => {
    const engine = engineWithRoles();
    assign(engine, ADMINS, CONTRIBUTOR, SUB_SCOPE);
    engine.putMembership({ groupId: ADMINS, memberId: OPS, memberType: 'Group' });
    engine.putMembership({ groupId: OPS, memberId: ALICE, memberType: 'User' });
    assert.equal(engine.check(req(ALICE, 'Microsoft.Compute/virtualMachines/write', VM)), true);
    assert.equal(engine.explain(req(ALICE, 'Microsoft.Compute/virtualMachines/write', VM)).grants[0]?.principalId, ADMINS);
    engine.removeMembership(ADMINS, OPS);
    assert.equal(engine.check(req(ALICE, 'Microsoft.Compute/virtualMachines/write', VM)), false, 'membership removal is visible at once');
  });

  it('NotActions subtract only within the same role', () => {
    const engine = engineWithRoles();
    assign(engine, ALICE, CONTRIBUTOR, SUB_SCOPE);
    const write = req(ALICE, 'Microsoft.Authorization/roleAssignments/write', RG);
    assert.equal(engine.check(write), false, "Contributor's NotActions remove Microsoft.Authorization/*/Write");
    assign(engine, ALICE, UAA, RG);
    assert.equal(engine.check(write), true, 'another role grants it: NotActions are not a deny');
    assert.equal(engine.check({ ...write, scope: SUB_SCOPE }), false, 'but only where that role is assigned');
  });

  it('a control-plane wildcard never grants a data action', () => {
    const engine = engineWithRoles();
    const blobRead = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read';
    assign(engine, ALICE, OWNER, SUB_SCOPE);
    assert.equal(engine.check(req(ALICE, blobRead, RG, { dataAction: true })), false, "Owner's Actions '*' is control plane only");
    assign(engine, BOB, BLOB_DATA_READER, RG);
    assert.equal(engine.check(req(BOB, blobRead, RG, { dataAction: true })), true);
    assert.equal(engine.check(req(BOB, blobRead, RG)), false, 'a DataAction is not granted as an Action');
  });

  it('grants nothing through a role whose definition is unknown or removed, and forgets a removed assignment', () => {
    const engine = engineWithRoles();
    const read = req(ALICE, 'Microsoft.Compute/virtualMachines/read', VM);
    const id = assign(engine, ALICE, READER, RG);
    assert.equal(engine.check(read), true);
    assert.equal(engine.removeRoleAssignment(id), true);
    assert.equal(engine.check(read), false);
    assert.equal(engine.removeRoleAssignment(id), false, 'a second removal finds nothing');
    assign(engine, ALICE, READER, RG);
    engine.removeRoleDefinition(READER);
    assert.equal(engine.check(read), false);
    assign(engine, BOB, '77777777-0000-4000-8000-000000000000', RG);
    assert.equal(engine.check(req(BOB, 'Microsoft.Compute/virtualMachines/read', VM)), false);
  });

  it('replaces an assignment put again under the same id', () => {
    const engine = engineWithRoles();
    const id = assign(engine, ALICE, READER, RG);
    assign(engine, ALICE, READER, `/subscriptions/${SUB2}`, id);
    assert.equal(engine.check(req(ALICE, 'Microsoft.Compute/virtualMachines/read', VM)), false);
    assert.equal(engine.check(req(ALICE, 'Microsoft.Compute/virtualMachines/read', `/subscriptions/${SUB2}`)), true);
    assert.equal(engine.roleAssignmentCount, 1);
  });

  it('indexes assignment ids that are not GUIDs', () => {
    const engine = engineWithRoles();
    assign(engine, ALICE, READER, RG, 'legacy-assignment');
    assert.equal(engine.explain(req(ALICE, 'Microsoft.Compute/virtualMachines/read', VM)).grants[0]?.id, 'legacy-assignment');
    assert.equal(engine.removeRoleAssignment('legacy-assignment'), true);
    assert.equal(engine.check(req(ALICE, 'Microsoft.Compute/virtualMachines/read', VM)), false);
  });
});

describe('AuthorizationEngine: Lighthouse delegations', () => {
  const mspReq = (principalId: string, action: string, scope: string, extra: Partial<CheckRequest> = {}) => req(principalId, action, scope, { tenantId: MSP, ...extra });

  it('a delegation authorization grants its role at the assignment scope and below', () => {
    const engine = engineWithRoles();
    const { id } = delegate(engine, SUB_SCOPE, { authorizations: [{ principalId: OPS, roleDefinitionId: VM_CONTRIBUTOR }] });
    engine.putMembership({ groupId: OPS, memberId: ALICE, memberType: 'User' });
    const decision = engine.explain(mspReq(ALICE, 'Microsoft.Compute/virtualMachines/restart/action', VM));
    assert.equal(decision.allowed, true);
    assert.deepEqual(
      decision.grants.map((g) => [g.source, g.id, g.roleName, g.principalId, g.registrationDefinitionId, g.scope]),
      [['delegation', id, 'Virtual Machine Contributor', OPS, id, SUB_SCOPE]],
    );
    assert.equal(engine.check(mspReq(ALICE, 'Microsoft.Network/virtualNetworks/write', RG)), false, 'only what the role allows');
  });

  it('an RG delegation does not grant subscription reads', () => {
    const engine = engineWithRoles();
    delegate(engine, RG, { authorizations: [{ principalId: ALICE, roleDefinitionId: READER }] });
    assert.equal(engine.check(mspReq(ALICE, 'Microsoft.Resources/subscriptions/resourceGroups/read', RG)), true);
    assert.equal(engine.check(mspReq(ALICE, 'Microsoft.Resources/subscriptions/read', SUB_SCOPE)), false);
    assert.equal(engine.check(mspReq(ALICE, 'Microsoft.Resources/subscriptions/resourceGroups/read', `${SUB_SCOPE}/resourceGroups/other`)), false);
  });

  it('tenant mismatch: a delegation authorization does not apply to a principal of another tenant', () => {
    const engine = engineWithRoles();
    delegate(engine, SUB_SCOPE, { authorizations: [{ principalId: ALICE, roleDefinitionId: READER }] });
    const read = mspReq(ALICE, 'Microsoft.Compute/virtualMachines/read', VM);
    assert.equal(engine.check(read), true);
    assert.equal(engine.check({ ...read, tenantId: OTHER_MSP }), false);
    assert.equal(engine.check({ ...read, tenantId: CUSTOMER }), false);
  });

  it('keys registration definitions per subscription, as ARM does', () => {
    const engine = engineWithRoles();
    const { id } = delegate(engine, SUB_SCOPE, { authorizations: [{ principalId: ALICE, roleDefinitionId: READER }] });
    const meta = { createdAt: '', createdBy: '', createdByType: 'User' as const, lastModifiedAt: '', lastModifiedBy: '', lastModifiedByType: 'User' as const };
    // The same GUID (guid(mspOfferName)) in another subscription, delegated to another tenant.
    engine.putRegistrationDefinition({ id, subscriptionId: SUB2, managedByTenantId: OTHER_MSP, authorizations: [{ principalId: ALICE, roleDefinitionId: READER }], eligibleAuthorizations: [], ...meta });
    engine.putRegistrationAssignment({ id, scope: `/subscriptions/${SUB2}`, registrationDefinitionId: id, ...meta });
    assert.equal(engine.check(mspReq(ALICE, 'Microsoft.Compute/virtualMachines/read', VM)), true);
    assert.equal(engine.check(mspReq(ALICE, 'Microsoft.Compute/virtualMachines/read', `/subscriptions/${SUB2}`)), false);
    assert.equal(engine.check(mspReq(ALICE, 'Microsoft.Compute/virtualMachines/read', `/subscriptions/${SUB2}`, { tenantId: OTHER_MSP })), true);
    assert.equal(engine.removeRegistrationDefinition(SUB, id), true);
    assert.equal(engine.check(mspReq(ALICE, 'Microsoft.Compute/virtualMachines/read', VM)), false, 'an assignment without its definition grants nothing');
  });

  it('stops granting when the registration assignment is removed', () => {
    const engine = engineWithRoles();
    const { id } = delegate(engine, RG, { authorizations: [{ principalId: ALICE, roleDefinitionId: READER }] });
    assert.equal(engine.removeRegistrationAssignment(RG.toUpperCase(), id), true);
    assert.equal(engine.check(mspReq(ALICE, 'Microsoft.Compute/virtualMachines/read', VM)), false);
  });

  it('hands the delegated role ids of a User Access Administrator authorization to the caller', () => {
    const engine = engineWithRoles();
    delegate(engine, SUB_SCOPE, { authorizations: [{ principalId: ALICE, roleDefinitionId: UAA, delegatedRoleDefinitionIds: [CONTRIBUTOR] }] });
    const decision = engine.explain(mspReq(ALICE, 'Microsoft.Authorization/roleAssignments/write', RG));
    assert.deepEqual(decision.grants[0]?.delegatedRoleDefinitionIds, [CONTRIBUTOR]);
  });

  it('refuses a registration assignment below a resource group', () => {
    const engine = engineWithRoles();
    assert.throws(
      () => delegate(engine, VM, { authorizations: [] }),
      (e: unknown) => e instanceof DomainError && e.code === 'InvalidRegistrationAssignmentScope' && e.target === 'scope',
    );
  });

  describe('eligible activations', () => {
    function activated(engine: AuthorizationEngine, window: { from: number; to: number }) {
      const { id } = delegate(engine, SUB_SCOPE, {
        eligibleAuthorizations: [{ principalId: OPS, roleDefinitionId: CONTRIBUTOR, justInTimeAccessPolicy: { multiFactorAuthProvider: 'Azure', maximumActivationDuration: 'PT8H' } }],
      });
      engine.putMembership({ groupId: OPS, memberId: ALICE, memberType: 'User' });
      const activationId = nextId();
      engine.putActivation({
        id: activationId,
        registrationAssignmentId: id,
        assignmentScope: SUB_SCOPE,
        principalId: ALICE,
        roleDefinitionId: CONTRIBUTOR,
        managedByTenantId: MSP,
        startsAt: new Date(window.from).toISOString(),
        endsAt: new Date(window.to).toISOString(),
        justification: 'incident 42',
      });
      return { id, activationId };
    }

    it('eligible activation grants only inside its window', () => {
      const engine = engineWithRoles();
      activated(engine, { from: T0, to: T0 + HOUR });
      const write = (at: number) => engine.check(mspReq(ALICE, 'Microsoft.Compute/virtualMachines/write', VM, { at }));
      assert.equal(write(T0 - 1), false, 'before');
      assert.equal(write(T0), true, 'at the start');
      assert.equal(write(T0 + HOUR - 1), true);
      assert.equal(write(T0 + HOUR), false, 'the end is exclusive');
      assert.equal(engine.check(mspReq(BOB, 'Microsoft.Compute/virtualMachines/write', VM)), false, 'an activation is personal');
      assert.equal(engine.explain(mspReq(ALICE, 'Microsoft.Compute/virtualMachines/write', VM)).grants[0]?.source, 'eligibleActivation');
    });

    it('an activation lapses when the assignment or the eligible authorization goes away', () => {
      const engine = engineWithRoles();
      const { id } = activated(engine, { from: T0, to: T0 + HOUR });
      const write = mspReq(ALICE, 'Microsoft.Compute/virtualMachines/write', VM);
      assert.equal(engine.check(write), true);
      engine.removeMembership(OPS, ALICE);
      assert.equal(engine.check(write), false, 'no longer eligible through the group');
      engine.putMembership({ groupId: OPS, memberId: ALICE, memberType: 'User' });
      engine.removeRegistrationAssignment(SUB_SCOPE, id);
      assert.equal(engine.check(write), false, 'no assignment');
    });

    it('refuses an activation window that is not a date', () => {
      const engine = engineWithRoles();
      assert.throws(
        () => engine.putActivation({ id: nextId(), registrationAssignmentId: nextId(), assignmentScope: SUB_SCOPE, principalId: ALICE, roleDefinitionId: READER, managedByTenantId: MSP, startsAt: 'soon', endsAt: '2026-11-21T09:00:00Z', justification: '' }),
        (e: unknown) => e instanceof DomainError && e.code === 'InvalidActivationWindow' && e.target === 'startsAt',
      );
    });
  });
});

describe('AuthorizationEngine: deny assignments', () => {
  it('deny assignment wins over any grant', () => {
    const engine = engineWithRoles();
    assign(engine, ALICE, OWNER, SUB_SCOPE);
    const d = deny({});
    engine.putDenyAssignment(d);
    const decision = engine.explain(req(ALICE, 'Microsoft.Compute/virtualMachines/delete', VM));
    assert.equal(decision.allowed, false);
    assert.deepEqual(decision.deniedBy, { denyAssignmentId: d.id, scope: SUB_SCOPE });
    assert.equal(decision.grants.length, 1, 'the grant is still reported');
    assert.equal(engine.check(req(ALICE, 'Microsoft.Compute/virtualMachines/write', VM)), true, 'only matching actions are denied');
    engine.removeDenyAssignment(d.id);
    assert.equal(engine.check(req(ALICE, 'Microsoft.Compute/virtualMachines/delete', VM)), true);
  });

  it('spares excluded principals (also through groups), names specific principals, and honours doNotApplyToChildScopes', () => {
    const engine = engineWithRoles();
    assign(engine, ALICE, OWNER, SUB_SCOPE);
    assign(engine, BOB, OWNER, SUB_SCOPE);
    engine.putMembership({ groupId: OPS, memberId: ALICE, memberType: 'User' });
    engine.putDenyAssignment(deny({ excludePrincipals: [{ id: OPS, type: 'Group' }] }));
    assert.equal(engine.check(req(ALICE, 'Microsoft.Compute/virtualMachines/delete', VM)), true, 'excluded through her group');
    assert.equal(engine.check(req(BOB, 'Microsoft.Compute/virtualMachines/delete', VM)), false);

    const engine2 = engineWithRoles();
    assign(engine2, ALICE, OWNER, SUB_SCOPE);
    assign(engine2, BOB, OWNER, SUB_SCOPE);
    engine2.putDenyAssignment(deny({ principals: [{ id: BOB, type: 'User' }], doNotApplyToChildScopes: true }));
    assert.equal(engine2.check(req(BOB, 'Microsoft.Resources/subscriptions/delete', SUB_SCOPE)), false, 'at its own scope');
    assert.equal(engine2.check(req(BOB, 'Microsoft.Compute/virtualMachines/delete', VM)), true, 'not at child scopes');
    assert.equal(engine2.check(req(ALICE, 'Microsoft.Resources/subscriptions/delete', SUB_SCOPE)), true, 'not for other principals');
  });

  it('treats the all-principals id as everyone only with type SystemDefined', () => {
    const engine = engineWithRoles();
    assign(engine, ALICE, OWNER, SUB_SCOPE);
    engine.putDenyAssignment(deny({ principals: [{ id: ALL_PRINCIPALS, type: 'User' }] }));
    assert.equal(engine.check(req(ALICE, 'Microsoft.Compute/virtualMachines/delete', VM)), true);
  });
});

describe('AuthorizationEngine: queries', () => {
  it('refuses a check without `at` unless it was given a clock', () => {
    const engine = engineWithRoles();
    const { at: _at, ...timeless } = req(ALICE, 'Microsoft.Compute/virtualMachines/read', VM);
    assert.throws(() => engine.check(timeless), (e: unknown) => e instanceof DomainError && e.code === 'CheckTimeRequired' && e.target === 'at');
    const clocked = new AuthorizationEngine({ clock: () => T0 });
    assert.equal(clocked.check(timeless), false);
  });

  it('explains why nothing matched', () => {
    const engine = engineWithRoles();
    assert.match(engine.explain(req(ALICE, 'Microsoft.Compute/virtualMachines/read', VM)).reason, /No role assignment, delegation or active eligible activation applies/);
    assign(engine, ALICE, READER, RG);
    const decision = engine.explain(req(ALICE, 'Microsoft.Compute/virtualMachines/write', VM));
    assert.equal(decision.allowed, false);
    assert.match(decision.reason, /roles 'Reader'.*none of their Actions allows 'Microsoft.Compute\/virtualMachines\/write'/);
    assert.match(engine.explain(req(ALICE, 'Microsoft.Compute/virtualMachines/read', VM)).reason, /^Allowed by role 'Reader' through role assignment/);
  });

  it('lists applying assignments and their permission blocks', () => {
    const engine = engineWithRoles();
    assign(engine, ALICE, READER, SUB_SCOPE);
    delegate(engine, RG, { authorizations: [{ principalId: ALICE, roleDefinitionId: VM_CONTRIBUTOR }] });
    assert.deepEqual(engine.assignmentsFor(ALICE, CUSTOMER, VM, T0).map((g) => g.roleName), ['Reader']);
    const asMsp = engine.assignmentsFor(ALICE, MSP, VM, T0).map((g) => g.roleName).sort();
    assert.deepEqual(asMsp, ['Reader', 'Virtual Machine Contributor']);
    const actions = engine.permissionsAt(ALICE, MSP, VM, T0).flatMap((p) => p.actions);
    assert.ok(actions.includes('*/read') && actions.includes('Microsoft.Compute/virtualMachines/*'));
    assert.deepEqual(engine.permissionsAt(BOB, MSP, VM, T0), []);
  });
});

describe('AuthorizationEngine: bulk load', () => {
  it('decides as the same puts would, a repeated id replacing, and stays writable after', () => {
    const ra = (id: string, principalId: string, roleDefinitionId: string, scope: string) => ({ id, scope, roleDefinitionId, principalId });
    const [a1, a2, a3] = [nextId(), nextId(), nextId()];
    const snapshot = {
      roleDefinitions: builtIns,
      memberships: [{ groupId: ADMINS, memberId: ALICE, memberType: 'User' as const }],
      roleAssignments: [ra(a1, BOB, READER, RG), ra(a2, ADMINS, CONTRIBUTOR, SUB_SCOPE), ra(a3, BOB, READER, RG), ra(a1, BOB, CONTRIBUTOR, VM)],
      denyAssignments: [deny({ scope: RG })],
    };
    const loaded = new AuthorizationEngine();
    loaded.load(snapshot);
    const put = new AuthorizationEngine();
    for (const role of builtIns) put.putRoleDefinition(role);
    put.putMembership(snapshot.memberships[0]!);
    for (const a of snapshot.roleAssignments) assign(put, a.principalId, a.roleDefinitionId, a.scope, a.id);
    put.putDenyAssignment(snapshot.denyAssignments[0]!);
    assert.equal(loaded.roleAssignmentCount, 3, 'the repeated id replaced its first row');
    const asks = [
      req(ALICE, 'Microsoft.Compute/virtualMachines/write', VM),
      req(ALICE, 'Microsoft.Compute/virtualMachines/delete', VM),
      req(BOB, 'Microsoft.Compute/virtualMachines/write', VM),
      req(BOB, 'Microsoft.Compute/virtualMachines/read', RG),
      req(BOB, 'Microsoft.Compute/virtualMachines/read', SUB_SCOPE),
    ];
    for (const ask of asks) assert.deepEqual(loaded.explain(ask), put.explain(ask), `${ask.principalId} ${ask.action} ${ask.scope}`);
    assert.deepEqual(loaded.explain(req(BOB, 'Microsoft.Compute/virtualMachines/write', VM)).grants.map((g) => g.id), [a1]);
    assert.equal(loaded.removeRoleAssignment(a1), true);
    assert.equal(loaded.check(req(BOB, 'Microsoft.Compute/virtualMachines/write', VM)), false, 'a removal after the load is visible at once');
    assign(loaded, BOB, CONTRIBUTOR, RG);
    assert.equal(loaded.check(req(BOB, 'Microsoft.Compute/virtualMachines/write', VM)), true, 'so is a put');
  });

  it('takes role assignments as packed lines, deciding as the same objects would', () => {
    const [a1, a2, a3] = [nextId(), nextId(), nextId()];
    const rows = [
      [a1, BOB, READER, RG],
      [a2, ADMINS, CONTRIBUTOR, SUB_SCOPE],
      [a1.toUpperCase(), BOB.toUpperCase(), CONTRIBUTOR, VM], // the same id again (any case): replaces the first
      ['assignment-not-a-guid', ALICE, READER, `${RG}/providers/Microsoft.Web/sites/my site`], // the scope runs to the end of the line
      [a3, 'principal-not-a-guid', READER, SUB_SCOPE],
    ];
    const lines = new AuthorizationEngine();
    for (const role of builtIns) lines.putRoleDefinition(role);
    lines.putMembership({ groupId: ADMINS, memberId: ALICE, memberType: 'User' });
    const text = rows.map((r) => r.join(' '));
    lines.putRoleAssignmentLines(text.slice(0, 2).join('\n'));
    lines.putRoleAssignmentLines(text.slice(2).join('\n') + '\n'); // a trailing newline ends the last line
    const put = new AuthorizationEngine();
    for (const role of builtIns) put.putRoleDefinition(role);
    put.putMembership({ groupId: ADMINS, memberId: ALICE, memberType: 'User' });
    for (const [id, principal, role, scope] of rows) assign(put, principal!, role!, scope!, id);
    assert.equal(lines.roleAssignmentCount, 4);
    const site = `${RG}/providers/Microsoft.Web/sites/my site`;
    const asks = [
      req(ALICE, 'Microsoft.Compute/virtualMachines/write', VM),
      req(BOB, 'Microsoft.Compute/virtualMachines/write', VM),
      req(BOB, 'Microsoft.Compute/virtualMachines/read', RG),
      req(ALICE, 'Microsoft.Web/sites/read', site),
      req('principal-not-a-guid', 'Microsoft.Web/sites/read', site),
    ];
    for (const ask of asks) assert.deepEqual(lines.explain(ask), put.explain(ask), `${ask.principalId} ${ask.action} ${ask.scope}`);
    assert.equal(lines.check(req(BOB, 'Microsoft.Compute/virtualMachines/read', RG)), false, 'the replaced row grants nothing');
    assert.equal(lines.removeRoleAssignment(a1), true, 'an id from a line is held as any other');
    assert.equal(lines.check(req(BOB, 'Microsoft.Compute/virtualMachines/write', VM)), false);
  });

  it('refuses a chunk with a malformed line, naming the line, and applies none of it', () => {
    const engine = new AuthorizationEngine();
    for (const role of builtIns) engine.putRoleDefinition(role);
    const good = `${nextId()} ${BOB} ${READER} ${RG}`;
    for (const bad of [`${nextId()} ${BOB} ${READER}`, `${nextId()}  ${BOB} ${READER} ${RG}`, `${nextId()} ${BOB} ${READER} `, '']) {
      assert.throws(
        () => engine.putRoleAssignmentLines(`${good}\n${bad}\n${good}`),
        (e: unknown) => e instanceof DomainError && e.code === 'InvalidRoleAssignmentLine' && e.message.includes('Line 2') && e.target === 'roleAssignmentLines',
        JSON.stringify(bad),
      );
    }
    assert.equal(engine.roleAssignmentCount, 0, 'not even the good first line was applied');
    assert.equal(engine.check(req(BOB, 'Microsoft.Compute/virtualMachines/read', RG)), false);
  });

  it('tells the subscriptions a directory can reach (its own and those it manages) and who manages each, as delegations come and go', () => {
    const engine = engineWithRoles();
    const SUB3 = '55555555-5555-4555-8555-555555555555';
    engine.putSubscription(SUB, CUSTOMER);
    engine.putSubscription(SUB2.toUpperCase(), MSP);
    engine.putSubscription(SUB3, CUSTOMER);
    const sorted = (xs: readonly string[]) => [...xs].sort();
    assert.deepEqual(sorted(engine.subscriptionsReachableFrom(CUSTOMER)), sorted([SUB, SUB3]));
    assert.deepEqual(engine.subscriptionsReachableFrom(MSP.toUpperCase()), [SUB2], 'ids are matched and answered in lower case');
    assert.deepEqual(engine.subscriptionsReachableFrom(OTHER_MSP), [], 'a directory with no subscription and no delegation reaches none');
    assert.deepEqual(engine.subscriptionsOfDirectory(MSP), [SUB2]);
    assert.deepEqual(engine.subscriptionsOfDirectory(OTHER_MSP), []);
    const { id } = delegate(engine, RG, { managedByTenantId: MSP });
    assert.deepEqual(sorted(engine.subscriptionsReachableFrom(MSP)), sorted([SUB, SUB2]), 'a resource-group delegation makes its subscription reachable');
    assert.deepEqual(engine.managingTenantsOf(SUB.toUpperCase()), [MSP]);
    assert.deepEqual(engine.managingTenantsOf(SUB3), []);
    engine.removeRegistrationDefinition(SUB, id);
    assert.deepEqual(engine.managingTenantsOf(SUB), [], 'an assignment without its definition manages nothing');
    assert.deepEqual(engine.subscriptionsReachableFrom(MSP), [SUB2]);
    const again = delegate(engine, SUB_SCOPE, { managedByTenantId: OTHER_MSP });
    assert.deepEqual(engine.subscriptionsReachableFrom(OTHER_MSP), [SUB]);
    const meta = { createdAt: '', createdBy: '', createdByType: 'User' as const, lastModifiedAt: '', lastModifiedBy: '', lastModifiedByType: 'User' as const };
    engine.putRegistrationDefinition({ id: again.id, subscriptionId: SUB, managedByTenantId: MSP, authorizations: [], eligibleAuthorizations: [], ...meta });
    assert.deepEqual(engine.subscriptionsReachableFrom(OTHER_MSP), [], 'a definition replaced by another tenant\'s no longer reaches for the first');
    assert.deepEqual(sorted(engine.subscriptionsReachableFrom(MSP)), sorted([SUB, SUB2]), 'but for the other');
    engine.putRegistrationDefinition({ id: again.id, subscriptionId: SUB, managedByTenantId: OTHER_MSP, authorizations: [], eligibleAuthorizations: [], ...meta });
    assert.deepEqual(engine.subscriptionsReachableFrom(MSP), [SUB2]);
    assert.deepEqual(engine.subscriptionsReachableFrom(OTHER_MSP), [SUB]);
    engine.removeRegistrationAssignment(SUB_SCOPE, again.id);
    assert.deepEqual(engine.subscriptionsReachableFrom(OTHER_MSP), [], 'a removed assignment no longer reaches');
    engine.putSubscription(SUB3, MSP);
    assert.deepEqual(engine.subscriptionsReachableFrom(CUSTOMER), [SUB], 'a subscription moved to another directory leaves the first');
    assert.deepEqual(sorted(engine.subscriptionsOfDirectory(MSP)), sorted([SUB2, SUB3]), 'and joins the other');
  });

  it('tells the delegations a directory takes part in, as customer or as managing tenant, and no one else\'s', () => {
    const engine = engineWithRoles();
    const SUB3 = '55555555-5555-4555-8555-555555555555';
    engine.putSubscription(SUB, CUSTOMER);
    engine.putSubscription(SUB3, OTHER_MSP);
    const byScope = (links: readonly DelegationLink[]) => [...links].sort((a, b) => a.scope.localeCompare(b.scope));
    const atGroup = delegate(engine, RG.toUpperCase(), { managedByTenantId: MSP });
    delegate(engine, SUB_SCOPE, { managedByTenantId: OTHER_MSP });
    // A delegation between two other directories: neither side is CUSTOMER's or MSP's.
    delegate(engine, `/subscriptions/${SUB3}`, { subscriptionId: SUB3, managedByTenantId: OTHER_MSP });
    const group = { scope: RG.toUpperCase(), customerTenantId: CUSTOMER, managingTenantId: MSP };
    const subscription = { scope: SUB_SCOPE, customerTenantId: CUSTOMER, managingTenantId: OTHER_MSP };
    assert.deepEqual(byScope(engine.delegationsOf(CUSTOMER.toUpperCase())), [subscription, group], 'tenant ids matched in any case, answered in lower case');
    assert.deepEqual(engine.delegationsOf(MSP), [group], 'the managing side sees its own delegations only');
    assert.deepEqual(byScope(engine.delegationsOf(OTHER_MSP)), [subscription, { scope: `/subscriptions/${SUB3}`, customerTenantId: OTHER_MSP, managingTenantId: OTHER_MSP }]);
    assert.deepEqual(engine.delegationsOf('0d0d0d0d-0000-4000-8000-000000000004'), [], 'an unknown directory takes part in none');
    engine.removeRegistrationDefinition(SUB, atGroup.id);
    assert.deepEqual(engine.delegationsOf(MSP), [], 'an assignment whose definition is gone is no delegation');
    engine.putSubscription(SUB, OTHER_MSP);
    assert.deepEqual(engine.delegationsOf(CUSTOMER), [], 'a subscription moved to another directory takes its delegations along');
  });
});
