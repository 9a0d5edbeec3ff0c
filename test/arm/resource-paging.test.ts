/**
 * Resource lists are paged by key in the database and decided row by row by the engine: a caller
 * who sees a few resources among many gets exactly those, in ARM's id order, across pages, and
 * every page's nextLink resumes after the last resource it served.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm, buildWorld, tokenOf, type ArmWorld } from './support.js';

const RES = 'api-version=2025-04-01';

for (const database of testDatabases()) {
  describe(`resource list paging (${database.name})`, () => {
    let lantern: TestLantern;
    let world: ArmWorld;
    let sub: string;

    // Every page of a list, following nextLink; the names in the order served.
    async function allPages(path: string, token: string): Promise<{ names: string[]; pages: number }> {
      const names: string[] = [];
      let pages = 0;
      for (let next: string | undefined = path; next !== undefined; pages++) {
        const page = await arm(lantern, 'GET', next, token);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        names.push(...(page.body.value ?? []).map((r) => r.name as string));
        next = page.body.nextLink;
      }
      return { names, pages };
    }

    before(async () => {
      lantern = await startTestLantern(database);
      world = await buildWorld(lantern);
      sub = `/subscriptions/${world.subscriptionId}`;
      const { resources } = lantern.services;
      await resources.registerProvider(world.subscriptionId, 'Microsoft.Storage');
      // rg-a0 sorts before rg-app and rg-zz after it: the reader's three resources sit between 12 it cannot see.
      for (const group of ['rg-a0', 'rg-zz']) await resources.putResourceGroup(world.subscriptionId, group, { location: 'westeurope' });
      const put = (group: string, name: string) => resources.putResource(`${sub}/resourceGroups/${group}/providers/Microsoft.Storage/storageAccounts/${name}`, { location: 'westeurope' });
      for (let i = 0; i < 6; i++) await put('rg-a0', `hidden${i}`);
      for (const name of ['app1', 'app2', 'app3']) await put('rg-app', name);
      for (let i = 0; i < 6; i++) await put('rg-zz', `late${i}`);
    });
    after(async () => lantern.stop());

    it('serves a reader of one resource group exactly its resources, one per page, however many it cannot see', async () => {
      const reader = await tokenOf(lantern, world.rgReader);
      const { names, pages } = await allPages(`${sub}/resources?${RES}&$top=1`, reader);
      assert.deepEqual(names, ['app1', 'app2', 'app3']);
      assert.equal(pages, 3, 'the last visible resource ends the list: no empty page after it');
    });

    it('adds createdTime, changedTime and provisioningState to list items only when $expand names them, in any case', async () => {
      const owner = await tokenOf(lantern, world.owner);
      const plain = await arm(lantern, 'GET', `${sub}/resourceGroups/rg-app/resources?${RES}&$top=1`, owner);
      const item = (plain.body.value ?? [])[0]!;
      assert.deepEqual(Object.keys(item).sort(), ['id', 'location', 'name', 'tags', 'type']);
      const expanded = await arm(lantern, 'GET', `${sub}/resourceGroups/rg-app/resources?${RES}&$top=1&$expand=createdTime, CHANGEDTIME`, owner);
      const full = (expanded.body.value ?? [])[0]!;
      assert.match(String(full.createdTime), /^\d{4}-\d\d-\d\dT/);
      assert.match(String(full.changedTime), /^\d{4}-\d\d-\d\dT/);
      assert.equal(full.provisioningState, undefined);
      const state = await arm(lantern, 'GET', `${sub}/resourceGroups/rg-app/resources?${RES}&$top=1&$expand=provisioningState`, owner);
      assert.equal((state.body.value ?? [])[0]!.provisioningState, 'Succeeded');
    });

    it('pages the whole subscription for its owner in id order without repeating or skipping a resource', async () => {
      const owner = await tokenOf(lantern, world.owner);
      const { names, pages } = await allPages(`${sub}/resources?${RES}&$top=4`, owner);
      const expected = [...Array.from({ length: 6 }, (_, i) => `hidden${i}`), 'app1', 'app2', 'app3', ...Array.from({ length: 6 }, (_, i) => `late${i}`)];
      assert.deepEqual(names, expected);
      assert.equal(pages, 4);
      const inGroup = await allPages(`${sub}/resourceGroups/RG-ZZ/resources?${RES}&$top=5`, owner);
      assert.deepEqual(inGroup.names, expected.slice(9));
    });

    it('resumes after the resource a token names even when that resource is gone meanwhile', async () => {
      const owner = await tokenOf(lantern, world.owner);
      const first = await arm(lantern, 'GET', `${sub}/resourceGroups/rg-app/resources?${RES}&$top=1`, owner);
      assert.deepEqual(first.body.value?.map((r) => r.name), ['app1']);
      await lantern.services.resources.deleteResource(`${sub}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/app1`);
      const second = await arm(lantern, 'GET', first.body.nextLink!, owner);
      assert.deepEqual(second.body.value?.map((r) => r.name), ['app2']);
    });

    it('lists each resource as its GET shows it less properties, on the plain and the filtered path alike, after every write', async () => {
      const owner = await tokenOf(lantern, world.owner);
      const id = `${sub}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/listed`;
      const at = `${id}?api-version=2023-05-01`;
      const listed = async (query = '') => {
        const page = await arm(lantern, 'GET', `${sub}/resourceGroups/rg-app/resources?${RES}${query}`, owner);
        assert.equal(page.status, 200);
        assert.equal(page.headers.get('content-type'), 'application/json; charset=utf-8');
        return (page.body.value ?? []).find((r) => r.name === 'listed');
      };
      const shown = async () => {
        const { properties, ...rest } = (await arm(lantern, 'GET', at, owner)).body;
        assert.ok(properties, 'a GET shows properties');
        return rest;
      };
      const filtered = `&$filter=${encodeURIComponent("resourceType eq 'Microsoft.Storage/storageAccounts'")}`;
      const tags = { env: 'prod', 'a "quoted" tag': 'ü \u2028 \\ </script>' };
      assert.equal((await arm(lantern, 'PUT', at, owner, { location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS', tier: 'Standard' }, tags, properties: { inner: 'not listed' } })).status, 201);
      const first = await listed();
      assert.deepEqual(first, await shown());
      assert.deepEqual(first?.tags, tags);
      assert.deepEqual(await listed(filtered), first, 'the filtered path renders the same item');
      assert.equal((await arm(lantern, 'PATCH', at, owner, { tags: { env: 'test' } })).status, 200);
      assert.deepEqual((await listed())?.tags, { env: 'test' }, 'a patch shows in the next list');
      assert.deepEqual(await listed(), await shown());
      assert.equal((await arm(lantern, 'PUT', at, owner, { location: 'westeurope' })).status, 200);
      const replaced = await listed();
      assert.deepEqual(replaced, await shown());
      assert.equal(replaced?.sku, undefined, 'a PUT without sku and kind lists neither');
      assert.deepEqual(await listed(filtered), replaced);
      assert.equal((await arm(lantern, 'DELETE', at, owner)).status, 200);
      assert.equal(await listed(), undefined);
    });

    it("pages a collection (a group's storage accounts, a site's slots) from its own keys: its type only, direct children only, in any spelling", async () => {
      const { resources } = lantern.services;
      const rg = `${sub}/resourceGroups/rg-app`;
      await resources.registerProvider(world.subscriptionId, 'Microsoft.Web');
      // Beside the group's three storage accounts: a child of one, look-alike types sorting around the collection, a site and its slots.
      const added = ['Microsoft.Storage/storageAccounts/app2/blobServices/default', 'Microsoft.Storage/storageAccountsBackup/b1', 'Microsoft.Storage/storageAccounts-x/x1',
        'Microsoft.Web/sites/web1', 'Microsoft.Web/sites/web1/slots/s2', 'Microsoft.Web/sites/web1/slots/s1', 'Microsoft.Web/sites/web1/slots/s1/config/web'].map((id) => `${rg}/providers/${id}`);
      for (const id of added) await resources.putResource(id, { location: 'westeurope' });
      const owner = await tokenOf(lantern, world.owner);
      const store = lantern.services.store.resources;
      const listResources = store.listResources.bind(store);
      store.listResources = () => Promise.reject(new Error('a collection page read the whole group'));
      try {
        // (app1 went in the test before.)
        const accounts = await allPages(`${rg}/providers/Microsoft.Storage/storageAccounts?${RES}&$top=1`, owner);
        assert.deepEqual(accounts, { names: ['app2', 'app3'], pages: 2 });
        assert.deepEqual((await allPages(`${sub}/resourcegroups/RG-APP/providers/MICROSOFT.STORAGE/storageaccounts?${RES}`, owner)).names, ['app2', 'app3']);
        assert.deepEqual(await allPages(`${rg}/providers/Microsoft.Web/sites/web1/slots?${RES}&$top=1`, owner), { names: ['s1', 's2'], pages: 2 });
        assert.deepEqual((await allPages(`${rg}/providers/Microsoft.Storage/storageAccounts?${RES}&$top=1`, await tokenOf(lantern, world.rgReader))).names, ['app2', 'app3'], 'the group reader');
        const elsewhere = await arm(lantern, 'GET', `${sub}/resourceGroups/rg-zz/providers/Microsoft.Storage/storageAccounts?${RES}`, await tokenOf(lantern, world.rgReader));
        assert.equal(elsewhere.status, 403, 'nor another group');
        assert.equal((await arm(lantern, 'GET', `${rg}/providers/Microsoft.Web/sites/nosuch/slots?${RES}`, owner)).status, 404, 'the parent must exist');
      } finally {
        store.listResources = listResources;
        for (const id of added.reverse()) await resources.deleteResource(id);
      }
    });
  });
}
