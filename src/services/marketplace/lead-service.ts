/**
 * Leads for the publisher: recording a lead inside the transaction of the event that caused it
 * (`recordLead`), the Referrals list (Owner and Manager only) with its filters, pages and CSV
 * export, one lead's delivery log, redelivery, and "Validate" — a test lead sent to a destination
 * before any submit, reporting exactly what happened.
 */
import { conflict, invalid, notFound } from '../../core/errors.js';
import {
  LEAD_KINDS, LEAD_STATUSES, leadsCsv, newLead, requeued, testLeadCustomer,
  type AttemptOutcome, type LeadAttempt, type LeadCustomer, type LeadKind, type LeadRecord, type LeadStatus,
} from '../../core/marketplace/lead-records.js';
import { storedLeadDestination, validateLeads } from '../../core/marketplace/leads.js';
import type { LeadDestination, LeadDestinationType, Offer } from '../../core/marketplace/model.js';
import { ViolationSink, type Violation } from '../../core/marketplace/rules.js';
import type { LeadQuery, Repositories, Store, StoredLead } from '../../storage/port.js';
import type { Clock, IdGenerator, RequestContext } from '../context.js';
import type { LeadOutbox } from './lead-outbox.js';
import { restoreLeadSecrets } from './lead-secrets.js';
import type { OfferRef } from './offer-service.js';
import type { PublisherService } from './publisher-service.js';
import { marketplaceDocs, type OfferRecord } from './records.js';

/** What the event that caused a lead knows; `recordLead` adds the id, time and destination. */
export interface LeadInput {
  readonly kind: Exclude<LeadKind, 'test'>;
  readonly publisherId: string;
  readonly offerId: string;
  readonly planId?: string | undefined;
  readonly customerTenantId?: string | undefined;
  readonly subscriptionId?: string | undefined;
  /** AzureMarketplace (the storefront) or AzurePortal (ARM onboarding); default AzureMarketplace. */
  readonly source?: 'AzureMarketplace' | 'AzurePortal';
  readonly customer: LeadCustomer;
  /** The customer's note ("Contact me"). */
  readonly description?: string | undefined;
}

/** The offer's lead destination as customers meet it: the live version's, else the preview's, else the draft's. */
async function publishedDestination(repos: Repositories, record: OfferRecord): Promise<{ destination: LeadDestination; title: string }> {
  const number = record.publication.liveVersion ?? record.publication.previewVersion;
  const version = number === undefined ? undefined : await marketplaceDocs(repos).getVersion(record.publisherId, record.offerId, number);
  const offer = version?.offer ?? record.draft;
  return { destination: storedLeadDestination(offer.setup.customerLeads), title: offer.listing.name || offer.alias };
}

/**
 * Records a lead in the caller's transaction `tx`, so it is committed with the acquisition or the
 * "Contact me" that caused it, or not at all. The outbox delivers it after the commit.
 */
export async function recordLead(tx: Repositories, input: LeadInput, at: { readonly id: string; readonly now: Date }): Promise<LeadRecord> {
  const record = await marketplaceDocs(tx).getOffer(input.publisherId, input.offerId);
  if (record === undefined) throw notFound('resourceNotFound', `Offer ${input.offerId} of publisher ${input.publisherId} does not exist.`);
  const { destination, title } = await publishedDestination(tx, record);
  const lead = newLead({
    id: at.id, kind: input.kind, publisherId: record.publisherId, offerId: record.offerId, offerTitle: title,
    planId: input.planId, customerTenantId: input.customerTenantId, subscriptionId: input.subscriptionId,
    source: input.source ?? 'AzureMarketplace', customer: input.customer, description: input.description,
    destinationType: destination.type, now: at.now,
  });
  await tx.leads.insert({ lead, destination });
  return lead;
}

/** A lead with its delivery log, as the publisher sees it. */
export interface LeadDetail {
  readonly lead: LeadRecord;
  readonly attempts: readonly LeadAttempt[];
}

export interface ReferralsQuery {
  readonly offerId?: string | undefined;
  readonly kind?: LeadKind | undefined;
  readonly status?: LeadStatus | undefined;
  readonly destination?: LeadDestinationType | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly top?: number | undefined;
  readonly skipToken?: string | undefined;
}

/** What Validate did: the rule check, and if it passed, the test lead and its one attempt. */
export interface LeadValidation {
  readonly ok: boolean;
  /** True when the destination accepted the test lead. */
  readonly delivered: boolean;
  readonly message: string;
  readonly violations: readonly Violation[];
  readonly lead?: LeadRecord;
  readonly attempt?: AttemptOutcome;
}

