/**
 * The activity logs (the customer's per subscription, the managing tenant's tenant-level log) and
 * ARM-style throttling, over HTTPS on SQLite and PostgreSQL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MONITORING_READER } from '../../src/core/roles/builtin-catalog.js';
import { systemContext } from '../../src/services/context.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { offsetClock } from '../identity/support.js';
import { arm, buildWorld, tokenOf, type ArmWorld } from './support.js';

const RES = 'api-version=2025-04-01';
const LOG = 'api-version=2015-04-01';

function window(from: Date, to = new Date(Date.now() + 60_000)): string {
  return encodeURIComponent(`eventTimestamp ge '${from.toISOString()}' and eventTimestamp le '${to.toISOString()}'`);
}

for (const database of testDatabases()) {
  describe(`activity log (${database.name})`, () => {
    let lantern: TestLantern;
    let world: ArmWorld;
    let sub: string;
    const start = new Date(Date.now() - 60_000);

    before(async () => {
      lantern = await startTestLantern(database);
      world = await buildWorld(lantern);
      sub = `/subscriptions/${world.subscriptionId}`;
    });
    after(async () => lantern.stop());

    it("records writes, refused writes and a managing-tenant principal's reads in the customer's log", async () => {
      const owner = await tokenOf(lantern, world.owner);
      const correlation = randomUUID();
      const put = await fetch(`${lantern.baseUrl}${sub}/resourcegroups/rg-logged?${RES}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json', 'x-ms-correlation-request-id': correlation },
        body: JSON.stringify({ location: 'westeurope' }),
      });
      assert.equal(put.status, 201);
      const refused = await arm(lantern, 'DELETE', `${sub}/resourcegroups/rg-app?${RES}`, await tokenOf(lantern, world.rgReader));
      assert.equal(refused.status, 403);
      const lighthouseRead = await arm(lantern, 'GET', `${sub}/resourcegroups/rg-app?${RES}`, await tokenOf(lantern, world.fabrikamOps));
      assert.equal(lighthouseRead.status, 200);
      const ownRead = await arm(lantern, 'GET', `${sub}/resourcegroups/rg-app?${RES}`, owner);
      assert.equal(ownRead.status, 200);

      const log = await arm(lantern, 'GET', `${sub}/providers/microsoft.insights/eventtypes/management/values?${LOG}&$filter=${window(start)}`, owner);
      assert.equal(log.status, 200);
      const events = log.body.value ?? [];
      const write = events.find((e) => e.correlationId === correlation);
      assert.ok(write, 'the write is logged under the caller’s correlation id');
      assert.deepEqual((write as { operationName: unknown }).operationName, { value: 'Microsoft.Resources/subscriptions/resourceGroups/write', localizedValue: 'Create Resource Group' });
      assert.deepEqual((write as { status: unknown }).status, { value: 'Succeeded', localizedValue: 'Succeeded' });
      assert.deepEqual((write as { authorization: unknown }).authorization, { action: 'Microsoft.Resources/subscriptions/resourceGroups/write', scope: `${sub}/resourceGroups/rg-logged` });
      assert.equal((write as { caller: unknown }).caller, world.owner.appId, 'an application is named by its app id, as in ARM');
      assert.equal((write as { tenantId: unknown }).tenantId, world.contoso);
      const failed = events.find((e) => (e.authorization as { action: string }).action === 'Microsoft.Resources/subscriptions/resourceGroups/delete');
      assert.deepEqual((failed as { status: unknown } | undefined)?.status, { value: 'Failed', localizedValue: 'Failed' });
      const reads = events.filter((e) => (e.authorization as { action: string }).action === 'Microsoft.Resources/subscriptions/resourceGroups/read');
      assert.deepEqual(reads.map((e) => (e.claims as Record<string, string>)['http://schemas.microsoft.com/identity/claims/tenantid']), [world.fabrikam], 'only the foreign principal’s read is logged');
      const delegations = await arm(lantern, 'GET', `${sub}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01`, await tokenOf(lantern, world.fabrikamOps));
      assert.equal(delegations.status, 200);
      const after = await arm(lantern, 'GET', `${sub}/providers/microsoft.insights/eventtypes/management/values?${LOG}&$filter=${window(start)}`, owner);
      const listed = after.body.value?.filter((e) => (e.authorization as { action: string }).action === 'Microsoft.ManagedServices/registrationAssignments/read') ?? [];
      assert.equal(listed.length, 1, 'a Lighthouse principal’s read of another module is logged too');
      const narrowed = await arm(lantern, 'GET', `${sub}/providers/microsoft.insights/eventtypes/management/values?${LOG}&$filter=${window(start)}${encodeURIComponent(` and correlationId eq '${correlation}'`)}`, owner);
      assert.equal(narrowed.body.value?.length, 1);
    });

    it('needs the eventTimestamp window and the 2015-04-01 api-version', async () => {
      const owner = await tokenOf(lantern, world.owner);
      const noFilter = await arm(lantern, 'GET', `${sub}/providers/microsoft.insights/eventtypes/management/values?${LOG}`, owner);
      assert.equal(noFilter.status, 400);
      assert.equal(noFilter.body.error?.code, 'BadRequest');
      const tooLong = await arm(lantern, 'GET', `${sub}/providers/microsoft.insights/eventtypes/management/values?${LOG}&$filter=${window(new Date(Date.now() - 100 * 86_400_000))}`, owner);
      assert.equal(tooLong.status, 400);
      const version = await arm(lantern, 'GET', `${sub}/providers/microsoft.insights/eventtypes/management/values?api-version=2025-04-01&$filter=${window(start)}`, owner);
      assert.equal(version.body.error?.code, 'NoRegisteredProviderFound');
    });

    it('refuses the log to a principal without read on the subscription', async () => {
      const r = await arm(lantern, 'GET', `${sub}/providers/microsoft.insights/eventtypes/management/values?${LOG}&$filter=${window(start)}`, await tokenOf(lantern, world.nobody));
      assert.equal(r.status, 403);
    });

    it("shows the managing tenant its delegation changes in the tenant-level log, with Monitoring Reader at '/'", async () => {
      const path = `/providers/microsoft.insights/eventtypes/management/values?${LOG}&$filter=${window(start)}`;
      assert.equal((await arm(lantern, 'GET', path, await tokenOf(lantern, world.fabrikamOps))).status, 403);
      const sp = await lantern.services.identity.directory.createServicePrincipal({ tenantId: world.fabrikam, displayName: 'fabrikam-monitor' });
      const secret = (await lantern.services.identity.directory.addClientSecret(sp.id, { displayName: 'test' })).value;
      await lantern.services.rbac.putRoleAssignment(systemContext(lantern.services.ids), { name: randomUUID(), scope: '/', roleDefinitionId: MONITORING_READER, principalId: sp.id, principalType: 'ServicePrincipal' });
      const token = await tokenOf(lantern, { objectId: sp.id, appId: sp.appId, tenantId: world.fabrikam, secret, displayName: sp.displayName });
      const r = await arm(lantern, 'GET', path, token);
      assert.equal(r.status, 200);
      const registered = r.body.value?.filter((e) => (e.operationName as { value: string }).value === 'Microsoft.Resources/tenants/register/action') ?? [];
      assert.equal(registered.length, 1);
      assert.equal(registered[0]?.tenantId, world.fabrikam);
      assert.equal(JSON.parse(String(registered[0]?.description)).subscriptionId, world.subscriptionId);
    });
  });

  describe(`throttling (${database.name})`, () => {
    let lantern: TestLantern;
    let world: ArmWorld;
    const clock = offsetClock();

    before(async () => {
      lantern = await startTestLantern(database, { clock, env: { LANTERN_THROTTLE_READS: '3', LANTERN_THROTTLE_WRITES: '2', LANTERN_THROTTLE_DELETES: '1' } });
      world = await buildWorld(lantern);
    });
    after(async () => lantern.stop());

    it('counts reads down per principal and subscription, then answers 429 with Retry-After', async () => {
      const token = await tokenOf(lantern, world.owner);
      const path = `/subscriptions/${world.subscriptionId}/resourcegroups?${RES}`;
      const remaining: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await arm(lantern, 'GET', path, token);
        assert.equal(r.status, 200);
        remaining.push(r.headers.get('x-ms-ratelimit-remaining-subscription-reads'));
      }
      assert.deepEqual(remaining, ['2', '1', '0']);
      const throttled = await arm(lantern, 'GET', path, token);
      assert.equal(throttled.status, 429);
      assert.equal(throttled.body.error?.code, 'TooManyRequests');
      assert.match(throttled.body.error?.message ?? '', new RegExp(`subscription '${world.subscriptionId}' actor '${world.owner.objectId}'`));
      assert.equal(throttled.headers.get('retry-after'), '1200'); // one read every 20 minutes at 3 per hour
      assert.equal(throttled.headers.get('x-ms-ratelimit-remaining-subscription-reads'), '0');

      // Other subscriptions, other principals and writes have their own buckets.
      assert.equal((await arm(lantern, 'GET', `/subscriptions/${world.otherSubscriptionId}/resourcegroups?${RES}`, token)).status, 200);
      assert.equal((await arm(lantern, 'GET', path, await tokenOf(lantern, world.rgReader))).status, 200);
      const write = await arm(lantern, 'PUT', `/subscriptions/${world.subscriptionId}/resourcegroups/rg-t?${RES}`, token, { location: 'westeurope' });
      assert.equal(write.status, 201);
      assert.equal(write.headers.get('x-ms-ratelimit-remaining-subscription-writes'), '1');

      clock.advance(1200);
      assert.equal((await arm(lantern, 'GET', path, token)).status, 200, 'a token is back after Retry-After');
    });

    it('throttles deletes on their own bucket', async () => {
      const token = await tokenOf(lantern, world.owner);
      const first = await arm(lantern, 'DELETE', `/subscriptions/${world.subscriptionId}/resourcegroups/rg-t?${RES}`, token);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('x-ms-ratelimit-remaining-subscription-deletes'), '0');
      const second = await arm(lantern, 'DELETE', `/subscriptions/${world.subscriptionId}/resourcegroups/rg-app?${RES}`, token);
      assert.equal(second.status, 429);
      assert.equal(second.headers.get('retry-after'), '3600');
    });
  });
}
