/**
 * The customer side of the marketplace under /marketplace (Lantern's own namespace: Azure has only
 * portal pages for it): the storefront (search, offer pages, media) and acquisitions (accept the
 * legal terms of a plan for a subscription, delegate scopes). The legal terms are also accepted
 * through ARM's own contract, Microsoft.MarketplaceOrdering `…/agreements/current` (what
 * `az term accept` calls). "Contact me" leaves the publisher a lead. Same bearer tokens as ARM;
 * every decision is the services'.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { invalid } from '../../core/errors.js';
import type { Acquisition } from '../../core/marketplace/acquisition.js';
import { requireTermsAccepted, type AcquisitionService } from '../../services/marketplace/acquisition-service.js';
import type { ContactMeService } from '../../services/marketplace/lead-sources.js';
import { parseOfferId, type StorefrontMedia, type StorefrontService } from '../../services/marketplace/storefront-service.js';
import {
  AcquisitionBody, AcquisitionParams, AgreementBody, AgreementParams, AgreementQuery, ContactMeBody, DelegateBody, MediaIndexParams, MediaLogoParams, OfferIdParams,
  OfferPageQuery, SearchQuery, SubscriptionParams, TAGS,
} from './storefront-schemas.js';

const doc = <T extends object = object>(summary: string, extra?: T) => ({ tags: TAGS, summary, ...(extra as T) });

function png(reply: FastifyReply, bytes: Uint8Array): FastifyReply {
  return reply.header('content-type', 'image/png').header('cache-control', 'private, max-age=300').send(Buffer.from(bytes));
}

/** The request URL with `$skiptoken` set, for `nextLink`. */
function nextLink(request: FastifyRequest, skip: number): string {
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  url.searchParams.set('$skiptoken', String(skip));
  return url.toString();
}

function skipOf(token: string | undefined): number {
  if (token === undefined) return 0;
  if (!/^\d{1,9}$/.test(token)) throw invalid('InvalidSkipToken', `The $skiptoken '${token}' is not one this service issued.`, '$skiptoken');
  return Number(token);
}

// Microsoft.MarketplaceOrdering knows one offer type, `virtualmachine`: the one `az term accept` sends.
function requireVirtualMachineOffer(offerType: string): void {
  if (offerType.toLowerCase() !== 'virtualmachine') throw invalid('InvalidOfferType', `The offer type '${offerType}' is not supported; Microsoft.MarketplaceOrdering accepts 'virtualmachine'.`, 'offerType');
}

// An agreement resource in Microsoft.MarketplaceOrdering's shape (api-version 2021-01-01).
function agreement(path: string, publisher: string, offer: string, plan: string, accepted: Acquisition | undefined) {
  return {
    id: path,
    name: plan,
    type: 'Microsoft.MarketplaceOrdering/offertypes',
    properties: {
      publisher,
      product: offer,
      plan,
      licenseTextLink: `/marketplace/offers/${publisher}.${offer}#legal-terms`,
      privacyPolicyLink: `/marketplace/offers/${publisher}.${offer}#privacy`,
      marketplaceTermsLink: `/marketplace/offers/${publisher}.${offer}#marketplace-terms`,
      retrieveDatetime: accepted?.termsAcceptedAt ?? '',
      signature: accepted === undefined ? '' : accepted.id,
      accepted: accepted !== undefined,
    },
  };
}

