/**
 * The Publish story through the Partner Center API, on SQLite and PostgreSQL: every page filled
 * over HTTP, a failing submission with its report (e-mail and action center), resubmission,
 * preview, sign-off and live; then an update beside the live version, Compare and versions.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { imageSize } from 'image-size';
import { contosoOffer, makePng } from '../../src/core/marketplace/test-fixtures.js';
import { testDatabases } from '../support/databases.js';
import { call, eventually, startLeadEndpoint, startSmtp, startWorld, type World } from './support.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

for (const db of testDatabases()) {
  describe(`Partner Center pipeline (${db.name})`, () => {
    let world: World;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;
    const offerPath = '/partner-center/publishers/contoso/offers/contoso-managed-ops';

    before(async () => {
      smtp = await startSmtp();
      leads = await startLeadEndpoint();
      world = await startWorld(db, { smtpUrl: smtp.url });
    });
    after(async () => {
      await world.stop();
      await smtp.stop();
      await leads.stop();
    });

    it('takes an offer from draft to live, through a failed submission and a resubmission', async () => {
      const o = contosoOffer();
      const owner = world.owner;
      assert.equal((await call(world, owner, 'POST', '/partner-center/publishers/contoso/offers', { offerId: 'contoso-managed-ops', alias: o.alias })).status, 201);
      const duplicate = await call(world, owner, 'POST', '/partner-center/publishers/contoso/offers', { offerId: 'contoso-managed-ops', alias: 'again' });
      assert.equal(duplicate.status, 409);
      assert.equal(duplicate.body.error.target, 'id');

      assert.equal((await call(world, owner, 'PUT', `${offerPath}/setup`, { customerLeads: { type: 'httpsEndpoint', httpsEndpointUrl: leads.url, contactEmails: ['sales@contoso.example'] } })).status, 200);
      assert.equal((await call(world, owner, 'PUT', `${offerPath}/properties`, o.properties)).status, 200);
      const { logos: _l, screenshots: _s, videos: _v, privacyPolicyUrl: _p, ...text } = o.listing;
      // The privacy policy link is left out on purpose: the first submission must fail on it.
      assert.equal((await call(world, owner, 'PUT', `${offerPath}/listing`, { ...text, privacyPolicyUrl: '' })).status, 200);

      const badLogo = await call(world, owner, 'PUT', `${offerPath}/listing/logos/large`, { fileName: 'logo.png', contentBase64: b64(makePng(100, 100)) });
      assert.equal(badLogo.status, 400, 'a 100×100 logo is refused at upload');
      assert.match(badLogo.text, /216/);
      const notPng = await call(world, owner, 'PUT', `${offerPath}/listing/logos/large`, { fileName: 'logo.png', contentBase64: b64(new TextEncoder().encode('GIF89a not really')) });
      assert.equal(notPng.status, 400, 'bytes that are not a PNG are refused whatever the name');
      assert.equal((await call(world, owner, 'PUT', `${offerPath}/listing/logos/large`, { fileName: 'logo.png', contentBase64: b64(makePng(300, 300)) })).status, 200);
      const small = await fetch(`${world.lantern.baseUrl}${offerPath}/listing/logos/small`, { headers: { authorization: `Bearer ${await world.token(owner)}` } });
      assert.equal(small.headers.get('x-lantern-logo-source'), 'derived');
      const smallSize = imageSize(new Uint8Array(await small.arrayBuffer()));
      assert.deepEqual([smallSize.type, smallSize.width, smallSize.height], ['png', 48, 48], 'the small logo is derived from the large one');
      assert.equal((await call(world, owner, 'POST', `${offerPath}/listing/screenshots`, { fileName: 's.png', caption: 'Dashboard', contentBase64: b64(makePng(1280, 720)) })).status, 200);
      assert.equal((await call(world, owner, 'POST', `${offerPath}/preview-audience/members`, { id: o.previewAudience[0]?.id, description: 'test' })).status, 200);

      const plan = o.plans[0]!;
      assert.equal((await call(world, owner, 'POST', `${offerPath}/plans`, { planId: plan.id, name: plan.name })).status, 201);
      assert.equal((await call(world, owner, 'PATCH', `${offerPath}/plans/gold`, { summary: plan.summary, description: plan.description })).status, 200);
      const manifest = plan.technicalConfiguration.manifests[0]!;
      assert.equal((await call(world, owner, 'POST', `${offerPath}/plans/gold/manifests`, manifest)).status, 200);

      const validation = await call(world, owner, 'GET', `${offerPath}/validation`);
      assert.equal(validation.body.publishable, false);
      const privacy = (validation.body.violations as { rule: string; section: string; field: string }[]).find((v) => v.rule === 'listing.privacy-url.required');
      assert.equal(privacy?.section, 'Offer listing');
      assert.equal(privacy?.field, 'listing.privacyPolicyUrl');

      // First submission: automated validation fails; the report reaches the Owners by e-mail and the action center.
      const first = await call(world, owner, 'POST', `${offerPath}/submit`, { notes: 'Use subscription 8a9b… to test.' });
      assert.equal(first.status, 202);
      const failed = await eventually(() => call(world, owner, 'GET', `/partner-center/jobs/${first.body.id}`), (r) => r.body.state === 'completed', 'the first job to end');
      assert.equal(failed.body.result, 'failed');
      const offer1 = await call(world, owner, 'GET', offerPath);
      assert.equal(offer1.body.status, 'Attention needed');
      const report = await call(world, owner, 'GET', `${offerPath}/failure-report`);
      assert.equal(report.body.step, 'automatedValidation');
      assert.ok((report.body.violations as { rule: string }[]).some((v) => v.rule === 'listing.privacy-url.required'));
      const failMail = await eventually(() => Promise.resolve(smtp.messages.filter((m) => m.raw.includes('Action needed'))), (m) => m.length > 0, 'the failure e-mail');
      assert.deepEqual(failMail[0]!.to, [world.ownerUpn]);
      assert.match(failMail[0]!.raw, /Privacy policy/i);

      // Fix and resubmit: preview, with a test lead delivered to the HTTPS endpoint.
      assert.equal((await call(world, owner, 'PUT', `${offerPath}/listing`, { ...text, privacyPolicyUrl: o.listing.privacyPolicyUrl })).status, 200);
      const second = await call(world, owner, 'POST', `${offerPath}/submit`, {});
      const previewJob = await eventually(() => call(world, owner, 'GET', `/partner-center/jobs/${second.body.id}`), (r) => r.body.state === 'completed', 'the preview');
      assert.equal(previewJob.body.result, 'succeeded', JSON.stringify(previewJob.body));
      assert.equal((await call(world, owner, 'GET', offerPath)).body.status, 'Preview');
      assert.equal(leads.received.length, 2, 'each submission sends one test lead');
      const lead = leads.received[1] as { UserDetails: { Email: string }; OfferId: string };
      assert.match(lead.UserDetails.Email, /^MSFT_TEST_\d+@test\.com$/);
      assert.equal(lead.OfferId, 'contoso.contoso-managed-ops');
      await eventually(() => Promise.resolve(smtp.messages.filter((m) => m.raw.includes('Preview ready'))), (m) => m.length > 0, 'the preview e-mail');

      const live = await call(world, owner, 'POST', `${offerPath}/go-live`);
      assert.equal(live.status, 202);
      const liveJob = await eventually(() => call(world, owner, 'GET', `/partner-center/jobs/${live.body.id}`), (r) => r.body.state === 'completed', 'go live');
      assert.equal(liveJob.body.result, 'succeeded');
      const liveOffer = await call(world, owner, 'GET', offerPath);
      assert.equal(liveOffer.body.status, 'Live');
      assert.equal(liveOffer.body.publication.liveVersion, 2);

      const events = ((await call(world, owner, 'GET', `${offerPath}/history`)).body.value as { event: string }[]).map((e) => e.event);
      for (const e of ['Created offer', 'Created plan', 'Submitted offer to preview', 'Automated validation failed', 'Preview created', 'Sign-off to go live', 'Published to marketplace']) {
        assert.ok(events.includes(e), `history has "${e}"`);
      }

      // Action center: the user Owner got the items; marking one read.
      await world.lantern.services.marketplace.idle();
      const admin = (await world.lantern.services.store.identity.findUserByUpn(world.ownerUpn))!;
      const inbox = await world.lantern.services.marketplace.actionCenter.list({ caller: { objectId: admin.id, tenantId: world.tenantId, principalType: 'User', appId: '', displayName: 'admin' }, correlationId: 'x', requestId: 'x' });
      assert.deepEqual(inbox.map((n) => n.subject.split(':')[0]), ['Live', 'Preview ready', 'Action needed']);
      assert.ok(inbox.every((n) => n.email.status === 'sent'));
      const spInbox = await call(world, owner, 'GET', '/partner-center/action-center?unread=true');
      assert.equal(spInbox.body.value.length, 3);
      assert.ok((spInbox.body.value as { email: { status: string } }[]).every((n) => n.email.status === 'skipped'), 'service principals have no mailbox');
      const read = await call(world, owner, 'POST', `/partner-center/action-center/${spInbox.body.value[0].id}/read`);
      assert.equal(read.body.read, true);
      assert.equal((await call(world, owner, 'GET', '/partner-center/action-center?unread=true')).body.value.length, spInbox.body.value.length - 1);

      // Update beside the live version: the draft changes, the live snapshot does not.
      assert.equal((await call(world, owner, 'PUT', `${offerPath}/listing`, { ...text, name: 'Contoso Managed Ops Plus', privacyPolicyUrl: o.listing.privacyPolicyUrl })).status, 200);
      const compare = await call(world, owner, 'GET', `${offerPath}/compare`);
      assert.equal(compare.body.against, 2);
      assert.deepEqual((compare.body.changes as { path: string; change: string }[]).map((c) => [c.path, c.change]), [['listing.name', 'edited']]);
      assert.equal((await call(world, owner, 'GET', offerPath)).body.status, 'Live');
      assert.equal((await call(world, owner, 'GET', `${offerPath}/versions/2`)).body.offer.listing.name, 'Contoso Managed Operations');
      const editPublished = await call(world, owner, 'PUT', `${offerPath}/plans/gold/manifests/current`, { tenantId: manifest.tenantId, authorizations: manifest.authorizations.slice(0, 2) });
      assert.equal(editPublished.status, 400, 'a published manifest is never edited');
      assert.equal((await call(world, owner, 'POST', `${offerPath}/plans/gold/manifests`, { version: '1.1.0' })).status, 200);
      assert.equal((await call(world, owner, 'DELETE', offerPath)).status, 409, 'a published offer cannot be deleted');

      // Stop distribution: Pending stop distribution, then Not available.
      assert.equal((await call(world, owner, 'POST', `${offerPath}/stop-distribution`)).status, 200);
      await eventually(() => call(world, owner, 'GET', offerPath), (r) => r.body.status === 'Not available', 'distribution to stop');
    });

    it('lets the publisher cancel before Go live, and deletes only never-published drafts', async () => {
      const path = '/partner-center/publishers/contoso/offers/draft-only';
      assert.equal((await call(world, world.owner, 'POST', '/partner-center/publishers/contoso/offers', { offerId: 'draft-only', alias: 'Draft only' })).status, 201);
      assert.equal((await call(world, world.owner, 'POST', `${path}/cancel`)).status, 409);
      assert.equal((await call(world, world.owner, 'DELETE', path)).status, 204);
      assert.equal((await call(world, world.owner, 'GET', path)).status, 404);
    });
  });
}
