/**
 * Users signed in with the password grant are named by their UPN where ARM names a caller: in the
 * AuthorizationFailed message and in the customer's activity log.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { READER } from '../../src/core/roles/builtin-catalog.js';
import { arm, assignRole, PASSWORD, seedDelegationWorld, type DelegationWorld } from './support/delegation-world.js';

for (const database of testDatabases()) {
  describe(`a user as ARM caller (${database.name})`, () => {
    let lantern: TestLantern;
    let w: DelegationWorld;
    before(async () => {
      lantern = await startTestLantern(database);
      w = await seedDelegationWorld(lantern.services);
    });
    after(() => lantern.stop());

    it("refuses an undelegated provider user with ARM's message naming the UPN", async () => {
      const scope = `/subscriptions/${w.subscriptionId}/resourceGroups/rg-web`;
      const res = await arm(lantern.baseUrl, 'GET', `${scope}?api-version=2021-04-01`, await w.alice.token());
      assert.equal(res.status, 403);
      assert.equal(res.body.error?.code, 'AuthorizationFailed');
      assert.equal(
        res.body.error?.message,
        `The client '${w.alice.principal.userPrincipalName}' with object id '${w.alice.principal.id}' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourceGroups/read' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      );
    });

    it('lists a subscription to a user who may read only one of its resource groups, and none to a user with no grant', async () => {
      const { directory, tokens } = lantern.services.identity;
      const tokenOf = async (name: string) => {
        const user = await directory.createUser({ tenantId: w.fabrikam.id, userType: 'Member', userPrincipalName: `${name}@${w.fabrikam.defaultDomain}`, displayName: name, password: PASSWORD });
        const token = (await tokens.token(w.fabrikam.id, { grant_type: 'password', client_id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', username: user.userPrincipalName, password: PASSWORD, scope: 'https://management.azure.com/.default' })).access_token;
        return { user, token };
      };
      const narrow = await tokenOf('rg-reader');
      const nobody = await tokenOf('no-grant');
      await assignRole(lantern.services, `/subscriptions/${w.otherSubscriptionId}/resourceGroups/rg-dev`, READER, narrow.user.id, 'User');
      const listed = async (token: string) =>
        ((await arm(lantern.baseUrl, 'GET', '/subscriptions?api-version=2022-12-01', token)).body.value as { subscriptionId: string }[]).map((s) => s.subscriptionId);
      assert.deepEqual(await listed(narrow.token), [w.otherSubscriptionId]);
      assert.deepEqual(await listed(nobody.token), []);
      assert.deepEqual((await listed(await w.owner.token())).sort(), [w.subscriptionId, w.otherSubscriptionId].sort());
    });

    it("records the customer owner's write under the UPN", async () => {
      const start = new Date(Date.now() - 60_000).toISOString();
      const owner = await w.owner.token();
      const put = await arm(lantern.baseUrl, 'PUT', `/subscriptions/${w.subscriptionId}/resourceGroups/rg-owned?api-version=2021-04-01`, owner, { location: 'westeurope' });
      assert.equal(put.status, 201);
      const filter = encodeURIComponent(`eventTimestamp ge '${start}' and eventTimestamp le '${new Date(Date.now() + 60_000).toISOString()}'`);
      const log = await arm(lantern.baseUrl, 'GET', `/subscriptions/${w.subscriptionId}/providers/microsoft.insights/eventtypes/management/values?api-version=2015-04-01&$filter=${filter}`, owner);
      assert.equal(log.status, 200);
      const events = (log.body.value ?? []) as { caller: string; authorization: { action: string } }[];
      const write = events.find((e) => e.authorization.action === 'Microsoft.Resources/subscriptions/resourceGroups/write');
      assert.equal(write?.caller, w.owner.principal.userPrincipalName);
    });
  });
}
