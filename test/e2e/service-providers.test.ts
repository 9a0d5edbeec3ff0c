/**
 * Service providers (Fabrikam's view) and My customers (Contoso's view) over the registration
 * definitions and assignments, and the Offboard story: a member of "Contoso Offboarding" removes a
 * delegation through the Delete Role, Fabrikam's Owner removes another, anyone else is refused, and
 * access ends at once. As the demo world's users, over HTTP.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CONTRIBUTOR, READER, REGISTRATION_ASSIGNMENT_DELETE_ROLE } from '../../src/core/roles/builtin-catalog.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm } from './support/delegation-world.js';
import { seedDemoUsers, type DemoUsers } from './support/demo-users.js';

const MS = 'api-version=2022-10-01';
const LH = 'api-version=2026-12-01';
const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const OFFERS = '/providers/Lantern.Lighthouse/serviceProviderOffers';
const CUSTOMERS = '/providers/Lantern.Lighthouse/myCustomers';

interface Delegation { registrationAssignmentId: string; scope: string; canRemove?: boolean }
interface Offer {
  name: string;
  type: string;
  properties: {
    state: string;
    managedByTenantName?: string;
    registrationDefinitionName?: string;
    authorizations: { principalIdDisplayName: string; roleDefinitionName: string }[];
    delegations: Delegation[];
    updateAvailable?: unknown;
  };
}
interface Customer { properties: { customerTenantId: string; customerName?: string; offers: { offerId: string; delegations: Delegation[] }[] } }

for (const database of testDatabases()) {
  describe(`Service providers, My customers and Offboard (${database.name})`, () => {
    let lantern: TestLantern;
    let demo: DemoUsers;
    const definition = randomUUID();
    const as = async (upn: string, method: string, path: string, body?: unknown) => arm(lantern.baseUrl, method, path, await demo.token(upn), body);

    before(async () => {
      lantern = await startTestLantern(database);
      demo = await seedDemoUsers(lantern.services, lantern.baseUrl);
      const owner = 'owner@fabrikam.example';
      const put = await as(owner, 'PUT', `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions/${definition}?${MS}`, {
        properties: {
          registrationDefinitionName: 'Contoso operations',
          managedByTenantId: DEMO_IDS.contosoTenant,
          authorizations: [
            { principalId: demo.objectId('Contoso L2 Engineers'), principalIdDisplayName: 'Contoso L2 Engineers', roleDefinitionId: CONTRIBUTOR },
            { principalId: demo.objectId('Contoso L1 Support'), principalIdDisplayName: 'Contoso L1 Support', roleDefinitionId: READER },
            { principalId: demo.objectId('Contoso Offboarding'), principalIdDisplayName: 'Contoso Offboarding', roleDefinitionId: REGISTRATION_ASSIGNMENT_DELETE_ROLE },
          ],
        },
      });
      assert.equal(put.status, 201, JSON.stringify(put.body));
      for (const rg of ['rg-web', 'rg-data', 'rg-network']) {
        const scope = `${FAB}/resourceGroups/${rg}`;
        const r = await as(owner, 'PUT', `${scope}/providers/Microsoft.ManagedServices/registrationAssignments/${randomUUID()}?${MS}`, {
          properties: { registrationDefinitionId: `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions/${definition}` },
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
    });
    after(() => lantern.stop());

    const customerDelegations = async (upn: string): Promise<Delegation[]> => {
      const r = await as(upn, 'GET', `${CUSTOMERS}?${LH}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const customers = r.body.value as Customer[];
      return customers.flatMap((c) => c.properties.offers.flatMap((o) => o.delegations));
    };

    it("shows Fabrikam its provider's offer with the access each delegation grants, and nothing to Contoso or Northwind", async () => {
      const r = await as('reader@fabrikam.example', 'GET', `${OFFERS}?${LH}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const offers = r.body.value as Offer[];
      assert.equal(offers.length, 1);
      const offer = offers[0] as Offer;
      assert.equal(offer.name, definition);
      assert.equal(offer.type, 'Lantern.Lighthouse/serviceProviderOffers');
      assert.equal(offer.properties.state, 'Delegated');
      assert.equal(offer.properties.managedByTenantName, 'Contoso');
      assert.equal(offer.properties.registrationDefinitionName, 'Contoso operations');
      assert.deepEqual(
        offer.properties.authorizations.map((a) => [a.principalIdDisplayName, a.roleDefinitionName]),
        [['Contoso L2 Engineers', 'Contributor'], ['Contoso L1 Support', 'Reader'], ['Contoso Offboarding', 'Managed Services Registration assignment Delete Role']],
      );
      assert.deepEqual(offer.properties.delegations.map((d) => d.scope).sort(), ['rg-data', 'rg-network', 'rg-web'].map((rg) => `${FAB}/resourceGroups/${rg}`));
      assert.equal(offer.properties.updateAvailable, undefined, 'a template offer has no marketplace updates');
      const one = await as('reader@fabrikam.example', 'GET', `${OFFERS}/${definition.toUpperCase()}?${LH}`);
      assert.equal(one.status, 200);
      assert.equal(one.body.name, definition);
      for (const upn of ['alice@contoso.example', 'owner@northwind.example']) {
        const other = await as(upn, 'GET', `${OFFERS}?${LH}`);
        assert.deepEqual(other.body.value, [], `${upn} sees no offer of Fabrikam's`);
        assert.equal((await as(upn, 'GET', `${OFFERS}/${definition}?${LH}`)).status, 404);
      }
      const version = await as('reader@fabrikam.example', 'GET', `${OFFERS}?api-version=2022-10-01`);
      assert.equal(version.status, 400);
    });

    it('shows Contoso its customer with tenant, offer and delegations, and who may remove each', async () => {
      const r = await as('bob@contoso.example', 'GET', `${CUSTOMERS}?${LH}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const customers = r.body.value as Customer[];
      assert.equal(customers.length, 1);
      const fabrikam = (customers[0] as Customer).properties;
      assert.deepEqual([fabrikam.customerTenantId, fabrikam.customerName], [DEMO_IDS.fabrikamTenant, 'Fabrikam']);
      assert.deepEqual(fabrikam.offers.map((o) => [o.offerId, o.delegations.length]), [['Contoso operations', 3]]);
      assert.ok((await customerDelegations('bob@contoso.example')).every((d) => d.canRemove === false), 'L1 Support holds no Delete Role');
      assert.ok((await customerDelegations('alice@contoso.example')).every((d) => d.canRemove === false), "L2's Contributor does not reach the Delete Role");
      assert.ok((await customerDelegations('admin@contoso.example')).every((d) => d.canRemove === true), 'Contoso Offboarding holds the Delete Role');
      assert.deepEqual(await customerDelegations('owner@fabrikam.example'), [], 'a customer has no customers');
      assert.deepEqual(await customerDelegations('owner@northwind.example'), []);
    });

    it('refuses removal without the Delete Role, and lets a member of Contoso Offboarding remove with access ending at once', async () => {
      const [web] = (await customerDelegations('admin@contoso.example')).filter((d) => d.scope.endsWith('/rg-web'));
      assert.ok(web);
      const read = `${web.scope}?api-version=2021-04-01`;
      assert.equal((await as('alice@contoso.example', 'GET', read)).status, 200, 'alice manages rg-web');
      for (const upn of ['alice@contoso.example', 'bob@contoso.example', 'reader@fabrikam.example']) {
        const refused = await as(upn, 'DELETE', `${web.registrationAssignmentId}?${MS}`);
        assert.equal(refused.status, 403, upn);
        assert.equal(refused.body.error?.code, 'AuthorizationFailed');
      }
      assert.equal((await as('alice@contoso.example', 'GET', read)).status, 200, 'a refused removal changed nothing');
      assert.equal((await as('admin@contoso.example', 'DELETE', `${web.registrationAssignmentId}?${MS}`)).status, 200);
      assert.equal((await as('alice@contoso.example', 'GET', read)).status, 403, 'access ended at once');
      assert.ok(!(await customerDelegations('admin@contoso.example')).some((d) => d.scope.endsWith('/rg-web')));
    });

    it("lets Fabrikam's Owner remove a delegation, with access ending at once", async () => {
      const offer = (await as('owner@fabrikam.example', 'GET', `${OFFERS}/${definition}?${LH}`)).body as unknown as Offer;
      const data = offer.properties.delegations.find((d) => d.scope.endsWith('/rg-data'));
      assert.ok(data);
      const read = `${data.scope}?api-version=2021-04-01`;
      assert.equal((await as('bob@contoso.example', 'GET', read)).status, 200);
      assert.equal((await as('owner@fabrikam.example', 'DELETE', `${data.registrationAssignmentId}?${MS}`)).status, 200);
      assert.equal((await as('bob@contoso.example', 'GET', read)).status, 403, 'access ended at once');
      const after = (await as('owner@fabrikam.example', 'GET', `${OFFERS}/${definition}?${LH}`)).body as unknown as Offer;
      assert.deepEqual(after.properties.delegations.map((d) => d.scope), [`${FAB}/resourceGroups/rg-network`]);
    });
  });
}
