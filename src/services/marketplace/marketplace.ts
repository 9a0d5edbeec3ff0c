/**
 * The commerce plane wired together: publisher accounts, offers, the publishing pipeline and its
 * runner, the action center and the product-ingestion API. Built once by the composition root.
 */
import { DEFAULT_CERTIFICATION_POLICY, type CertificationPolicy } from '../../core/marketplace/certification.js';
import type { Store } from '../../storage/port.js';
import type { Clock, IdGenerator, RequestContext } from '../context.js';
import { createActionCenter, type ActionCenter } from './action-center.js';
import { createIngestionService, type IngestionService } from './ingestion-service.js';
import { DEFAULT_LEAD_ENDPOINTS, type LeadEndpoints } from './lead-connector.js';
import { createLeadOutbox, type LeadOutbox } from './lead-outbox.js';
import { createLeadService, type LeadService } from './lead-service.js';
import { createMailer } from './mailer.js';
import { createOfferService, type OfferService } from './offer-service.js';
import { createPublisherService, type PublisherService } from './publisher-service.js';
import { createPublishingService, type PublishingService } from './publishing-service.js';

/** Operator settings of the marketplace (see docs/partner-center.md). */
export interface MarketplaceOptions {
  /** Let test leads reach private, loopback and link-local addresses (labs and tests only). */
  readonly allowPrivateLeadEndpoints: boolean;
  /** Extra CA certificate (PEM) trusted for lead endpoints. */
  readonly leadCa?: string | undefined;
  readonly certificationPolicy: CertificationPolicy;
  /** Where the CRM vendors live (tests and labs point them at their own servers). */
  readonly leadEndpoints: Partial<LeadEndpoints>;
  /** The lead outbox's lease and poll interval, and its jitter source (tests). */
  readonly leadOutbox: { readonly leaseMs?: number; readonly pollMs?: number; readonly random?: () => number };
}

export interface Marketplace {
  readonly publishers: PublisherService;
  readonly offers: OfferService;
  readonly publishing: PublishingService;
  readonly actionCenter: ActionCenter;
  readonly ingestion: IngestionService;
  readonly leads: LeadService;
  readonly leadOutbox: LeadOutbox;
  /** Resumes interrupted publish and configure jobs and starts lead delivery (call once at start). */
  resume(): Promise<void>;
  /** Stops lead delivery (call at shutdown, before the store closes). */
  stop(): Promise<void>;
  /** Resolves when no background job runs. */
  idle(): Promise<void>;
}

/** Builds the commerce plane over the store. */
export function createMarketplace(deps: {
  store: Store; clock: Clock; ids: IdGenerator; smtpUrl: string | undefined; mailFrom: string;
  options?: Partial<MarketplaceOptions>; onError?: (error: unknown) => void;
  /** Told after each committed change of an offer's publication (the storefront's index). */
  onPublicationChanged?: (ref: { publisherId: string; offerId: string }) => void;
  /** Whether the caller is a platform operator (the decision engine's answer); without it, only the system context is. */
  isOperator?: (ctx: RequestContext) => boolean;
}): Marketplace {
  const { store, clock, ids } = deps;
  const policy = deps.options?.certificationPolicy ?? DEFAULT_CERTIFICATION_POLICY;
  const mailer = createMailer(deps.smtpUrl, deps.mailFrom);
  const publishers = createPublisherService({ store, clock, isOperator: deps.isOperator ?? ((ctx) => ctx.caller === 'system') });
  const onPublicationChanged = deps.onPublicationChanged;
  const offers = createOfferService({ store, clock, publishers, requireLeadDestination: policy.requireLeadDestination, ...(onPublicationChanged === undefined ? {} : { onPublicationChanged }) });
  const actionCenter = createActionCenter({ store, clock, ids, mailer, publishers });
  const onError = deps.onError ?? ((error: unknown) => console.error('marketplace background job failed:', error));
  const leadOutbox = createLeadOutbox({
    store, clock, ids, actionCenter, onError, ...deps.options?.leadOutbox,
    connector: {
      allowPrivate: deps.options?.allowPrivateLeadEndpoints ?? false,
      ca: deps.options?.leadCa,
      mailer,
      endpoints: { ...DEFAULT_LEAD_ENDPOINTS, ...deps.options?.leadEndpoints },
    },
  });
  const leads = createLeadService({ store, clock, ids, publishers, outbox: leadOutbox });
  const publishing = createPublishingService({
    store, clock, ids, publishers, offers, actionCenter, leads, policy, onError,
    ...(onPublicationChanged === undefined ? {} : { onPublicationChanged }),
  });
  const ingestion = createIngestionService({ store, clock, ids, publishers, offers, publishing, requireLeadDestination: policy.requireLeadDestination, onError });
  return {
    publishers,
    offers,
    publishing,
    actionCenter,
    ingestion,
    leads,
    leadOutbox,
    async resume() {
      await ingestion.resumeAll();
      await publishing.resumeAll();
      leadOutbox.start();
    },
    stop: () => leadOutbox.stop(),
    async idle() {
      await ingestion.idle();
      await publishing.idle();
      await ingestion.idle();
    },
  };
}
