/**
 * The Manage story (product.md) as the demo world's users over HTTP, on SQLite and PostgreSQL:
 * Fabrikam's Owner acquires Contoso's gold plan from the marketplace and delegates rg-web and
 * rg-data; alice ("Contoso L2 Engineers", signed in to her home tenant Contoso) sees Fabrikam in My
 * customers and holds exactly Contributor there: she creates, reads and deletes resources in the
 * delegated scope and is refused role-assignment writes and everything outside the delegation (the
 * undelegated rg-network, the subscription itself, Northwind), in whatever spelling of the path;
 * bob ("Contoso L1 Support") reads but cannot write. Fabrikam's activity log shows what she did.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CONTRIBUTOR, READER } from '../../src/core/roles/builtin-catalog.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { acquireAndDelegate, call, demoOffer, publishOffer, seedDemo, type DemoWorld, type Reply } from '../support/demo-offer.js';
import { startLeadEndpoint } from '../marketplace/support.js';

const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const NW = `/subscriptions/${DEMO_IDS.northwindDev}`;
const RES = 'api-version=2021-04-01';
const STORAGE = 'api-version=2023-01-01';
const AUTHZ = 'api-version=2022-04-01';
const ALICE = 'alice@contoso.example';
const BOB = 'bob@contoso.example';
const OWNER = 'owner@fabrikam.example';

const storageAccount = (scope: string, name: string) => `${scope}/providers/Microsoft.Storage/storageAccounts/${name}?${STORAGE}`;
const STORAGE_BODY = { location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' } };

interface Permission { actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[] }

for (const database of testDatabases()) {
  describe(`Manage: a provider user works in delegated customer resources with exactly the granted roles (${database.name})`, () => {
    let lantern: TestLantern;
    let demo: DemoWorld;
    let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;
    const start = new Date(Date.now() - 60_000).toISOString();
    const as = async (upn: string, method: string, path: string, body?: unknown) => call(lantern, await demo.token(upn), method, path, body);
    const refused = (r: Reply, what: string) => {
      assert.equal(r.status, 403, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error?.code, 'AuthorizationFailed', what);
    };
    const roleAssignment = (scope: string, upn: string) => [
      'PUT',
      `${scope}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?${AUTHZ}`,
      { properties: { roleDefinitionId: `${FAB}/providers/Microsoft.Authorization/roleDefinitions/${READER}`, principalId: demo.id(upn), principalType: 'User' } },
    ] as const;

    before(async () => {
      leads = await startLeadEndpoint();
      lantern = await startTestLantern(database, { marketplace: { allowPrivateLeadEndpoints: true } });
      demo = await seedDemo(lantern);
      await publishOffer(lantern, await demo.token('admin@contoso.example'), demoOffer(demo, leads.url));
      await acquireAndDelegate(lantern, await demo.token(OWNER), FAB, [`${FAB}/resourceGroups/rg-web`, `${FAB}/resourceGroups/rg-data`]);
    });
    after(async () => {
      await lantern.stop();
      await leads.stop();
    });

    it('shows alice Fabrikam in My customers with the two delegated resource groups', async () => {
      const r = await as(ALICE, 'GET', '/providers/Lantern.Lighthouse/myCustomers?api-version=2026-12-01');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const customers = r.body.value as { properties: { customerTenantId: string; customerName: string; offers: { delegations: { scope: string }[] }[] } }[];
      assert.deepEqual(customers.map((c) => [c.properties.customerTenantId, c.properties.customerName]), [[DEMO_IDS.fabrikamTenant, 'Fabrikam']]);
      assert.deepEqual(customers[0]!.properties.offers.flatMap((o) => o.delegations.map((d) => d.scope)).sort(), [`${FAB}/resourceGroups/rg-data`, `${FAB}/resourceGroups/rg-web`]);
    });

    it("grants alice exactly Contributor and bob exactly Reader in the delegated scope, nothing outside it", async () => {
      const only = (p: Permission[]) => p.map(({ actions, notActions, dataActions, notDataActions }) => ({ actions, notActions, dataActions, notDataActions }));
      const roleOf = async (id: string) => {
        const r = await as(OWNER, 'GET', `${FAB}/providers/Microsoft.Authorization/roleDefinitions/${id}?${AUTHZ}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return only(r.body.properties.permissions as Permission[]);
      };
      const permissions = async (upn: string, scope: string) => {
        const r = await as(upn, 'GET', `${scope}/providers/Microsoft.Authorization/permissions?${AUTHZ}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return only(r.body.value as Permission[]);
      };
      for (const rg of ['rg-web', 'rg-data']) {
        assert.deepEqual(await permissions(ALICE, `${FAB}/resourceGroups/${rg}`), await roleOf(CONTRIBUTOR), `alice at ${rg}`);
        assert.deepEqual(await permissions(BOB, `${FAB}/resourceGroups/${rg}`), await roleOf(READER), `bob at ${rg}`);
      }
      assert.deepEqual(await permissions(ALICE, `${FAB}/resourceGroups/rg-network`), [], 'rg-network is not delegated');
    });

    it('lets alice create, read and delete resources in the delegated resource groups; the activity log names her', async () => {
      for (const rg of ['rg-web', 'rg-data']) {
        const scope = `${FAB}/resourceGroups/${rg}`;
        const name = `alice${rg.replace('-', '')}`;
        const created = await as(ALICE, 'PUT', storageAccount(scope, name), STORAGE_BODY);
        assert.ok([200, 201].includes(created.status), `${rg}: ${created.status} ${JSON.stringify(created.body)}`);
        assert.equal((await as(ALICE, 'GET', storageAccount(scope, name))).status, 200);
        const listed = await as(ALICE, 'GET', `${scope}/resources?${RES}`);
        assert.ok((listed.body.value as { name: string }[]).some((r) => r.name === name), `${rg} lists ${name}`);
        assert.equal((await as(BOB, 'GET', storageAccount(scope, name))).status, 200, 'bob reads it');
        refused(await as(BOB, 'PUT', storageAccount(scope, `bob${rg.replace('-', '')}`), STORAGE_BODY), `bob writes in ${rg}`);
        refused(await as(BOB, 'DELETE', storageAccount(scope, name)), `bob deletes in ${rg}`);
      }
      const deleted = await as(ALICE, 'DELETE', storageAccount(`${FAB}/resourceGroups/rg-web`, 'alicergweb'));
      assert.ok([200, 204].includes(deleted.status), `${deleted.status} ${JSON.stringify(deleted.body)}`);
      assert.equal((await as(ALICE, 'GET', storageAccount(`${FAB}/resourceGroups/rg-web`, 'alicergweb'))).status, 404, 'gone');

      const window = encodeURIComponent(`eventTimestamp ge '${start}' and eventTimestamp le '${new Date(Date.now() + 60_000).toISOString()}'`);
      const log = await as(OWNER, 'GET', `${FAB}/providers/microsoft.insights/eventtypes/management/values?api-version=2015-04-01&$filter=${window}`);
      assert.equal(log.status, 200, JSON.stringify(log.body));
      const events = log.body.value as { caller: string; operationName: { value: string }; resourceId: string; status: { value: string } }[];
      const hers = events.filter((e) => e.caller === ALICE && e.status.value === 'Succeeded').map((e) => `${e.operationName.value} ${e.resourceId}`.toLowerCase());
      for (const expected of [
        `Microsoft.Storage/storageAccounts/write ${FAB}/resourceGroups/rg-web/providers/Microsoft.Storage/storageAccounts/alicergweb`,
        `Microsoft.Storage/storageAccounts/write ${FAB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/alicergdata`,
        `Microsoft.Storage/storageAccounts/delete ${FAB}/resourceGroups/rg-web/providers/Microsoft.Storage/storageAccounts/alicergweb`,
      ]) assert.ok(hers.includes(expected.toLowerCase()), `${expected} in ${hers.join('\n')}`);
    });

    it('refuses alice role-assignment writes and everything outside the delegation, in every spelling of the path', async () => {
      const web = `${FAB}/resourceGroups/rg-web`;
      refused(await as(ALICE, ...roleAssignment(web, BOB)), 'a role assignment in the delegated scope');
      refused(await as(ALICE, ...roleAssignment(FAB, BOB)), 'a role assignment on the subscription');
      refused(await as(ALICE, 'PUT', `${FAB}/resourceGroups/rg-alice?${RES}`, { location: 'westeurope' }), 'a new resource group');
      refused(await as(ALICE, 'GET', `${FAB}/resourceGroups/rg-network?${RES}`), 'reading rg-network');
      refused(await as(ALICE, 'GET', `${NW}/resourceGroups/rg-app?${RES}`), "reading Northwind's rg-app");
      const vnet = 'providers/Microsoft.Network/virtualNetworks/vnet-prod?api-version=2024-01-01';
      const network = `${FAB}/resourceGroups/rg-network`;
      for (const path of [
        `${network}/${vnet}`,
        `${network.toUpperCase()}/${vnet}`,
        `/SUBSCRIPTIONS/${DEMO_IDS.fabrikamProduction}/resourcegroups/RG-NETWORK/${vnet}`,
        `/subscriptions//${DEMO_IDS.fabrikamProduction}//resourceGroups//rg-network//${vnet}`,
        // A leading doubled slash, sent as written (a relative '//…' would name another host).
        `${lantern.baseUrl}//subscriptions/${DEMO_IDS.fabrikamProduction}/resourceGroups/rg-network/${vnet}`,
      ]) {
        refused(await as(ALICE, 'DELETE', path), `DELETE ${path}`);
        refused(await as(ALICE, 'PUT', path, { location: 'westeurope', properties: {} }), `PUT ${path}`);
      }
      for (const path of [`${web.toUpperCase()}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?${AUTHZ}`, `/subscriptions//${DEMO_IDS.fabrikamProduction}//resourceGroups//rg-web/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?${AUTHZ}`]) {
        refused(await as(ALICE, 'PUT', path, roleAssignment(web, BOB)[2]), `PUT ${path}`);
      }
      for (const path of [`${web.toUpperCase()}/providers/Microsoft.Storage/storageAccounts/bobspelled?${STORAGE}`, `/subscriptions//${DEMO_IDS.fabrikamProduction}//resourceGroups//rg-web//providers/Microsoft.Storage/storageAccounts/bobspelled?${STORAGE}`]) {
        refused(await as(BOB, 'PUT', path, STORAGE_BODY), `bob PUT ${path}`);
      }
      // The same spellings reach what is delegated: the path is one path however it is written.
      assert.equal((await as(ALICE, 'GET', `/SUBSCRIPTIONS/${DEMO_IDS.fabrikamProduction}/RESOURCEGROUPS/RG-WEB?${RES}`)).status, 200);
      assert.equal((await as(ALICE, 'GET', `/subscriptions//${DEMO_IDS.fabrikamProduction}//resourceGroups//rg-web?${RES}`)).status, 200);
      assert.equal((await as(OWNER, 'GET', `${network}/${vnet}`)).status, 200, 'the refused calls left vnet-prod as it was');
      const assignments = await as(OWNER, 'GET', `${FAB}/providers/Microsoft.Authorization/roleAssignments?${AUTHZ}&$filter=${encodeURIComponent(`principalId eq '${demo.id(BOB)}'`)}`);
      assert.deepEqual(assignments.body.value, [], 'no refused call assigned a role');
    });
  });
}
