// One contract suite, run against every adapter on a real server.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { scopeKey } from '../../src/core/scope.js';
import { resourceListing } from '../../src/core/resources/listing.js';
import type { GenericResource } from '../../src/core/resources/model.js';
import { testDatabases } from '../support/databases.js';
import type { Repositories, Store } from '../../src/storage/port.js';
import type { RoleAssignment } from '../../src/core/rbac/model.js';
import type { RegistrationAssignment, RegistrationDefinition } from '../../src/core/delegation/model.js';

const SUB = '11111111-1111-1111-1111-111111111111';
const TENANT = 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa';

function roleAssignment(id: string, scope: string): RoleAssignment {
  return { id, scope, roleDefinitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', principalId: 'p1', principalType: 'User', createdAt: '2026-01-01T00:00:00Z', createdBy: 'x' };
}

function regAssignment(id: string, scope: string): RegistrationAssignment {
  const at = '2026-01-01T00:00:00Z';
  return { id, scope, registrationDefinitionId: 'd1', createdAt: at, createdBy: 'x', createdByType: 'User', lastModifiedAt: at, lastModifiedBy: 'x', lastModifiedByType: 'User' };
}

function regDefinition(id: string): RegistrationDefinition {
  const at = '2026-01-01T00:00:00Z';
  return {
    id, subscriptionId: SUB, managedByTenantId: 'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb', authorizations: [], eligibleAuthorizations: [],
    createdAt: at, createdBy: 'x', createdByType: 'User', lastModifiedAt: at, lastModifiedBy: 'x', lastModifiedByType: 'User',
  };
}

for (const database of testDatabases()) {
  describe(`storage contract (${database.name})`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    before(async () => ({ store, cleanup } = await database.open()));
    after(async () => cleanup());

    it('starts empty and reports it', async () => {
      assert.equal(await store.isEmpty(), true);
    });

    it('keeps tenants and finds them by id and domain, case-insensitively', async () => {
      await store.identity.putTenant({ id: TENANT.toUpperCase(), displayName: 'Contoso', defaultDomain: 'Contoso.example' });
      assert.equal((await store.identity.getTenant(TENANT))?.displayName, 'Contoso');
      assert.equal((await store.identity.findTenantByDomain('contoso.EXAMPLE'))?.displayName, 'Contoso');
      assert.equal(await store.isEmpty(), false);
    });

    it('refuses a second user with the same UPN', async () => {
      const user = { id: 'u1', tenantId: TENANT, userPrincipalName: 'alice@contoso.example', displayName: 'Alice', userType: 'Member' as const, passwordHash: 'h' };
      await store.identity.putUser(user);
      await assert.rejects(store.identity.putUser({ ...user, id: 'u2', userPrincipalName: 'ALICE@contoso.example' }));
      assert.equal((await store.identity.findUserByUpn('Alice@Contoso.Example'))?.id, 'u1');
      assert.equal((await store.identity.listUsers(TENANT)).length, 1);
    });

    it('stores, lists and deletes group memberships', async () => {
      await store.identity.putMembership({ groupId: 'g1', memberId: 'u1', memberType: 'User' });
      await store.identity.putMembership({ groupId: 'g1', memberId: 'g2', memberType: 'Group' });
      assert.equal((await store.identity.listMemberships()).length, 2);
      assert.equal(await store.identity.deleteMembership('g1', 'u1'), true);
      assert.equal(await store.identity.deleteMembership('g1', 'u1'), false);
      assert.deepEqual(await store.identity.listMemberships(), [{ groupId: 'g1', memberId: 'g2', memberType: 'Group' }]);
    });

    it('finds a service principal by app id', async () => {
      await store.identity.putServicePrincipal({ id: 'sp1', appId: 'APP-1', tenantId: TENANT, displayName: 'deployer' });
      assert.equal((await store.identity.findServicePrincipalByAppId('app-1'))?.id, 'sp1');
      assert.equal(await store.identity.findServicePrincipalByAppId('app-2'), undefined);
    });

    // The rows read by a list of ids in one statement, whatever its length.
    const byIds = {
      subscriptions: {
        put: (tx: Repositories, id: string) => tx.resources.putSubscription({ subscriptionId: id, tenantId: TENANT, displayName: `Row ${id}`, state: 'Enabled' }),
        get: async (ids: readonly string[]) => (await store.resources.getSubscriptions(ids)).map((s) => ({ id: s.subscriptionId, name: s.displayName })),
      },
      tenants: {
        put: (tx: Repositories, id: string) => tx.identity.putTenant({ id, displayName: `Row ${id}`, defaultDomain: `${id}.example` }),
        get: async (ids: readonly string[]) => (await store.identity.getTenants(ids)).map((t) => ({ id: t.id, name: t.displayName })),
      },
    };
    for (const [kind, { put, get }] of Object.entries(byIds)) {
      it(`reads any number of ${kind} by id in one call: in id order, ids in any case, unknown ids left out`, async () => {
        const ids = Array.from({ length: 1_200 }, (_, i) => `5${String(i).padStart(7, '0')}-0000-4000-8000-00000000000${i % 3 === 0 ? 'a' : 'b'}`);
        await store.transaction(async (tx) => {
          for (const id of ids) await put(tx, id);
        });
        const asked = [...ids].reverse().map((id, i) => (i % 2 === 0 ? id.toUpperCase() : id));
        const found = await get([...asked, '6fffffff-0000-4000-8000-000000000000']);
        assert.deepEqual(found.map((row) => row.id), [...ids].sort(), 'every stored one, once, in id order; the unknown id left out');
        assert.deepEqual((await get([ids[5]!.toUpperCase()])).map((row) => row.name), [`Row ${ids[5]}`]);
        assert.deepEqual(await get([]), []);
        assert.deepEqual(await get(["' or '1'='1", '"]']), [], 'ids are data, never SQL or JSON');
      });
    }

    it('keeps resource groups and resources, deleting a subtree by scope', async () => {
      await store.resources.putSubscription({ subscriptionId: SUB, tenantId: TENANT, displayName: 'Prod', state: 'Enabled' });
      await store.resources.putResourceGroup({ subscriptionId: SUB, name: 'rg_web', location: 'westeurope', tags: {} });
      await store.resources.putResourceGroup({ subscriptionId: SUB, name: 'rg_webx', location: 'westeurope', tags: {} });
      const base = `/subscriptions/${SUB}/resourceGroups/rg_web/providers/Microsoft.Network/virtualNetworks/vnet1`;
      const other = `/subscriptions/${SUB}/resourceGroups/rg_webx/providers/Microsoft.Network/virtualNetworks/vnet1`;
      const at = '2026-01-01T00:00:00Z';
      for (const id of [base, `${base}/subnets/a`, other]) {
        await store.resources.putResource({ id, subscriptionId: SUB, resourceGroup: id.includes('rg_webx') ? 'rg_webx' : 'rg_web', type: 'Microsoft.Network/virtualNetworks', name: 'x', tags: {}, properties: {}, createdAt: at, changedAt: at });
      }
      const other_sub = '33333333-3333-4333-8333-333333333333';
      await store.resources.putResourceGroup({ subscriptionId: other_sub, name: 'rg-else', location: 'westeurope', tags: {} });
      const names = async (subs: string[]) => (await store.resources.listResourceGroupsIn(subs)).map((g) => `${g.subscriptionId}/${g.name}`);
      assert.deepEqual(await names([SUB.toUpperCase(), other_sub, '44444444-4444-4444-8444-444444444444']), [`${SUB}/rg_web`, `${SUB}/rg_webx`, `${other_sub}/rg-else`].sort());
      assert.deepEqual(await names([other_sub]), [`${other_sub}/rg-else`]);
      assert.deepEqual(await names([]), []);
      assert.equal(await store.resources.deleteResourceGroup(other_sub, 'rg-else'), true);
      const extra = { id: `${base}-extra`, subscriptionId: SUB, resourceGroup: 'rg_web', type: 'Microsoft.Network/virtualNetworks', name: 'vnet1-extra', tags: {}, properties: {}, createdAt: at, changedAt: at };
      assert.equal(await store.transaction((tx) => tx.resources.insertResourceOrFind(extra)), undefined, 'inserted: nothing found');
      const found = await store.transaction((tx) => tx.resources.insertResourceOrFind({ ...extra, id: extra.id.toUpperCase(), tags: { second: 'yes' } }));
      assert.deepEqual(found, extra, 'the same id in another case exists, and is answered as stored');
      assert.deepEqual((await store.resources.getResource(extra.id))?.tags, {}, 'a refused insert changes nothing');
      assert.equal(await store.resources.deleteResourcesUnder(extra.id), 1);
      assert.equal((await store.resources.getResource(base.toUpperCase()))?.id, base);
      assert.equal((await store.resources.listResources(SUB, 'RG_WEB')).length, 2);
      assert.equal(await store.resources.deleteResourcesUnder(`/subscriptions/${SUB}/resourceGroups/rg_web`), 2);
      assert.equal((await store.resources.listResources(SUB)).length, 1, 'the look-alike resource group rg_webx is untouched');
    });

    it("reads a resource PUT's placement at once: the group and the namespace's registration in any case, nothing where there is none", async () => {
      const sub = '55555555-5555-4555-8555-555555555555';
      await store.resources.putResourceGroup({ subscriptionId: sub, name: 'Rg-Place', location: 'westeurope', tags: {} });
      await store.resources.putProviderRegistration({ subscriptionId: sub, namespace: 'Microsoft.Storage', registrationState: 'Registered' });
      await store.resources.putProviderRegistration({ subscriptionId: SUB, namespace: 'Microsoft.Web', registrationState: 'Registered' });
      const both = await store.resources.getPlacement(sub.toUpperCase(), 'RG-PLACE', 'microsoft.storage');
      assert.equal(both.group?.name, 'Rg-Place');
      assert.equal(both.registration?.namespace, 'Microsoft.Storage');
      assert.deepEqual(await store.resources.getPlacement(sub, 'rg-place', 'Microsoft.Web'), { group: both.group, registration: undefined }, "another subscription's registration is not this one's");
      assert.deepEqual(await store.resources.getPlacement(sub, 'rg-else', 'Microsoft.Storage'), { group: undefined, registration: both.registration });
      assert.deepEqual(await store.transaction((tx) => tx.resources.getPlacement(SUB, 'Rg-Place', 'Microsoft.Storage')), { group: undefined, registration: undefined });
    });

    it('creates twenty different resources in one group at once without running any transaction again', async () => {
      // On PostgreSQL an insert that also read the id's index page would conflict with every
      // concurrent create on that page (SERIALIZABLE), and all but one would run again.
      const sub = '66666666-6666-4666-8666-666666666666';
      const at = '2026-01-01T00:00:00Z';
      let runs = 0;
      const found = await Promise.all(Array.from({ length: 20 }, (_, i) => store.transaction(async (tx) => {
        runs++;
        const name = `race${i}`;
        return tx.resources.insertResourceOrFind({ id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${name}`, subscriptionId: sub, resourceGroup: 'rg', type: 'Microsoft.Storage/storageAccounts', name, tags: {}, properties: {}, createdAt: at, changedAt: at });
      })));
      assert.deepEqual(found, Array(20).fill(undefined), 'each inserted its own');
      assert.equal(runs, 20);
      assert.equal((await store.resources.listResources(sub)).length, 20);
    });

    it('pages resources by key: id order, after a key, within a resource group, limited', async () => {
      const sub = '22222222-2222-4222-8222-222222222222';
      await store.resources.putSubscription({ subscriptionId: sub, tenantId: TENANT, displayName: 'Paging', state: 'Enabled' });
      const at = '2026-01-01T00:00:00Z';
      const id = (rg: string, name: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Storage/storageAccounts/${name}`;
      // Written out of order, with a name that sorts differently by case and by '-' vs '_' (C collation).
      for (const [rg, name] of [['rg-b', 'Zeta'], ['rg-a', 'b_1'], ['rg-b', 'alpha'], ['rg-a', 'b-1'], ['RG-A', 'a']] as const) {
        await store.resources.putResource({ id: id(rg, name), subscriptionId: sub, resourceGroup: rg, type: 'Microsoft.Storage/storageAccounts', name, tags: {}, properties: {}, createdAt: at, changedAt: at });
      }
      const names = (rs: { name: string }[]) => rs.map((r) => r.name);
      const all = await store.resources.pageResources({ subscriptionId: sub.toUpperCase(), limit: 10 });
      assert.deepEqual(names(all), ['a', 'b-1', 'b_1', 'alpha', 'Zeta'], 'scope-key (lower-case, byte) order');
      const after = scopeKey(id('rg-a', 'b-1'));
      assert.deepEqual(names(await store.resources.pageResources({ subscriptionId: sub, after, limit: 2 })), ['b_1', 'alpha']);
      assert.deepEqual(names(await store.resources.pageResources({ subscriptionId: sub, resourceGroup: 'RG-B', after, limit: 10 })), ['alpha', 'Zeta']);
      assert.deepEqual(await store.resources.pageResources({ subscriptionId: sub, after: scopeKey(id('rg-b', 'zeta')), limit: 10 }), []);
    });

    it('pages resources as their listings, with key and type, as pageResources pages them; a rewrite rewrites the listing', async () => {
      const sub = '24444444-4444-4444-8444-444444444444';
      await store.resources.putSubscription({ subscriptionId: sub, tenantId: TENANT, displayName: 'Listings', state: 'Enabled' });
      const at = '2026-01-01T00:00:00Z';
      const resource = (rg: string, name: string): GenericResource => ({
        id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${name}`, subscriptionId: sub, resourceGroup: rg,
        type: 'Microsoft.Web/sites', name, tags: { a: '1' }, properties: { inner: 'not listed' }, createdAt: at, changedAt: at,
      });
      const one = { ...resource('RG-A', 'One'), location: 'westeurope', kind: 'app', sku: { name: 'F1' } };
      const two = resource('rg-b', 'two');
      await store.resources.putResource(one);
      assert.equal(await store.transaction((tx) => tx.resources.insertResourceOrFind(two)), undefined, 'created, by the create path');
      const listed = async (query: { resourceGroup?: string; after?: string; limit: number }) =>
        (await store.resources.pageResourceListings({ subscriptionId: sub, ...query })).map((l) => ({ key: l.key, type: l.type, listing: JSON.parse(l.listing) as unknown }));
      const expected = (r: GenericResource) => ({ key: scopeKey(r.id), type: r.type, listing: resourceListing(r) });
      assert.deepEqual(await listed({ limit: 10 }), [expected(one), expected(two)], 'each listing is the resource less its properties and times');
      for (const query of [{ limit: 1 }, { after: scopeKey(one.id), limit: 10 }, { resourceGroup: 'rg-a', limit: 10 }, { resourceGroup: 'RG-B', after: scopeKey(two.id), limit: 10 }]) {
        const keys = (await store.resources.pageResources({ subscriptionId: sub, ...query })).map((r) => scopeKey(r.id));
        assert.deepEqual((await listed(query)).map((l) => l.key), keys, JSON.stringify(query));
      }
      const { sku: _sku, kind: _kind, ...rewritten } = { ...one, tags: { b: '2' } };
      await store.resources.putResource(rewritten);
      assert.deepEqual(await listed({ resourceGroup: 'rg-a', limit: 10 }), [expected(rewritten)]);
    });

    it('pages only the subscription or group asked for, beside neighbours whose keys sort around and inside it', async () => {
      const at = '2026-01-01T00:00:00Z';
      const [before, inside, after] = ['21111111-1111-4111-8111-111111111111', '23333333-3333-4333-8333-333333333333', '23333333-3333-4333-8333-333333333334'];
      const put = async (sub: string, rg: string, name: string) => {
        await store.resources.putSubscription({ subscriptionId: sub, tenantId: TENANT, displayName: sub, state: 'Enabled' });
        await store.resources.putResource({ id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Storage/storageAccounts/${name}`, subscriptionId: sub, resourceGroup: rg, type: 'Microsoft.Storage/storageAccounts', name, tags: {}, properties: {}, createdAt: at, changedAt: at });
      };
      for (let i = 0; i < 30; i++) await put(before, 'rg', `before${i}`);
      // Look-alike groups: 'rg-b-x' sorts before 'rg-b/', 'rg-b0' and 'rg-bb' after it.
      for (const rg of ['rg-b', 'RG-B', 'rg-b-x', 'rg-b0', 'rg-bb', 'rg-a']) await put(inside, rg, `in-${rg.toLowerCase()}-${rg === 'RG-B' ? 2 : 1}`);
      for (let i = 0; i < 30; i++) await put(after, 'rg', `after${i}`);
      const names = async (req: { resourceGroup?: string; after?: string; limit: number }) => (await store.resources.pageResources({ subscriptionId: inside, ...req })).map((r) => r.name);
      assert.deepEqual(await names({ limit: 100 }), ['in-rg-a-1', 'in-rg-b-x-1', 'in-rg-b-1', 'in-rg-b-2', 'in-rg-b0-1', 'in-rg-bb-1']);
      assert.deepEqual(await names({ resourceGroup: 'Rg-B', limit: 100 }), ['in-rg-b-1', 'in-rg-b-2'], 'the group alone, not its look-alikes');
      assert.deepEqual(await names({ limit: 2 }), ['in-rg-a-1', 'in-rg-b-x-1']);
      // A token naming a key outside the subscription: before it, the page starts at its start; past it, it is empty.
      assert.deepEqual(await names({ after: `/subscriptions/${before}/resourcegroups/rg/providers/microsoft.storage/storageaccounts/before9`, limit: 1 }), ['in-rg-a-1']);
      assert.deepEqual(await names({ after: `/subscriptions/${after}`, limit: 10 }), []);
      assert.deepEqual(await names({ resourceGroup: 'rg-b', after: `/subscriptions/${inside}/resourcegroups/rg-b-x/providers/x/y/z`, limit: 10 }), ['in-rg-b-1', 'in-rg-b-2']);
    });

    it('pages the resources below a scope, and none of the keys that sort around it', async () => {
      const sub = '2aaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
      await store.resources.putSubscription({ subscriptionId: sub, tenantId: TENANT, displayName: 'Under', state: 'Enabled' });
      const at = '2026-01-01T00:00:00Z';
      const group = `/subscriptions/${sub}/resourceGroups/rg`;
      for (const path of ['Microsoft.Storage/storageAccounts/a', 'Microsoft.Storage/storageAccounts/B', 'Microsoft.Storage/storageAccounts/a/blobServices/default',
        'Microsoft.Storage/storageAccounts-x/before', 'Microsoft.Storage/storageAccountsBackup/after', 'Microsoft.Storage/storageAccounts0/after0']) {
        const segments = path.split('/');
        await store.resources.putResource({ id: `${group}/providers/${path}`, subscriptionId: sub, resourceGroup: 'rg', type: segments.filter((_, i) => i === 0 || i % 2 === 1).join('/'),
          name: segments.at(-1)!, tags: {}, properties: {}, createdAt: at, changedAt: at });
      }
      const ids = async (after?: string, limit = 10) => (await store.resources.pageResourcesUnder({ subscriptionId: sub.toUpperCase(), under: `${group.toUpperCase()}/providers/microsoft.storage/STORAGEACCOUNTS`, ...(after === undefined ? {} : { after }), limit }))
        .map((r) => r.id.slice(group.length + '/providers/Microsoft.Storage/'.length));
      assert.deepEqual(await ids(), ['storageAccounts/a', 'storageAccounts/a/blobServices/default', 'storageAccounts/B']);
      assert.deepEqual(await ids(undefined, 2), ['storageAccounts/a', 'storageAccounts/a/blobServices/default']);
      const key = scopeKey(`${group}/providers/Microsoft.Storage/storageAccounts/a/blobServices/default`);
      assert.deepEqual(await ids(key), ['storageAccounts/B']);
      assert.deepEqual(await ids(`/subscriptions/${sub}`), ['storageAccounts/a', 'storageAccounts/a/blobServices/default', 'storageAccounts/B'], 'a key before the range starts it at its start');
      assert.deepEqual(await ids(`/subscriptions/${sub}/zz`), [], 'a key past it ends it');
    });

    it('lists role assignments at or under a scope without prefix look-alikes', async () => {
      const rg = `/subscriptions/${SUB}/resourceGroups/rg-a`;
      await store.authorization.putRoleAssignment(roleAssignment('a1', `/subscriptions/${SUB}`));
      await store.authorization.putRoleAssignment(roleAssignment('a2', rg));
      await store.authorization.putRoleAssignment(roleAssignment('a3', `${rg}b`));
      await store.authorization.putRoleAssignment(roleAssignment('a4', `${rg}/providers/Microsoft.Web/sites/s1`));
      await store.authorization.putRoleAssignment(roleAssignment('a5', '/'));
      assert.deepEqual([await store.authorization.countRoleAssignmentsOfRole('ACDD72A7-3385-48EF-BD42-F606FBA81AE7'), await store.authorization.countRoleAssignmentsOfRole('b24988ac-6180-42a0-ab88-20f7382dd24c')], [5, 0], 'counted by role in any casing');
      const under = (await store.authorization.listRoleAssignmentsUnder(rg.toUpperCase())).map((a) => a.id).sort();
      assert.deepEqual(under, ['a2', 'a4']);
      assert.equal(await store.authorization.countRoleAssignmentsInSubscription(SUB), 4);
      assert.equal((await store.authorization.listRoleAssignmentsUnder('/')).length, 5);
    });

    it('hands role assignments over as packed lines, in chunks, keys lower-cased', async () => {
      await store.authorization.putRoleAssignment({ ...roleAssignment('A6', `/subscriptions/${SUB}/resourceGroups/RG-A`), principalId: 'P2', roleDefinitionId: 'ACDD72A7-3385-48EF-BD42-F606FBA81AE7' });
      const chunks: string[] = [];
      for await (const chunk of store.authorization.roleAssignmentLines(4)) chunks.push(chunk);
      const reader = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
      assert.deepEqual(chunks.map((c) => c.split('\n')), [
        [`a1 p1 ${reader} /subscriptions/${SUB}`, `a2 p1 ${reader} /subscriptions/${SUB}/resourcegroups/rg-a`, `a3 p1 ${reader} /subscriptions/${SUB}/resourcegroups/rg-ab`, `a4 p1 ${reader} /subscriptions/${SUB}/resourcegroups/rg-a/providers/microsoft.web/sites/s1`],
        [`a5 p1 ${reader} /`, `a6 p2 ${reader} /subscriptions/${SUB}/resourcegroups/rg-a`],
      ]);
      let first: string | undefined;
      for await (const chunk of store.authorization.roleAssignmentLines(1)) {
        first = chunk;
        break; // leaving early ends the read
      }
      assert.equal(first, `a1 p1 ${reader} /subscriptions/${SUB}`);
      assert.equal(await store.authorization.deleteRoleAssignment('a6'), true);
    });

    it('keys registration assignments by scope and name', async () => {
      await store.delegation.putDefinition(regDefinition('d1'));
      await store.delegation.putAssignment(regAssignment('r1', `/subscriptions/${SUB}`));
      await store.delegation.putAssignment(regAssignment('r1', `/subscriptions/${SUB}/resourceGroups/rg-web`));
      assert.equal((await store.delegation.listAssignments(`/subscriptions/${SUB}`)).length, 2);
      assert.equal((await store.delegation.listAssignments(`/subscriptions/${SUB}/resourceGroups/RG-WEB`)).length, 1);
      assert.equal(await store.delegation.deleteAssignment(`/subscriptions/${SUB}`, 'R1'), true);
      assert.equal((await store.delegation.listAssignments()).length, 1);
    });

    it('lists registration assignments at or under a scope each with its definition and tenants, in scope order, without look-alike scopes', async () => {
      const sub = '77777777-7777-4777-8777-777777777777';
      const customer = { id: '88888888-8888-4888-8888-888888888888', displayName: 'Customer', defaultDomain: 'customer.example' };
      const managing = { id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', displayName: 'Provider', defaultDomain: 'provider.example' };
      await store.identity.putTenant(customer);
      await store.identity.putTenant(managing);
      await store.resources.putSubscription({ subscriptionId: sub, tenantId: customer.id.toUpperCase(), displayName: 'Listing', state: 'Enabled' });
      const d1 = { ...regDefinition('D-One'), subscriptionId: sub, managedByTenantId: managing.id.toUpperCase() };
      const d2 = { ...regDefinition('d-two'), subscriptionId: sub, managedByTenantId: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd' };
      const otherSub = { ...regDefinition('d-one'), subscriptionId: SUB };
      for (const d of [d1, d2, otherSub]) await store.delegation.putDefinition(d);
      const at = (scope: string, id: string, definition: string) => ({ ...regAssignment(id, scope), registrationDefinitionId: definition });
      const rg = `/subscriptions/${sub}/resourceGroups/rg-a`;
      const listed = [at(`/subscriptions/${sub}`, 'a1', 'd-one'), at(rg, 'a2', 'D-TWO'), at(rg, 'a3', 'd-one'), at(`${rg}x`, 'a4', 'd-two')];
      for (const a of listed) await store.delegation.putAssignment(a);
      const rows = (scope: string) => store.delegation.listAssignmentListing(scope);
      const named = async (scope: string) => (await rows(scope)).map((r) => `${r.assignment.id}:${r.definition?.id}:${r.managedByTenant?.displayName}:${r.customerTenant?.displayName}`);
      assert.deepEqual(await named(`/subscriptions/${sub.toUpperCase()}`), ['a1:D-One:Provider:Customer', 'a2:d-two:undefined:Customer', 'a3:D-One:Provider:Customer', 'a4:d-two:undefined:Customer'],
        "each with its own subscription's definition, matched in any case; a managing tenant unknown here is none");
      assert.deepEqual(await named(rg.toUpperCase()), ['a2:d-two:undefined:Customer', 'a3:D-One:Provider:Customer'], 'rg-ax is not under rg-a');
      assert.deepEqual((await rows(rg))[1], { assignment: listed[2], definition: d1, managedByTenant: managing, customerTenant: customer }, 'all as stored');
      assert.deepEqual(await rows(`/subscriptions/${sub}/resourceGroups/rg-none`), []);
    });

    it('lists the registration definitions and assignments of a set of subscriptions, ids in any case, and of no other', async () => {
      const [one, two, other] = ['9a9a9a9a-0000-4000-8000-000000000001', '9b9b9b9b-0000-4000-8000-000000000002', '9c9c9c9c-0000-4000-8000-000000000003'];
      for (const sub of [one, two, other]) {
        const definition = { ...regDefinition(`d-${sub.slice(0, 2)}`), subscriptionId: sub };
        await store.delegation.putDefinition(definition);
        for (const scope of [`/subscriptions/${sub}`, `/subscriptions/${sub}/resourceGroups/rg-a`]) {
          await store.delegation.putAssignment({ ...regAssignment(`a-${sub.slice(0, 2)}`, scope), registrationDefinitionId: definition.id });
        }
      }
      const asked = [two, one.toUpperCase(), '9d9d9d9d-0000-4000-8000-000000000004'];
      assert.deepEqual((await store.delegation.listDefinitionsIn(asked)).map((d) => d.id), ['d-9a', 'd-9b'], 'by subscription, the unknown one left out');
      assert.deepEqual((await store.delegation.listAssignmentsIn(asked)).map((a) => a.scope), [
        `/subscriptions/${one}`, `/subscriptions/${one}/resourceGroups/rg-a`, `/subscriptions/${two}`, `/subscriptions/${two}/resourceGroups/rg-a`,
      ], 'at each subscription and below it, in scope order');
      assert.deepEqual(await store.delegation.listDefinitionsIn([]), []);
      assert.deepEqual(await store.delegation.listAssignmentsIn(["' or '1'='1"]), [], 'ids are data');
    });

    it('lists role assignments at a set of scopes, or in a set of subscriptions, in id order, keys in any case', async () => {
      const [sub, other] = ['a7a7a7a7-0000-4000-8000-000000000001', 'a8a8a8a8-0000-4000-8000-000000000002'];
      const placed: [string, string][] = [
        ['ra-5', '/'], ['ra-4', `/subscriptions/${sub}`], ['ra-3', `/subscriptions/${sub.toUpperCase()}/resourceGroups/RG-X`],
        ['ra-2', `/subscriptions/${sub}/resourceGroups/rg-xy`], ['ra-1', `/subscriptions/${other}`],
      ];
      for (const [id, scope] of placed) await store.authorization.putRoleAssignment({ ...roleAssignment(id, scope), principalId: `p-${id}` });
      const ids = (assignments: readonly RoleAssignment[]) => assignments.map((a) => a.id).filter((id) => id.startsWith('ra-'));
      assert.deepEqual(ids(await store.authorization.listRoleAssignmentsAt(['/', `/subscriptions/${sub}/resourcegroups/rg-x`, `/subscriptions/${other}/`])), ['ra-1', 'ra-3', 'ra-5'],
        'exactly those scopes: not rg-xy beside rg-x, nor what lies below');
      assert.deepEqual(ids(await store.authorization.listRoleAssignmentsIn([sub.toUpperCase()])), ['ra-2', 'ra-3', 'ra-4'], 'everything in the subscription, nothing at the root');
      assert.deepEqual(await store.authorization.listRoleAssignmentsAt([]), []);
      assert.deepEqual(await store.authorization.listRoleAssignmentsIn(["' or '1'='1"]), []);
      for (const [id] of placed) await store.authorization.deleteRoleAssignment(id);
    });

    it('holds one role assignment per principal, role and scope, whatever the name or casing', async () => {
      const scope = `/subscriptions/${SUB}/resourceGroups/rg-unique`;
      await store.authorization.putRoleAssignment({ ...roleAssignment('u1', scope), principalId: 'p-unique' });
      await assert.rejects(store.authorization.putRoleAssignment({ ...roleAssignment('u2', scope.toUpperCase()), principalId: 'P-UNIQUE' }));
      await assert.rejects(store.transaction((tx) => tx.authorization.putRoleAssignment({ ...roleAssignment('u3', scope), principalId: 'p-unique' })), { code: 'RoleAssignmentExists' });
      assert.deepEqual((await store.authorization.listRoleAssignmentsUnder(scope)).map((a) => a.id), ['u1']);
      await store.authorization.putRoleAssignment({ ...roleAssignment('u1', scope), principalId: 'p-unique', description: 'same name: an update' });
      await store.authorization.putRoleAssignment({ ...roleAssignment('u4', scope), principalId: 'p-other' });
      assert.equal(await store.authorization.deleteRoleAssignment('u1'), true);
      assert.equal(await store.authorization.deleteRoleAssignment('u4'), true);
    });

    it('keeps no registration assignment without its definition', async () => {
      const scope = `/subscriptions/${SUB}/resourceGroups/rg-fk`;
      await assert.rejects(store.delegation.putAssignment({ ...regAssignment('r-orphan', scope), registrationDefinitionId: 'missing' }));
      await assert.rejects(store.transaction((tx) => tx.delegation.putAssignment({ ...regAssignment('r-orphan', scope), registrationDefinitionId: 'missing' })));
      await store.delegation.putDefinition(regDefinition('d-fk'));
      await store.delegation.putAssignment({ ...regAssignment('r-fk', scope), registrationDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/D-FK` });
      await assert.rejects(store.delegation.deleteDefinition(SUB, 'd-fk'));
      assert.ok(await store.delegation.getDefinition(SUB, 'd-fk'), 'a definition that backs an assignment stays');
      assert.equal(await store.delegation.deleteAssignment(scope, 'r-fk'), true);
      assert.equal(await store.delegation.deleteDefinition(SUB, 'd-fk'), true);
      assert.equal(await store.delegation.getAssignment(scope, 'r-orphan'), undefined);
    });

    it('keeps no eligible activation without its registration assignment', async () => {
      const scope = `/subscriptions/${SUB}/resourceGroups/rg-jit`;
      const activation = (id: string, assignment: string) => ({
        id, registrationAssignmentId: assignment, assignmentScope: scope, principalId: 'p1', roleDefinitionId: 'r1', managedByTenantId: TENANT,
        startsAt: '2026-01-01T00:00:00Z', endsAt: '2026-01-01T01:00:00Z', justification: 'x',
      });
      await assert.rejects(store.delegation.putActivation(activation('x-orphan', 'r-none')));
      await store.delegation.putDefinition(regDefinition('d-jit'));
      await store.delegation.putAssignment({ ...regAssignment('R-JIT', `${scope}/`), registrationDefinitionId: 'd-jit' });
      await store.delegation.putActivation(activation('x-live', 'r-jit'));
      await assert.rejects(store.delegation.deleteAssignment(scope, 'r-jit'), 'an assignment with a live activation stays');
      assert.deepEqual((await store.delegation.listActivations()).map((a) => a.id), ['x-live']);
      assert.equal(await store.delegation.deleteActivation('x-live'), true);
      assert.equal(await store.delegation.deleteAssignment(scope, 'r-jit'), true);
      assert.equal(await store.delegation.deleteDefinition(SUB, 'd-jit'), true);
    });

    it('holds a check over a list (no row to lock) at commit: twenty writers that each add a document only to an empty list leave one', async () => {
      // Write skew: each writer reads an empty list and inserts a different row. Only SERIALIZABLE
      // (PostgreSQL) or one writer at a time (SQLite) keeps it to one: a pending request per
      // eligibility, one submission per offer. Three rounds: the later ones find the pool's connections open.
      for (let round = 0; round < 3; round++) {
        const partition = `round-${round}`;
        const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.transaction(async (tx) => {
          if ((await tx.documents.list('skew', partition)).length > 0) return false;
          await sleep(5); // a service's own work between its check and its write
          await tx.documents.put('skew', `${partition}-${i}`, partition, { i });
          return true;
        })));
        assert.deepEqual(results.map((r) => r.status), Array(20).fill('fulfilled'));
        assert.equal(results.filter((r) => r.status === 'fulfilled' && r.value).length, 1, 'one writer added its document');
        assert.equal((await store.documents.list('skew', partition)).length, 1);
      }
    });

    it('runs a transaction again when a concurrent writer changed what it read, so its check still holds at commit', async () => {
      const name = 'rg-counter';
      await store.resources.putResourceGroup({ subscriptionId: SUB, name, location: 'westeurope', tags: { n: '0' } });
      let runs = 0;
      // Twenty read-increment-write transactions at once: without serialisation, increments are lost.
      await Promise.all(Array.from({ length: 20 }, () => store.transaction(async (tx) => {
        runs++;
        const group = await tx.resources.getResourceGroup(SUB, name);
        await tx.resources.putResourceGroup({ subscriptionId: SUB, name, location: 'westeurope', tags: { n: String(Number(group?.tags.n) + 1) } });
      })));
      assert.equal((await store.resources.getResourceGroup(SUB, name))?.tags.n, '20');
      assert.ok(runs >= 20);
      assert.equal(await store.resources.deleteResourceGroup(SUB, name), true);
    });

    it('queries the activity log by tenant, subscription and time window, newest first', async () => {
      const entry = (id: string, ts: string, sub?: string) => ({
        eventDataId: id, correlationId: 'c', tenantId: TENANT, resourceId: '/x', operationName: 'op', status: 'Succeeded' as const,
        caller: 'alice', callerObjectId: 'u1', callerTenantId: TENANT, eventTimestamp: ts, ...(sub ? { subscriptionId: sub } : {}),
      });
      await store.activity.append(entry('e1', '2026-01-01T00:00:00.000Z', SUB));
      await store.activity.appendMany([entry('e2', '2026-01-02T00:00:00.000Z', SUB), entry('e3', '2026-01-03T00:00:00.000Z')]);
      await store.activity.appendMany([]);
      await assert.rejects(store.activity.appendMany([entry('e4', '2026-01-04T00:00:00.000Z'), entry('e2', '2026-01-04T00:00:00.000Z')]), 'a duplicate id refuses the whole statement');
      const window = { tenantId: TENANT, from: '2026-01-01T12:00:00.000Z', to: '2026-02-01T00:00:00.000Z' };
      assert.deepEqual((await store.activity.query(window)).map((e) => e.eventDataId), ['e3', 'e2']);
      assert.deepEqual((await store.activity.query({ ...window, subscriptionId: SUB })).map((e) => e.eventDataId), ['e2']);
    });

    it('keeps documents per collection and partition', async () => {
      await store.documents.put('offers', 'contoso-managed-ops', 'contoso', { name: 'x' });
      await store.documents.put('offers', 'other', 'fabrikam', { name: 'y' });
      assert.deepEqual(await store.documents.get('offers', 'CONTOSO-MANAGED-OPS'), { name: 'x' });
      assert.equal((await store.documents.list('offers', 'contoso')).length, 1);
      assert.equal((await store.documents.list('offers')).length, 2);
      assert.equal(await store.documents.delete('offers', 'other'), true);
    });

    it('deletes only the expired documents of one collection', async () => {
      await store.documents.put('codes', 'old', 'u1', { expiresAt: '2026-01-01T00:00:00.000Z' });
      await store.documents.put('codes', 'new', 'u1', { expiresAt: '2026-01-01T02:00:00.000Z' });
      await store.documents.put('codes', 'timeless', 'u1', { note: 'no expiresAt' });
      await store.documents.put('other-codes', 'old', 'u1', { expiresAt: '2026-01-01T00:00:00.000Z' });
      assert.equal(await store.documents.deleteExpired('codes', '2026-01-01T01:00:00.000Z'), 1);
      assert.deepEqual((await store.documents.list<{ expiresAt?: string }>('codes')).map((d) => d.expiresAt ?? 'none').sort(), ['2026-01-01T02:00:00.000Z', 'none']);
      assert.equal((await store.documents.list('other-codes')).length, 1, 'another collection is untouched');
      assert.equal(await store.documents.deleteExpired('codes', '2026-01-01T01:00:00.000Z'), 0);
    });

    // Tenants, subscriptions and resource groups are held in memory once read; each case writes the row named `name` with a tag.
    const heldKinds = {
      tenant: {
        id: '2bbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
        write: (repos: Repositories, id: string, tag: string) => repos.identity.putTenant({ id, displayName: tag, defaultDomain: 'held.example' }),
        read: async (id: string) => (await store.identity.getTenant(id.toUpperCase()))?.displayName,
      },
      subscription: {
        id: '25555555-5555-4555-8555-555555555555',
        write: (repos: Repositories, id: string, tag: string) => repos.resources.putSubscription({ subscriptionId: id, tenantId: TENANT, displayName: tag, state: 'Enabled' }),
        read: async (id: string) => (await store.resources.getSubscription(id.toUpperCase()))?.displayName,
      },
      'resource group': {
        id: '26666666-6666-4666-8666-666666666666',
        write: (repos: Repositories, id: string, tag: string) => repos.resources.putResourceGroup({ subscriptionId: id, name: 'Rg-Held', location: 'westeurope', tags: { tag } }),
        read: async (id: string) => (await store.resources.getResourceGroup(id, 'RG-HELD'))?.tags.tag,
      },
    };
    for (const [kind, { id, write, read }] of Object.entries(heldKinds)) {
      it(`reads a ${kind} as last written, though it holds what it read: after a put, a transaction, a racing reader and a rollback`, async () => {
        assert.equal(await read(id), undefined);
        await write(store, id, 'A');
        assert.equal(await read(id), 'A', 'a miss is not held');
        await write(store, id, 'B');
        assert.equal(await read(id), 'B');
        let during: Promise<string | undefined> | undefined;
        await store.transaction(async (tx) => {
          await write(tx, id, 'C');
          during = read(id);
          // PostgreSQL answers a reader outside the transaction at once, with the row as committed before it;
          // SQLite's reader waits for the transaction to end.
          if (store.dialect === 'postgres') assert.equal(await during, 'B');
        });
        assert.equal(await during, store.dialect === 'postgres' ? 'B' : 'C');
        assert.equal(await read(id), 'C', 'what a reader held during the transaction is dropped when it ends');
        await assert.rejects(store.transaction(async (tx) => {
          await write(tx, id, 'D');
          throw new Error('rolled back');
        }), /rolled back/);
        assert.equal(await read(id), 'C');
      });
    }

    // The kinds read many at a time (GET /tenants, GET /subscriptions): each writes a row with a display name, and reads several by id.
    const heldMany = {
      tenant: {
        ids: ['2ccccccc-cccc-4ccc-8ccc-cccccccccccc', '2ddddddd-dddd-4ddd-8ddd-dddddddddddd', '2eeeeeee-eeee-4eee-8eee-eeeeeeeeeeee'],
        put: (id: string, displayName: string) => store.identity.putTenant({ id, displayName, defaultDomain: `${id}.example` }),
        one: async (id: string) => (await store.identity.getTenant(id))?.displayName,
        many: async (ids: string[]) => (await store.identity.getTenants(ids)).map((t) => t.displayName),
      },
      subscription: {
        ids: ['27777777-7777-4777-8777-777777777777', '28888888-8888-4888-8888-888888888888', '29999999-9999-4999-8999-999999999999'],
        put: (id: string, displayName: string) => store.resources.putSubscription({ subscriptionId: id, tenantId: TENANT, displayName, state: 'Enabled' }),
        one: async (id: string) => (await store.resources.getSubscription(id))?.displayName,
        many: async (ids: string[]) => (await store.resources.getSubscriptions(ids)).map((s) => s.displayName),
      },
    };
    for (const [kind, { ids: [first, second, missing], put, one, many }] of Object.entries(heldMany)) {
      it(`reads many ${kind}s at once, held or not, each once and in id order, as last written`, async () => {
        await put(second!, 'second');
        await put(first!, 'first');
        assert.equal(await one(second!), 'second', 'now held');
        const names = () => many([second!, first!.toUpperCase(), missing!, second!]);
        assert.deepEqual(await names(), ['first', 'second']);
        assert.deepEqual(await names(), ['first', 'second'], 'both held');
        await put(first!, 'first, renamed');
        assert.deepEqual(await names(), ['first, renamed', 'second']);
        assert.equal(await one(missing!), undefined);
        await put(missing!, 'third');
        assert.deepEqual(await names(), ['first, renamed', 'second', 'third'], `a ${kind} missed before is read when it exists`);
      });
    }

    it('holds a resource group until it is deleted, and a held row cannot be changed by a reader', async () => {
      const { id, write, read } = heldKinds['resource group'];
      await write(store, id, 'E');
      assert.equal(await read(id), 'E');
      const held = await store.resources.getResourceGroup(id, 'rg-held');
      assert.throws(() => { (held as { location: string }).location = 'eastus'; }, TypeError);
      assert.equal(await store.transaction((tx) => tx.resources.deleteResourceGroup(id, 'RG-held')), true);
      assert.equal(await read(id), undefined);
      await write(store, id, 'F');
      assert.equal(await read(id), 'F');
      assert.equal(await store.resources.deleteResourceGroup(id, 'rg-HELD'), true);
      assert.equal(await read(id), undefined);
    });

    it('rolls a failed transaction back whole', async () => {
      await assert.rejects(store.transaction(async (tx) => {
        await tx.resources.putResourceGroup({ subscriptionId: SUB, name: 'rg-half', location: 'westeurope', tags: {} });
        await tx.identity.putUser({ id: 'u9', tenantId: TENANT, userPrincipalName: 'alice@contoso.example', displayName: 'dup', userType: 'Member', passwordHash: 'h' });
      }));
      assert.equal(await store.resources.getResourceGroup(SUB, 'rg-half'), undefined);
      assert.equal(await store.identity.getUser('u9'), undefined);
    });

    it('commits a successful transaction', async () => {
      await store.transaction(async (tx) => {
        await tx.resources.putResourceGroup({ subscriptionId: SUB, name: 'rg-whole', location: 'westeurope', tags: { a: 'b' } });
        await tx.deployments.put({ id: `/subscriptions/${SUB}/providers/Microsoft.Resources/deployments/d1`, scope: `/subscriptions/${SUB}`, name: 'd1', body: '{}', updatedAt: 'now' });
      });
      assert.deepEqual((await store.resources.getResourceGroup(SUB, 'RG-WHOLE'))?.tags, { a: 'b' });
      assert.equal((await store.deployments.listAt(`/subscriptions/${SUB}`)).length, 1);
    });
  });
}
