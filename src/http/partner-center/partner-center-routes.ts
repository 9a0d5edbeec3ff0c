/**
 * The Partner Center API under /partner-center: publisher accounts, every page of a managed
 * service offer, plans and manifests, review and publish, updates, the action center. Callers
 * authenticate with Lantern bearer tokens; the services authorize them with the Partner Center
 * roles they hold in the publisher (Owner, Manager, Developer) or as the platform operator.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { emptyLeadDestination, LEAD_DESTINATION_FORMS } from '../../core/marketplace/leads.js';
import type { LeadDestination, Manifest, PlanAuthorization } from '../../core/marketplace/model.js';
import { encodeBytes } from '../../services/marketplace/codec.js';
import type { Marketplace } from '../../services/marketplace/marketplace.js';
import type { AudienceTarget, OfferRef } from '../../services/marketplace/offer-service.js';
import {
  ActionCenterQuery, AudienceMemberBody, AudienceMemberParams, ClaimBody, CsvBody, DecisionBody, DecisionParams, EnrollBody, IdParams, IndexParams,
  JobParams, LogoBody, LogoParams, ManifestBody, ManifestEdit, MemberParams, NewOfferBody, NewPlanBody, NotesBody, OfferParams, PlanParams, PlanPatch,
  PublisherParams, RejectBody, RolePickerQuery, RolesBody, ScreenshotBody, SetupBody, PropertiesBody, ListingBody, SubmitBody, TAGS, TemplateQuery, UsersQuery, VersionParams, VideoBody,
} from './schemas.js';
import type { LeadDestinationInput } from './schemas.js';

const base = '/partner-center/publishers/:publisherId/offers/:offerId';

/** Images travel as base64 (`{"$base64": …}`) in JSON answers. */
function json(value: unknown): unknown {
  return encodeBytes(value);
}

/**
 * The destination of the type asked for, with exactly that type's fields: the ones given, the
 * others empty (the core reports them as required), none of another type's.
 */
function leadDestinationOf(input: Static<typeof LeadDestinationInput>): LeadDestination {
  const template: Record<string, unknown> = input.type === 'dynamics' && input.authentication === 'office365'
    ? { type: 'dynamics', instanceUrl: '', authentication: 'office365', username: '', password: '', contactEmails: [] }
    : { ...emptyLeadDestination(input.type) };
  // Optional fields of the type (an HTTPS destination's signingSecret) come from its form.
  const optional = (LEAD_DESTINATION_FORMS.find((f) => f.type === input.type)?.fields ?? []).map((f) => f.name);
  for (const key of new Set([...Object.keys(template), ...optional])) {
    const given = (input as Record<string, unknown>)[key];
    if (given !== undefined) template[key] = given;
  }
  return template as unknown as LeadDestination;
}

function bytes(contentBase64: string): Uint8Array {
  return new Uint8Array(Buffer.from(contentBase64, 'base64'));
}

function csv(reply: FastifyReply, text: string, name: string): FastifyReply {
  return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(text);
}

