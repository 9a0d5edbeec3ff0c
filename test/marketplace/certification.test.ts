/**
 * Certification and the operator: publisher eligibility checked at certification, the optional
 * manual approval, the address guard on lead endpoints, resuming after a restart, and no
 * half-written state when a multi-document change fails.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { toIngestionResources } from '../../src/core/marketplace/ingestion.js';
import { contosoOffer } from '../../src/core/marketplace/test-fixtures.js';
import { systemContext } from '../../src/services/context.js';
import { COLLECTIONS, marketplaceDocs } from '../../src/services/marketplace/records.js';
import { testDatabases } from '../support/databases.js';
import { call, eventually, startLeadEndpoint, startWorld, type World } from './support.js';

const path = '/partner-center/publishers/contoso/offers/contoso-managed-ops';

/** Pushes the complete Contoso offer (lead endpoint given) as a draft through the ingestion API. */
async function pushDraft(world: World, leadUrl: string): Promise<void> {
  const offer = { ...contosoOffer(), setup: { customerLeads: { type: 'httpsEndpoint' as const, httpsEndpointUrl: leadUrl, contactEmails: [] } } };
  const started = await call(world, world.owner, 'POST', '/rp/product-ingestion/configure', toIngestionResources(offer));
  assert.equal(started.status, 202);
  const done = await eventually(() => call(world, world.owner, 'GET', `/rp/product-ingestion/configure/${started.body.jobId}/status`), (r) => r.body.jobStatus === 'completed', 'the configure job');
  assert.equal(done.body.jobResult, 'succeeded', JSON.stringify(done.body));
}

async function submitAndWait(world: World): Promise<{ result: string; state: string }> {
  const job = await call(world, world.owner, 'POST', `${path}/submit`, {});
  assert.equal(job.status, 202, job.text);
  const end = await eventually(() => call(world, world.owner, 'GET', `/partner-center/jobs/${job.body.id}`), (r) => r.body.state !== 'running', 'the publish job to stop');
  return end.body as { result: string; state: string };
}

for (const db of testDatabases()) {
  describe(`certification and the operator (${db.name})`, () => {
    let world: World;
    let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;
    before(async () => {
      leads = await startLeadEndpoint();
      world = await startWorld(db, { eligible: false, marketplace: { certificationPolicy: { requireLeadDestination: true, requireManualApproval: true } } });
      await pushDraft(world, leads.url);
    });
    after(async () => {
      await world.stop();
      await leads.stop();
    });

    it('fails certification for an unverified publisher, then waits for and takes the operator\'s approval', async () => {
      const first = await submitAndWait(world);
      assert.equal(first.result, 'failed');
      const report = await call(world, world.owner, 'GET', `${path}/failure-report`);
      assert.equal(report.body.step, 'certification');
      assert.ok((report.body.findings as { policy: string; message: string }[]).some((f) => f.policy === '700.4' && /not verified/.test(f.message)));

      const mp = world.lantern.services.marketplace;
      const operator = systemContext(world.lantern.services.ids);
      const claim = await call(world, world.owner, 'POST', '/partner-center/publishers/contoso/eligibility', { credential: 'SolutionsPartner:Security', evidence: 'designation 42' });
      assert.equal(claim.status, 200);
      assert.equal((await call(world, world.owner, 'POST', '/partner-center/publishers/contoso/eligibility/SolutionsPartner:Security/decision', { decision: 'verified' })).status, 403);
      await mp.publishers.decideEligibility(operator, 'contoso', 'SolutionsPartner:Security', 'verified');
      await mp.publishers.verifyPublisher(operator, 'contoso');

      const second = await submitAndWait(world);
      assert.equal(second.state, 'waiting', 'manual approval is required by the policy');
      assert.equal((await call(world, world.owner, 'GET', path)).body.publication.submission.step, 'operatorReview');
      // A platform operator approves over HTTP.
      await world.lantern.services.operators.grant(operator, world.outsider.objectId);
      const rejected = await call(world, world.outsider, 'POST', `${path}/reject`, { report: 'Screenshots show another company\'s product.' });
      assert.equal(rejected.status, 200);
      assert.equal(rejected.body.status, 'Attention needed');
      assert.match((await call(world, world.owner, 'GET', `${path}/failure-report`)).body.report as string, /another company/);

      assert.equal((await submitAndWait(world)).state, 'waiting');
      assert.equal((await call(world, world.outsider, 'POST', `${path}/approve`)).status, 200);
      await eventually(() => call(world, world.owner, 'GET', path), (r) => r.body.status === 'Preview', 'the preview');
    });

    it('cancels a submission before Go live and returns to the resting status', async () => {
      assert.equal((await call(world, world.owner, 'POST', `${path}/cancel`)).body.status, 'Draft');
      const events = ((await call(world, world.owner, 'GET', `${path}/history`)).body.value as { event: string }[]).map((e) => e.event);
      assert.ok(events.includes('Canceled submission to preview'));
    });

    it('keeps nothing of a multi-document change that fails half-way', async () => {
      const mp = world.lantern.services.marketplace;
      const ref = { publisherId: 'contoso', offerId: 'contoso-managed-ops' };
      const before = await mp.offers.load(ref);
      const versions = await marketplaceDocs(world.lantern.services.store).listVersions('contoso', 'contoso-managed-ops');
      // The next snapshot number is taken: the submit writes the offer, then fails writing the version.
      const next = (versions.at(-1)?.number ?? 0) + 1;
      await world.lantern.services.store.documents.put(COLLECTIONS.versions, `contoso/contoso-managed-ops/${next}`, 'contoso/contoso-managed-ops', { squatter: true });
      const jobsBefore = (await mp.publishing.listJobs(systemContext(world.lantern.services.ids), ref)).length;
      await assert.rejects(mp.publishing.submit(systemContext(world.lantern.services.ids), ref));
      const afterFailure = await mp.offers.load(ref);
      assert.deepEqual(afterFailure.publication, before.publication, 'the submit event was rolled back with the failed version write');
      assert.equal((await mp.publishing.listJobs(systemContext(world.lantern.services.ids), ref)).length, jobsBefore, 'no job was left behind');
      await world.lantern.services.store.documents.delete(COLLECTIONS.versions, `contoso/contoso-managed-ops/${next}`);
    });
  });

  describe(`lead endpoints on private addresses (${db.name})`, () => {
    let world: World;
    let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;
    before(async () => {
      leads = await startLeadEndpoint();
      world = await startWorld(db, { marketplace: { allowPrivateLeadEndpoints: false } });
      await pushDraft(world, leads.url);
    });
    after(async () => {
      await world.stop();
      await leads.stop();
    });

    it('refuses to send the test lead to a loopback address unless the operator allows it', async () => {
      const end = await submitAndWait(world);
      assert.equal(end.result, 'failed');
      const report = await call(world, world.owner, 'GET', `${path}/failure-report`);
      assert.equal(report.body.leadCheck.ok, false);
      assert.match(report.body.leadCheck.message as string, /127\.0\.0\.1.*private, loopback or link-local/);
      assert.equal(leads.received.length, 0, 'nothing reached the endpoint');
    });
  });
}