export interface LeadService {
  /** Records a lead in the caller's transaction (see `recordLead`); call `committed` after the commit. */
  record(tx: Repositories, input: LeadInput): Promise<LeadRecord>;
  /** Tells the outbox a committed lead waits (it would find it at its next look anyway). */
  committed(): void;
  /** The Referrals list: newest first, filtered, `top` per page with a skip token for the next. */
  list(ctx: RequestContext, publisherId: string, query: ReferralsQuery): Promise<{ value: LeadRecord[]; skipToken?: string }>;
  /** Every lead the filters select, as CSV. */
  exportCsv(ctx: RequestContext, publisherId: string, query: ReferralsQuery): Promise<string>;
  get(ctx: RequestContext, publisherId: string, leadId: string): Promise<LeadDetail>;
  /** Sends one lead again (to the offer's destination now), with a fresh delivery window. */
  redeliver(ctx: RequestContext, publisherId: string, leadId: string): Promise<LeadRecord>;
  /** Sends every dead-lettered lead of the publisher (of one offer, when given) again. */
  redeliverDead(ctx: RequestContext, publisherId: string, offerId?: string): Promise<{ requeued: number }>;
  /** Validate: a test lead to `destination` (the draft's when absent) before any submit. */
  validate(ctx: RequestContext, ref: OfferRef, destination?: LeadDestination): Promise<LeadValidation>;
  /** The test lead of automated validation at submit: a lead row sent once to the submitted version's destination. */
  sendSubmissionTestLead(record: OfferRecord, offer: Offer, submission: number): Promise<{ ok: boolean; delivered: boolean; message: string }>;
  /** The test leads of an offer (Validate's and each submission's), oldest first. */
  testLeads(ctx: RequestContext, ref: OfferRef): Promise<LeadRecord[]>;
}

const PAGE = 100;
const MAX_PAGE = 1000;

function leadQuery(publisherId: string, q: ReferralsQuery, top: number): LeadQuery {
  if (q.kind !== undefined && !LEAD_KINDS.includes(q.kind)) throw invalid('InvalidParameter', `kind must be one of ${LEAD_KINDS.join(', ')}.`, 'kind');
  if (q.status !== undefined && !LEAD_STATUSES.includes(q.status)) throw invalid('InvalidParameter', `status must be one of ${LEAD_STATUSES.join(', ')}.`, 'status');
  for (const [name, value] of [['from', q.from], ['to', q.to]] as const) {
    if (value !== undefined && Number.isNaN(Date.parse(value))) throw invalid('InvalidParameter', `${name} must be a date or date-time (ISO 8601).`, name);
  }
  return {
    publisherId, top,
    ...(q.offerId === undefined ? {} : { offerId: q.offerId }),
    ...(q.kind === undefined ? {} : { kind: q.kind }),
    ...(q.status === undefined ? {} : { status: q.status }),
    ...(q.destination === undefined ? {} : { destination: q.destination }),
    ...(q.from === undefined ? {} : { from: new Date(q.from).toISOString() }),
    ...(q.to === undefined ? {} : { to: new Date(q.to).toISOString() }),
    ...(q.skipToken === undefined ? {} : { skipToken: q.skipToken }),
  };
}

