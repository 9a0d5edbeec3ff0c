/**
 * The Onboard story (product.md) as the demo world's users over HTTP, on SQLite and PostgreSQL:
 * Contoso publishes contoso-managed-ops through the pipeline; customers find it in the storefront,
 * read the access each plan grants, accept the legal terms and delegate a subscription or resource
 * groups; and every refusal, through the storefront's acquisition and through an ARM
 * registrationDefinitions PUT naming a plan.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Offer, Plan } from '../../src/core/marketplace/model.js';
import { CONTRIBUTOR, MONITORING_READER, OWNER, READER } from '../../src/core/roles/builtin-catalog.js';
import { manifestGrants } from '../../src/core/marketplace/acquisition.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { createSubscription } from '../../src/services/operator/subscription-admin.js';
import { systemContext } from '../../src/services/context.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { call, demoOffer, publishOffer, seedDemo, type DemoWorld } from '../support/demo-offer.js';
import { startLeadEndpoint } from '../marketplace/support.js';

const MS = 'providers/Microsoft.ManagedServices';
const V = '2022-10-01';
const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const NW = `/subscriptions/${DEMO_IDS.northwindDev}`;
const OFFER = 'contoso.contoso-managed-ops';

const ADMIN = 'admin@contoso.example';
const FAB_OWNER = 'owner@fabrikam.example';
const FAB_READER = 'reader@fabrikam.example';
const NW_OWNER = 'owner@northwind.example';

// Plans besides gold: silver is private to Fabrikam Production, bronze gets stopped, platinum has a
// newer manifest than 1.0.0.
function withPlans(offer: Offer): Offer {
  const gold = offer.plans[0]!;
  const manifest = gold.technicalConfiguration.manifests[0]!;
  const plan = (id: string, extra: Partial<Plan>): Plan => ({ ...gold, id, name: id[0]!.toUpperCase() + id.slice(1), summary: `The ${id} plan.`, ...extra });
  return {
    ...offer,
    plans: [
      gold,
      plan('silver', { visibility: 'private', privateAudience: [{ id: DEMO_IDS.fabrikamProduction, description: 'Fabrikam', type: 'subscription' }] }),
      plan('bronze', {}),
      plan('platinum', { technicalConfiguration: { manifests: [manifest, { ...manifest, version: '1.1.0' }] } }),
    ],
  };
}

// A second offer that stays in preview, its preview audience Fabrikam Production.
function previewOffer(offer: Offer): Offer {
  return {
    ...offer,
    id: 'contoso-preview-ops',
    alias: 'Contoso Preview Ops',
    listing: { ...offer.listing, name: 'Contoso Preview Operations' },
    previewAudience: [{ id: DEMO_IDS.fabrikamProduction, description: 'Fabrikam', type: 'subscription' }],
  };
}

for (const database of testDatabases()) {
  describe(`Onboard: storefront, acquisition and delegation (${database.name})`, () => {
    let lantern: TestLantern;
    let demo: DemoWorld;
    let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;
    let contosoSubscription: string;
    const as = async (upn: string, method: string, path: string, body?: unknown) => call(lantern, await demo.token(upn), method, path, body);

    before(async () => {
      leads = await startLeadEndpoint();
      lantern = await startTestLantern(database, { marketplace: { allowPrivateLeadEndpoints: true } });
      demo = await seedDemo(lantern);
      const offer = demoOffer(demo, leads.url);
      const admin = await demo.token(ADMIN);
      await publishOffer(lantern, admin, withPlans(offer));
      await publishOffer(lantern, admin, previewOffer(offer), 'preview');
      const stopped = await call(lantern, admin, 'POST', '/partner-center/publishers/contoso/offers/contoso-managed-ops/plans/bronze/stop-distribution');
      assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
      // A subscription of Contoso itself, its admin Owner: a provider can't delegate to its own tenant.
      contosoSubscription = randomUUID();
      const s = lantern.services;
      await createSubscription({ store: s.store, engine: s.access.engine }, { subscriptionId: contosoSubscription, tenantId: DEMO_IDS.contosoTenant, displayName: 'Contoso Internal' });
      const ctx = systemContext(s.ids);
      await s.rbac.putRoleAssignment(ctx, { name: randomUUID(), scope: `/subscriptions/${contosoSubscription}`, roleDefinitionId: OWNER, principalId: demo.id(ADMIN), principalType: 'User' });
      // The guest holds Owner: refused for being a guest, not for lacking the role.
      const guest = demo.credentials.users.find((u) => u.userType === 'Guest')!;
      await s.rbac.putRoleAssignment(ctx, { name: randomUUID(), scope: FAB, roleDefinitionId: OWNER, principalId: guest.objectId, principalType: 'User' });
    });
    after(async () => {
      await lantern.stop();
      await leads.stop();
    });

    it('finds the offer with full text, filters, sorting and paging; private products only for their audience', async () => {
      const found = await as(FAB_OWNER, 'GET', '/marketplace/offers?search=contoso%20managed%20oper');
      assert.equal(found.status, 200, JSON.stringify(found.body));
      assert.deepEqual((found.body.value as { id: string }[]).map((o) => o.id), [OFFER, 'contoso.contoso-preview-ops'], 'by relevance: the name matches before the description; Fabrikam is in the preview audience');
      const fabPlans = (found.body.value[0].plans as { planId: string; privateProduct: boolean }[]).map((p) => `${p.planId}${p.privateProduct ? '*' : ''}`);
      assert.deepEqual(fabPlans, ['gold', 'silver*', 'platinum'], 'Fabrikam sees silver as a private product; bronze is stopped');
      const nwPlans = ((await as(NW_OWNER, 'GET', `/marketplace/offers/${OFFER}`)).body.plans as { planId: string }[]).map((p) => p.planId);
      assert.deepEqual(nwPlans, ['gold', 'platinum']);

      assert.deepEqual((await as(NW_OWNER, 'GET', '/marketplace/offers?search=preview')).body.value, [], 'Northwind is not in the preview audience');
      const preview = await as(FAB_OWNER, 'GET', '/marketplace/offers?search=preview%20operations');
      assert.deepEqual((preview.body.value as { id: string; preview: boolean }[]).map((o) => [o.id, o.preview]), [['contoso.contoso-preview-ops', true]]);
      assert.equal((await as(NW_OWNER, 'GET', '/marketplace/offers/contoso.contoso-preview-ops')).status, 404);

      assert.equal((await as(FAB_OWNER, 'GET', '/marketplace/offers?search=patching')).body.count, 2, 'the description is searched');
      assert.equal((await as(FAB_OWNER, 'GET', '/marketplace/offers?category=management-solutions')).body.count, 2, 'subcategories filter');
      assert.equal((await as(FAB_OWNER, 'GET', '/marketplace/offers?category=security')).body.count, 0);
      assert.equal((await as(FAB_OWNER, 'GET', '/marketplace/offers?publisher=contoso&search=contoso')).body.count, 2, 'the publisher is searched and filtered');
      assert.equal((await as(FAB_OWNER, 'GET', '/marketplace/offers?publisher=fabrikam')).body.count, 0);

      const first = await as(FAB_OWNER, 'GET', '/marketplace/offers?orderby=name&$top=1');
      assert.deepEqual([first.body.count, first.body.value[0].offerId], [2, 'contoso-managed-ops']);
      const next = await call(lantern, await demo.token(FAB_OWNER), 'GET', first.body.nextLink as string);
      assert.deepEqual((next.body.value as { offerId: string }[]).map((o) => o.offerId), ['contoso-preview-ops']);
      assert.equal(next.body.nextLink, undefined);
      assert.equal((await as(FAB_OWNER, 'GET', '/marketplace/offers?$skiptoken=abc')).status, 400);
      assert.equal((await as(FAB_OWNER, 'GET', `/marketplace/offers?subscriptionId=${DEMO_IDS.northwindDev}`)).status, 403, 'only the caller\'s own subscriptions');
      assert.equal((await as(FAB_OWNER, 'GET', `/marketplace/offers/${OFFER}?subscriptionId=${DEMO_IDS.fabrikamProduction}`)).status, 200);
    });

    it('shows the offer page: listing, media, links, legal terms and the access each plan grants', async () => {
      const page = await as(FAB_OWNER, 'GET', `/marketplace/offers/${OFFER}`);
      assert.equal(page.status, 200);
      const b = page.body;
      assert.equal(b.publisherDisplayName, 'Contoso');
      assert.equal(b.legalTerms.termsAndConditions.url, 'https://contoso.example/terms');
      assert.equal(b.legalTerms.privacyPolicyUrl, 'https://contoso.example/privacy');
      assert.equal(b.links.usefulLinks[0].url, 'https://contoso.example/managed-ops');
      assert.equal(b.media.videos[0].url, 'https://www.youtube.com/watch?v=contoso01');
      type PagePlan = { planId: string; planIdentifier: string; managedByTenantId: string; authorizations: { principalIdDisplayName: string; roleName: string; accessType: string }[] };
      const gold = (b.plans as PagePlan[]).find((p) => p.planId === 'gold')!;
      assert.equal(gold.planIdentifier, 'contoso.contoso-managed-ops.gold.1.0.0');
      assert.equal(gold.managedByTenantId, DEMO_IDS.contosoTenant);
      assert.deepEqual(gold.authorizations.map((a) => [a.principalIdDisplayName, a.roleName, a.accessType]), [
        ['Contoso L2 Engineers', 'Contributor', 'active'],
        ['Contoso L1 Support', 'Reader', 'active'],
        ['Contoso Offboarding', 'Managed Services Registration assignment Delete Role', 'active'],
      ]);
      for (const url of [b.media.logos.small, b.media.screenshots[0].url, b.media.videos[0].thumbnailUrl]) {
        const res = await fetch(new URL(url as string, lantern.baseUrl), { headers: { authorization: `Bearer ${await demo.token(FAB_OWNER)}` } });
        assert.equal(res.status, 200, url as string);
        assert.equal(res.headers.get('content-type'), 'image/png');
      }
    });

    it('acquires and delegates resource groups (Fabrikam, a private product) and a subscription (Northwind)', async () => {
      const noTerms = await as(FAB_OWNER, 'POST', `${FAB.replace('/subscriptions', '/marketplace/subscriptions')}/acquisitions`, { offerId: OFFER, planId: 'silver', acceptLegalTerms: false });
      assert.deepEqual([noTerms.status, noTerms.body.error.code], [400, 'LegalTermsNotAccepted']);
      const accepted = await as(FAB_OWNER, 'POST', `/marketplace${FAB}/acquisitions`, { offerId: OFFER, planId: 'silver', name: 'Contoso ops for Fabrikam', acceptLegalTerms: true });
      assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
      const a = accepted.body;
      assert.deepEqual([a.state, a.plan, a.termsAcceptedBy.displayName, a.customerTenantId, a.managedByTenantId], ['pending', { publisher: 'contoso', product: 'contoso-managed-ops', name: 'silver', version: '1.0.0' }, FAB_OWNER, DEMO_IDS.fabrikamTenant, DEMO_IDS.contosoTenant]);
      assert.deepEqual(((await as(FAB_OWNER, 'GET', `/marketplace${FAB}/acquisitions`)).body.value as { id: string; state: string }[]).map((x) => [x.id, x.state]), [[a.id, 'pending']], 'accepted, not yet delegated');
      assert.deepEqual((await as(FAB_OWNER, 'GET', `${FAB}/${MS}/registrationDefinitions?api-version=${V}`)).body.value, [], 'nothing delegated yet');

      const delegated = await as(FAB_OWNER, 'POST', `/marketplace${FAB}/acquisitions/${a.id}/delegate`, { scopes: [`${FAB}/resourceGroups/rg-web`, `${FAB}/resourceGroups/rg-data`] });
      assert.equal(delegated.status, 200, JSON.stringify(delegated.body));
      assert.equal(delegated.body.state, 'delegated');
      assert.equal(delegated.body.scopes.length, 2);
      const definitions = (await as(FAB_OWNER, 'GET', `${FAB}/${MS}/registrationDefinitions?api-version=${V}`)).body.value;
      assert.equal(definitions.length, 1);
      assert.deepEqual(definitions[0].plan, { name: 'silver', publisher: 'contoso', product: 'contoso-managed-ops', version: '1.0.0' });
      assert.equal(definitions[0].properties.registrationDefinitionName, 'Contoso ops for Fabrikam');
      assert.equal(definitions[0].properties.authorizations.length, 3);
      const assignments = (await as(FAB_OWNER, 'GET', `${FAB}/${MS}/registrationAssignments?api-version=${V}`)).body.value;
      assert.deepEqual((assignments as { id: string }[]).map((x) => x.id.split('/providers/')[0]).sort(), [`${FAB}/resourceGroups/rg-data`, `${FAB}/resourceGroups/rg-web`]);
      const providers = await as(FAB_OWNER, 'GET', `${FAB}/providers/Microsoft.ManagedServices?api-version=2021-04-01`);
      assert.equal(providers.body.registrationState, 'Registered');
      // Alice (Contoso L2 Engineers) now manages rg-web, and nothing outside the delegation.
      const alice = await demo.token('alice@contoso.example');
      assert.equal((await call(lantern, alice, 'GET', `${FAB}/resourceGroups/rg-web?api-version=2021-04-01`)).status, 200);
      assert.equal((await call(lantern, alice, 'GET', `${FAB}/resourceGroups/rg-network?api-version=2021-04-01`)).status, 403);
      const more = await as(FAB_OWNER, 'POST', `/marketplace${FAB}/acquisitions/${a.id}/delegate`, { scopes: [`${FAB}/resourceGroups/rg-network`] });
      assert.equal(more.body.scopes.length, 3, 'more scopes later, with the same definition');
      assert.equal((await as(FAB_OWNER, 'GET', `${FAB}/${MS}/registrationDefinitions?api-version=${V}`)).body.value.length, 1);

      const nwAgreement = `${NW}/providers/Microsoft.MarketplaceOrdering/offerTypes/virtualmachine/publishers/contoso/offers/contoso-managed-ops/plans/gold/agreements/current?api-version=2021-01-01`;
      assert.equal((await as(NW_OWNER, 'GET', nwAgreement)).body.properties.accepted, false);
      const signed = await as(NW_OWNER, 'PUT', nwAgreement, { properties: { accepted: true } });
      assert.equal(signed.status, 200, JSON.stringify(signed.body));
      assert.equal(signed.body.properties.accepted, true);
      const [nwAcquisition] = (await as(NW_OWNER, 'GET', `/marketplace${NW}/acquisitions`)).body.value;
      assert.deepEqual([nwAcquisition.state, nwAcquisition.plan.name, nwAcquisition.plan.version], ['pending', 'gold', '1.0.0']);
      const nwDelegated = await as(NW_OWNER, 'POST', `/marketplace${NW}/acquisitions/${nwAcquisition.id}/delegate`, { scopes: [NW] });
      assert.equal(nwDelegated.status, 200, JSON.stringify(nwDelegated.body));
      assert.equal((await call(lantern, alice, 'GET', `${NW}/resourceGroups/rg-app?api-version=2021-04-01`)).status, 200, 'the subscription is delegated');
    });

    it('refuses guests, non-Owners, plans not offered to the subscription, stopped plans, stale versions and the own tenant', async () => {
      const acquire = (upn: string, sub: string, planId: string, extra: object = {}) => as(upn, 'POST', `/marketplace${sub}/acquisitions`, { offerId: OFFER, planId, acceptLegalTerms: true, ...extra });
      const refused = async (reply: Promise<{ status: number; body: { error?: { code: string; message: string } } }>, status: number, code: string, words?: RegExp) => {
        const r = await reply;
        assert.equal(r.status, status, JSON.stringify(r.body));
        assert.equal(r.body.error?.code, code);
        if (words !== undefined) assert.match(r.body.error?.message ?? '', words);
      };
      const guest = demo.credentials.users.find((u) => u.userType === 'Guest')!.userPrincipalName;
      await refused(acquire(guest, FAB, 'gold'), 403, 'AuthorizationFailed', /[Gg]uest/);
      await refused(acquire(FAB_READER, FAB, 'gold'), 403, 'AuthorizationFailed', /agreements\/write/);
      await refused(acquire(NW_OWNER, NW, 'silver'), 404, 'MarketplacePlanNotFound');
      await refused(as(NW_OWNER, 'POST', `/marketplace${NW}/acquisitions`, { offerId: 'contoso.contoso-preview-ops', planId: 'gold', acceptLegalTerms: true }), 404, 'MarketplacePlanNotFound');
      await refused(acquire(FAB_OWNER, FAB, 'bronze'), 400, 'MarketplacePlanNotAvailable');
      await refused(acquire(FAB_OWNER, FAB, 'platinum', { version: '1.0.0' }), 409, 'MarketplacePlanVersionNotCurrent', /1\.1\.0/);
      await refused(acquire(NW_OWNER, FAB, 'gold'), 403, 'AuthorizationFailed');

      // Delegation: a pending Fabrikam acquisition of gold, delegated by the wrong people or to the own tenant.
      const gold = (await acquire(FAB_OWNER, FAB, 'gold')).body;
      await refused(as(guest, 'POST', `/marketplace${FAB}/acquisitions/${gold.id}/delegate`, { scopes: [FAB] }), 403, 'AuthorizationFailed', /[Gg]uest/);
      await refused(as(FAB_READER, 'POST', `/marketplace${FAB}/acquisitions/${gold.id}/delegate`, { scopes: [FAB] }), 403, 'AuthorizationFailed');
      await refused(as(FAB_OWNER, 'POST', `/marketplace${FAB}/acquisitions/${gold.id}/delegate`, { scopes: [NW] }), 400, 'InvalidDelegationScope');
      const own = (await acquire(ADMIN, `/subscriptions/${contosoSubscription}`, 'gold')).body;
      await refused(as(ADMIN, 'POST', `/marketplace/subscriptions/${contosoSubscription}/acquisitions/${own.id}/delegate`, { scopes: [`/subscriptions/${contosoSubscription}`] }), 400, 'InvalidRegistrationDefinitionCreateRequest', /own tenant/);
      assert.equal((await as(FAB_OWNER, 'GET', `${FAB}/${MS}/registrationDefinitions?api-version=${V}`)).body.value.length, 1, 'nothing more was delegated');
      assert.equal((await as(FAB_OWNER, 'GET', `/marketplace${FAB}/acquisitions/${gold.id}`)).body.state, 'pending');
    });

    it('holds an ARM registrationDefinitions PUT naming a plan to the same rules', async () => {
      const manifest = withPlans(demoOffer(demo, leads.url)).plans[0]!.technicalConfiguration.manifests[0]!;
      const grants = manifestGrants(manifest);
      const body = (planName: string, version = '1.0.0', authorizations = grants.authorizations, managedByTenantId = grants.managedByTenantId) => ({
        plan: { name: planName, publisher: 'contoso', product: 'contoso-managed-ops', version },
        properties: { registrationDefinitionName: `ARM ${planName}`, managedByTenantId, authorizations },
      });
      const put = (upn: string, sub: string, b: unknown) => as(upn, 'PUT', `${sub}/${MS}/registrationDefinitions/${randomUUID()}?api-version=${V}`, b);
      const code = async (reply: ReturnType<typeof put>) => {
        const r = await reply;
        return [r.status, r.body.error?.code as string | undefined];
      };
      const guest = demo.credentials.users.find((u) => u.userType === 'Guest')!.userPrincipalName;
      // The report: Northwind, not in silver's audience, with made-up Contributor authorizations.
      const madeUp = [{ principalId: demo.id('Contoso L2 Engineers'), principalIdDisplayName: 'Contoso L2 Engineers', roleDefinitionId: CONTRIBUTOR }];
      assert.deepEqual(await code(put(NW_OWNER, NW, body('silver', '1.0.0', madeUp))), [404, 'MarketplacePlanNotFound']);
      assert.deepEqual(await code(put(NW_OWNER, NW, { ...body('gold'), plan: { name: 'gold', publisher: 'contoso', product: 'contoso-preview-ops', version: '1.0.0' } })), [404, 'MarketplacePlanNotFound']);
      assert.deepEqual(await code(put(FAB_OWNER, FAB, body('bronze'))), [400, 'MarketplacePlanNotAvailable']);
      assert.deepEqual(await code(put(FAB_OWNER, FAB, body('platinum'))), [409, 'MarketplacePlanVersionNotCurrent']);
      assert.deepEqual(await code(put(guest, FAB, body('gold'))), [403, 'AuthorizationFailed']);
      assert.deepEqual(await code(put(FAB_READER, FAB, body('gold'))), [403, 'AuthorizationFailed']);
      assert.deepEqual(await code(put(ADMIN, `/subscriptions/${contosoSubscription}`, body('gold'))), [400, 'InvalidRegistrationDefinitionCreateRequest']);
      const extra = [...grants.authorizations, { principalId: demo.id('Contoso L1 Support'), principalIdDisplayName: 'Contoso L1 Support', roleDefinitionId: CONTRIBUTOR }];
      const differs = await put(FAB_OWNER, FAB, body('gold', '1.0.0', extra));
      assert.equal(differs.status, 400);
      assert.equal(differs.body.error.code, 'AuthorizationsDifferFromManifest');
      assert.match(differs.body.error.message as string, new RegExp(`role ${CONTRIBUTOR} is not in the manifest`));
      const missing = await put(FAB_OWNER, FAB, body('gold', '1.0.0', grants.authorizations.map((a) => (a.roleDefinitionId === READER ? { ...a, roleDefinitionId: MONITORING_READER } : a))));
      assert.equal(missing.body.error.details.length, 2, 'one extra, one missing');
      assert.equal((await as(FAB_OWNER, 'GET', `${FAB}/${MS}/registrationDefinitions?api-version=${V}`)).body.value.length, 1, 'nothing was written');

      const exact = await put(FAB_OWNER, FAB, body('gold'));
      assert.equal(exact.status, 201, JSON.stringify(exact.body));
      assert.deepEqual(exact.body.plan, { name: 'gold', publisher: 'contoso', product: 'contoso-managed-ops', version: '1.0.0' });
      const market = await as(FAB_OWNER, 'GET', `${FAB}/${MS}/marketplaceRegistrationDefinitions?api-version=${V}`);
      assert.deepEqual((market.body.value as { name: string }[]).map((d) => d.name).sort(), ['contoso.contoso-managed-ops.gold.1.0.0', 'contoso.contoso-managed-ops.platinum.1.1.0', 'contoso.contoso-managed-ops.silver.1.0.0', 'contoso.contoso-preview-ops.gold.1.0.0']);
      const nwMarket = await as(NW_OWNER, 'GET', `${NW}/${MS}/marketplaceRegistrationDefinitions?api-version=${V}`);
      assert.deepEqual((nwMarket.body.value as { name: string }[]).map((d) => d.name).sort(), ['contoso.contoso-managed-ops.gold.1.0.0', 'contoso.contoso-managed-ops.platinum.1.1.0']);
    });
  });
}
