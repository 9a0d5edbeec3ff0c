/**
 * "May P do A at S, and why?" (GET /lantern/explain) and ARM's permissions list, as the demo world's
 * users over HTTP (SQLite and PostgreSQL): Fabrikam's Owner delegates rg-web to "Contoso L2
 * Engineers" as Reader. A caller asks about itself; a customer Owner about a delegate; a non-Owner,
 * another tenant's principal and a provider user without tenant-wide rights are refused, and a
 * principal of a directory unrelated to the scope is not found.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { READER } from '../../src/core/roles/builtin-catalog.js';
import { DEMO_IDS, seedDemoWorldInto, type DemoCredentials } from '../../src/services/demo/demo-world.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm, type ArmResponse } from '../e2e/support/delegation-world.js';

const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const SUB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const RG = `${SUB}/resourceGroups/rg-web`;
const READ = 'Microsoft.Resources/subscriptions/resourceGroups/read';
const WRITE = 'Microsoft.Resources/subscriptions/resourceGroups/write';

interface Explanation {
  allowed: boolean;
  reason: string;
  principal: { id: string; type: string };
  grants: { source: string; roleName: string; scope: string; viaGroup?: string }[];
}

for (const database of testDatabases()) {
  describe(`explain and the permissions list, over HTTP (${database.name})`, () => {
    let lantern: TestLantern;
    let demo: DemoCredentials;
    const user = (upn: string) => demo.users.find((u) => u.userPrincipalName === upn)!;
    const call = async (method: string, path: string, upn: string, body?: unknown): Promise<ArmResponse> => {
      const u = user(upn);
      const tenant = demo.tenants.find((t) => t.name === u.tenant)!.tenantId;
      const form = { grant_type: 'password', client_id: AZURE_CLI, username: u.userPrincipalName, password: u.password, scope: 'https://management.azure.com/.default' };
      return arm(lantern.baseUrl, method, path, (await lantern.services.identity.tokens.token(tenant, form)).access_token, body);
    };
    const explain = (upn: string, action: string, scope: string, principalId?: string) =>
      call('GET', `/lantern/explain?action=${encodeURIComponent(action)}&scope=${encodeURIComponent(scope)}${principalId ? `&principalId=${principalId}` : ''}`, upn);

    before(async () => {
      lantern = await startTestLantern(database);
      const s = lantern.services;
      demo = await seedDemoWorldInto(s);
      const l2 = demo.groups.find((g) => g.displayName === 'Contoso L2 Engineers')!.objectId;
      const definition = randomUUID();
      const owner = 'owner@fabrikam.example';
      const put = await call('PUT', `${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${definition}?api-version=2022-10-01`, owner, {
        properties: { registrationDefinitionName: 'Contoso web support', managedByTenantId: DEMO_IDS.contosoTenant, authorizations: [{ principalId: l2, principalIdDisplayName: 'Contoso L2 Engineers', roleDefinitionId: READER }] },
      });
      assert.equal(put.status, 201, JSON.stringify(put.body));
      const assigned = await call('PUT', `${RG}/providers/Microsoft.ManagedServices/registrationAssignments/${randomUUID()}?api-version=2022-10-01`, owner, {
        properties: { registrationDefinitionId: `${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${definition}` },
      });
      assert.equal(assigned.status, 201, JSON.stringify(assigned.body));
    });
    after(() => lantern.stop());

    it('tells a caller what allows it, through which group and delegation, and what is missing', async () => {
      const allowed = await explain('alice@contoso.example', READ, RG);
      assert.equal(allowed.status, 200, JSON.stringify(allowed.body));
      const yes = allowed.body as unknown as Explanation;
      assert.equal(yes.allowed, true);
      assert.deepEqual(yes.grants.map((g) => [g.source, g.roleName, g.scope, g.viaGroup]), [['delegation', 'Reader', RG, 'Contoso L2 Engineers']]);
      const no = (await explain('alice@contoso.example', WRITE, RG)).body as unknown as Explanation;
      assert.equal(no.allowed, false);
      assert.match(no.reason, /roles 'Reader'.*none of their Actions allows 'Microsoft.Resources\/subscriptions\/resourceGroups\/write'/);
      const elsewhere = (await explain('alice@contoso.example', READ, `${SUB}/resourceGroups/rg-data`)).body as unknown as Explanation;
      assert.deepEqual([elsewhere.allowed, elsewhere.grants], [false, []]);
      assert.match(elsewhere.reason, /No role assignment, delegation or active eligible activation applies/);
    });

    it("answers a customer Owner about a delegate in its scope, from the directory's facts", async () => {
      const alice = user('alice@contoso.example').objectId;
      const res = await explain('owner@fabrikam.example', READ, RG, alice);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const body = res.body as unknown as Explanation;
      assert.deepEqual([body.allowed, body.principal.id, body.principal.type], [true, alice, 'User']);
      assert.equal((await explain('owner@fabrikam.example', READ, RG, randomUUID())).body.error?.code, 'PrincipalNotFound');
    });

    it('refuses asking about others without the right: a non-Owner, another tenant, a provider user without rights at the root', async () => {
      const alice = user('alice@contoso.example').objectId;
      for (const [upn, about, scope] of [
        ['reader@fabrikam.example', alice, RG],
        ['owner@northwind.example', user('owner@fabrikam.example').objectId, SUB],
        ['alice@contoso.example', user('bob@contoso.example').objectId, RG],
      ] as const) {
        const res = await explain(upn, READ, scope, about);
        assert.equal(res.status, 403, `${upn}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error?.code, 'AuthorizationFailed');
      }
    });

    it("tells an Owner nothing of a principal of a directory unrelated to its scope: not found, as a GUID of no one", async () => {
      const northwindSub = `/subscriptions/${DEMO_IDS.northwindDev}`;
      for (const [upn, about, scope] of [
        ['owner@northwind.example', user('owner@fabrikam.example').objectId, northwindSub],
        ['owner@northwind.example', user('alice@contoso.example').objectId, northwindSub],
        ['owner@fabrikam.example', user('owner@northwind.example').objectId, RG],
        ['owner@fabrikam.example', user('owner@northwind.example').objectId.toUpperCase(), SUB],
      ] as const) {
        const res = await explain(upn, READ, scope, about);
        assert.equal(res.status, 404, `${upn} about ${about}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error?.code, 'PrincipalNotFound');
        assert.equal(res.body.error?.message, `Principal '${about}' does not exist in the directory.`, 'the words said of a GUID of no one');
        assert.doesNotMatch(JSON.stringify(res.body), /Fabrikam|Northwind|Contoso|Alice/i);
      }
      // Its own directory's principals stay askable at its own scope.
      const own = await explain('owner@fabrikam.example', READ, RG, user('reader@fabrikam.example').objectId);
      assert.equal(own.status, 200, JSON.stringify(own.body));
    });

    it("lists ARM's effective permissions from the same engine", async () => {
      const res = await call('GET', `${RG}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`, 'alice@contoso.example');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok((res.body.value as { actions: string[] }[]).some((p) => p.actions.includes('*/read')));
      assert.deepEqual((await call('GET', `${SUB}/resourceGroups/rg-data/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`, 'alice@contoso.example')).body.value, []);
    });
  });
}
