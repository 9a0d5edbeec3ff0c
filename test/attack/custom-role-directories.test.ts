/**
 * Custom roles belong to one directory (issue 16's review of lists at the root): another
 * directory's Owner can neither read one by its id, see it in a list (at its subscription or at
 * '/' after elevating), take its GUID over with a PUT naming its own scopes, nor delete it; role
 * names are unique within a directory only. On SQLite and PostgreSQL, over HTTPS.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { OWNER, READER } from '../../src/core/roles/builtin-catalog.js';
import { createSubscription } from '../../src/services/operator/subscription-admin.js';
import { systemContext } from '../../src/services/context.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm, buildWorld, tokenOf, type ArmWorld } from '../arm/support.js';

const AUTHZ = 'api-version=2022-04-01';

for (const database of testDatabases()) {
  describe(`custom roles stay in their directory (${database.name})`, () => {
    let lantern: TestLantern;
    let world: ArmWorld;
    let contosoOwner: string;
    let tailspinOwner: string;
    let tailspinSub: string;
    let tailspinPrincipal: string;
    const roleAt = (scope: string, id: string) => `${scope}/providers/Microsoft.Authorization/roleDefinitions/${id}?${AUTHZ}`;
    const customRole = (roleName: string, scope: string) => ({ properties: { roleName, permissions: [{ actions: ['Microsoft.Compute/virtualMachines/restart/action'] }], assignableScopes: [scope] } });
    const customNames = async (token: string, scope: string) => {
      const r = await arm(lantern, 'GET', `${scope}/providers/Microsoft.Authorization/roleDefinitions?${AUTHZ}&$filter=${encodeURIComponent("type eq 'CustomRole'")}`, token);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return (r.body.value as { properties: { roleName: string } }[]).map((d) => d.properties.roleName);
    };

    before(async () => {
      lantern = await startTestLantern(database);
      world = await buildWorld(lantern);
      contosoOwner = await tokenOf(lantern, world.owner);
      // Tailspin: another directory with a subscription its service principal owns.
      const { directory } = lantern.services.identity;
      const tailspin = (await directory.createTenant({ displayName: 'Tailspin', defaultDomain: `tailspin-${randomUUID().slice(0, 8)}.example` })).id;
      const sp = await directory.createServicePrincipal({ tenantId: tailspin, displayName: 'tailspin-owner' });
      const secret = (await directory.addClientSecret(sp.id, { displayName: 't' })).value;
      const subscriptionId = randomUUID();
      await createSubscription({ store: lantern.services.store, engine: lantern.services.access.engine }, { subscriptionId, tenantId: tailspin, displayName: 'Tailspin Production' });
      tailspinSub = `/subscriptions/${subscriptionId}`;
      await lantern.services.rbac.putRoleAssignment(systemContext(lantern.services.ids), { name: randomUUID(), scope: tailspinSub, roleDefinitionId: OWNER, principalId: sp.id, principalType: 'ServicePrincipal' });
      tailspinPrincipal = sp.id;
      tailspinOwner = await tokenOf(lantern, { objectId: sp.id, appId: sp.appId, tenantId: tailspin, secret, displayName: 'tailspin-owner' });
    });
    after(() => lantern.stop());

    it("keeps Contoso's custom role out of Tailspin's reads, writes and deletes, and its name free for Tailspin", async () => {
      const contosoSub = `/subscriptions/${world.subscriptionId}`;
      const id = randomUUID();
      assert.equal((await arm(lantern, 'PUT', roleAt(contosoSub, id), contosoOwner, customRole('Night shift', contosoSub))).status, 201);

      assert.equal((await arm(lantern, 'GET', roleAt(tailspinSub, id), tailspinOwner)).status, 404, 'not readable by id from another directory');
      assert.equal((await arm(lantern, 'GET', roleAt(tailspinSub, id.toUpperCase()), tailspinOwner)).status, 404, 'in any casing');
      assert.ok(!(await customNames(tailspinOwner, tailspinSub)).includes('Night shift'), 'not listed at its subscription');

      const takeover = await arm(lantern, 'PUT', roleAt(tailspinSub, id), tailspinOwner, { properties: { ...customRole('Mine now', tailspinSub).properties, permissions: [{ actions: ['*'] }] } });
      assert.equal(takeover.status, 409, JSON.stringify(takeover.body));
      assert.equal(takeover.body.error?.code, 'RoleDefinitionIdExists');
      assert.doesNotMatch(takeover.body.error?.message ?? '', /Night shift|subscriptions/, 'the refusal names nothing of the other directory');
      assert.equal((await arm(lantern, 'DELETE', roleAt(tailspinSub, id), tailspinOwner)).status, 204, 'a delete from another directory finds nothing');
      const kept = await arm(lantern, 'GET', roleAt(contosoSub, id), contosoOwner);
      assert.equal(kept.status, 200);
      const props = kept.body.properties as { roleName: string; assignableScopes: string[]; permissions: { actions: string[] }[] };
      assert.deepEqual([props.roleName, props.assignableScopes, props.permissions[0]?.actions], ['Night shift', [contosoSub], ['Microsoft.Compute/virtualMachines/restart/action']], 'unchanged and still there');

      const assignIt = await arm(lantern, 'PUT', `${tailspinSub}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?${AUTHZ}`, tailspinOwner, { properties: { roleDefinitionId: `${tailspinSub}/providers/Microsoft.Authorization/roleDefinitions/${id}`, principalId: tailspinPrincipal } });
      assert.equal(assignIt.status, 400, JSON.stringify(assignIt.body));
      assert.equal(assignIt.body.error?.code, 'RoleDefinitionDoesNotExist');
      assert.doesNotMatch(JSON.stringify(assignIt.body), new RegExp(world.subscriptionId), 'nor where it may be assigned');

      const sameName = await arm(lantern, 'PUT', roleAt(tailspinSub, randomUUID()), tailspinOwner, customRole('Night shift', tailspinSub));
      assert.equal(sameName.status, 201, `names are unique within a directory: ${JSON.stringify(sameName.body)}`);
      assert.deepEqual(await customNames(tailspinOwner, tailspinSub), ['Night shift']);
      const again = await arm(lantern, 'PUT', roleAt(contosoSub, randomUUID()), contosoOwner, customRole('Night shift', contosoSub));
      assert.equal(again.body.error?.code, 'RoleDefinitionWithSameNameExists', 'but unique within one');
    });

    it("names the scope of a role assignment whose name is taken only to its own directory", async () => {
      const contosoSub = `/subscriptions/${world.subscriptionId}`;
      const name = randomUUID();
      const body = (principalId: string) => ({ properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${READER}`, principalId } });
      const assignmentAt = (scope: string) => `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}?${AUTHZ}`;
      assert.equal((await arm(lantern, 'PUT', assignmentAt(`${contosoSub}/resourceGroups/rg-app`), contosoOwner, body(world.owner.objectId))).status, 201);
      const foreign = await arm(lantern, 'PUT', assignmentAt(tailspinSub), tailspinOwner, body(tailspinPrincipal));
      assert.equal(foreign.status, 409, JSON.stringify(foreign.body));
      assert.equal(foreign.body.error?.code, 'RoleAssignmentExists');
      assert.doesNotMatch(JSON.stringify(foreign.body), new RegExp(`${world.subscriptionId}|rg-app`, 'i'), 'nothing of where it is');
      const own = await arm(lantern, 'PUT', assignmentAt(contosoSub), contosoOwner, body(world.owner.objectId));
      assert.match(String(own.body.error?.message), /rg-app/, 'its own directory is told where');
    });

    it('gives a GUID two directories PUT at once to one of them, and the role stays wholly that one\'s', async () => {
      const contosoSub = `/subscriptions/${world.subscriptionId}`;
      for (let round = 0; round < 5; round++) {
        const id = randomUUID();
        const [contoso, tailspin] = await Promise.all([
          arm(lantern, 'PUT', roleAt(contosoSub, id), contosoOwner, customRole(`Race ${round} Contoso`, contosoSub)),
          arm(lantern, 'PUT', roleAt(tailspinSub, id), tailspinOwner, customRole(`Race ${round} Tailspin`, tailspinSub)),
        ]);
        const statuses = [contoso.status, tailspin.status].sort();
        assert.deepEqual(statuses, [201, 409], JSON.stringify([contoso.body, tailspin.body]));
        const [winner, scope, token, other, otherToken] = contoso.status === 201
          ? ['Contoso', contosoSub, contosoOwner, tailspinSub, tailspinOwner] : ['Tailspin', tailspinSub, tailspinOwner, contosoSub, contosoOwner];
        const stored = (await arm(lantern, 'GET', roleAt(scope, id), token)).body.properties as { roleName: string; assignableScopes: string[] };
        assert.deepEqual([stored.roleName, stored.assignableScopes], [`Race ${round} ${winner}`, [scope]]);
        assert.equal((await arm(lantern, 'GET', roleAt(other, id), otherToken)).status, 404, 'the loser does not see it');
      }
    });

    it('changes or deletes a custom role only with the right at every scope it may be assigned', async () => {
      const contosoSub = `/subscriptions/${world.subscriptionId}`;
      const otherSub = `/subscriptions/${world.otherSubscriptionId}`;
      const id = randomUUID();
      const both = { properties: { ...customRole('Two subscriptions', contosoSub).properties, assignableScopes: [contosoSub, otherSub] } };
      assert.equal((await arm(lantern, 'PUT', roleAt(contosoSub, id), contosoOwner, both)).status, 201);
      // A Contoso principal that owns only the first subscription, through which it addresses the role.
      const { directory } = lantern.services.identity;
      const sp = await directory.createServicePrincipal({ tenantId: world.contoso, displayName: 'contoso-half-owner' });
      await lantern.services.rbac.putRoleAssignment(systemContext(lantern.services.ids), { name: randomUUID(), scope: contosoSub, roleDefinitionId: OWNER, principalId: sp.id, principalType: 'ServicePrincipal' });
      const halfOwner = await tokenOf(lantern, { objectId: sp.id, appId: sp.appId, tenantId: world.contoso, secret: (await directory.addClientSecret(sp.id, { displayName: 't' })).value, displayName: 'half' });
      const narrowed = await arm(lantern, 'PUT', roleAt(contosoSub, id), halfOwner, customRole('Narrowed', contosoSub));
      assert.equal(narrowed.status, 403, JSON.stringify(narrowed.body));
      assert.match(narrowed.body.error?.message ?? '', new RegExp(world.otherSubscriptionId), 'refused for the scope it cannot write');
      assert.equal((await arm(lantern, 'DELETE', roleAt(contosoSub, id), halfOwner)).status, 403);
      const kept = await arm(lantern, 'GET', roleAt(contosoSub, id), contosoOwner);
      assert.deepEqual([(kept.body.properties as { roleName: string }).roleName, (kept.body.properties as { assignableScopes: string[] }).assignableScopes], ['Two subscriptions', [contosoSub, otherSub]]);
      assert.equal((await arm(lantern, 'DELETE', roleAt(contosoSub, id), contosoOwner)).status, 200, 'the owner of both may');
    });
  });
}
