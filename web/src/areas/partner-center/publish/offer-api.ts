/**
 * Where an offer's publishing pages find it: the Partner Center API paths, the portal paths of the
 * offer's pages, and the shapes of the answers these pages read (the core's own types).
 */
import type { FailureReport, HistoryEvent, PipelineStep } from '../../../../../src/core/marketplace/pipeline.ts';
import type { Offer } from '../../../../../src/core/marketplace/model.ts';
import type { OfferView } from '../offers.ts';

/** `GET …/offers/{o}`: the overview with the submission in flight and the last failure. */
export interface OfferDetail extends OfferView {
  readonly publication: OfferView['publication'] & {
    readonly submission?: { readonly number: number; readonly version: number; readonly step: PipelineStep; readonly submittedAt: string; readonly submittedBy: string };
    readonly lastFailure?: FailureReport;
  };
}

/** A publish job of `GET …/jobs` (records.ts `PublishJob`). */
export interface PublishJob {
  readonly id: string;
  readonly target: 'preview' | 'live';
  readonly submission: number;
  readonly progress: readonly { readonly at: string; readonly step: string; readonly message: string }[];
  readonly state: 'running' | 'waiting' | 'completed';
  readonly result: 'pending' | 'succeeded' | 'failed' | 'cancelled';
}

/** A submitted version of `GET …/versions` (images come as `{"$base64": …}`). */
export interface OfferVersionView {
  readonly number: number;
  readonly offer: Offer;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly origin: 'submission' | 'syncPrivateAudience';
}

export type { HistoryEvent };

/** The API path of an offer. */
export function offerApi(publisherId: string, offerId: string): string {
  return `/partner-center/publishers/${encodeURIComponent(publisherId)}/offers/${encodeURIComponent(offerId)}`;
}

/** The portal path of an offer's page: its overview, or `review`, `compare`, `history`. */
export function offerPage(publisherId: string, offerId: string, page?: 'review' | 'compare' | 'history'): string {
  return `/portal/partner-center/offers/${encodeURIComponent(publisherId)}/${encodeURIComponent(offerId)}${page === undefined ? '' : `/${page}`}`;
}

/** The offer's name as Partner Center shows it. */
export function offerName(offer: OfferView): string {
  return offer.draft.listing?.name ?? offer.draft.alias ?? offer.offerId;
}

/** The editor page (pc-editor's `sectionRoute` paths) where a section of the offer is fixed. */
export function sectionPage(publisherId: string, offerId: string, section: string): string {
  const [first, planId, part] = section.split('/');
  const page = first === 'Plans' && planId !== undefined
    ? `plans/${encodeURIComponent(planId)}${part === undefined ? '' : '/technical-configuration'}`
    : ({ 'Offer setup': 'setup', Properties: 'properties', 'Offer listing': 'listing', 'Preview audience': 'preview-audience', 'Plan overview': 'plans' } as Record<string, string>)[section];
  return page === undefined ? offerPage(publisherId, offerId) : `${offerPage(publisherId, offerId)}/${page}`;
}
