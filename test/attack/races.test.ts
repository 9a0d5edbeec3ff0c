// Concurrent writers against every invariant the services check before writing (issue 11 §3), on
// both databases, through the composed services of a running Lantern. PostgreSQL runs writers
// truly at once; each test asserts the invariant and that every acknowledged write is what is stored.
// LANTERN_SOAK=1 runs many more writers and rounds (`npm run soak`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CONTRIBUTOR, READER } from '../../src/core/roles/builtin-catalog.js';
import { systemContext, type RequestContext } from '../../src/services/context.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { buildWorld, type ArmWorld } from '../arm/support.js';

const SOAK = process.env.LANTERN_SOAK === '1';
const WRITERS = SOAK ? 60 : 24;
const ROUNDS = SOAK ? 6 : 3;

const codeOf = (result: PromiseSettledResult<unknown>): string | undefined =>
  result.status === 'rejected' ? ((result.reason as { code?: string }).code ?? String(result.reason)) : undefined;

function settle<T>(count: number, write: (i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(Array.from({ length: count }, (_, i) => write(i)));
}

for (const database of testDatabases()) {
  describe(`concurrent writers keep every invariant (${database.name})`, () => {
    let lantern: TestLantern;
    let world: ArmWorld;
    let ctx: RequestContext;
    let sub: string;
    before(async () => {
      lantern = await startTestLantern(database);
      world = await buildWorld(lantern);
      ctx = systemContext(lantern.services.ids);
      sub = `/subscriptions/${world.subscriptionId}`;
    });
    after(async () => lantern.stop());

    it('stores one role assignment per principal, role and scope: the others are told RoleAssignmentExists', async () => {
      const { rbac, store } = lantern.services;
      for (let round = 0; round < ROUNDS; round++) {
        const scope = `${sub}/resourceGroups/rg-app`;
        const role = round % 2 === 0 ? CONTRIBUTOR : READER;
        const principalId = round % 2 === 0 ? world.nobody.objectId : world.rgReader.objectId;
        const results = await settle(WRITERS, () => rbac.putRoleAssignment(ctx, { name: randomUUID(), scope, roleDefinitionId: role, principalId, principalType: 'ServicePrincipal' }));
        const created = results.filter((r) => r.status === 'fulfilled' && r.value.created);
        const refused = results.map(codeOf).filter((c) => c !== undefined);
        const stored = (await store.authorization.listRoleAssignmentsUnder(scope)).filter(
          (a) => a.principalId.toLowerCase() === principalId.toLowerCase() && a.roleDefinitionId.toLowerCase() === role.toLowerCase() && a.scope.toLowerCase() === scope.toLowerCase(),
        );
        // A READER pair may already exist from the world: then none is created and all are refused.
        assert.equal(stored.length, 1, 'exactly one assignment holds the triple');
        assert.ok(created.length <= 1);
        assert.deepEqual([...new Set(refused)], refused.length ? ['RoleAssignmentExists'] : []);
        if (created[0]?.status === 'fulfilled') assert.equal(created[0].value.assignment.id, stored[0]?.id, 'the acknowledged one is the stored one');
        for (const a of stored) await rbac.deleteRoleAssignment(ctx, a.scope, a.id);
      }
    });

    it('never overwrites an acknowledged role assignment with another of the same name', async () => {
      const { rbac, store, resources } = lantern.services;
      for (let i = 0; i < WRITERS; i++) await resources.putResourceGroup(world.subscriptionId, `rg-name-${i}`, { location: 'westeurope' });
      for (let round = 0; round < ROUNDS; round++) {
        const name = randomUUID();
        // One name, many scopes: the name is global, so one PUT creates it and every other is a conflict.
        const results = await settle(WRITERS, (i) => rbac.putRoleAssignment(ctx, { name, scope: `${sub}/resourceGroups/rg-name-${i}`, roleDefinitionId: READER, principalId: world.nobody.objectId, principalType: 'ServicePrincipal' }));
        const acknowledged = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.assignment] : []));
        assert.equal(acknowledged.length, 1, `exactly one PUT is acknowledged, got ${acknowledged.length}: ${results.map(codeOf).join(',')}`);
        assert.deepEqual([...new Set(results.map(codeOf).filter((c) => c !== undefined))], ['RoleAssignmentExists']);
        const stored = await store.authorization.getRoleAssignment(name);
        assert.ok(stored, 'the acknowledged assignment is stored');
        assert.equal(stored.scope, acknowledged[0]?.scope, 'what was acknowledged is what is stored');
        const engineHolds = lantern.services.access.engine.assignmentsFor(world.nobody.objectId, world.contoso, stored.scope, Date.now());
        assert.ok(engineHolds.some((a) => a.id.toLowerCase() === name), 'and what the engine holds');
        await rbac.deleteRoleAssignment(ctx, stored.scope, name);
      }
    });

    it('leaves no registration assignment without its definition when a definition DELETE races assignment PUTs', async () => {
      const { delegation, store } = lantern.services;
      for (let round = 0; round < ROUNDS; round++) {
        const definition = randomUUID();
        await delegation.putDefinition(ctx, sub, definition, {
          managedByTenantId: world.fabrikam,
          authorizations: [{ principalId: world.fabrikamOps.objectId, roleDefinitionId: READER }],
          eligibleAuthorizations: [],
        });
        const definitionId = `${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${definition}`;
        const writes = settle<unknown>(WRITERS, (i) => (i === Math.floor(WRITERS / 2) ? delegation.deleteDefinition(ctx, sub, definition) : delegation.putAssignment(ctx, sub, randomUUID(), definitionId)));
        const results = await writes;
        const refused = new Set(results.map(codeOf).filter((c) => c !== undefined));
        // ARM allows one assignment of a definition per scope: every other PUT is a Conflict.
        for (const code of refused) assert.ok(['RegistrationDefinitionNotFound', 'RegistrationDefinitionInUse', 'Conflict'].includes(code), `unexpected refusal ${code}`);
        const defined = new Set((await store.delegation.listDefinitions(world.subscriptionId)).map((d) => d.id.toLowerCase()));
        const assignments = await store.delegation.listAssignments(sub);
        for (const a of assignments) assert.ok(defined.has(a.registrationDefinitionId.toLowerCase()), `assignment ${a.id} has its definition`);
        const acknowledged = results.flatMap((r) => (r.status === 'fulfilled' && typeof r.value === 'object' ? [(r.value as { view: { assignment: { id: string } } }).view.assignment.id] : []));
        const ids = new Set(assignments.map((a) => a.id.toLowerCase()));
        for (const id of acknowledged) assert.ok(ids.has(id.toLowerCase()), 'every acknowledged assignment is stored');
        assert.ok(assignments.filter((a) => a.registrationDefinitionId.toLowerCase() === definition).length <= 1, 'one assignment of the definition at the scope');
        for (const a of assignments.filter((x) => x.registrationDefinitionId.toLowerCase() === definition)) await delegation.deleteAssignment(ctx, a.scope, a.id);
        await delegation.deleteDefinition(ctx, sub, definition);
      }
    });

    it('leaves no resource in a resource group that a concurrent DELETE removed', async () => {
      const { resources, store } = lantern.services;
      await resources.registerProvider(world.subscriptionId, 'Microsoft.Storage');
      for (let round = 0; round < ROUNDS; round++) {
        const group = `rg-race-${round}`;
        await resources.putResourceGroup(world.subscriptionId, group, { location: 'westeurope' });
        const results = await settle<unknown>(WRITERS, (i) =>
          i === Math.floor(WRITERS / 2)
            ? resources.deleteResourceGroup(world.subscriptionId, group)
            : resources.putResource(`${sub}/resourceGroups/${group}/providers/Microsoft.Storage/storageAccounts/acct${i}`, { location: 'westeurope', properties: {} }),
        );
        for (const code of results.map(codeOf)) assert.ok(code === undefined || code === 'ResourceGroupNotFound', `unexpected ${code}`);
        assert.equal(await store.resources.getResourceGroup(world.subscriptionId, group), undefined, 'the group is gone');
        assert.deepEqual(await store.resources.listResources(world.subscriptionId, group), [], 'and nothing was left in it');
      }
    });

    it('deletes a custom role only when no assignment uses it, even while assignments of it are being put', async () => {
      const { rbac, store } = lantern.services;
      for (let round = 0; round < ROUNDS; round++) {
        const roleId = randomUUID();
        await rbac.putRoleDefinition(ctx, sub, roleId, { roleName: `race-${roleId}`, permissions: [{ actions: ['Microsoft.Storage/*/read'], notActions: [], dataActions: [], notDataActions: [] }], assignableScopes: [sub] });
        const results = await settle<unknown>(WRITERS, (i) =>
          i === Math.floor(WRITERS / 2)
            ? rbac.deleteRoleDefinition(ctx, sub, roleId)
            : rbac.putRoleAssignment(ctx, { name: randomUUID(), scope: `${sub}/resourceGroups/rg-name-${i}`, roleDefinitionId: roleId, principalId: world.nobody.objectId, principalType: 'ServicePrincipal' }),
        );
        for (const code of results.map(codeOf)) assert.ok(code === undefined || code === 'RoleDefinitionDoesNotExist' || code === 'RoleDefinitionHasAssignments', `unexpected ${code}`);
        const role = await store.authorization.getRoleDefinition(roleId);
        const users = (await store.authorization.listRoleAssignments()).filter((a) => a.roleDefinitionId.toLowerCase() === roleId);
        if (!role) assert.equal(users.length, 0, 'no assignment of a deleted role');
        for (const a of users) await rbac.deleteRoleAssignment(ctx, a.scope, a.id);
        if (role) await rbac.deleteRoleDefinition(ctx, sub, roleId);
      }
    });

    it('gives a custom role name to one role of the directory: every other writer is told it exists', async () => {
      const { rbac, store } = lantern.services;
      for (let round = 0; round < ROUNDS; round++) {
        const roleName = `race-name-${round}-${randomUUID().slice(0, 8)}`;
        const results = await settle(WRITERS, () =>
          rbac.putRoleDefinition(ctx, sub, randomUUID(), { roleName, permissions: [{ actions: ['Microsoft.Storage/*/read'], notActions: [], dataActions: [], notDataActions: [] }], assignableScopes: [sub] }));
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1, `one writer wins: ${results.map(codeOf).join(', ')}`);
        for (const code of results.map(codeOf)) assert.ok(code === undefined || code === 'RoleDefinitionWithSameNameExists', `unexpected ${code}`);
        const stored = (await store.authorization.listRoleDefinitions()).filter((r) => r.roleName === roleName);
        assert.deepEqual(stored.map((r) => r.id), [won[0]!.value.role.id], 'the one stored is the one acknowledged');
        assert.equal(stored[0]?.tenantId, world.contoso, 'recorded in the directory of its scope');
      }
    });

    it('enrols a publisher id once: every other enrolment is told it is taken', async () => {
      const { publishers } = lantern.services.marketplace;
      const publisherId = `race-${randomUUID().slice(0, 8)}`;
      const results = await settle(WRITERS, (i) => publishers.enroll(ctx, { publisherId, displayName: `Racer ${i}`, tenantId: world.contoso, contacts: [{ name: 'Ops', email: 'ops@contoso.example' }] }));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, results.map(codeOf).join(','));
      assert.deepEqual([...new Set(results.map(codeOf).filter((c) => c !== undefined))], ['conflict']);
    });
  });
}