/** Registers the Partner Center routes on an authenticated scope. */
export function registerPartnerCenterRoutes(scope: FastifyInstance, mp: Marketplace): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const ref = (p: { publisherId: string; offerId: string }): OfferRef => ({ publisherId: p.publisherId, offerId: p.offerId });
  const doc = <T extends object = object>(summary: string, extra?: T) => ({ tags: TAGS, summary, ...(extra as T) });

  // ——— publisher accounts ———
  app.post('/partner-center/publishers', { schema: doc('Enroll the caller\'s tenant as a publisher (the caller becomes Owner)', { body: EnrollBody }) }, async (req, reply) =>
    reply.status(201).send(await mp.publishers.enroll(req.ctx, req.body)));
  app.get('/partner-center/publishers', { schema: doc('Publishers the caller is a member of (all for the operator)') }, async (req) => ({ value: await mp.publishers.list(req.ctx) }));
  app.get('/partner-center/publishers/:publisherId', { schema: doc('A publisher account', { params: PublisherParams }) }, (req) => mp.publishers.get(req.ctx, req.params.publisherId));
  app.put('/partner-center/publishers/:publisherId/members/:memberId', { schema: doc('Set the Partner Center roles of a user or service principal (empty removes)', { params: MemberParams, body: RolesBody }) }, (req) =>
    mp.publishers.setMemberRoles(req.ctx, req.params.publisherId, req.params.memberId, req.body.roles));
  app.get('/partner-center/publishers/:publisherId/users', { schema: doc('Users: the tenant\'s users and service principals with their Partner Center roles, members first (Owner and Manager)', { params: PublisherParams, querystring: UsersQuery }) }, async (req) =>
    ({ value: await mp.publishers.users(req.ctx, req.params.publisherId, { membersOnly: req.query.members === true }) }));
  app.post('/partner-center/publishers/:publisherId/eligibility', { schema: doc('Record a program credential for the operator to verify', { params: PublisherParams, body: ClaimBody }) }, (req) =>
    mp.publishers.claimEligibility(req.ctx, req.params.publisherId, req.body.credential, req.body.evidence));
  app.post('/partner-center/publishers/:publisherId/eligibility/:credential/decision', { schema: doc('Operator: verify or reject a credential', { params: DecisionParams, body: DecisionBody }) }, (req) =>
    mp.publishers.decideEligibility(req.ctx, req.params.publisherId, req.params.credential, req.body.decision));
  app.post('/partner-center/publishers/:publisherId/verify', { schema: doc('Operator: verify the publisher account', { params: PublisherParams }) }, (req) =>
    mp.publishers.verifyPublisher(req.ctx, req.params.publisherId));

  // ——— catalogs for the forms ———
  app.get('/partner-center/lead-destinations', { schema: doc('Lead destinations and their fields ("None" always first)') }, () => ({ value: mp.offers.leadDestinations() }));
  app.get('/partner-center/role-picker', { schema: doc('Built-in roles, pickable or not with the reason', { querystring: RolePickerQuery }) }, async (req) => ({
    value: await mp.offers.roleChoices(req.query.accessType ?? 'active'),
  }));
  app.get('/partner-center/assignable-roles', { schema: doc('Roles a User Access Administrator authorization may assign to managed identities') }, async () => ({ value: await mp.offers.assignableRoleChoices() }));

  // ——— offers ———
  app.post('/partner-center/publishers/:publisherId/offers', { schema: doc('New offer', { params: PublisherParams, body: NewOfferBody }) }, async (req, reply) =>
    reply.status(201).send(json(await mp.offers.create(req.ctx, req.params.publisherId, req.body))));
  app.get('/partner-center/publishers/:publisherId/offers', { schema: doc('Offers of a publisher', { params: PublisherParams }) }, async (req) => json({ value: await mp.offers.list(req.ctx, req.params.publisherId) }));
  app.get(base, { schema: doc('Offer overview: draft, status, versions', { params: OfferParams }) }, async (req) => json(await mp.offers.get(req.ctx, ref(req.params))));
  app.delete(base, { schema: doc('Delete a never-published draft offer', { params: OfferParams }) }, async (req, reply) => {
    await mp.offers.delete(req.ctx, ref(req.params));
    return reply.status(204).send();
  });
  app.put(`${base}/setup`, { schema: doc('Offer setup: customer leads', { params: OfferParams, body: SetupBody }) }, async (req) =>
    json(await mp.offers.updateSetup(req.ctx, ref(req.params), leadDestinationOf(req.body.customerLeads))));
  app.put(`${base}/properties`, { schema: doc('Properties: categories and terms', { params: OfferParams, body: PropertiesBody }) }, async (req) =>
    json(await mp.offers.updateProperties(req.ctx, ref(req.params), req.body)));
  app.put(`${base}/listing`, { schema: doc('Offer listing text fields (images have their own routes)', { params: OfferParams, body: ListingBody }) }, async (req) =>
    json(await mp.offers.updateListing(req.ctx, ref(req.params), req.body)));
  app.put(`${base}/listing/logos/:size`, { schema: doc('Upload a logo (PNG; large 216–350 px square, medium 90, small 48)', { params: LogoParams, body: LogoBody }) }, async (req) =>
    json(await mp.offers.uploadImage(req.ctx, ref(req.params), { slot: 'logo', size: req.params.size, fileName: req.body.fileName, bytes: bytes(req.body.contentBase64) })));
  app.get(`${base}/listing/logos/:size`, { schema: doc('A logo as PNG: uploaded, or medium (90×90) and small (48×48) derived from the large one', { params: LogoParams }) }, async (req, reply) => {
    const logo = await mp.offers.logo(req.ctx, ref(req.params), req.params.size);
    return reply.header('content-type', 'image/png').header('x-lantern-logo-source', logo.source).send(Buffer.from(logo.bytes));
  });
  app.delete(`${base}/listing/logos/:size`, { schema: doc('Remove a logo', { params: LogoParams }) }, async (req) =>
    json(await mp.offers.removeImage(req.ctx, ref(req.params), { slot: 'logo', size: req.params.size })));
  app.post(`${base}/listing/screenshots`, { schema: doc('Add a screenshot (1280×720 PNG, ≤ 5)', { params: OfferParams, body: ScreenshotBody }) }, async (req) =>
    json(await mp.offers.uploadImage(req.ctx, ref(req.params), { slot: 'screenshot', caption: req.body.caption, fileName: req.body.fileName, bytes: bytes(req.body.contentBase64) })));
  app.delete(`${base}/listing/screenshots/:index`, { schema: doc('Remove a screenshot (0-based)', { params: IndexParams }) }, async (req) =>
    json(await mp.offers.removeImage(req.ctx, ref(req.params), { slot: 'screenshot', index: req.params.index })));
  app.post(`${base}/listing/videos`, { schema: doc('Add a video (YouTube/Vimeo link, 1280×720 PNG thumbnail, ≤ 5)', { params: OfferParams, body: VideoBody }) }, async (req) =>
    json(await mp.offers.uploadImage(req.ctx, ref(req.params), { slot: 'video', name: req.body.name, url: req.body.url, fileName: req.body.fileName, bytes: bytes(req.body.contentBase64) })));
  app.delete(`${base}/listing/videos/:index`, { schema: doc('Remove a video (0-based)', { params: IndexParams }) }, async (req) =>
    json(await mp.offers.removeImage(req.ctx, ref(req.params), { slot: 'video', index: req.params.index })));
  app.put(`${base}/certification-notes`, { schema: doc('Notes for certification', { params: OfferParams, body: NotesBody }) }, async (req) =>
    json(await mp.offers.setCertificationNotes(req.ctx, ref(req.params), req.body.notes)));

  // ——— audiences: preview (offer) and private (plan) ———
  const audience = (prefix: string, target: (p: object) => AudienceTarget, params: typeof OfferParams | typeof PlanParams, label: string) => {
    app.post(`${prefix}/members`, { schema: doc(`${label}: add a subscription by hand (≤ 10)`, { params, body: AudienceMemberBody }) }, async (req) =>
      json(await mp.offers.addAudienceMember(req.ctx, ref(req.params), target(req.params), req.body.id, req.body.description)));
    app.delete(`${prefix}/members/:subscriptionId`, { schema: doc(`${label}: remove a subscription`, { params: AudienceMemberParams }) }, async (req) =>
      json(await mp.offers.removeAudienceMember(req.ctx, ref(req.params), target(req.params), req.params.subscriptionId)));
    app.post(`${prefix}/csv`, { schema: doc(`${label}: import a CSV (Id, Description, Type); dryRun only reports`, { params, body: CsvBody }) }, async (req) =>
      req.body.dryRun === true ? mp.offers.previewAudienceCsv(req.ctx, ref(req.params), target(req.params), req.body.csv) : json(await mp.offers.importAudienceCsv(req.ctx, ref(req.params), target(req.params), req.body.csv)));
    app.get(`${prefix}/csv`, { schema: doc(`${label}: export as CSV`, { params }) }, async (req, reply) =>
      csv(reply, await mp.offers.exportAudienceCsv(req.ctx, ref(req.params), target(req.params)), 'audience.csv'));
  };
  audience(`${base}/preview-audience`, () => ({ kind: 'preview' }), OfferParams, 'Preview audience');
  audience(`${base}/plans/:planId/private-audience`, (p) => ({ kind: 'private', planId: (p as { planId: string }).planId }), PlanParams, 'Private plan audience');

  // ——— plans and manifests ———
  app.post(`${base}/plans`, { schema: doc('Create a plan', { params: OfferParams, body: NewPlanBody }) }, async (req, reply) =>
    reply.status(201).send(json(await mp.offers.createPlan(req.ctx, ref(req.params), req.body))));
  app.patch(`${base}/plans/:planId`, { schema: doc('Plan listing, pricing and availability', { params: PlanParams, body: PlanPatch }) }, async (req) =>
    json(await mp.offers.updatePlan(req.ctx, ref(req.params), req.params.planId, req.body)));
  app.delete(`${base}/plans/:planId`, { schema: doc('Delete a never-published plan', { params: PlanParams }) }, async (req) =>
    json(await mp.offers.deletePlan(req.ctx, ref(req.params), req.params.planId)));
  app.post(`${base}/plans/:planId/manifests`, { schema: doc('+ New manifest (higher version)', { params: PlanParams, body: ManifestBody }) }, async (req) => {
    const { version, tenantId, authorizations } = req.body;
    const content = tenantId === undefined || authorizations === undefined ? undefined : { tenantId, authorizations: authorizations as unknown as PlanAuthorization[] };
    return json(await mp.offers.newManifest(req.ctx, ref(req.params), req.params.planId, version, content));
  });
  app.put(`${base}/plans/:planId/manifests/current`, { schema: doc('Edit the current, unpublished manifest', { params: PlanParams, body: ManifestEdit }) }, async (req) =>
    json(await mp.offers.updateManifest(req.ctx, ref(req.params), req.params.planId, req.body as unknown as Omit<Manifest, 'version'>)));
  app.get(`${base}/plans/:planId/onboarding-template`, { schema: doc('ARM template + parameters onboarding a customer to the plan (real Azure)', { params: PlanParams, querystring: TemplateQuery }) }, (req) =>
    mp.offers.onboardingTemplate(req.ctx, ref(req.params), req.params.planId, { ...(req.query.version === undefined ? {} : { version: req.query.version }), ...(req.query.target === undefined ? {} : { target: req.query.target }) }));
  app.post(`${base}/plans/:planId/stop-distribution`, { schema: doc('Stop distribution of a plan', { params: PlanParams }) }, async (req) =>
    json(await mp.offers.stopPlanDistribution(req.ctx, ref(req.params), req.params.planId)));
  app.post(`${base}/plans/:planId/resume-distribution`, { schema: doc('Resume distribution of a plan', { params: PlanParams }) }, async (req) =>
    json(await mp.offers.resumePlanDistribution(req.ctx, ref(req.params), req.params.planId)));

  // ——— review, publish, updates ———
  app.get(`${base}/validation`, { schema: doc('Every violation (section, field, rule, message) and the section statuses', { params: OfferParams }) }, (req) => mp.offers.validate(req.ctx, ref(req.params)));
  app.get(`${base}/compare`, { schema: doc('Compare the draft with the live (or preview) version', { params: OfferParams }) }, async (req) => json(await mp.offers.compare(req.ctx, ref(req.params))));
  app.get(`${base}/versions`, { schema: doc('Submitted versions (immutable snapshots)', { params: OfferParams }) }, async (req) => json({ value: await mp.offers.listVersions(req.ctx, ref(req.params)) }));
  app.get(`${base}/versions/:number`, { schema: doc('One version', { params: VersionParams }) }, async (req) => json(await mp.offers.getVersion(req.ctx, ref(req.params), req.params.number)));
  app.get(`${base}/history`, { schema: doc('History events', { params: OfferParams }) }, async (req) => ({ value: await mp.offers.history(req.ctx, ref(req.params)) }));
  app.post(`${base}/submit`, { schema: doc('Publish: submit the draft for validation, certification and preview', { params: OfferParams, body: SubmitBody }) }, async (req, reply) =>
    reply.status(202).send(await mp.publishing.submit(req.ctx, ref(req.params), req.body.notes === undefined ? {} : { notes: req.body.notes })));
  app.post(`${base}/go-live`, { schema: doc('Publisher sign-off: publish the preview live', { params: OfferParams }) }, async (req, reply) =>
    reply.status(202).send(await mp.publishing.goLive(req.ctx, ref(req.params))));
  app.post(`${base}/cancel`, { schema: doc('Cancel publishing (before Go live)', { params: OfferParams }) }, async (req) => json(await mp.publishing.cancel(req.ctx, ref(req.params))));
  app.post(`${base}/approve`, { schema: doc('Operator: approve certification', { params: OfferParams }) }, async (req) => json(await mp.publishing.approve(req.ctx, ref(req.params))));
  app.post(`${base}/reject`, { schema: doc('Operator: fail certification with a report', { params: OfferParams, body: RejectBody }) }, async (req) =>
    json(await mp.publishing.reject(req.ctx, ref(req.params), req.body.report)));
  app.post(`${base}/stop-distribution`, { schema: doc('Stop distribution of the offer', { params: OfferParams }) }, async (req) => json(await mp.publishing.stopDistribution(req.ctx, ref(req.params))));
  app.post(`${base}/sync-private-audience`, { schema: doc('Publish private-audience changes only', { params: OfferParams }) }, async (req) => json(await mp.offers.syncPrivateAudience(req.ctx, ref(req.params))));
  app.get(`${base}/failure-report`, { schema: doc('Why the last submission stopped', { params: OfferParams }) }, async (req) => (await mp.publishing.failureReport(req.ctx, ref(req.params))) ?? {});
  app.get(`${base}/jobs`, { schema: doc('Publish jobs of the offer', { params: OfferParams }) }, async (req) => ({ value: await mp.publishing.listJobs(req.ctx, ref(req.params)) }));
  app.get('/partner-center/jobs/:jobId', { schema: doc('A publish job and its progress', { params: JobParams }) }, (req) => mp.publishing.getJob(req.ctx, req.params.jobId));
  app.get(`${base}/leads`, { schema: doc('Test leads sent to the destination, by Validate and at each submission (Owner and Manager only)', { params: OfferParams }) }, async (req) => ({ value: await mp.leads.testLeads(req.ctx, ref(req.params)) }));

  // ——— action center ———
  app.get('/partner-center/action-center', { schema: doc('The caller\'s notifications, newest first', { querystring: ActionCenterQuery }) }, async (req) => ({
    value: await mp.actionCenter.list(req.ctx, { unreadOnly: req.query.unread === true }),
  }));
  app.post('/partner-center/action-center/:id/read', { schema: doc('Mark a notification read', { params: IdParams }) }, (req) => mp.actionCenter.markRead(req.ctx, req.params.id));
}
