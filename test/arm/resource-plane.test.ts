/**
 * The Microsoft.Resources surface end to end over HTTPS on SQLite and PostgreSQL, driven by the
 * real @azure/arm-resources client where it covers the operation and by raw HTTP where it doesn't
 * (subscriptions and tenants: @azure/arm-subscriptions 6 no longer lists them).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceManagementClient } from '@azure/arm-resources';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm, buildWorld, credentialOf, tokenOf, type ArmResponse, type ArmWorld } from './support.js';

const RES = 'api-version=2025-04-01';
const SUBS = 'api-version=2022-12-01';

for (const database of testDatabases()) {
  describe(`ARM resource plane (${database.name})`, () => {
    let lantern: TestLantern;
    let world: ArmWorld;
    let owner: string;
    let client: ResourceManagementClient;
    let sub: string;

    before(async () => {
      lantern = await startTestLantern(database);
      world = await buildWorld(lantern);
      owner = await tokenOf(lantern, world.owner);
      sub = `/subscriptions/${world.subscriptionId}`;
      client = new ResourceManagementClient(credentialOf(lantern, world.owner), world.subscriptionId, { endpoint: lantern.baseUrl });
    });
    after(async () => lantern.stop());

    describe('writers at once', () => {
      // In a resource group of their own, removed after, so the other tests' lists stay as they were.
      before(async () => {
        await lantern.services.resources.registerProvider(world.subscriptionId, 'Microsoft.Storage');
        await lantern.services.resources.putResourceGroup(world.subscriptionId, 'rg-race', { location: 'westeurope' });
      });
      after(() => lantern.services.resources.deleteResourceGroup(world.subscriptionId, 'rg-race'));

      it('creates a resource once when eight PUTs of it, in different spellings, arrive together: one 201, seven 200', async () => {
        const spellings = Array.from({ length: 8 }, (_, i) => {
          const path = `${sub}/resourceGroups/rg-race/providers/Microsoft.Storage/storageAccounts/racecreate`;
          return i % 2 === 0 ? path : path.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/');
        });
        const answers = await Promise.all(spellings.map((path, i) => arm(lantern, 'PUT', `${path}?api-version=2023-05-01`, owner, { location: 'westeurope', tags: { writer: String(i) } })));
        assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
        const listed = await arm(lantern, 'GET', `${sub}/resourceGroups/rg-race/resources?${RES}`, owner);
        assert.equal(((listed.body.value ?? []) as { name: string }[]).filter((r) => r.name.toLowerCase() === 'racecreate').length, 1);
      });

      it('lets only one of two transactions that insert the same new resource at once create it', async () => {
        const { store } = lantern.services;
        const at = new Date().toISOString();
        const id = `${sub}/resourceGroups/rg-race/providers/Microsoft.Storage/storageAccounts/raceinsert`;
        const resource = { id, subscriptionId: world.subscriptionId, resourceGroup: 'rg-race', type: 'Microsoft.Storage/storageAccounts', name: 'raceinsert', tags: {}, properties: {}, createdAt: at, changedAt: at };
        const found = await Promise.all([0, 1, 2, 3].map(() => store.transaction((tx) => tx.resources.insertResourceOrFind(resource))));
        assert.deepEqual(found.filter((r) => r === undefined).length, 1, 'one inserted');
        assert.deepEqual(found.filter((r) => r !== undefined), [resource, resource, resource], 'the others found what it inserted');
      });
    });

    describe('authentication and api-version', () => {
      it('answers 401 AuthenticationFailed without a token, with request ids', async () => {
        const r = await arm(lantern, 'GET', `${sub}/resourcegroups?${RES}`);
        assert.equal(r.status, 401);
        assert.equal(r.body.error?.code, 'AuthenticationFailed');
        assert.ok(r.headers.get('x-ms-request-id'));
        assert.ok(r.headers.get('x-ms-correlation-request-id'));
      });

      it('answers 401 InvalidAuthenticationToken for a forged token', async () => {
        const r = await arm(lantern, 'GET', `${sub}/resourcegroups?${RES}`, `${owner.slice(0, -4)}AAAA`);
        assert.equal(r.status, 401);
        assert.equal(r.body.error?.code, 'InvalidAuthenticationToken');
      });

      it('refuses a missing api-version with MissingApiVersionParameter', async () => {
        const r = await arm(lantern, 'GET', `${sub}/resourcegroups`, owner);
        assert.equal(r.status, 400);
        assert.deepEqual(r.body.error, { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.', target: 'api-version' });
      });

      it('refuses an unknown api-version with InvalidApiVersionParameter listing the supported ones', async () => {
        const r = await arm(lantern, 'GET', `${sub}/resourcegroups?api-version=2099-01-01`, owner);
        assert.equal(r.status, 400);
        assert.equal(r.body.error?.code, 'InvalidApiVersionParameter');
        assert.match(r.body.error?.message ?? '', /The supported versions are '.*2025-04-01/);
      });

      it('echoes the caller correlation id and counts the remaining reads', async () => {
        const r = await fetch(`${lantern.baseUrl}${sub}/resourcegroups?${RES}`, { headers: { authorization: `Bearer ${owner}`, 'x-ms-correlation-request-id': 'corr-123' } });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('x-ms-correlation-request-id'), 'corr-123');
        assert.match(r.headers.get('x-ms-ratelimit-remaining-subscription-reads') ?? '', /^\d+$/);
      });
    });

    describe('subscriptions and tenants', () => {
      it('lists the subscription with managedByTenants for its owner', async () => {
        const r = await arm(lantern, 'GET', `/subscriptions?${SUBS}`, owner);
        assert.equal(r.status, 200);
        const byId = Object.fromEntries(r.body.value?.map((s) => [String(s.subscriptionId), s] as const) ?? []);
        assert.deepEqual(Object.keys(byId).sort(), [world.subscriptionId, world.otherSubscriptionId].sort());
        assert.deepEqual(byId[world.subscriptionId]?.managedByTenants, [{ tenantId: world.fabrikam }]);
        assert.deepEqual(byId[world.otherSubscriptionId]?.managedByTenants, []);
        assert.equal(byId[world.subscriptionId]?.tenantId, world.contoso);
      });

      it('shows the delegated subscription to the managing tenant principal', async () => {
        const r = await arm(lantern, 'GET', `${sub}?${SUBS}`, await tokenOf(lantern, world.fabrikamOps));
        assert.equal(r.status, 200);
        assert.equal(r.body.subscriptionId, world.subscriptionId);
      });

      it('lists the subscription to a resource-group reader, who cannot read it directly', async () => {
        const token = await tokenOf(lantern, world.rgReader);
        const list = await arm(lantern, 'GET', `/subscriptions?${SUBS}`, token);
        assert.deepEqual(list.body.value?.map((s) => s.subscriptionId), [world.subscriptionId]);
        const get = await arm(lantern, 'GET', `${sub}?${SUBS}`, token);
        assert.equal(get.status, 403);
        assert.equal(get.body.error?.code, 'AuthorizationFailed');
      });

      it('lists nothing to a principal without access', async () => {
        const r = await arm(lantern, 'GET', `/subscriptions?${SUBS}`, await tokenOf(lantern, world.nobody));
        assert.deepEqual(r.body.value, []);
      });

      it('categorizes tenants: ManagedBy for the customer, ProjectedBy for the managing tenant', async () => {
        const categories = (r: ArmResponse) => Object.fromEntries(r.body.value?.map((t) => [String(t.tenantId), String(t.tenantCategory)] as const) ?? []);
        const customer = await arm(lantern, 'GET', `/tenants?${SUBS}`, owner);
        assert.deepEqual(categories(customer), { [world.contoso]: 'Home', [world.fabrikam]: 'ManagedBy' });
        const managing = await arm(lantern, 'GET', `/tenants?${SUBS}`, await tokenOf(lantern, world.fabrikamOps));
        assert.deepEqual(categories(managing), { [world.fabrikam]: 'Home', [world.contoso]: 'ProjectedBy' });
        const outsider = await arm(lantern, 'GET', `/tenants?${SUBS}`, await tokenOf(lantern, world.nobody));
        assert.deepEqual(categories(outsider), { [world.contoso]: 'Home', [world.fabrikam]: 'ManagedBy' });
      });

      it('shows a customer to no one of the managing tenant the delegation does not name, nor to any other directory', async () => {
        const { directory } = lantern.services.identity;
        const principalOf = async (tenantId: string) => {
          const sp = await directory.createServicePrincipal({ tenantId, displayName: 'unnamed' });
          return tokenOf(lantern, { objectId: sp.id, appId: sp.appId, tenantId, secret: (await directory.addClientSecret(sp.id, { displayName: 't' })).value, displayName: 'unnamed' });
        };
        const tenantsOf = async (token: string) => (await arm(lantern, 'GET', `/tenants?${SUBS}`, token)).body.value?.map((t) => [t.tenantId, t.tenantCategory]);
        assert.deepEqual(await tenantsOf(await principalOf(world.fabrikam)), [[world.fabrikam, 'Home']], 'a Fabrikam principal outside the authorizations');
        const northwind = (await directory.createTenant({ displayName: 'Northwind', defaultDomain: `northwind-${world.fabrikam.slice(0, 8)}.example` })).id;
        assert.deepEqual(await tenantsOf(await principalOf(northwind)), [[northwind, 'Home']], 'a directory in no delegation');
      });
    });

    describe('resource groups with @azure/arm-resources', () => {
      it('creates (201), reads, updates, lists and deletes a resource group', async () => {
        const created = await client.resourceGroups.createOrUpdate('rg-sdk', { location: 'West Europe', tags: { env: 'test' } });
        assert.equal(created.location, 'westeurope');
        assert.equal(created.id, `${sub}/resourceGroups/rg-sdk`);
        assert.equal((await client.resourceGroups.get('rg-sdk')).tags?.env, 'test');
        assert.deepEqual((await client.resourceGroups.update('rg-sdk', { tags: { env: 'prod' } })).tags, { env: 'prod' });
        const names: string[] = [];
        for await (const g of client.resourceGroups.list()) names.push(g.name ?? '');
        assert.deepEqual(names.sort(), ['rg-app', 'rg-sdk']);
        assert.equal((await client.resourceGroups.checkExistence('rg-sdk')).body, true);
        await client.resourceGroups.beginDeleteAndWait('rg-sdk');
        assert.equal((await client.resourceGroups.checkExistence('rg-sdk')).body, false);
      });

      it('answers 404 ResourceGroupNotFound for a missing group', async () => {
        await assert.rejects(client.resourceGroups.get('rg-missing'), (e: { statusCode?: number; code?: string }) => e.statusCode === 404 && e.code === 'ResourceGroupNotFound');
      });

      it('refuses a resource group without a location, with a bad name, or moved to another location', async () => {
        const noLocation = await arm(lantern, 'PUT', `${sub}/resourcegroups/rg-x?${RES}`, owner, {});
        assert.equal(noLocation.body.error?.code, 'LocationRequired');
        const badName = await arm(lantern, 'PUT', `${sub}/resourcegroups/bad.?${RES}`, owner, { location: 'westeurope' });
        assert.equal(badName.body.error?.code, 'InvalidResourceGroup');
        const moved = await arm(lantern, 'PUT', `${sub}/resourcegroups/rg-app?${RES}`, owner, { location: 'eastus' });
        assert.equal(moved.status, 409);
        assert.equal(moved.body.error?.code, 'InvalidResourceGroupLocation');
      });

      it('shows a resource-group reader only its group in the list', async () => {
        await client.resourceGroups.createOrUpdate('rg-hidden', { location: 'westeurope' });
        const r = await arm(lantern, 'GET', `${sub}/resourcegroups?${RES}`, await tokenOf(lantern, world.rgReader));
        assert.deepEqual(r.body.value?.map((g) => g.name), ['rg-app']);
      });
    });

    describe('generic resources', () => {
      const vnetId = () => `${sub}/resourceGroups/rg-app/providers/Microsoft.Network/virtualNetworks/hub`;

      it('refuses a resource under an unregistered namespace with MissingSubscriptionRegistration', async () => {
        const r = await arm(lantern, 'PUT', `${vnetId()}?api-version=2024-05-01`, owner, { location: 'westeurope' });
        assert.equal(r.status, 409);
        assert.equal(r.body.error?.code, 'MissingSubscriptionRegistration');
      });

      it('registers a provider and then creates, patches, lists and deletes resources', async () => {
        const registered = await client.providers.register('Microsoft.Network');
        assert.equal(registered.registrationState, 'Registered');
        const vnet = await client.resources.beginCreateOrUpdateByIdAndWait(vnetId(), '2024-05-01', { location: 'westeurope', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } } });
        assert.equal(vnet.id, vnetId());
        const subnet = await client.resources.beginCreateOrUpdateAndWait('rg-app', 'Microsoft.Network', 'virtualNetworks/hub', 'subnets', 'default', '2024-05-01', { properties: { addressPrefix: '10.0.0.0/24' } });
        assert.equal(subnet.type, 'Microsoft.Network/virtualNetworks/subnets');
        // PUT replaces: the second one drops what it doesn't repeat.
        const again = await arm(lantern, 'PUT', `${vnetId()}?api-version=2024-05-01`, owner, { location: 'westeurope', tags: { a: '1' }, properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] } } });
        assert.equal(again.status, 200);
        assert.deepEqual(again.body.properties, { addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, provisioningState: 'Succeeded' });
        const patched = await client.resources.beginUpdateByIdAndWait(vnetId(), '2024-05-01', { tags: { b: '2' }, properties: { dhcpOptions: {} } });
        assert.deepEqual(patched.tags, { b: '2' });
        assert.deepEqual(Object.keys(patched.properties as object).sort(), ['addressSpace', 'dhcpOptions', 'provisioningState']);

        const types: string[] = [];
        for await (const r of client.resources.listByResourceGroup('rg-app', { filter: "resourceType eq 'Microsoft.Network/virtualNetworks'" })) types.push(r.type ?? '');
        assert.deepEqual(types, ['Microsoft.Network/virtualNetworks']);
        const children = await arm(lantern, 'GET', `${vnetId()}/subnets?api-version=2024-05-01`, owner);
        assert.deepEqual(children.body.value?.map((s) => s.name), ['default']);

        await client.resources.beginDeleteByIdAndWait(vnetId(), '2024-05-01');
        const gone = await arm(lantern, 'GET', `${vnetId()}/subnets/default?api-version=2024-05-01`, owner);
        assert.equal(gone.status, 404);
        assert.equal((await arm(lantern, 'DELETE', `${vnetId()}?api-version=2024-05-01`, owner)).status, 204);
      });

      it('answers ResourceNotFound in ARM words and ResourceGroupNotFound under a missing group', async () => {
        const r = await arm(lantern, 'GET', `${sub}/resourceGroups/rg-app/providers/Microsoft.Network/virtualNetworks/none?api-version=2024-05-01`, owner);
        assert.equal(r.status, 404);
        assert.equal(r.body.error?.message, "The Resource 'Microsoft.Network/virtualNetworks/none' under resource group 'rg-app' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
        const noGroup = await arm(lantern, 'PUT', `${sub}/resourceGroups/rg-none/providers/Microsoft.Network/virtualNetworks/x?api-version=2024-05-01`, owner, { location: 'westeurope' });
        assert.equal(noGroup.body.error?.code, 'ResourceGroupNotFound');
      });

      it('refuses a bad resource id and a malformed api-version', async () => {
        const bad = await arm(lantern, 'GET', `${sub}/resourceGroups/rg-app/providers/Microsoft.Network?api-version=2024-05-01`, owner);
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error?.code, 'InvalidResourceId');
        const version = await arm(lantern, 'GET', `${vnetId()}?api-version=latest`, owner);
        assert.equal(version.body.error?.code, 'InvalidApiVersionParameter');
      });

      it('pages resource lists with $top and nextLink', async () => {
        await client.providers.register('Microsoft.Storage');
        for (const n of ['sa1', 'sa2', 'sa3']) {
          await client.resources.beginCreateOrUpdateByIdAndWait(`${sub}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/${n}`, '2023-05-01', { location: 'westeurope' });
        }
        const first = await arm(lantern, 'GET', `${sub}/resources?${RES}&$top=2&$filter=${encodeURIComponent("resourceType eq 'Microsoft.Storage/storageAccounts'")}`, owner);
        assert.deepEqual(first.body.value?.map((r) => r.name), ['sa1', 'sa2']);
        assert.ok(first.body.nextLink?.startsWith(lantern.baseUrl));
        const second = await arm(lantern, 'GET', first.body.nextLink!, owner);
        assert.deepEqual(second.body.value?.map((r) => r.name), ['sa3']);
        assert.equal(second.body.nextLink, undefined);
        const all: string[] = [];
        for await (const r of client.resources.list({ filter: "resourceType eq 'Microsoft.Storage/storageAccounts'", top: 1 })) all.push(r.name ?? '');
        assert.deepEqual(all, ['sa1', 'sa2', 'sa3']);
      });

      it('refuses a bad $filter, $top and $skiptoken', async () => {
        assert.equal((await arm(lantern, 'GET', `${sub}/resources?${RES}&$filter=kind%20eq%20'x'`, owner)).body.error?.code, 'InvalidFilterInQueryString');
        assert.equal((await arm(lantern, 'GET', `${sub}/resources?${RES}&$top=0`, owner)).body.error?.code, 'InvalidTopParameter');
        assert.equal((await arm(lantern, 'GET', `${sub}/resources?${RES}&$skiptoken=nope`, owner)).body.error?.code, 'InvalidSkipToken');
      });

      it('deletes a resource group with the resources in it', async () => {
        await client.resourceGroups.createOrUpdate('rg-temp', { location: 'westeurope' });
        await client.resources.beginCreateOrUpdateByIdAndWait(`${sub}/resourceGroups/rg-temp/providers/Microsoft.Storage/storageAccounts/tmp`, '2023-05-01', { location: 'westeurope' });
        await client.resourceGroups.beginDeleteAndWait('rg-temp');
        const left = await lantern.services.store.resources.listResources(world.subscriptionId, 'rg-temp');
        assert.deepEqual(left, []);
      });

      it('refuses to unregister a namespace that still has resources', async () => {
        await assert.rejects(client.providers.unregister('Microsoft.Storage'), (e: { code?: string }) => e.code === 'Conflict');
      });
    });

    describe('authorization of every request', () => {
      it('refuses a write with 403 AuthorizationFailed naming client, object id, action and scope', async () => {
        const r = await arm(lantern, 'PUT', `${sub}/resourcegroups/rg-app?${RES}`, await tokenOf(lantern, world.rgReader), { location: 'westeurope' });
        assert.equal(r.status, 403);
        assert.equal(
          r.body.error?.message,
          `The client '${world.rgReader.appId}' with object id '${world.rgReader.objectId}' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourceGroups/write' over scope '${sub}/resourceGroups/rg-app' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        );
      });

      it('lets the Lighthouse principal work on the delegated subscription and nowhere else', async () => {
        const token = await tokenOf(lantern, world.fabrikamOps);
        const created = await arm(lantern, 'PUT', `${sub}/resourcegroups/rg-fabrikam?${RES}`, token, { location: 'westeurope' });
        assert.equal(created.status, 201);
        for (const path of [`/subscriptions/${world.otherSubscriptionId}/resourcegroups?${RES}`, `/subscriptions/${world.otherSubscriptionId}?${SUBS}`, `/subscriptions/${world.otherSubscriptionId}/resources?${RES}`]) {
          const elsewhere = await arm(lantern, 'GET', path, token);
          assert.equal(elsewhere.status, 403, path);
          assert.equal(elsewhere.body.error?.code, 'AuthorizationFailed');
        }
        const list = await arm(lantern, 'GET', `/subscriptions?${SUBS}`, token);
        assert.deepEqual(list.body.value?.map((s) => s.subscriptionId), [world.subscriptionId]);
      });
    });
  });
}
