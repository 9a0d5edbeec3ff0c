/**
 * An attacker's audit of the marketplace and Partner Center planes, over real HTTP on SQLite and
 * PostgreSQL: lead-destination secrets are never echoed (versions, Compare, the ingestion resource
 * tree), and an export with the placeholder pushed back keeps the stored secret; one publisher
 * can't reach another's leads, jobs, products or offers by id, whatever the spelling; a guest can't
 * make its host tenant a publisher; a private plan stays hidden from tenants outside its audience
 * (from its managing tenant too, reading the customer's subscription); and a lead destination can't point
 * at an internal address, however it is spelled (IPv4-embedding IPv6 forms included).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toIngestionResources } from '../../src/core/marketplace/ingestion.js';
import type { Offer } from '../../src/core/marketplace/model.js';
import { systemContext } from '../../src/services/context.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { acquireAndDelegate, call, demoOffer, publishOffer, seedDemo, until, type DemoWorld } from '../support/demo-offer.js';
import { call as pcCall, startLeadEndpoint, startWorld, type World } from '../marketplace/support.js';

const INGESTION = '$version=2022-03-01-preview2';
const SIGNING_SECRET = 'audit-signing-secret-0123456789';
const DYNAMICS_SECRET = 'audit-dynamics-client-secret-XYZ';
const ADMIN = 'admin@contoso.example';
const FAB_OWNER = 'owner@fabrikam.example';
const NW_OWNER = 'owner@northwind.example';
const ALICE = 'alice@contoso.example';
const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const OFFER_PATH = '/partner-center/publishers/contoso/offers/contoso-managed-ops';

for (const database of testDatabases()) {
  describe(`marketplace audit: secrets, publishers and private plans (${database.name})`, () => {
    let lantern: TestLantern;
    let demo: DemoWorld;
    let endpoint: Awaited<ReturnType<typeof startLeadEndpoint>>;
    let developerToken: string;
    const as = async (upn: string, method: string, path: string, body?: unknown) => call(lantern, await demo.token(upn), method, path, body);
    const asDeveloper = (method: string, path: string, body?: unknown) => call(lantern, developerToken, method, path, body);

    // Runs a configure job as `token` and waits for it (and for the publish job it starts).
    const configure = async (token: string, publisherId: string, body: unknown) => {
      const started = await call(lantern, token, 'POST', `/rp/product-ingestion/configure?${INGESTION}&publisherId=${publisherId}`, body);
      assert.equal(started.status, 202, JSON.stringify(started.body));
      const id = started.body.jobId as string;
      await until(() => call(lantern, token, 'GET', `/rp/product-ingestion/configure/${id}/status?${INGESTION}`), (r) => r.body?.jobStatus === 'completed', 'configure');
      const detail = (await call(lantern, token, 'GET', `/rp/product-ingestion/configure/${id}?${INGESTION}`)).body as { jobResult: string; warnings: unknown[]; publishJobId?: string };
      if (detail.publishJobId !== undefined) {
        await until(() => call(lantern, token, 'GET', `/partner-center/jobs/${detail.publishJobId}`), (r) => r.body?.state === 'completed', 'publish');
      }
      await lantern.services.marketplace.idle();
      return detail;
    };

    before(async () => {
      endpoint = await startLeadEndpoint();
      lantern = await startTestLantern(database, { marketplace: { allowPrivateLeadEndpoints: true } });
      demo = await seedDemo(lantern);
      const contoso = demoOffer(demo, endpoint.url);
      const gold = contoso.plans[0]!;
      await publishOffer(lantern, await demo.token(ADMIN), {
        ...contoso,
        setup: { customerLeads: { type: 'httpsEndpoint', httpsEndpointUrl: endpoint.url, signingSecret: SIGNING_SECRET, contactEmails: ['sales@contoso.example'] } },
      });
      const sp = demo.credentials.servicePrincipals.find((s) => s.displayName === 'contoso-automation')!;
      const form = { grant_type: 'client_credentials', client_id: sp.clientId, client_secret: sp.clientSecret, scope: 'https://management.azure.com/.default' };
      const res = await fetch(`${lantern.baseUrl}/${DEMO_IDS.contosoTenant}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
      developerToken = ((await res.json()) as { access_token: string }).access_token;

      // A second publisher, Rival (Northwind's tenant), with one offer whose only plan is private to Fabrikam Production.
      const mp = lantern.services.marketplace;
      const ctx = systemContext(lantern.services.ids);
      await mp.publishers.enroll(ctx, { publisherId: 'rival', displayName: 'Rival Ltd', contacts: [{ name: 'Rival', email: 'owner@northwind.example' }], tenantId: DEMO_IDS.northwindTenant });
      await mp.publishers.setMemberRoles(ctx, 'rival', demo.id(NW_OWNER), ['Owner']);
      await mp.publishers.claimEligibility(ctx, 'rival', 'SolutionsPartner:Security', 'designation 9');
      await mp.publishers.decideEligibility(ctx, 'rival', 'SolutionsPartner:Security', 'verified');
      await mp.publishers.verifyPublisher(ctx, 'rival');
      const rival: Offer = {
        ...contoso,
        publisherId: 'rival',
        id: 'rival-ops',
        alias: 'Rival Ops',
        setup: { customerLeads: { type: 'none' } },
        listing: { ...contoso.listing, name: 'Rival Operations' },
        plans: [{ ...gold, id: 'exclusive', name: 'Fabrikam exclusive', summary: 'Hushhush terms for Fabrikam.', visibility: 'private', privateAudience: [{ id: DEMO_IDS.fabrikamProduction, description: 'Fabrikam', type: 'subscription' }] }],
      };
      const nwToken = await demo.token(NW_OWNER);
      await configure(nwToken, 'rival', toIngestionResources(rival, { submit: 'preview' }));
      const live = await configure(nwToken, 'rival', { resources: [{ $schema: 'https://schema.mp.microsoft.com/schema/submission/2022-03-01-preview2', product: { externalId: 'rival-ops' }, target: { targetType: 'live' } }] });
      assert.equal(live.jobResult, 'succeeded', JSON.stringify(live));
      assert.equal((await as(FAB_OWNER, 'GET', '/marketplace/offers/rival.rival-ops')).status, 200, 'Fabrikam sees its private product');
    });
    after(async () => {
      await lantern.stop();
      await endpoint.stop();
    });

    it('never echoes lead-destination secrets: versions, Compare and the resource tree, to a Developer or an Owner', async () => {
      const productGuid = ((await as(ADMIN, 'GET', OFFER_PATH)).body.productDurableId as string).slice('product/'.length);
      // A draft edit puts a Dynamics client secret beside the published signing secret, so Compare has both to show.
      const edited = await as(ADMIN, 'PUT', `${OFFER_PATH}/setup`, {
        customerLeads: { type: 'dynamics', instanceUrl: 'https://contoso.crm4.dynamics.com', authentication: 'azureAD', applicationId: '11111111-2222-4333-8444-555555555555', applicationKey: DYNAMICS_SECRET, directoryId: DEMO_IDS.contosoTenant, contactEmails: ['sales@contoso.example'] },
      });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      for (const path of [
        `${OFFER_PATH}/versions`, `${OFFER_PATH}/versions/1`, `${OFFER_PATH}/compare`, OFFER_PATH,
        ...['draft', 'preview', 'live'].map((t) => `/rp/product-ingestion/resource-tree/product/${productGuid}?targetType=${t}&${INGESTION}`),
      ]) {
        for (const [who, answer] of [['Developer', await asDeveloper('GET', path)], ['Owner', await as(ADMIN, 'GET', path)]] as const) {
          assert.equal(answer.status, 200, `${who} ${path}: ${JSON.stringify(answer.body)}`);
          const text = JSON.stringify(answer.body);
          assert.ok(!text.includes(SIGNING_SECRET) && !text.includes(DYNAMICS_SECRET), `${who} ${path} echoes a lead secret: ${text.slice(0, 400)}`);
        }
      }
      const changes = (await as(ADMIN, 'GET', `${OFFER_PATH}/compare`)).body.changes as { path: string; change: string; before?: unknown; after?: unknown }[];
      const secretChanges = changes.filter((c) => /signingSecret|applicationKey/.test(c.path)).map((c) => [c.path, c.change, c.before, c.after]);
      assert.deepEqual(secretChanges, [
        ['setup.customerLeads.signingSecret', 'removed', '********', undefined],
        ['setup.customerLeads.applicationKey', 'added', undefined, '********'],
      ], 'Compare still says which secret changed');
    });

    it('keeps the stored secret when an export (secrets as ********) is pushed back, with nothing to warn about', async () => {
      const productGuid = ((await as(ADMIN, 'GET', OFFER_PATH)).body.productDurableId as string).slice('product/'.length);
      const live = await as(ADMIN, 'GET', `/rp/product-ingestion/resource-tree/product/${productGuid}?targetType=live&${INGESTION}`);
      // The draft holds a Dynamics destination (the previous test): the placeholder is read as the published secret.
      assert.equal((await as(ADMIN, 'GET', OFFER_PATH)).body.draft.setup.customerLeads.type, 'dynamics');
      const pushed = await configure(await demo.token(ADMIN), 'contoso', { $schema: 'https://schema.mp.microsoft.com/schema/configure/2022-03-01-preview2', resources: live.body.resources });
      assert.equal(pushed.jobResult, 'succeeded', JSON.stringify(pushed));
      assert.deepEqual(pushed.warnings, [], 'the placeholder is read as the stored secret');
      const stored = await lantern.services.marketplace.offers.load({ publisherId: 'contoso', offerId: 'contoso-managed-ops' });
      assert.deepEqual(stored.draft.setup.customerLeads, { type: 'httpsEndpoint', httpsEndpointUrl: endpoint.url, signingSecret: SIGNING_SECRET, contactEmails: ['sales@contoso.example'] });
      assert.deepEqual((await as(ADMIN, 'GET', `${OFFER_PATH}/compare`)).body.changes, [], 'no change against the live offer');
    });

    it('never keeps the placeholder as a secret: a form read while another destination type was saved is refused, and no lead is signed with it', async () => {
      const published = { type: 'httpsEndpoint', httpsEndpointUrl: endpoint.url, signingSecret: SIGNING_SECRET, contactEmails: ['sales@contoso.example'] };
      const dynamics = { type: 'dynamics', instanceUrl: 'https://contoso.crm4.dynamics.com', authentication: 'azureAD', applicationId: '11111111-2222-4333-8444-555555555555', applicationKey: DYNAMICS_SECRET, directoryId: DEMO_IDS.contosoTenant, contactEmails: ['sales@contoso.example'] };
      // The HTTPS form as the portal showed it (secret masked), sent back after the draft switched to Dynamics.
      const stale = { ...published, signingSecret: '********' };
      assert.equal((await as(ADMIN, 'PUT', `${OFFER_PATH}/setup`, { customerLeads: dynamics })).status, 200);
      const received = endpoint.received.length;
      const validated = await as(ADMIN, 'POST', `${OFFER_PATH}/setup/validate`, { customerLeads: stale });
      assert.equal(validated.status, 200, JSON.stringify(validated.body));
      assert.equal(validated.body.ok, false, JSON.stringify(validated.body));
      assert.deepEqual((validated.body.violations as { field: string; rule: string; severity: string }[]).filter((v) => v.severity === 'error').map((v) => [v.field, v.rule]),
        [['setup.customerLeads.signingSecret', 'leads.secret.placeholder']]);
      assert.equal(endpoint.received.length, received, 'no test lead went out');
      assert.equal((await as(ADMIN, 'PUT', `${OFFER_PATH}/setup`, { customerLeads: stale })).status, 200, 'a draft may hold what validation reports');
      const saved = await lantern.services.marketplace.offers.load({ publisherId: 'contoso', offerId: 'contoso-managed-ops' });
      assert.equal((saved.draft.setup.customerLeads as { signingSecret?: string }).signingSecret, '********');
      const review = await as(ADMIN, 'GET', `${OFFER_PATH}/validation`);
      assert.ok(JSON.stringify(review.body).includes('leads.secret.placeholder'), `the draft's review names it: ${JSON.stringify(review.body).slice(0, 400)}`);
      // Back to the published destination, for the tests after this one.
      assert.equal((await as(ADMIN, 'PUT', `${OFFER_PATH}/setup`, { customerLeads: published })).status, 200);
    });

    it('keeps publishers apart: another publisher\'s leads, jobs, products and offers, by id and in any spelling', async () => {
      const leadId = ((await as(ADMIN, 'GET', `${OFFER_PATH}/leads`)).body.value as { id: string }[])[0]!.id;
      const jobId = ((await as(ADMIN, 'GET', `${OFFER_PATH}/jobs`)).body.value as { id: string }[])[0]!.id;
      const productGuid = ((await as(ADMIN, 'GET', OFFER_PATH)).body.productDurableId as string).slice('product/'.length);
      const refused: string[] = [];
      const expect = async (method: string, path: string, statuses: number[], body?: unknown) => {
        const answer = await as(NW_OWNER, method, path, body);
        const text = JSON.stringify(answer.body ?? '');
        if (!statuses.includes(answer.status) || text.includes('sales@contoso.example') || text.includes('MSFT_TEST_')) refused.push(`${method} ${path}: ${answer.status} ${text.slice(0, 200)}`);
      };
      // Contoso's lead under Rival's own publisher path: as absent as one that never was.
      await expect('GET', `/partner-center/publishers/rival/referrals/${leadId}`, [404]);
      await expect('POST', `/partner-center/publishers/rival/referrals/${leadId}/redeliver`, [404]);
      await expect('GET', `/partner-center/publishers/rival/referrals/${leadId.toUpperCase()}`, [404]);
      // Contoso's offer under Rival's path, and Contoso's paths in other spellings.
      await expect('GET', '/partner-center/publishers/rival/offers/contoso-managed-ops', [404]);
      await expect('PATCH', '/partner-center/publishers/rival/offers/rival-ops/plans/gold', [404], { name: 'Taken' });
      for (const publisher of ['contoso', 'CONTOSO', 'Contoso', 'contoso/', 'cont%6Fso']) {
        await expect('GET', `/partner-center/publishers/${publisher}/offers/contoso-managed-ops`, [403, 404]);
        await expect('GET', `/partner-center/publishers/${publisher}/referrals`, [403, 404]);
        await expect('GET', `/partner-center/publishers/${publisher}/referrals/${leadId}`, [403, 404]);
        await expect('PUT', `/partner-center/publishers/${publisher}/offers/contoso-managed-ops/listing`, [403, 404], { name: 'Pwned' });
        await expect('PUT', `/partner-center/publishers/${publisher}/members/${demo.id(NW_OWNER)}`, [403, 404], { roles: ['Owner'] });
      }
      await expect('GET', `/partner-center/publishers/contoso%2F..%2Frival/offers`, [400, 404]);
      // Jobs and products by id, and configure for Contoso.
      await expect('GET', `/partner-center/jobs/${jobId}`, [403, 404]);
      await expect('GET', `/rp/product-ingestion/resource-tree/product/${productGuid}?${INGESTION}`, [403, 404]);
      await expect('GET', `/rp/product-ingestion/resource-tree/product/${productGuid.toUpperCase()}?${INGESTION}`, [403, 404]);
      await expect('GET', `/rp/product-ingestion/submission/${productGuid}?${INGESTION}`, [403, 404]);
      await expect('POST', `/rp/product-ingestion/configure?${INGESTION}&publisherId=contoso`, [403], { resources: [] });
      assert.deepEqual(refused, []);

      // A configure of Rival's naming Contoso's product by durable id changes nothing of Contoso's.
      const listing = toIngestionResources((await lantern.services.marketplace.offers.load({ publisherId: 'contoso', offerId: 'contoso-managed-ops' })).draft).resources
        .find((r) => String(r.$schema).includes('/listing/'))!;
      const before = JSON.stringify((await as(ADMIN, 'GET', OFFER_PATH)).body.draft);
      await configure(await demo.token(NW_OWNER), 'rival', { resources: [{ ...listing, title: 'Pwned by Rival' }] });
      assert.equal(JSON.stringify((await as(ADMIN, 'GET', OFFER_PATH)).body.draft), before);
      assert.ok(!(await lantern.services.marketplace.offers.list(systemContext(lantern.services.ids), 'rival')).some((o) => o.offerId === 'contoso-managed-ops'));
    });

    it('lets no guest make its host tenant a publisher (and so list the directory\'s users)', async () => {
      const guest = 'auditor_northwind.example#EXT#@fabrikam.example';
      const contacts = [{ name: 'Auditor', email: 'auditor@northwind.example' }];
      const enrolled = await as(guest, 'POST', '/partner-center/publishers', { publisherId: 'fab-by-guest', displayName: 'Fabrikam', contacts });
      assert.equal(enrolled.status, 403, JSON.stringify(enrolled.body));
      assert.equal((await as(guest, 'GET', '/partner-center/publishers/fab-by-guest/users')).status, 404, 'no publisher was made');
      assert.equal((await as(FAB_OWNER, 'POST', '/partner-center/publishers', { publisherId: 'fab-by-owner', displayName: 'Fabrikam', contacts })).status, 201, 'a member still enrolls its tenant');
    });

    it('hides a private plan from tenants outside its audience: storefront, search, media, acquisition, contact me', async () => {
      const nw = `/subscriptions/${DEMO_IDS.northwindDev}`;
      for (const [path, status] of [
        ['/marketplace/offers/rival.rival-ops', 404], ['/marketplace/offers/RIVAL.RIVAL-OPS', 404], [`/marketplace/offers/rival.rival-ops?subscriptionId=${DEMO_IDS.fabrikamProduction}`, 403],
        ['/marketplace/offers/rival.rival-ops/media/logos/large', 404],
      ] as const) {
        const answer = await as(NW_OWNER, 'GET', path);
        assert.equal(answer.status, status, `${path}: ${JSON.stringify(answer.body)}`);
        assert.ok(!JSON.stringify(answer.body).includes('exclusive'), `${path} names the private plan`);
      }
      for (const search of ['hushhush', 'exclusive', 'rival']) {
        const found = await as(NW_OWNER, 'GET', `/marketplace/offers?search=${search}`);
        assert.deepEqual([found.status, found.body.count], [200, 0], `search ${search}`);
      }
      const acquire = await as(NW_OWNER, 'POST', `/marketplace${nw}/acquisitions`, { offerId: 'rival.rival-ops', planId: 'exclusive', acceptLegalTerms: true });
      const absent = await as(NW_OWNER, 'POST', `/marketplace${nw}/acquisitions`, { offerId: 'rival.rival-ops', planId: 'no-such-plan', acceptLegalTerms: true });
      assert.deepEqual([acquire.status, acquire.body.error.code], [absent.status, absent.body.error.code], 'a private plan is refused as an unknown one');
      assert.equal((await as(NW_OWNER, 'POST', `/marketplace${FAB}/acquisitions`, { offerId: 'rival.rival-ops', planId: 'exclusive', acceptLegalTerms: true })).status, 403, 'another tenant\'s subscription');
      const contact = await as(NW_OWNER, 'POST', '/marketplace/offers/rival.rival-ops/contact-me', { firstName: 'N', lastName: 'W', email: 'n@northwind.example', country: 'US', company: 'Northwind', consent: true });
      assert.equal(contact.status, 404);
    });

    it('hides a customer\'s private products of other publishers from its managing tenant (marketplaceRegistrationDefinitions)', async () => {
      await acquireAndDelegate(lantern, await demo.token(FAB_OWNER), FAB, [FAB]);
      assert.equal((await as(ALICE, 'GET', '/marketplace/offers/rival.rival-ops')).status, 404, 'the storefront hides it from Contoso');
      const listed = await as(ALICE, 'GET', `${FAB}/providers/Microsoft.ManagedServices/marketplaceRegistrationDefinitions?api-version=2022-10-01`);
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      const names = (listed.body.value as { name: string }[]).map((d) => d.name);
      assert.ok(names.some((n) => n.startsWith('contoso.contoso-managed-ops.gold.')), JSON.stringify(names));
      assert.ok(!names.some((n) => n.startsWith('rival.')), `Contoso reads Rival's private plan for Fabrikam: ${JSON.stringify(names)}`);
      const own = await as(FAB_OWNER, 'GET', `${FAB}/providers/Microsoft.ManagedServices/marketplaceRegistrationDefinitions?api-version=2022-10-01`);
      assert.ok((own.body.value as { name: string }[]).some((d) => d.name.startsWith('rival.')), 'the customer itself sees the private plan made for it');
    });
  });

  describe(`lead destinations on internal addresses (${database.name})`, () => {
    let world: World;
    const offer = '/partner-center/publishers/contoso/offers/ssrf-probe';

    before(async () => {
      world = await startWorld(database, { marketplace: { allowPrivateLeadEndpoints: false } });
      assert.equal((await pcCall(world, world.owner, 'POST', '/partner-center/publishers/contoso/offers', { offerId: 'ssrf-probe', alias: 'SSRF probe' })).status, 201);
    });
    after(async () => world.stop());

    it('refuses every spelling of a loopback, private, link-local or metadata address before connecting, IPv4 embedded in IPv6 included', { timeout: 300_000 }, async () => {
      const hosts = [
        '127.0.0.1', '2130706433', '0x7f.1', '0177.0.0.1', '127.1', 'localhost', '0.0.0.0', '10.1.2.3', '192.168.0.1', '169.254.169.254', '100.100.100.200',
        '[::1]', '[::]', '[::ffff:127.0.0.1]', '[::ffff:a9fe:a9fe]', '[0:0:0:0:0:ffff:10.0.0.1]', '[fd00::1]', '[fe80::1]',
        // IPv4 embedded in IPv6: IPv4-compatible, NAT64 (well-known and local-use prefixes), 6to4, SIIT.
        '[::127.0.0.1]', '[64:ff9b::a9fe:a9fe]', '[64:ff9b::127.0.0.1]', '[64:ff9b:1::a00:1]', '[2002:a9fe:a9fe::1]', '[2002:7f00:1::]', '[::ffff:0:a9fe:a9fe]',
      ];
      const wrong: string[] = [];
      for (const host of hosts) {
        const answer = await pcCall(world, world.developer, 'POST', `${offer}/setup/validate`, {
          customerLeads: { type: 'httpsEndpoint', httpsEndpointUrl: `https://${host}/leads`, contactEmails: ['sales@contoso.example'] },
        });
        if (answer.status !== 200 || answer.body.delivered !== false || !/private, loopback or link-local/.test(String(answer.body.message))) {
          wrong.push(`${host}: ${answer.status} ${String(answer.body?.message ?? answer.text).slice(0, 160)}`);
        }
      }
      assert.deepEqual(wrong, []);
    });
  });
}
