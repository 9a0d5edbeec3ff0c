/**
 * Configure against a published offer, over the product-ingestion API (issue 13.4 and 13.5), on
 * SQLite and PostgreSQL. The offer is published with a manifest as a REST client may write it
 * (the eligible authorization first, keys in another order); its export, pushed back unchanged,
 * changes nothing (no draft changes, the published manifest byte for byte as it was) and a later
 * submission goes through. A configure body that changes what the live offer forbids (a published
 * public plan made private, a published manifest edited) is warned about at configure, naming the
 * fields as the body writes them, and the pipeline refuses it with the same rule.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { toIngestionResources } from '../../src/core/marketplace/ingestion.js';
import type { Manifest, Offer, PlanAuthorization } from '../../src/core/marketplace/model.js';
import { CONTRIBUTOR } from '../../src/core/roles/builtin-catalog.js';
import { contosoOffer, FABRIKAM_SUBSCRIPTION, L1_SUPPORT, L2_ENGINEERS } from '../../src/core/marketplace/test-fixtures.js';
import { testDatabases } from '../support/databases.js';
import { call, eventually, startLeadEndpoint, startWorld, type Reply, type World } from './support.js';

const INGESTION = '$version=2022-03-01-preview2';
const CONFIGURE_SCHEMA = 'https://schema.mp.microsoft.com/schema/configure/2022-03-01-preview2';
const OFFER_PATH = '/partner-center/publishers/contoso/offers/contoso-managed-ops';

interface Finding { code: string; resource: string; target?: string; rule?: string; message: string }
type Resource = Record<string, unknown> & { id?: string; $schema?: string };

// Eligible first, then the active ones, each with its keys in reverse: an order the export does not keep.
function asRestClientWrites(manifest: Manifest): Manifest {
  const eligible: PlanAuthorization = {
    displayName: 'Contoso L1 Support (JIT)', principalId: L1_SUPPORT, roleDefinitionId: CONTRIBUTOR, accessType: 'eligible',
    justInTime: { maximumDuration: 'PT1H', requireMfa: true, approvers: [{ principalId: L2_ENGINEERS, displayName: 'Contoso L2 Engineers' }] },
  };
  const reversed = (a: PlanAuthorization) => Object.fromEntries(Object.entries(a).reverse()) as unknown as PlanAuthorization;
  return { ...manifest, authorizations: [eligible, ...manifest.authorizations].map(reversed) };
}

for (const db of testDatabases()) {
  describe(`configure against a published offer (${db.name})`, () => {
    let world: World;
    let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;
    let offer: Offer;
    let published: Manifest;

    // A configure request, its job awaited: the job's detail, and the publish job it started awaited too.
    const configure = async (resources: readonly unknown[]): Promise<{ result: string; warnings: Finding[]; errors: Finding[]; publish?: Reply }> => {
      const started = await call(world, world.owner, 'POST', `/rp/product-ingestion/configure?${INGESTION}&publisherId=contoso`, { $schema: CONFIGURE_SCHEMA, resources });
      assert.equal(started.status, 202, started.text);
      await eventually(() => call(world, world.owner, 'GET', `/rp/product-ingestion/configure/${started.body.jobId as string}/status?${INGESTION}`), (r) => r.body?.jobStatus === 'completed', 'the configure job');
      const detail = (await call(world, world.owner, 'GET', `/rp/product-ingestion/configure/${started.body.jobId as string}?${INGESTION}`)).body;
      const publishJob = detail.publishJobId as string | undefined;
      const publish = publishJob === undefined ? undefined : await eventually(() => call(world, world.owner, 'GET', `/partner-center/jobs/${publishJob}`), (r) => r.body?.state === 'completed', 'the publish job');
      return { result: detail.jobResult as string, warnings: detail.warnings as Finding[], errors: detail.errors as Finding[], ...(publish === undefined ? {} : { publish }) };
    };
    const submission = (targetType: 'preview' | 'live') => ({ $schema: 'https://schema.mp.microsoft.com/schema/submission/2022-03-01-preview2', product: { externalId: 'contoso-managed-ops' }, target: { targetType } });
    const exported = async (targetType: 'draft' | 'live'): Promise<Resource[]> => {
      const guid = ((await call(world, world.owner, 'GET', OFFER_PATH)).body.productDurableId as string).slice('product/'.length);
      const tree = await call(world, world.owner, 'GET', `/rp/product-ingestion/resource-tree/product/${guid}?targetType=${targetType}&${INGESTION}`);
      assert.equal(tree.status, 200, tree.text);
      return tree.body.resources as Resource[];
    };
    const draftManifests = async () => ((await call(world, world.owner, 'GET', OFFER_PATH)).body.draft as Offer).plans[0]!.technicalConfiguration.manifests;
    const compare = async () => (await call(world, world.owner, 'GET', `${OFFER_PATH}/compare`)).body.changes as unknown[];
    const live = async () => {
      const done = await configure([submission('live')]);
      assert.equal(done.publish?.body.result, 'succeeded', JSON.stringify(done.publish?.body));
    };

    before(async () => {
      leads = await startLeadEndpoint();
      world = await startWorld(db);
      const base = contosoOffer();
      offer = { ...base, setup: { customerLeads: { type: 'httpsEndpoint', httpsEndpointUrl: leads.url, signingSecret: 'contoso-lead-signing-secret', contactEmails: ['sales@contoso.example'] } } };
      assert.equal((await configure(toIngestionResources(offer).resources)).result, 'succeeded');
      published = asRestClientWrites(base.plans[0]!.technicalConfiguration.manifests[0]!);
      const edited = await call(world, world.owner, 'PUT', `${OFFER_PATH}/plans/gold/manifests/current`, { tenantId: published.tenantId, authorizations: published.authorizations });
      assert.equal(edited.status, 200, edited.text);
      const preview = await configure([submission('preview')]);
      assert.equal(preview.publish?.body.result, 'succeeded', JSON.stringify(preview.publish?.body));
      await live();
    });
    after(async () => {
      await world.stop();
      await leads.stop();
    });

    it('pushes the export of the live offer back without changing anything, and a later submission goes through', async () => {
      assert.equal(JSON.stringify(await draftManifests()), JSON.stringify([published]), 'published as the REST client wrote it');
      const versions = (await call(world, world.owner, 'GET', `${OFFER_PATH}/versions`)).body.value as unknown[];
      const body = await exported('live');
      const eligibleFirst = body.find((r) => String(r.$schema).includes('managed-service-plan-technical-configuration')) as { manifests: { authorizations: unknown[]; eligibleAuthorizations: unknown[] }[] };
      assert.deepEqual([eligibleFirst.manifests[0]?.authorizations.length, eligibleFirst.manifests[0]?.eligibleAuthorizations.length], [3, 1], 'the export writes active and eligible authorizations in their own lists');

      const pushed = await configure(body);
      assert.equal(pushed.result, 'succeeded', JSON.stringify(pushed.errors));
      assert.deepEqual(pushed.warnings, [], 'nothing to warn about');
      assert.deepEqual(await compare(), [], 'no change against the live offer');
      assert.equal(JSON.stringify(await draftManifests()), JSON.stringify([published]), 'the published manifest is kept byte for byte: not reordered');
      assert.deepEqual(await exported('draft'), body, 'the draft exports as the live offer did');
      assert.deepEqual((await call(world, world.owner, 'GET', `${OFFER_PATH}/versions`)).body.value, versions, 'no new version');

      // A later change goes through the whole pipeline: the pushed-back manifest does not block it.
      const listing = body.find((r) => String(r.$schema).includes('/listing/')) as Resource;
      const changed = await configure([...body.map((r) => (r === listing ? { ...listing, shortDescription: 'Contoso runs and patches your Azure subscriptions.' } : r)), submission('preview')]);
      assert.equal(changed.result, 'succeeded');
      assert.equal(changed.publish?.body.result, 'succeeded', JSON.stringify(changed.publish?.body));
      await live();
      assert.deepEqual(await compare(), []);
    });

    it('warns at configure against the live offer, naming the fields as the body writes them; the pipeline refuses the same', async () => {
      const body = await exported('live');
      const sale = body.find((r) => String(r.$schema).includes('/price-and-availability-plan/')) as Resource;
      const tech = body.find((r) => String(r.$schema).includes('managed-service-plan-technical-configuration')) as Resource & { manifests: Record<string, unknown>[] };
      const [manifest] = tech.manifests as [Record<string, unknown> & { authorizations: Record<string, unknown>[] }];
      const madePrivate = { ...sale, audience: 'private', privateAudiences: [{ type: 'subscription', id: FABRIKAM_SUBSCRIPTION, label: 'Fabrikam' }] };
      const editedManifest = { ...tech, manifests: [{ ...manifest, authorizations: manifest.authorizations.map((a, i) => (i === 1 ? { ...a, principalIdDisplayName: 'Contoso L1 Support (renamed)' } : a)) }] };
      const result = await configure(body.map((r) => (r === sale ? madePrivate : r === tech ? editedManifest : r)));
      assert.equal(result.result, 'succeeded', 'a draft may be pushed unfinished');
      const warned = result.warnings.map((w) => [w.rule, w.resource, w.target]);
      assert.deepEqual(warned.filter(([rule]) => rule === 'plan.visibility.public-to-private'), [['plan.visibility.public-to-private', sale.id, 'audience']], JSON.stringify(result.warnings));
      assert.deepEqual(warned.filter(([rule]) => rule === 'manifest.published-immutable'), [['manifest.published-immutable', tech.id, 'manifests[0]']], JSON.stringify(result.warnings));
      assert.ok(result.warnings.every((w) => !/^plans\[|technicalConfiguration|visibility/.test(w.target ?? '')), 'no field is named as Lantern stores it');

      const submitted = await configure([submission('preview')]);
      assert.equal(submitted.publish?.body.result, 'failed', 'the pipeline refuses what configure warned about');
      const report = await call(world, world.owner, 'GET', `${OFFER_PATH}/failure-report`);
      const rules = (report.body.violations as { rule: string }[]).map((v) => v.rule);
      assert.ok(rules.includes('plan.visibility.public-to-private') && rules.includes('manifest.published-immutable'), JSON.stringify(report.body));
    });
  });
}
