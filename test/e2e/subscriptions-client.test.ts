/**
 * Subscriptions and tenants through the real SubscriptionClient of @azure/arm-subscriptions (version
 * 5: version 6 dropped listing and getting subscriptions and tenants): after Fabrikam delegates its subscription to Contoso, Contoso's service principal sees it with
 * `managedByTenants`, and the tenant list tells home from projected tenants.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClientSecretCredential } from '@azure/identity';
import { SubscriptionClient } from '@azure/arm-subscriptions';
import { READER } from '../../src/core/roles/builtin-catalog.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm, seedDelegationWorld, type DelegationWorld } from './support/delegation-world.js';

const DEFINITION = '3f0bde86-1b8e-4a53-9c8e-6f5b0d9ef0a1';

// Version 5's model predates `managedByTenants`; the client still hands the field through.
const managedBy = (s: object) => ((s as { managedByTenants?: { tenantId?: string }[] }).managedByTenants ?? []).map((t) => t.tenantId ?? '');

for (const database of testDatabases()) {
  describe(`subscriptions and tenants with SubscriptionClient (${database.name})`, () => {
    let lantern: TestLantern;
    let w: DelegationWorld;
    const client = (tenantId: string, appId: string, secret: string) =>
      new SubscriptionClient(new ClientSecretCredential(tenantId, appId, secret, { authorityHost: lantern.baseUrl, disableInstanceDiscovery: true }), { endpoint: lantern.baseUrl });

    before(async () => {
      lantern = await startTestLantern(database);
      w = await seedDelegationWorld(lantern.services);
      const token = await w.deployer.token();
      const sub = `/subscriptions/${w.subscriptionId}`;
      const definition = await arm(lantern.baseUrl, 'PUT', `${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${DEFINITION}?api-version=2022-10-01`, token, {
        properties: { registrationDefinitionName: 'Contoso Reader', managedByTenantId: w.contoso.id, authorizations: [{ principalId: w.l2.id, roleDefinitionId: READER }] },
      });
      assert.equal(definition.status, 201, JSON.stringify(definition.body));
      const assignment = await arm(lantern.baseUrl, 'PUT', `${sub}/providers/Microsoft.ManagedServices/registrationAssignments/${DEFINITION}?api-version=2022-10-01`, token, {
        properties: { registrationDefinitionId: `${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${DEFINITION}` },
      });
      assert.equal(assignment.status, 201, JSON.stringify(assignment.body));
    });
    after(() => lantern.stop());

    it("lists the delegated subscription for the provider, with managedByTenants, and nothing else of the customer's", async () => {
      const contoso = client(w.contoso.id, w.automation.principal.appId, w.automation.secret);
      const seen: Awaited<ReturnType<typeof contoso.subscriptions.get>>[] = [];
      for await (const s of contoso.subscriptions.list()) seen.push(s);
      assert.deepEqual(seen.map((s) => s.subscriptionId), [w.subscriptionId]);
      assert.equal(seen[0]?.tenantId, w.fabrikam.id);
      assert.deepEqual(managedBy(seen[0] ?? {}), [w.contoso.id]);
      const got = await contoso.subscriptions.get(w.subscriptionId);
      assert.equal(got.displayName, 'Fabrikam Production');
    });

    it('lists tenants with their category: the home tenant, and the customer projected into the provider', async () => {
      const contoso = client(w.contoso.id, w.automation.principal.appId, w.automation.secret);
      const categories = new Map<string, string | undefined>();
      for await (const t of contoso.tenants.list()) categories.set(t.tenantId ?? '', t.tenantCategory);
      const category = (id: string) => categories.get(id);
      assert.equal(category(w.contoso.id), 'Home');
      assert.equal(category(w.fabrikam.id), 'ProjectedBy');
    });

    it('shows the customer both of its subscriptions, one managed by Contoso', async () => {
      const fabrikam = client(w.fabrikam.id, w.deployer.principal.appId, w.deployer.secret);
      const seen = new Map<string, string[]>();
      for await (const s of fabrikam.subscriptions.list()) seen.set(s.subscriptionId ?? '', managedBy(s));
      assert.deepEqual(seen.get(w.subscriptionId), [w.contoso.id]);
      assert.deepEqual(seen.get(w.otherSubscriptionId), []);
    });
  });
}