/** The lead service over the store and the outbox. */
export function createLeadService(deps: { store: Store; clock: Clock; ids: IdGenerator; publishers: PublisherService; outbox: LeadOutbox }): LeadService {
  const { store, clock, ids, publishers, outbox } = deps;

  async function ownLead(ctx: RequestContext, publisherId: string, leadId: string): Promise<StoredLead> {
    const record = await publishers.authorize(ctx, publisherId, 'seeLeads');
    const stored = await store.leads.get(leadId);
    // Another publisher's lead is as absent as one that never was.
    if (stored === undefined || stored.lead.publisherId !== record.account.publisherId) throw notFound('resourceNotFound', `Lead ${leadId} does not exist.`);
    return stored;
  }

  /** Every lead `query` selects, newest first, page by page. */
  async function everyLead(query: LeadQuery): Promise<LeadRecord[]> {
    const all: LeadRecord[] = [];
    for (let token: string | undefined, first = true; first || token !== undefined; first = false) {
      const page = await store.leads.list({ ...query, ...(token === undefined ? {} : { skipToken: token }) });
      all.push(...page.leads.map((l) => l.lead));
      token = page.skipToken;
    }
    return all;
  }

  /** The lead pending again, to the offer's destination as customers meet it now. */
  async function requeue(tx: Repositories, stored: StoredLead): Promise<StoredLead | undefined> {
    const record = await marketplaceDocs(tx).getOffer(stored.lead.publisherId, stored.lead.offerId);
    const destination = record === undefined ? stored.destination : (await publishedDestination(tx, record)).destination;
    if (destination.type === 'none') return undefined;
    const next = { lead: { ...requeued(stored.lead, clock.now()), destinationType: destination.type }, destination };
    await tx.leads.finish(next);
    return next;
  }

  async function testLead(publisherId: string, offerId: string, title: string, destination: LeadDestination, submission?: number) {
    const now = clock.now();
    const lead = newLead({
      id: ids.guid(), kind: 'test', publisherId, offerId, offerTitle: title, source: 'AzureMarketplace', submission,
      customer: testLeadCustomer(now), destinationType: destination.type, now,
    });
    if (destination.type === 'none') {
      await store.leads.insert({ lead, destination });
      return { lead, outcome: { ok: true, message: 'No lead destination is connected: leads are kept in Lantern only.', excerpt: '' } };
    }
    return outbox.sendNow({ lead, destination }, false);
  }

  return {
    record: (tx, input) => recordLead(tx, input, { id: ids.guid(), now: clock.now() }),
    committed: () => outbox.kick(),

    async list(ctx, publisherId, query) {
      await publishers.authorize(ctx, publisherId, 'seeLeads');
      const top = Math.min(query.top ?? PAGE, MAX_PAGE);
      if (!Number.isInteger(top) || top < 1) throw invalid('InvalidParameter', `$top must be an integer from 1 to ${MAX_PAGE}.`, '$top');
      const page = await store.leads.list(leadQuery(publisherId, query, top));
      return { value: page.leads.map((l) => l.lead), ...(page.skipToken === undefined ? {} : { skipToken: page.skipToken }) };
    },

    async exportCsv(ctx, publisherId, query) {
      await publishers.authorize(ctx, publisherId, 'seeLeads');
      return leadsCsv(await everyLead(leadQuery(publisherId, query, MAX_PAGE)));
    },

    async get(ctx, publisherId, leadId) {
      const stored = await ownLead(ctx, publisherId, leadId);
      return { lead: stored.lead, attempts: await store.leads.listAttempts(leadId) };
    },

    async redeliver(ctx, publisherId, leadId) {
      const stored = await ownLead(ctx, publisherId, leadId);
      if (stored.lead.status === 'pending') throw conflict('Conflict', `Lead ${leadId} is already waiting for delivery (next attempt ${stored.lead.nextAttemptAt ?? 'now'}).`);
      const next = await store.transaction((tx) => requeue(tx, stored));
      if (next === undefined) throw conflict('Conflict', `Offer ${stored.lead.offerId} has no lead destination connected: connect one (and publish it), then redeliver.`);
      outbox.kick();
      return next.lead;
    },

    async redeliverDead(ctx, publisherId, offerId) {
      await publishers.authorize(ctx, publisherId, 'seeLeads');
      let count = 0;
      // Requeued leads leave the dead-letter filter, so the first page is always the next batch.
      for (;;) {
        const page = await store.leads.list({ publisherId, status: 'deadLettered', top: PAGE, ...(offerId === undefined ? {} : { offerId }) });
        if (page.leads.length === 0) break;
        const done = await store.transaction(async (tx) => {
          let n = 0;
          for (const stored of page.leads) if ((await requeue(tx, stored)) !== undefined) n++;
          return n;
        });
        count += done;
        if (done < page.leads.length) break;
      }
      outbox.kick();
      return { requeued: count };
    },

    async validate(ctx, ref, incoming) {
      await publishers.authorize(ctx, ref.publisherId, 'edit');
      const record = await marketplaceDocs(store).getOffer(ref.publisherId, ref.offerId);
      if (record === undefined) throw notFound('resourceNotFound', `Offer ${ref.offerId} does not exist.`);
      const destination = incoming === undefined ? record.draft.setup.customerLeads : restoreLeadSecrets(incoming, record.draft.setup.customerLeads);
      const sink = new ViolationSink('Offer setup');
      validateLeads(destination, false, sink);
      const errors = sink.violations.filter((v) => v.severity === 'error');
      if (errors.length > 0) {
        return { ok: false, delivered: false, message: `The connection details are not valid, so no test lead was sent: ${errors.map((e) => e.message).join(' ')}`, violations: sink.violations };
      }
      const { lead, outcome } = await testLead(record.publisherId, record.offerId, record.draft.listing.name || record.draft.alias, destination);
      return {
        ok: outcome.ok,
        delivered: outcome.ok && destination.type !== 'none',
        message: outcome.message,
        violations: sink.violations,
        lead,
        attempt: outcome,
      };
    },

    async sendSubmissionTestLead(record, offer, submission) {
      const { outcome } = await testLead(record.publisherId, record.offerId, offer.listing.name || offer.alias, offer.setup.customerLeads, submission);
      return { ok: outcome.ok, delivered: outcome.ok && offer.setup.customerLeads.type !== 'none', message: outcome.message };
    },

    async testLeads(ctx, ref) {
      const { account } = await publishers.authorize(ctx, ref.publisherId, 'seeLeads');
      return (await everyLead({ publisherId: account.publisherId, offerId: ref.offerId, kind: 'test', top: MAX_PAGE })).reverse();
    },
  };
}
