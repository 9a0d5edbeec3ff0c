/**
 * `/` is the root of one directory: a role assignment there reaches the subscriptions of the
 * principal's own tenant and never another tenant's (only a delegation does that).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { READER } from '../../src/core/roles/builtin-catalog.js';
import { systemContext } from '../../src/services/context.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm, seedDelegationWorld, type DelegationWorld } from './support/delegation-world.js';

for (const database of testDatabases()) {
  describe(`role assignments at '/' (${database.name})`, () => {
    let lantern: TestLantern;
    let w: DelegationWorld;
    before(async () => {
      lantern = await startTestLantern(database);
      w = await seedDelegationWorld(lantern.services);
      const ctx = systemContext(lantern.services.ids);
      for (const principalId of [w.alice.principal.id, w.contributor.principal.id]) {
        await lantern.services.rbac.putRoleAssignment(ctx, { name: randomUUID(), scope: '/', roleDefinitionId: READER, principalId, principalType: 'User' });
      }
    });
    after(() => lantern.stop());

    it("does not let Contoso's Reader at '/' read Fabrikam's subscription", async () => {
      const res = await arm(lantern.baseUrl, 'GET', `/subscriptions/${w.subscriptionId}/resourceGroups/rg-web?api-version=2021-04-01`, await w.alice.token());
      assert.equal(res.status, 403);
      assert.equal(res.body.error?.code, 'AuthorizationFailed');
    });

    it("lets Fabrikam's own Reader at '/' read Fabrikam's subscriptions", async () => {
      const res = await arm(lantern.baseUrl, 'GET', `/subscriptions/${w.otherSubscriptionId}/resourceGroups/rg-dev?api-version=2021-04-01`, await w.contributor.token());
      assert.equal(res.status, 200);
    });
  });
}
