/**
 * Leads are records first, on SQLite and PostgreSQL, as the demo world's users over HTTP: an
 * acquisition writes its lead row in its own transaction (none for a refused one, none when the
 * transaction fails after the row), "Contact me" writes one for an offer the caller sees (bad
 * input leaves none), and the test lead of each submission is a lead row of kind `test` (the
 * offer's `…/leads`), each with offer, plan, customer tenant and subscription ids where they apply.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LeadRecord } from '../../src/core/marketplace/lead-records.js';
import type { Offer } from '../../src/core/marketplace/model.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { createAcquisitionService } from '../../src/services/marketplace/acquisition-service.js';
import { acquisitionLeadHooks } from '../../src/services/marketplace/lead-sources.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { call, demoOffer, publishOffer, seedDemo, type DemoWorld } from '../support/demo-offer.js';
import { eventually, startLeadEndpoint } from './support.js';

const OFFER = 'contoso.contoso-managed-ops';
const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const NW = `/subscriptions/${DEMO_IDS.northwindDev}`;
const ADMIN = 'admin@contoso.example';
const FAB_OWNER = 'owner@fabrikam.example';
const FAB_READER = 'reader@fabrikam.example';
const NW_OWNER = 'owner@northwind.example';

// gold for everyone; silver private to Fabrikam Production.
function withSilver(offer: Offer): Offer {
  const gold = offer.plans[0]!;
  return {
    ...offer,
    plans: [gold, { ...gold, id: 'silver', name: 'Silver', summary: 'The silver plan.', visibility: 'private', privateAudience: [{ id: DEMO_IDS.fabrikamProduction, description: 'Fabrikam', type: 'subscription' }] }],
  };
}

for (const database of testDatabases()) {
  describe(`leads are records first (${database.name})`, () => {
    let lantern: TestLantern;
    let demo: DemoWorld;
    let endpoint: Awaited<ReturnType<typeof startLeadEndpoint>>;
    const as = async (upn: string, method: string, path: string, body?: unknown) => call(lantern, await demo.token(upn), method, path, body);
    const leadRows = async (): Promise<LeadRecord[]> => (await lantern.services.store.leads.list({ publisherId: 'contoso', top: 1000 })).leads.map((l) => l.lead);
    const nonTest = async () => (await leadRows()).filter((l) => l.kind !== 'test');

    before(async () => {
      endpoint = await startLeadEndpoint();
      lantern = await startTestLantern(database, { marketplace: { allowPrivateLeadEndpoints: true } });
      demo = await seedDemo(lantern);
      await publishOffer(lantern, await demo.token(ADMIN), withSilver(demoOffer(demo, endpoint.url)));
    });
    after(async () => {
      await lantern.stop();
      await endpoint.stop();
    });

    it('keeps the test lead of each submission as a lead row of kind test (no separate log)', async () => {
      const tests = await as(ADMIN, 'GET', '/partner-center/publishers/contoso/offers/contoso-managed-ops/leads');
      assert.equal(tests.status, 200, JSON.stringify(tests.body));
      const value = tests.body.value as LeadRecord[];
      assert.equal(value.length, 1, 'one submission, one test lead');
      assert.deepEqual([value[0]!.kind, value[0]!.submission, value[0]!.offerId, value[0]!.status], ['test', 1, 'contoso-managed-ops', 'delivered']);
      assert.match(value[0]!.customer.Email, /^MSFT_TEST_\d+@test\.com$/);
      assert.ok(endpoint.received.some((b) => (b as { LeadId: string }).LeadId === value[0]!.id), 'the endpoint received that very lead');
      const referrals = await as(ADMIN, 'GET', '/partner-center/publishers/contoso/referrals?kind=test');
      assert.deepEqual((referrals.body.value as LeadRecord[]).map((l) => l.id), [value[0]!.id], 'Referrals filter by kind');
      assert.deepEqual(await lantern.services.store.documents.list('mp-test-leads'), [], 'the old test-lead log is gone');
    });

    it('writes one lead row per acquisition, in the acquisition\'s transaction; a refused one leaves none', async () => {
      assert.deepEqual(await nonTest(), []);
      const acquire = (upn: string, sub: string, planId: string, accept = true) => as(upn, 'POST', `/marketplace${sub}/acquisitions`, { offerId: OFFER, planId, acceptLegalTerms: accept });
      assert.equal((await acquire(FAB_OWNER, FAB, 'silver', false)).status, 400);
      assert.equal((await acquire(FAB_READER, FAB, 'silver')).status, 403);
      assert.equal((await acquire(NW_OWNER, NW, 'silver')).status, 404, 'silver is not offered to Northwind');
      assert.equal((await acquire(NW_OWNER, FAB, 'gold')).status, 403, 'another tenant\'s subscription');
      assert.deepEqual(await nonTest(), [], 'refused acquisitions leave no lead');

      const accepted = await acquire(FAB_OWNER, FAB, 'silver');
      assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
      const [lead, ...more] = await nonTest();
      assert.equal(more.length, 0);
      assert.deepEqual(
        [lead!.kind, lead!.offerId, lead!.planId, lead!.customerTenantId, lead!.subscriptionId, lead!.leadSource, lead!.actionCode],
        ['acquisition', 'contoso-managed-ops', 'silver', DEMO_IDS.fabrikamTenant, DEMO_IDS.fabrikamProduction, 'AzurePortal-Create|contoso.contoso-managed-ops', 'Create'],
      );
      assert.equal(lead!.customer.Email, FAB_OWNER, 'the customer as the directory knows them');
      assert.equal(lead!.customer.Company, 'Fabrikam');
      const delivered = await eventually(() => lantern.services.store.leads.get(lead!.id), (s) => s?.lead.status === 'delivered', 'the acquisition lead delivered');
      assert.equal(delivered!.lead.attempts, 1);
      const body = endpoint.received.find((b) => (b as { LeadId: string }).LeadId === lead!.id) as Record<string, unknown>;
      assert.deepEqual([body.PlanId, body.SubscriptionId, body.CustomerTenantId, body.OfferId], ['silver', DEMO_IDS.fabrikamProduction, DEMO_IDS.fabrikamTenant, OFFER]);

      // Accepting again, and delegating, are the same acquisition: no second lead.
      assert.equal((await acquire(FAB_OWNER, FAB, 'silver')).status, 200);
      assert.equal((await as(FAB_OWNER, 'POST', `/marketplace${FAB}/acquisitions/${accepted.body.id as string}/delegate`, { scopes: [`${FAB}/resourceGroups/rg-web`] })).status, 200);
      assert.equal((await nonTest()).length, 1);
    });

    it('keeps no lead when the acquisition\'s transaction fails after the lead row was written', async () => {
      const s = lantern.services;
      const leads = acquisitionLeadHooks(s.marketplace.leads);
      const failing = createAcquisitionService({
        store: s.store, access: s.access, clock: s.clock, delegation: s.delegation,
        hooks: { inTransaction: async (tx, change) => { await leads.inTransaction!(tx, change); throw new Error('the acquisition fails after its lead'); } },
      });
      const before = (await nonTest()).length;
      const caller = await s.identity.tokens.verifyAccessToken(await demo.token(NW_OWNER));
      await assert.rejects(failing.acceptTerms({ caller, correlationId: s.ids.guid(), requestId: s.ids.guid() }, { subscriptionId: DEMO_IDS.northwindDev, publisherId: 'contoso', offerId: 'contoso-managed-ops', planId: 'gold' }), /fails after its lead/);
      assert.equal((await nonTest()).length, before, 'the lead row rolled back with the acquisition');
      assert.deepEqual((await as(NW_OWNER, 'GET', `/marketplace${NW}/acquisitions`)).body.value, []);
    });

    it('"Contact me" writes a lead for an offer the caller sees; bad input writes none', async () => {
      const path = `/marketplace/offers/${OFFER}/contact-me`;
      const form = { firstName: 'Nora', lastName: 'Wind', email: 'nora@northwind.example', phone: '+1 425 555 0100', country: 'US', company: 'Northwind Traders', title: 'CIO', note: 'Call me about gold.', planId: 'gold', subscriptionId: DEMO_IDS.northwindDev, consent: true };
      const before = (await nonTest()).length;
      const refused = async (upn: string, body: unknown, status: number, field: RegExp) => {
        const r = await as(upn, 'POST', path, body);
        assert.equal(r.status, status, JSON.stringify(r.body));
        assert.match(JSON.stringify(r.body.error), field);
      };
      await refused(NW_OWNER, { ...form, consent: false }, 400, /consent/);
      await refused(NW_OWNER, { ...form, email: 'not-an-address' }, 400, /email/);
      await refused(NW_OWNER, { ...form, firstName: undefined }, 400, /firstName/);
      await refused(NW_OWNER, { ...form, planId: 'silver' }, 400, /planId/);
      await refused(NW_OWNER, { ...form, subscriptionId: DEMO_IDS.fabrikamProduction }, 403, /subscriptionId/);
      const hidden = await as(NW_OWNER, 'POST', '/marketplace/offers/contoso.no-such-offer/contact-me', form);
      assert.equal(hidden.status, 404);
      assert.equal((await nonTest()).length, before, 'refused requests leave no lead');

      const sent = await as(NW_OWNER, 'POST', path, form);
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      assert.deepEqual(Object.keys(sent.body as object).sort(), ['createdAt', 'id', 'offerId', 'planId'], 'the customer learns the lead id, not its delivery');
      const lead = (await lantern.services.store.leads.get(sent.body.id as string))!.lead;
      assert.deepEqual(
        [lead.kind, lead.planId, lead.customerTenantId, lead.subscriptionId, lead.actionCode, lead.leadSource, lead.description],
        ['contactMe', 'gold', DEMO_IDS.northwindTenant, DEMO_IDS.northwindDev, 'PLT', 'AzureMarketplace-PLT|contoso.contoso-managed-ops', 'Call me about gold.'],
      );
      assert.deepEqual(lead.customer, { FirstName: 'Nora', LastName: 'Wind', Email: 'nora@northwind.example', Phone: '+1 425 555 0100', Country: 'US', Company: 'Northwind Traders', Title: 'CIO' });
      await eventually(() => lantern.services.store.leads.get(lead.id), (s) => s?.lead.status === 'delivered', 'the Contact me lead delivered');
      const listed = await as(ADMIN, 'GET', '/partner-center/publishers/contoso/referrals?kind=contactMe');
      assert.deepEqual((listed.body.value as LeadRecord[]).map((l) => l.id), [lead.id]);
    });
  });
}
