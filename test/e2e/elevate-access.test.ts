/**
 * The managing tenant's tenant-level activity log, read the way Azure makes it readable (lighthouse.md
 * §3.8): Contoso's Global Administrator elevates (`POST /providers/Microsoft.Authorization/elevateAccess`),
 * becomes User Access Administrator at `/` of Contoso only, assigns Monitoring Reader at `/` to
 * another user, who then reads `Microsoft.Resources/tenants/register|unregister/action`, one event per
 * delegated scope. Everyone else is refused. As the demo world's users, over HTTP.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { GLOBAL_ADMINISTRATOR } from '../../src/core/identity/directory-roles.js';
import { CONTRIBUTOR, MONITORING_READER, READER, REGISTRATION_ASSIGNMENT_DELETE_ROLE, USER_ACCESS_ADMINISTRATOR } from '../../src/core/roles/builtin-catalog.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm } from './support/delegation-world.js';
import { seedDemoUsers, type DemoUsers } from './support/demo-users.js';

const ELEVATE = '/providers/Microsoft.Authorization/elevateAccess?api-version=2016-07-01';
const MS = 'api-version=2022-10-01';
const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;

for (const database of testDatabases()) {
  describe(`elevated access and the tenant-level activity log (${database.name})`, () => {
    let lantern: TestLantern;
    let demo: DemoUsers;
    const start = new Date(Date.now() - 60_000).toISOString();
    const tenantLog = () => `/providers/microsoft.insights/eventtypes/management/values?api-version=2015-04-01&$filter=${encodeURIComponent(`eventTimestamp ge '${start}'`)}`;
    const as = async (upn: string, method: string, path: string, body?: unknown) => arm(lantern.baseUrl, method, path, await demo.token(upn), body);

    before(async () => {
      lantern = await startTestLantern(database);
      demo = await seedDemoUsers(lantern.services, lantern.baseUrl);
      // Fabrikam delegates its subscription and two resource groups to Contoso (a template offer), then removes one.
      const definition = randomUUID();
      const authorizations = [
        { principalId: demo.objectId('Contoso L2 Engineers'), principalIdDisplayName: 'Contoso L2 Engineers', roleDefinitionId: CONTRIBUTOR },
        { principalId: demo.objectId('Contoso L1 Support'), principalIdDisplayName: 'Contoso L1 Support', roleDefinitionId: READER },
        { principalId: demo.objectId('Contoso Offboarding'), principalIdDisplayName: 'Contoso Offboarding', roleDefinitionId: REGISTRATION_ASSIGNMENT_DELETE_ROLE },
      ];
      const owner = 'owner@fabrikam.example';
      const put = await as(owner, 'PUT', `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions/${definition}?${MS}`, {
        properties: { registrationDefinitionName: 'Contoso operations', managedByTenantId: DEMO_IDS.contosoTenant, authorizations },
      });
      assert.equal(put.status, 201, JSON.stringify(put.body));
      const definitionId = `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions/${definition}`;
      for (const scope of [FAB, `${FAB}/resourceGroups/rg-web`, `${FAB}/resourceGroups/rg-data`]) {
        const assigned = await as(owner, 'PUT', `${scope}/providers/Microsoft.ManagedServices/registrationAssignments/${randomUUID()}?${MS}`, { properties: { registrationDefinitionId: definitionId } });
        assert.equal(assigned.status, 201, JSON.stringify(assigned.body));
      }
      const list = await as(owner, 'GET', `${FAB}/resourceGroups/rg-data/providers/Microsoft.ManagedServices/registrationAssignments?${MS}`);
      const rgData = (list.body.value as { id: string }[])[0]?.id ?? '';
      assert.equal((await as(owner, 'DELETE', `${rgData}?${MS}`)).status, 200);
    });
    after(() => lantern.stop());

    it("gives the demo's Contoso admin the Global Administrator directory role", async () => {
      assert.deepEqual(demo.credentials.users.find((u) => u.userPrincipalName === 'admin@contoso.example')?.directoryRoles, ['Global Administrator']);
      assert.ok(await lantern.services.directoryRoles.holds(DEMO_IDS.contosoTenant, demo.objectId('admin@contoso.example'), GLOBAL_ADMINISTRATOR));
      await assert.rejects(
        lantern.services.directoryRoles.assign(DEMO_IDS.contosoTenant, demo.objectId('owner@fabrikam.example'), GLOBAL_ADMINISTRATOR),
        /does not exist in the directory/,
        "another directory's user can't be made Contoso's Global Administrator",
      );
    });

    it('refuses the tenant-level log to everyone before elevation', async () => {
      for (const upn of ['admin@contoso.example', 'bob@contoso.example']) {
        const r = await as(upn, 'GET', tenantLog());
        assert.equal(r.status, 403, upn);
        assert.equal(r.body.error?.code, 'AuthorizationFailed');
      }
    });

    it('refuses elevation to anyone who is not a Global Administrator of its own tenant', async () => {
      for (const upn of ['alice@contoso.example', 'owner@fabrikam.example', 'owner@northwind.example']) {
        const r = await as(upn, 'POST', ELEVATE);
        assert.equal(r.status, 403, upn);
        assert.equal(r.body.error?.code, 'AuthorizationFailed');
        assert.match(String(r.body.error?.message), /only a Global Administrator of tenant/);
      }
      const sp = demo.credentials.servicePrincipals.find((s) => s.displayName === 'contoso-automation');
      assert.ok(sp);
      const form = { grant_type: 'client_credentials', client_id: sp.clientId, client_secret: sp.clientSecret, scope: 'https://management.azure.com/.default' };
      const token = ((await (await fetch(`${lantern.baseUrl}/${DEMO_IDS.contosoTenant}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) })).json()) as { access_token: string }).access_token;
      const bySp = await arm(lantern.baseUrl, 'POST', ELEVATE, token);
      assert.equal(bySp.status, 403);
      assert.match(String(bySp.body.error?.message), /only a user can elevate/);
      const noVersion = await as('admin@contoso.example', 'POST', '/providers/Microsoft.Authorization/elevateAccess');
      assert.equal(noVersion.status, 400);
      assert.equal(noVersion.body.error?.code, 'MissingApiVersionParameter');
      const rootUaa = (await lantern.services.store.authorization.listRoleAssignmentsUnder('/')).filter((a) => a.scope === '/' && a.roleDefinitionId === USER_ACCESS_ADMINISTRATOR);
      assert.deepEqual(rootUaa, [], 'no refused call left an assignment behind');
    });

    it("elevates the Global Administrator to User Access Administrator at '/' of Contoso only", async () => {
      const admin = 'admin@contoso.example';
      assert.equal((await as(admin, 'POST', ELEVATE)).status, 200);
      assert.equal((await as(admin, 'POST', ELEVATE)).status, 200, 'a repeat is harmless');
      const mine = await as(admin, 'GET', `/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=${encodeURIComponent(`principalId eq '${demo.objectId(admin)}'`)}`);
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      const roots = (mine.body.value as { properties: { scope: string; roleDefinitionId: string } }[]).filter((a) => a.properties.scope === '/');
      assert.equal(roots.length, 1, 'one assignment however often it elevates');
      assert.match(roots[0]?.properties.roleDefinitionId ?? '', new RegExp(`${USER_ACCESS_ADMINISTRATOR}$`));
      // '/' is Contoso's root: nothing of Fabrikam is reachable, and no role can be assigned there.
      assert.equal((await as(admin, 'GET', `${FAB}/resourceGroups/rg-web?api-version=2021-04-01`)).status, 403);
      const foreign = await as(admin, 'PUT', `${FAB}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?api-version=2022-04-01`, {
        properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${MONITORING_READER}`, principalId: demo.objectId(admin), principalType: 'User' },
      });
      assert.equal(foreign.status, 403);
      // Nor does a list at '/' show Fabrikam's role assignments: the root is Contoso's, whatever the filter.
      for (const filter of ['', `&$filter=${encodeURIComponent(`principalId eq '${demo.objectId('owner@fabrikam.example')}'`)}`, `&$filter=${encodeURIComponent(`assignedTo('${demo.objectId('owner@fabrikam.example')}')`)}`]) {
        const all = await as(admin, 'GET', `/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01${filter}`);
        assert.equal(all.status, 200, JSON.stringify(all.body));
        const scopes = (all.body.value as { properties: { scope: string } }[]).map((a) => a.properties.scope.toLowerCase());
        assert.ok(scopes.length > 0 || filter !== '', 'its own assignments are listed');
        assert.deepEqual(scopes.filter((scope) => scope.startsWith(FAB.toLowerCase())), [], `no Fabrikam assignment (${filter || 'no filter'})`);
      }
    });

    it("lists at '/' no custom role of another directory, while its own directory sees it", async () => {
      const put = await as('owner@fabrikam.example', 'PUT', `${FAB}/providers/Microsoft.Authorization/roleDefinitions/${randomUUID()}?api-version=2022-04-01`, {
        properties: { roleName: 'Fabrikam night shift', permissions: [{ actions: ['Microsoft.Compute/virtualMachines/restart/action'] }], assignableScopes: [FAB] },
      });
      assert.equal(put.status, 201, JSON.stringify(put.body));
      const customRoles = async (upn: string, scope: string) => {
        const r = await as(upn, 'GET', `${scope}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01&$filter=${encodeURIComponent("type eq 'CustomRole'")}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return (r.body.value as { properties: { roleName: string } }[]).map((d) => d.properties.roleName);
      };
      assert.ok((await customRoles('owner@fabrikam.example', FAB)).includes('Fabrikam night shift'));
      assert.equal((await as('admin@contoso.example', 'POST', ELEVATE)).status, 200);
      assert.deepEqual((await customRoles('admin@contoso.example', '')).filter((name) => name === 'Fabrikam night shift'), [], "Contoso's root is not Fabrikam's");
    });

    it("lets a user given Monitoring Reader at '/' read one register event per delegated scope and the unregister", async () => {
      const bob = 'bob@contoso.example';
      assert.equal((await as(bob, 'GET', tenantLog())).status, 403);
      const assigned = await as('admin@contoso.example', 'PUT', `/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?api-version=2022-04-01`, {
        properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${MONITORING_READER}`, principalId: demo.objectId(bob), principalType: 'User' },
      });
      assert.equal(assigned.status, 201, JSON.stringify(assigned.body));
      const log = await as(bob, 'GET', tenantLog());
      assert.equal(log.status, 200, JSON.stringify(log.body));
      const events = (log.body.value ?? []) as { operationName: { value: string }; tenantId: string; description: string; status: { value: string } }[];
      const described = (op: string) =>
        events.filter((e) => e.operationName.value === `Microsoft.Resources/tenants/${op}/action`).map((e) => JSON.parse(e.description) as { delegationResourceId: string; subscriptionTenantId: string; subscriptionId: string });
      assert.deepEqual(described('register').map((d) => d.delegationResourceId).sort(), [FAB, `${FAB}/resourceGroups/rg-data`, `${FAB}/resourceGroups/rg-web`]);
      assert.deepEqual(described('unregister').map((d) => d.delegationResourceId), [`${FAB}/resourceGroups/rg-data`]);
      assert.ok(described('register').every((d) => d.subscriptionTenantId === DEMO_IDS.fabrikamTenant && d.subscriptionId === DEMO_IDS.fabrikamProduction));
      assert.ok(events.every((e) => e.tenantId === DEMO_IDS.contosoTenant));
      // Refused tenant-level writes (an elevation by a non-administrator) are in the log too, as Failed.
      assert.ok(events.filter((e) => e.operationName.value.startsWith('Microsoft.Resources/tenants/')).every((e) => e.status.value === 'Succeeded'));
      // Fabrikam's owner reads neither Contoso's log nor one of its own without a role at '/'.
      assert.equal((await as('owner@fabrikam.example', 'GET', tenantLog())).status, 403);
    });
  });
}
