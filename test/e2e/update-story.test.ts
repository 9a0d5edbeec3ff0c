/**
 * The Update story (product.md) and Service providers over acquisitions, as the demo world's users
 * over HTTP, on SQLite and PostgreSQL: Fabrikam's Owner accepts Contoso's gold plan (Service
 * providers shows it pending: provider, plan, version, who accepted when), delegates rg-web, then
 * rg-data later from the same acquisition; Contoso publishes manifest 1.1.0 through Partner Center
 * adding an authorization (Contoso L1 Support as Contributor); Fabrikam sees "update available"
 * with that difference, a stale or unpublished version and a non-Owner are refused, the Owner
 * accepts and the new access works on every delegated scope at once. An offer added from an ARM
 * template (a deployment) appears beside it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Offer } from '../../src/core/marketplace/model.js';
import { CONTRIBUTOR, READER } from '../../src/core/roles/builtin-catalog.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { call, demoOffer, publishOffer, seedDemo, type DemoWorld } from '../support/demo-offer.js';
import { startLeadEndpoint } from '../marketplace/support.js';

const LH = 'api-version=2026-12-01';
const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const OFFERS = '/providers/Lantern.Lighthouse/serviceProviderOffers';
const GOLD = 'contoso.contoso-managed-ops.gold';
const OWNER = 'owner@fabrikam.example';
const READER_UPN = 'reader@fabrikam.example';
const ADMIN = 'admin@contoso.example';
const BOB = 'bob@contoso.example'; // Contoso L1 Support: Reader in 1.0.0, Contributor too in 1.1.0

interface Named { principalIdDisplayName: string; roleDefinitionId: string; roleDefinitionName?: string }
interface ProviderOffer {
  name: string;
  properties: {
    state: string;
    managedByTenantName?: string;
    plan?: { version: string };
    offerDisplayName?: string;
    authorizations: Named[];
    delegations: { scope: string }[];
    acquisitions: { id: string; state: string; subscriptionId: string; plan: { version: string }; acceptedAt: string; acceptedBy: { displayName: string } }[];
    updateAvailable?: { version: string; added: (Named & { accessType: string })[]; removed: unknown[]; changed: unknown[] };
  };
}

// Manifest 1.1.0 of gold: 1.0.0 plus Contoso L1 Support as Contributor.
function withUpdate(offer: Offer, demo: DemoWorld): Offer {
  const gold = offer.plans[0]!;
  const first = gold.technicalConfiguration.manifests[0]!;
  const next = { ...first, version: '1.1.0', authorizations: [...first.authorizations, { displayName: 'Contoso L1 Support', principalId: demo.id('Contoso L1 Support'), roleDefinitionId: CONTRIBUTOR, accessType: 'active' as const }] };
  return { ...offer, plans: [{ ...gold, technicalConfiguration: { manifests: [first, next] } }] };
}

for (const database of testDatabases()) {
  describe(`Update story and Service providers over acquisitions (${database.name})`, () => {
    let lantern: TestLantern;
    let demo: DemoWorld;
    let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;
    let offer: Offer;
    const as = async (upn: string, method: string, path: string, body?: unknown) => call(lantern, await demo.token(upn), method, path, body);
    const gold = async (upn = OWNER) => {
      const r = await as(upn, 'GET', `${OFFERS}/${GOLD}?${LH}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as ProviderOffer;
    };
    // A write only Contributor (not Reader) allows: a storage account in the resource group.
    const write = (rg: string, name: string) => as(BOB, 'PUT', `${FAB}/resourceGroups/${rg}/providers/Microsoft.Storage/storageAccounts/${name}?api-version=2023-01-01`, { location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' } });

    before(async () => {
      leads = await startLeadEndpoint();
      lantern = await startTestLantern(database, { marketplace: { allowPrivateLeadEndpoints: true } });
      demo = await seedDemo(lantern);
      offer = demoOffer(demo, leads.url);
      await publishOffer(lantern, await demo.token(ADMIN), offer);
    });
    after(async () => {
      await lantern.stop();
      await leads.stop();
    });

    it('shows an accepted plan as pending with provider, plan, version and who accepted when; delegates from the acquisition, more scopes later', async () => {
      const accepted = await as(OWNER, 'POST', `/marketplace${FAB}/acquisitions`, { offerId: 'contoso.contoso-managed-ops', planId: 'gold', name: 'Contoso ops', acceptLegalTerms: true });
      assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
      const pending = await gold(READER_UPN);
      assert.equal(pending.properties.state, 'Pending');
      assert.equal(pending.properties.managedByTenantName, 'Contoso');
      assert.equal(pending.properties.plan?.version, '1.0.0');
      assert.equal(pending.properties.offerDisplayName, 'Contoso Managed Operations');
      assert.deepEqual(pending.properties.delegations, []);
      assert.deepEqual(pending.properties.authorizations.map((a) => [a.principalIdDisplayName, a.roleDefinitionName]), [
        ['Contoso L2 Engineers', 'Contributor'], ['Contoso L1 Support', 'Reader'], ['Contoso Offboarding', 'Managed Services Registration assignment Delete Role'],
      ], 'the access delegating would grant');
      const [acquisition] = pending.properties.acquisitions;
      assert.ok(acquisition);
      assert.deepEqual([acquisition.state, acquisition.subscriptionId, acquisition.plan.version, acquisition.acceptedBy.displayName], ['pending', DEMO_IDS.fabrikamProduction, '1.0.0', OWNER]);
      assert.ok(Date.parse(acquisition.acceptedAt) > 0);
      assert.deepEqual((await as('owner@northwind.example', 'GET', `${OFFERS}?${LH}`)).body.value, [], 'another tenant sees nothing of it');
      assert.equal((await as(ADMIN, 'GET', `${OFFERS}/${GOLD}?${LH}`)).status, 404, 'nor does the provider');
      const early = await as(OWNER, 'POST', `${OFFERS}/${GOLD}/acceptUpdate?${LH}`, { version: '1.0.0' });
      assert.deepEqual([early.status, early.body.error?.code, early.body.error?.target], [400, 'OfferNotDelegated', 'version']);

      assert.equal((await as(OWNER, 'POST', `${acquisition.id}/delegate`, { scopes: [`${FAB}/resourceGroups/rg-web`] })).status, 200);
      assert.equal((await as(OWNER, 'POST', `${acquisition.id}/delegate`, { scopes: [`${FAB}/resourceGroups/rg-data`] })).status, 200, 'more scopes later');
      const delegated = await gold();
      assert.equal(delegated.properties.state, 'Delegated');
      assert.deepEqual(delegated.properties.delegations.map((d) => d.scope).sort(), [`${FAB}/resourceGroups/rg-data`, `${FAB}/resourceGroups/rg-web`]);
      assert.deepEqual(delegated.properties.acquisitions.map((a) => a.state), ['delegated']);
      assert.equal(delegated.properties.updateAvailable, undefined);
    });

    it('offers manifest 1.1.0 with its difference, refuses stale, unpublished and non-Owner accepts, and moves every scope at once', async () => {
      assert.equal((await write('rg-web', 'bobweb1')).status, 403, 'L1 Support is a Reader under 1.0.0');
      await publishOffer(lantern, await demo.token(ADMIN), withUpdate(offer, demo));

      const offered = await gold();
      const update = offered.properties.updateAvailable;
      assert.ok(update, 'update available');
      assert.equal(update.version, '1.1.0');
      assert.deepEqual(update.added.map((a) => [a.accessType, a.principalIdDisplayName, a.roleDefinitionName]), [['Permanent', 'Contoso L1 Support', 'Contributor']]);
      assert.deepEqual([update.removed, update.changed], [[], []]);
      assert.equal(offered.properties.plan?.version, '1.0.0', 'nothing changes until accepted');

      const refused = async (upn: string, version: string, status: number, code: string) => {
        const r = await as(upn, 'POST', `${OFFERS}/${GOLD}/acceptUpdate?${LH}`, { version });
        assert.deepEqual([r.status, r.body.error?.code], [status, code], JSON.stringify(r.body));
      };
      await refused(OWNER, '1.0.0', 409, 'OfferUpdateVersionStale');
      await refused(OWNER, '2.0.0', 404, 'MarketplaceRegistrationDefinitionNotFound');
      await refused(READER_UPN, '1.1.0', 403, 'AuthorizationFailed');
      const guest = demo.credentials.users.find((u) => u.userType === 'Guest')!.userPrincipalName;
      assert.equal((await as(guest, 'POST', `${OFFERS}/${GOLD}/acceptUpdate?${LH}`, { version: '1.1.0' })).status >= 400, true, 'a guest is refused');
      const bad = await as(OWNER, 'POST', `${OFFERS}/${GOLD}/acceptUpdate?${LH}`, { version: '' });
      assert.equal(bad.status, 400);
      assert.equal((await gold()).properties.plan?.version, '1.0.0', 'the refusals changed nothing');
      assert.equal((await write('rg-web', 'bobweb2')).status, 403);

      const accepted = await as(OWNER, 'POST', `${OFFERS}/${GOLD}/acceptUpdate?${LH}`, { version: '1.1.0' });
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.equal(accepted.body.properties.plan.version, '1.1.0');
      assert.equal(accepted.body.properties.updateAvailable, undefined);
      assert.ok((accepted.body.properties.authorizations as Named[]).some((a) => a.principalIdDisplayName === 'Contoso L1 Support' && a.roleDefinitionId.endsWith(CONTRIBUTOR.split('/').at(-1)!)));
      for (const rg of ['rg-web', 'rg-data']) {
        const created = await write(rg, `bob${rg.replace('-', '')}`);
        assert.ok([200, 201].includes(created.status), `${rg}: ${created.status} ${JSON.stringify(created.body)}`);
      }
      assert.equal((await write('rg-network', 'bobnet')).status, 403, 'nothing beyond the delegated scopes');
      await refused(OWNER, '1.1.0', 409, 'OfferUpdateVersionStale');
      const definitions = (await as(OWNER, 'GET', `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01`)).body.value as { plan: { version: string }; properties: { authorizations: unknown[] } }[];
      assert.deepEqual(definitions.map((d) => [d.plan.version, d.properties.authorizations.length]), [['1.1.0', 4]]);
    });

    it('lists an offer added from an ARM template beside the marketplace one', async () => {
      const template = {
        $schema: 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        parameters: { offer: { type: 'string', defaultValue: 'Contoso network watch' } },
        variables: { name: "[guid(parameters('offer'))]" },
        resources: [
          {
            type: 'Microsoft.ManagedServices/registrationDefinitions',
            apiVersion: '2022-10-01',
            name: "[variables('name')]",
            properties: { registrationDefinitionName: "[parameters('offer')]", managedByTenantId: DEMO_IDS.contosoTenant, authorizations: [{ principalId: demo.id('Contoso L1 Support'), principalIdDisplayName: 'Contoso L1 Support', roleDefinitionId: READER }] },
          },
          {
            type: 'Microsoft.ManagedServices/registrationAssignments',
            apiVersion: '2022-10-01',
            name: "[variables('name')]",
            dependsOn: ["[resourceId('Microsoft.ManagedServices/registrationDefinitions', variables('name'))]"],
            properties: { registrationDefinitionId: "[resourceId('Microsoft.ManagedServices/registrationDefinitions', variables('name'))]" },
          },
        ],
      };
      const deployed = await as(OWNER, 'PUT', `${FAB}/providers/Microsoft.Resources/deployments/network-watch?api-version=2021-04-01`, { location: 'westeurope', properties: { mode: 'Incremental', template } });
      assert.ok([200, 201].includes(deployed.status), JSON.stringify(deployed.body));
      assert.equal(deployed.body.properties.provisioningState, 'Succeeded', JSON.stringify(deployed.body));
      const offers = (await as(READER_UPN, 'GET', `${OFFERS}?${LH}`)).body.value as ProviderOffer[];
      const fromTemplate = offers.find((o) => o.name !== GOLD);
      assert.ok(fromTemplate, JSON.stringify(offers.map((o) => o.name)));
      assert.deepEqual([fromTemplate.properties.state, fromTemplate.properties.plan, fromTemplate.properties.acquisitions, fromTemplate.properties.delegations.map((d) => d.scope)], ['Delegated', undefined, [], [FAB]]);
      assert.deepEqual(offers.map((o) => o.name).filter((n) => n === GOLD), [GOLD]);
    });
  });
}
