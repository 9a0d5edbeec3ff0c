/**
 * `/` and management-group scopes are spelled the same in every directory but are each directory's
 * own (ARM resolves them in the caller's tenant): what one directory puts there is not another's to
 * read, change or delete. Contoso's and Fabrikam's Global Administrators both elevate (User Access
 * Administrator at their own `/`); Fabrikam's then tries every way at Contoso's role assignment at
 * `/` and its custom role assignable at a management group named the same in both. And a custom
 * role may not span directories through a Lighthouse delegation. Over HTTP, on SQLite and PostgreSQL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { GLOBAL_ADMINISTRATOR } from '../../src/core/identity/directory-roles.js';
import { CONTRIBUTOR, MONITORING_READER, OWNER, READER, USER_ACCESS_ADMINISTRATOR } from '../../src/core/roles/builtin-catalog.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { createSubscription } from '../../src/services/operator/subscription-admin.js';
import { systemContext } from '../../src/services/context.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm } from '../e2e/support/delegation-world.js';
import { seedDemoUsers, type DemoUsers } from '../e2e/support/demo-users.js';

const ELEVATE = '/providers/Microsoft.Authorization/elevateAccess?api-version=2016-07-01';
const AUTHZ = 'api-version=2022-04-01';
const MS = 'api-version=2022-10-01';
const MG = '/providers/Microsoft.Management/managementGroups/operations';
const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const CONTOSO_ADMIN = 'admin@contoso.example';
const FABRIKAM_ADMIN = 'owner@fabrikam.example';

const assignmentAt = (scope: string, name: string) => `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}?${AUTHZ}`;
const roleAt = (scope: string, id: string) => `${scope}/providers/Microsoft.Authorization/roleDefinitions/${id}?${AUTHZ}`;
const customRole = (roleName: string, assignableScopes: string[]) => ({ properties: { roleName, permissions: [{ actions: ['Microsoft.Resources/subscriptions/resourceGroups/read'] }], assignableScopes } });

for (const database of testDatabases()) {
  describe(`/ and management groups are each directory's own (${database.name})`, () => {
    let lantern: TestLantern;
    let demo: DemoUsers;
    const as = async (upn: string, method: string, path: string, body?: unknown) => arm(lantern.baseUrl, method, path, await demo.token(upn), body);
    const names = (r: { body: Record<string, unknown> }) => ((r.body.value ?? []) as { name: string }[]).map((x) => x.name.toLowerCase());

    before(async () => {
      lantern = await startTestLantern(database);
      demo = await seedDemoUsers(lantern.services, lantern.baseUrl);
      await lantern.services.directoryRoles.assign(DEMO_IDS.fabrikamTenant, demo.objectId(FABRIKAM_ADMIN), GLOBAL_ADMINISTRATOR);
      for (const upn of [CONTOSO_ADMIN, FABRIKAM_ADMIN]) assert.equal((await as(upn, 'POST', ELEVATE)).status, 200, upn);
    });
    after(() => lantern.stop());

    {
      const scope = '';
      it("keeps Contoso's role assignment at / out of Fabrikam's reads, writes and deletes", async () => {
        const name = randomUUID();
        const put = await as(CONTOSO_ADMIN, 'PUT', assignmentAt(scope, name), { properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${MONITORING_READER}`, principalId: demo.objectId('bob@contoso.example') } });
        assert.equal(put.status, 201, JSON.stringify(put.body));
        // Fabrikam's own assignment there, so its list is not empty for want of rights.
        const own = randomUUID();
        assert.equal((await as(FABRIKAM_ADMIN, 'PUT', assignmentAt(scope, own), { properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${READER}`, principalId: demo.objectId(FABRIKAM_ADMIN) } })).status, 201);

        const list = await as(FABRIKAM_ADMIN, 'GET', `${scope}/providers/Microsoft.Authorization/roleAssignments?${AUTHZ}&$filter=atScope()`);
        assert.equal(list.status, 200, JSON.stringify(list.body));
        assert.ok(names(list).includes(own) && !names(list).includes(name), `Fabrikam lists only its own: ${names(list).join()}`);
        for (const spelling of [name, name.toUpperCase()]) {
          assert.equal((await as(FABRIKAM_ADMIN, 'GET', assignmentAt(scope, spelling))).status, 404, `GET ${spelling}`);
          assert.equal((await as(FABRIKAM_ADMIN, 'DELETE', assignmentAt(scope, spelling))).status, 204, `DELETE ${spelling} finds nothing`);
        }
        const retake = await as(FABRIKAM_ADMIN, 'PUT', assignmentAt(scope, name), { properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${READER}`, principalId: demo.objectId(FABRIKAM_ADMIN) } });
        assert.equal(retake.status, 409, `its name is taken, not changed: ${JSON.stringify(retake.body)}`);
        const kept = await as(CONTOSO_ADMIN, 'GET', assignmentAt(scope, name));
        assert.equal(kept.status, 200, 'still there for Contoso');
        assert.equal((kept.body.properties as { principalId: string }).principalId, demo.objectId('bob@contoso.example'));
        const contosoList = await as(CONTOSO_ADMIN, 'GET', `${scope}/providers/Microsoft.Authorization/roleAssignments?${AUTHZ}&$filter=atScope()`);
        assert.ok(names(contosoList).includes(name) && !names(contosoList).includes(own), 'and Contoso lists only its own');
      });
    }

    it("keeps Contoso's management-group custom role out of Fabrikam's lists, reads, writes and deletes", async () => {
      const id = randomUUID();
      // Lantern routes Microsoft.Authorization at `/`, not at management groups: the role is written at `/`.
      const put = await as(CONTOSO_ADMIN, 'PUT', roleAt('', id), customRole('Group auditor', [MG]));
      assert.equal(put.status, 201, JSON.stringify(put.body));
      const customNames = async (upn: string, scope: string) => {
        const r = await as(upn, 'GET', `${scope}/providers/Microsoft.Authorization/roleDefinitions?${AUTHZ}&$filter=${encodeURIComponent("type eq 'CustomRole'")}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return (r.body.value as { properties: { roleName: string } }[]).map((d) => d.properties.roleName);
      };
      assert.ok(!(await customNames(FABRIKAM_ADMIN, '')).includes('Group auditor'), 'not listed for Fabrikam');
      assert.ok((await customNames(CONTOSO_ADMIN, '')).includes('Group auditor'), 'listed for Contoso');
      for (const spelling of [id, id.toUpperCase()]) assert.equal((await as(FABRIKAM_ADMIN, 'GET', roleAt('', spelling))).status, 404, spelling);
      const takeover = await as(FABRIKAM_ADMIN, 'PUT', roleAt('', id), customRole('Mine now', [MG]));
      assert.equal(takeover.status, 409, JSON.stringify(takeover.body));
      assert.equal(takeover.body.error?.code, 'RoleDefinitionIdExists');
      assert.equal((await as(FABRIKAM_ADMIN, 'DELETE', roleAt('', id))).status, 204, 'a delete from another directory finds nothing');
      const kept = await as(CONTOSO_ADMIN, 'GET', roleAt('', id));
      assert.equal(kept.status, 200);
      assert.equal((kept.body.properties as { roleName: string }).roleName, 'Group auditor', 'unchanged');
      const sameName = await as(FABRIKAM_ADMIN, 'PUT', roleAt('', randomUUID()), customRole('Group auditor', [MG]));
      assert.equal(sameName.status, 201, `the name is free in Fabrikam: ${JSON.stringify(sameName.body)}`);
    });

    it('refuses a custom role whose assignable scopes reach into another directory through a delegation', async () => {
      // Bob owns a Contoso subscription and holds User Access Administrator on Fabrikam's through Lighthouse.
      const bob = demo.objectId('bob@contoso.example');
      const contosoSub = `/subscriptions/${randomUUID()}`;
      await createSubscription({ store: lantern.services.store, engine: lantern.services.access.engine }, { subscriptionId: contosoSub.split('/')[2] as string, tenantId: DEMO_IDS.contosoTenant, displayName: 'Contoso Tools' });
      await lantern.services.rbac.putRoleAssignment(systemContext(lantern.services.ids), { name: randomUUID(), scope: contosoSub, roleDefinitionId: OWNER, principalId: bob, principalType: 'User' });
      const definition = `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions/${randomUUID()}`;
      const offer = await as(FABRIKAM_ADMIN, 'PUT', `${definition}?${MS}`, {
        properties: { registrationDefinitionName: 'Contoso identity care', managedByTenantId: DEMO_IDS.contosoTenant, authorizations: [{ principalId: bob, principalIdDisplayName: 'Bob', roleDefinitionId: USER_ACCESS_ADMINISTRATOR, delegatedRoleDefinitionIds: [CONTRIBUTOR] }] },
      });
      assert.equal(offer.status, 201, JSON.stringify(offer.body));
      assert.equal((await as(FABRIKAM_ADMIN, 'PUT', `${FAB}/providers/Microsoft.ManagedServices/registrationAssignments/${randomUUID()}?${MS}`, { properties: { registrationDefinitionId: definition } })).status, 201);

      const id = randomUUID();
      const spanning = await as('bob@contoso.example', 'PUT', roleAt(contosoSub, id), customRole('Both sides', [contosoSub, `${FAB}/resourceGroups/rg-web`]));
      assert.equal(spanning.status, 400, JSON.stringify(spanning.body));
      assert.equal(spanning.body.error?.code, 'InvalidAssignableScope');
      assert.equal(spanning.body.error?.target, 'properties.assignableScopes[1]');
      assert.equal((await as('bob@contoso.example', 'GET', roleAt(contosoSub, id))).status, 404, 'nothing written');
      assert.equal((await as(FABRIKAM_ADMIN, 'GET', roleAt(FAB, id))).status, 404, 'nor seen by Fabrikam');
      const own = await as('bob@contoso.example', 'PUT', roleAt(contosoSub, id), customRole('One side', [contosoSub]));
      assert.equal(own.status, 201, `within its own directory it may: ${JSON.stringify(own.body)}`);
    });
  });
}
