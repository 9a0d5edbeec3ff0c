/**
 * Referrals: the publisher's leads (Owner and Manager only), filtered by offer, kind, date, status
 * and destination, paged with `nextLink`, exported as CSV; one lead with its delivery log; redelivery
 * of one lead or of every dead-lettered one; and "Validate", a test lead sent to a destination
 * before any submit.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { LEAD_DESTINATION_FORMS } from '../../core/marketplace/leads.js';
import { LEAD_KINDS, LEAD_STATUSES } from '../../core/marketplace/lead-records.js';
import type { LeadDestination } from '../../core/marketplace/model.js';
import type { Marketplace } from '../../services/marketplace/marketplace.js';
import type { ReferralsQuery as Filters } from '../../services/marketplace/lead-service.js';
import { LeadDestinationInput, OfferParams, PublisherParams, TAGS } from './schemas.js';

const ReferralsQuery = Type.Object({
  offerId: Type.Optional(Type.String({ description: 'Only this offer\'s leads' })),
  kind: Type.Optional(Type.Union(LEAD_KINDS.map((k) => Type.Literal(k)), { description: 'acquisition, contactMe or test' })),
  status: Type.Optional(Type.Union(LEAD_STATUSES.map((s) => Type.Literal(s)), { description: 'pending, delivered, deadLettered or notConnected' })),
  destination: Type.Optional(Type.Union(LEAD_DESTINATION_FORMS.map((f) => Type.Literal(f.type)), { description: 'Lead destination type' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after (ISO 8601)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Created before (ISO 8601)' })),
  $top: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Leads per page (default 100)' })),
  $skiptoken: Type.Optional(Type.String({ description: 'From a previous page\'s nextLink' })),
}, { additionalProperties: false });
const LeadParams = Type.Object({ publisherId: Type.String(), leadId: Type.String({ description: 'Lead id' }) });
const RedeliverDeadBody = Type.Object({ offerId: Type.Optional(Type.String({ description: 'Only this offer\'s dead-lettered leads' })) }, { additionalProperties: false });
const ValidateBody = Type.Object({
  customerLeads: Type.Optional(LeadDestinationInput),
}, { additionalProperties: false });

type Query = Type.Static<typeof ReferralsQuery>;

function filters(q: Query): Filters {
  return { offerId: q.offerId, kind: q.kind, status: q.status, destination: q.destination, from: q.from, to: q.to, top: q.$top, skipToken: q.$skiptoken };
}

/** The same request's URL with the next page's skip token. */
function nextLink(req: FastifyRequest, skipToken: string): string {
  const url = new URL(req.url, `${req.protocol}://${req.host}`);
  url.searchParams.set('$skiptoken', skipToken);
  return url.toString();
}

/** Registers the Referrals and Validate routes on an authenticated scope. */
export function registerReferralsRoutes(scope: FastifyInstance, mp: Marketplace): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const doc = <T extends object = object>(summary: string, extra?: T) => ({ tags: TAGS, summary, ...(extra as T) });
  const base = '/partner-center/publishers/:publisherId/referrals';

  app.get(base, { schema: doc('Referrals: the publisher\'s leads, newest first (Owner and Manager only)', { params: PublisherParams, querystring: ReferralsQuery }) }, async (req) => {
    const page = await mp.leads.list(req.ctx, req.params.publisherId, filters(req.query));
    return page.skipToken === undefined ? { value: page.value } : { value: page.value, nextLink: nextLink(req, page.skipToken) };
  });
  app.get(`${base}/export`, { schema: doc('Referrals as CSV (same filters, every page)', { params: PublisherParams, querystring: ReferralsQuery }) }, async (req, reply) => {
    const text = await mp.leads.exportCsv(req.ctx, req.params.publisherId, filters(req.query));
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="referrals.csv"').send(text);
  });
  app.post(`${base}/redeliver-dead`, { schema: doc('Send every dead-lettered lead again (of one offer, when given)', { params: PublisherParams, body: RedeliverDeadBody }) }, (req) =>
    mp.leads.redeliverDead(req.ctx, req.params.publisherId, req.body.offerId));
  app.get(`${base}/:leadId`, { schema: doc('One lead and its delivery log (time, status, response excerpt per attempt)', { params: LeadParams }) }, (req) =>
    mp.leads.get(req.ctx, req.params.publisherId, req.params.leadId));
  app.post(`${base}/:leadId/redeliver`, { schema: doc('Send one lead again, to the offer\'s destination now', { params: LeadParams }) }, (req) =>
    mp.leads.redeliver(req.ctx, req.params.publisherId, req.params.leadId));

  app.post('/partner-center/publishers/:publisherId/offers/:offerId/setup/validate', {
    schema: doc('Validate: send a test lead to the destination now and report exactly what happened', { params: OfferParams, body: ValidateBody }),
  }, (req) => mp.leads.validate(req.ctx, { publisherId: req.params.publisherId, offerId: req.params.offerId }, req.body.customerLeads as unknown as LeadDestination | undefined));
}
