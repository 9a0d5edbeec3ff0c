/**
 * The commerce plane wired together: publisher accounts, offers, the publishing pipeline and its
 * runner, the action center and the product-ingestion API. Built once by the composition root.
 */
import { DEFAULT_CERTIFICATION_POLICY, type CertificationPolicy } from '../../core/marketplace/certification.js';
import type { Store } from '../../storage/port.js';
import type { Clock, IdGenerator } from '../context.js';
import { createActionCenter, type ActionCenter } from './action-center.js';
import { createIngestionService, type IngestionService } from './ingestion-service.js';
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
}

export interface Marketplace {
  readonly publishers: PublisherService;
  readonly offers: OfferService;
  readonly publishing: PublishingService;
  readonly actionCenter: ActionCenter;
  readonly ingestion: IngestionService;
  /** Resumes interrupted publish and configure jobs (call once at start). */
  resume(): Promise<void>;
  /** Resolves when no background job runs. */
  idle(): Promise<void>;
}

/** Builds the commerce plane over the store. */
export function createMarketplace(deps: {
  store: Store; clock: Clock; ids: IdGenerator; smtpUrl: string | undefined; mailFrom: string;
  options?: Partial<MarketplaceOptions>; onError?: (error: unknown) => void;
  /** Told after each committed change of an offer's publication (the storefront's index). */
  onPublicationChanged?: (ref: { publisherId: string; offerId: string }) => void;
}): Marketplace {
  const { store, clock, ids } = deps;
  const policy = deps.options?.certificationPolicy ?? DEFAULT_CERTIFICATION_POLICY;
  const mailer = createMailer(deps.smtpUrl, deps.mailFrom);
  const publishers = createPublisherService({ store, clock });
  const onPublicationChanged = deps.onPublicationChanged;
  const offers = createOfferService({ store, clock, publishers, requireLeadDestination: policy.requireLeadDestination, ...(onPublicationChanged === undefined ? {} : { onPublicationChanged }) });
  const actionCenter = createActionCenter({ store, clock, ids, mailer, publishers });
  const onError = deps.onError ?? ((error: unknown) => console.error('marketplace background job failed:', error));
  const publishing = createPublishingService({
    store, clock, ids, publishers, offers, actionCenter, mailer, policy,
    allowPrivateLeadEndpoints: deps.options?.allowPrivateLeadEndpoints ?? false,
    leadCa: deps.options?.leadCa,
    onError,
    ...(onPublicationChanged === undefined ? {} : { onPublicationChanged }),
  });
  const ingestion = createIngestionService({ store, clock, ids, publishers, offers, publishing, requireLeadDestination: policy.requireLeadDestination, onError });
  return {
    publishers,
    offers,
    publishing,
    actionCenter,
    ingestion,
    async resume() {
      await ingestion.resumeAll();
      await publishing.resumeAll();
    },
    async idle() {
      await ingestion.idle();
      await publishing.idle();
      await ingestion.idle();
    },
  };
}
