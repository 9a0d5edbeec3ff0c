/**
 * The published offers as the customer side reads them: an offer's publication state with the live
 * and preview snapshots it points at, compiled for the core's visibility rule. Feeds
 * Microsoft.ManagedServices' read-only marketplace registration definitions (from the storefront's
 * in-memory catalog) and the acquisition checks (read afresh in the writer's transaction).
 */
import { manifestGrants, planIdentifier } from '../../core/marketplace/acquisition.js';
import { compileOffer, planAvailability, visibleOffer, type CompiledOffer, type PublishedOffer, type VisibleOffer } from '../../core/marketplace/visibility.js';
import { parseScope } from '../../core/scope.js';
import type { Repositories } from '../../storage/port.js';
import type { MarketplaceDefinitionSource, MarketplaceRegistrationDefinition } from '../delegation/marketplace-definitions.js';
import { marketplaceDocs, type OfferRecord } from './records.js';

/** One published offer, ready for the visibility rule. */
export interface PublishedOfferEntry {
  readonly publisherId: string;
  readonly offerId: string;
  readonly publisherName: string;
  readonly compiled: CompiledOffer;
}

/** Reads an offer's published versions; undefined when it has none (never published, or unknown). */
export async function loadPublishedOffer(repos: Repositories, publisherId: string, offerId: string): Promise<PublishedOfferEntry | undefined> {
  const docs = marketplaceDocs(repos);
  const record = await docs.getOffer(publisherId, offerId);
  if (record === undefined) return undefined;
  return publishedEntry(repos, record, async () => (await docs.getPublisher(publisherId))?.account.displayName);
}

/** Every published offer, read in bulk (one read of the offers and one of the publishers, then their published versions). */
export async function loadPublishedOffers(repos: Repositories): Promise<PublishedOfferEntry[]> {
  const docs = marketplaceDocs(repos);
  const [offers, publishers] = await Promise.all([docs.listOffers(), docs.listPublishers()]);
  const names = new Map(publishers.map((p) => [p.account.publisherId.toLowerCase(), p.account.displayName]));
  const entries: PublishedOfferEntry[] = [];
  for (const record of offers) {
    const entry = await publishedEntry(repos, record, () => Promise.resolve(names.get(record.publisherId.toLowerCase())));
    if (entry !== undefined) entries.push(entry);
  }
  return entries;
}

async function publishedEntry(repos: Repositories, record: OfferRecord, publisherName: () => Promise<string | undefined>): Promise<PublishedOfferEntry | undefined> {
  const docs = marketplaceDocs(repos);
  const { publisherId, offerId, publication: p } = record;
  if (p.liveVersion === undefined && p.previewVersion === undefined) return undefined;
  const live = p.liveVersion === undefined ? undefined : await docs.getVersion(publisherId, offerId, p.liveVersion);
  const preview = p.previewVersion === undefined ? undefined : p.previewVersion === p.liveVersion ? live : await docs.getVersion(publisherId, offerId, p.previewVersion);
  const published: PublishedOffer = { publication: p, ...(live === undefined ? {} : { live }), ...(preview === undefined ? {} : { preview }) };
  return { publisherId, offerId, publisherName: (await publisherName()) ?? publisherId, compiled: compileOffer(published) };
}

/** The marketplace registration definitions of the plans a viewer sees: one per visible plan, at its current manifest. */
export function marketplaceDefinitionsOf(entry: PublishedOfferEntry, visible: VisibleOffer): MarketplaceRegistrationDefinition[] {
  return visible.plans.map(({ plan, manifest }) => {
    const planRef = { publisher: entry.publisherId, product: entry.offerId, name: plan.id, version: manifest.version };
    return {
      marketplaceIdentifier: planIdentifier(planRef),
      plan: planRef,
      ...manifestGrants(manifest),
      offerDisplayName: visible.offer.listing.name,
      publisherDisplayName: entry.publisherName,
      planDisplayName: plan.name,
    };
  });
}

/** The published plans as marketplace registration definitions and acquisition checks, for the delegation service. */
export function publishedPlanDefinitions(entries: () => Promise<readonly PublishedOfferEntry[]>): MarketplaceDefinitionSource {
  return {
    async list(scope) {
      const subscriptionId = scope === undefined ? undefined : parseScope(scope).subscriptionId;
      const viewer = { subscriptionIds: subscriptionId === undefined ? [] : [subscriptionId] };
      const out: MarketplaceRegistrationDefinition[] = [];
      for (const entry of await entries()) {
        const visible = visibleOffer(entry.compiled, viewer);
        if (visible !== undefined) out.push(...marketplaceDefinitionsOf(entry, visible));
      }
      return out;
    },
    async availability(repos, subscriptionId, plan, keepVersion) {
      const entry = await loadPublishedOffer(repos, plan.publisher.toLowerCase(), plan.product.toLowerCase());
      return entry === undefined ? { kind: 'notOffered' } : planAvailability(entry.compiled, subscriptionId, plan.name.toLowerCase(), plan.version, keepVersion);
    },
  };
}