/** Registers the storefront, "Contact me", acquisition and agreement routes on an authenticated scope. */
export function registerStorefrontRoutes(scope: FastifyInstance, storefront: StorefrontService, acquisitions: AcquisitionService, contact: ContactMeService): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/marketplace/offers', { schema: doc('Search the offers the caller may see (full text, category, publisher, sort, paging)', { querystring: SearchQuery }) }, async (req) => {
    const q = req.query;
    const result = await storefront.search(req.ctx, {
      ...(q.search === undefined ? {} : { search: q.search }),
      ...(q.category === undefined ? {} : { category: q.category }),
      ...(q.publisher === undefined ? {} : { publisherId: q.publisher }),
      ...(q.orderby === undefined ? {} : { orderBy: q.orderby }),
      ...(q.subscriptionId === undefined ? {} : { subscriptionId: q.subscriptionId }),
      ...(q.$top === undefined ? {} : { top: q.$top }),
      skip: skipOf(q.$skiptoken),
    });
    return { value: result.value, count: result.count, ...(result.nextSkip === undefined ? {} : { nextLink: nextLink(req, result.nextSkip) }) };
  });

  app.get('/marketplace/offers/:offerId', { schema: doc('An offer page: listing, media, links, legal terms, plans and the access each grants', { params: OfferIdParams, querystring: OfferPageQuery }) }, (req) =>
    storefront.offer(req.ctx, req.params.offerId, req.query.subscriptionId));

  const media = (id: string, m: StorefrontMedia, req: FastifyRequest, reply: FastifyReply) => storefront.media(req.ctx, id, m).then((bytes) => png(reply, bytes));
  app.get('/marketplace/offers/:offerId/media/logos/:size', { schema: doc('A logo of the offer (PNG; medium and small derived from the large one)', { params: MediaLogoParams }) }, (req, reply) =>
    media(req.params.offerId, { kind: 'logo', size: req.params.size }, req, reply));
  app.get('/marketplace/offers/:offerId/media/screenshots/:index', { schema: doc('A screenshot of the offer (PNG)', { params: MediaIndexParams }) }, (req, reply) =>
    media(req.params.offerId, { kind: 'screenshot', index: req.params.index }, req, reply));
  app.get('/marketplace/offers/:offerId/media/videos/:index/thumbnail', { schema: doc('The thumbnail of a video of the offer (PNG)', { params: MediaIndexParams }) }, (req, reply) =>
    media(req.params.offerId, { kind: 'videoThumbnail', index: req.params.index }, req, reply));

  app.post('/marketplace/offers/:offerId/contact-me', { schema: doc('"Contact me": ask the publisher to contact you about the offer (a lead with your details and note)', { params: OfferIdParams, body: ContactMeBody }) }, async (req, reply) =>
    reply.status(201).send(await contact.contactMe(req.ctx, req.params.offerId, req.body)));

  const acquisitionsPath = '/marketplace/subscriptions/:subscriptionId/acquisitions';
  app.post(acquisitionsPath, { schema: doc('Accept the legal terms of a plan for the subscription ("Create"): a pending acquisition', { params: SubscriptionParams, body: AcquisitionBody }) }, async (req, reply) => {
    requireTermsAccepted(req.body.acceptLegalTerms);
    const { publisherId, offerId } = parseOfferId(req.body.offerId);
    const { acquisition, created } = await acquisitions.acceptTerms(req.ctx, {
      subscriptionId: req.params.subscriptionId,
      publisherId,
      offerId,
      planId: req.body.planId,
      ...(req.body.version === undefined ? {} : { version: req.body.version }),
      ...(req.body.name === undefined ? {} : { name: req.body.name }),
    });
    return reply.status(created ? 201 : 200).send(acquisition);
  });
  app.get(acquisitionsPath, { schema: doc('The acquisitions of the subscription, pending or delegated', { params: SubscriptionParams }) }, async (req) => ({
    value: await acquisitions.list(req.ctx, req.params.subscriptionId),
  }));
  app.get(`${acquisitionsPath}/:acquisitionId`, { schema: doc('One acquisition', { params: AcquisitionParams }) }, (req) =>
    acquisitions.get(req.ctx, req.params.subscriptionId, req.params.acquisitionId));
  app.post(`${acquisitionsPath}/:acquisitionId/delegate`, { schema: doc('Delegate the subscription or resource groups in it for the acquisition', { params: AcquisitionParams, body: DelegateBody }) }, (req) =>
    acquisitions.delegate(req.ctx, req.params.subscriptionId, req.params.acquisitionId, req.body.scopes));

  const agreementPath = '/subscriptions/:subscriptionId/providers/Microsoft.MarketplaceOrdering/offerTypes/:offerType/publishers/:publisherId/offers/:offerId/plans/:planId/agreements/current';
  const agreementSchema = (summary: string, operationId: string) => ({
    tags: ['Microsoft.MarketplaceOrdering'], summary, operationId, params: AgreementParams, querystring: AgreementQuery,
  });
  app.get(agreementPath, { schema: agreementSchema('The legal terms of a plan for the subscription, and whether they were accepted', 'MarketplaceAgreements_Get') }, async (req) => {
    const p = req.params;
    requireVirtualMachineOffer(p.offerType);
    const accepted = (await acquisitions.list(req.ctx, p.subscriptionId)).find((a) => a.plan.publisher === p.publisherId.toLowerCase() && a.plan.product === p.offerId.toLowerCase() && a.plan.name === p.planId.toLowerCase());
    return agreement(req.url.split('?')[0] ?? req.url, p.publisherId, p.offerId, p.planId, accepted);
  });
  app.put(agreementPath, { schema: { ...agreementSchema("Accept the plan's legal terms for the subscription (properties.accepted: true)", 'MarketplaceAgreements_Create'), body: AgreementBody } }, async (req) => {
    const p = req.params;
    requireVirtualMachineOffer(p.offerType);
    requireTermsAccepted(req.body.properties.accepted);
    const { acquisition } = await acquisitions.acceptTerms(req.ctx, { subscriptionId: p.subscriptionId, publisherId: p.publisherId, offerId: p.offerId, planId: p.planId });
    return agreement(req.url.split('?')[0] ?? req.url, p.publisherId, p.offerId, p.planId, acquisition);
  });
}
