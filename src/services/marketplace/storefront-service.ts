/**
 * The storefront: browse and search the published offers a customer may see, and an offer's page
 * (listing, media, links, legal terms, plans and the access each plan would grant). What a caller
 * sees is decided by the core's visibility rule for the subscriptions of the caller's own tenant
 * that the caller can read (or one of them, when the request names it); a provider that manages a
 * customer's subscription through a delegation doesn't see that customer's private products.
 *
 * Searches run on the in-memory index (storefront-index.ts), built from the store on first use and
 * kept in step by publishing (`publicationChanged`, called after each committed publication change).
 */
import { DomainError, notFound } from '../../core/errors.js';
import { normalizeGuid } from '../../core/guid.js';
import { manifestGrants, planIdentifier } from '../../core/marketplace/acquisition.js';
import type { PlanAccess, RoleRef, StorefrontOfferPage, StorefrontOfferSummary } from '../../core/marketplace/storefront-views.js';
import type { Viewer, VisiblePlan } from '../../core/marketplace/visibility.js';
import { findBuiltinRole } from '../../core/roles/builtin-catalog.js';
import type { Store } from '../../storage/port.js';
import type { AccessService } from '../authorization/access-service.js';
import type { RequestContext } from '../context.js';
import { logoBytes } from './logo-renditions.js';
import { loadPublishedOffer, loadPublishedOffers, type PublishedOfferEntry } from './published-plans.js';
import { StorefrontIndex, type StorefrontHit, type StorefrontOrder } from './storefront-index.js';

/** Where the storefront's media and offer pages are served. */
export const STOREFRONT_BASE = '/marketplace';

export interface StorefrontSearch {
  readonly search?: string;
  readonly category?: string;
  readonly publisherId?: string;
  readonly orderBy?: StorefrontOrder;
  readonly skip?: number;
  readonly top?: number;
  /** Narrow the viewer to one of the caller's subscriptions. */
  readonly subscriptionId?: string;
}

export type StorefrontMedia = { readonly kind: 'logo'; readonly size: 'large' | 'medium' | 'small' } | { readonly kind: 'screenshot' | 'videoThumbnail'; readonly index: number };

const MAX_TOP = 100;
const DEFAULT_TOP = 20;

const offerUrl = (e: PublishedOfferEntry) => `${STOREFRONT_BASE}/offers/${e.publisherId}.${e.offerId}`;

function roleRef(id: string): RoleRef {
  const name = findBuiltinRole(id)?.roleName;
  return { roleDefinitionId: id, ...(name === undefined ? {} : { roleName: name }) };
}

/** The access a plan grants, with role names and principal display names (what "Offer details" shows). */
function planAccess(visible: VisiblePlan): PlanAccess[] {
  const grants = manifestGrants(visible.manifest);
  return [
    ...grants.authorizations.map((a) => ({
      principalId: a.principalId,
      ...(a.principalIdDisplayName === undefined ? {} : { principalIdDisplayName: a.principalIdDisplayName }),
      ...roleRef(a.roleDefinitionId),
      accessType: 'active' as const,
      ...(a.delegatedRoleDefinitionIds === undefined ? {} : { delegatedRoles: a.delegatedRoleDefinitionIds.map(roleRef) }),
    })),
    ...grants.eligibleAuthorizations.map((e) => ({
      principalId: e.principalId,
      ...(e.principalIdDisplayName === undefined ? {} : { principalIdDisplayName: e.principalIdDisplayName }),
      ...roleRef(e.roleDefinitionId),
      accessType: 'eligible' as const,
      justInTimeAccessPolicy: { ...e.justInTimeAccessPolicy, managedByTenantApprovers: e.justInTimeAccessPolicy.managedByTenantApprovers ?? [] },
    })),
  ];
}

function summary(hit: StorefrontHit): StorefrontOfferSummary {
  const { entry, visible } = hit;
  const l = visible.offer.listing;
  const url = offerUrl(entry);
  return {
    id: `${entry.publisherId}.${entry.offerId}`,
    publisherId: entry.publisherId,
    offerId: entry.offerId,
    publisherDisplayName: entry.publisherName,
    name: l.name,
    searchResultsSummary: l.searchResultsSummary,
    shortDescription: l.shortDescription,
    categories: visible.offer.properties.categories,
    preview: visible.preview,
    hasPrivateProducts: visible.plans.some((p) => p.private),
    ...(l.logos.large === undefined ? {} : { smallLogoUrl: `${url}/media/logos/small` }),
    plans: visible.plans.map((p) => ({ planId: p.plan.id, name: p.plan.name, summary: p.plan.summary, privateProduct: p.private })),
    url,
  };
}

function page(hit: StorefrontHit): StorefrontOfferPage {
  const { entry, visible } = hit;
  const l = visible.offer.listing;
  const url = offerUrl(entry);
  const logo = (size: 'large' | 'medium' | 'small') => `${url}/media/logos/${size}`;
  const terms = visible.offer.properties.terms;
  return {
    ...summary(hit),
    offerVersion: visible.version.number,
    description: l.description,
    media: {
      logos: l.logos.large === undefined ? {} : { large: logo('large'), medium: logo('medium'), small: logo('small') },
      screenshots: l.screenshots.map((s, i) => ({ caption: s.caption, url: `${url}/media/screenshots/${i}` })),
      videos: l.videos.map((v, i) => ({ name: v.name, url: v.url, thumbnailUrl: `${url}/media/videos/${i}/thumbnail` })),
    },
    links: { usefulLinks: l.usefulLinks, supportUrls: l.supportUrls },
    legalTerms: { ...(terms === undefined ? {} : { termsAndConditions: terms }), privacyPolicyUrl: l.privacyPolicyUrl },
    plans: visible.plans.map((p) => {
      const ref = { publisher: entry.publisherId, product: entry.offerId, name: p.plan.id, version: p.manifest.version };
      return {
        planId: p.plan.id,
        planIdentifier: planIdentifier(ref),
        name: p.plan.name,
        summary: p.plan.summary,
        description: p.plan.description,
        pricing: p.plan.pricing,
        privateProduct: p.private,
        version: p.manifest.version,
        managedByTenantId: p.manifest.tenantId,
        authorizations: planAccess(p),
      };
    }),
  };
}

/** Splits `{publisherId}.{offerId}` (publisher ids hold no dot). */
export function parseOfferId(id: string): { publisherId: string; offerId: string } {
  const dot = id.indexOf('.');
  if (dot <= 0 || dot === id.length - 1) throw notFound('OfferNotFound', `'${id}' is not a marketplace offer id ({publisherId}.{offerId}).`);
  return { publisherId: id.slice(0, dot).toLowerCase(), offerId: id.slice(dot + 1).toLowerCase() };
}

/** Creates the storefront over the store; `publicationChanged` keeps its index in step. */
export function createStorefrontService(deps: { readonly store: Store; readonly access: AccessService }) {
  const { store, access } = deps;
  const index = new StorefrontIndex();
  const changed = new Set<string>();
  let loading: Promise<void> | undefined;

  async function refresh(key: string): Promise<void> {
    const [publisherId = '', offerId = ''] = key.split('/');
    const entry = await loadPublishedOffer(store, publisherId, offerId);
    if (entry === undefined) index.remove(publisherId, offerId);
    else index.put(entry);
  }

  /** The index, built on first use and brought up to date with every publication change since. */
  async function ready(): Promise<StorefrontIndex> {
    // A failed load is not kept: the next use tries again.
    loading ??= loadPublishedOffers(store).then(
      (entries) => entries.forEach((entry) => index.put(entry)),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
    await loading;
    if (changed.size > 0) {
      const keys = [...changed];
      changed.clear();
      for (const key of keys) await refresh(key);
    }
    return index;
  }

  /** The customer's subscriptions the caller acts for: its own tenant's that it can read (or the one named). */
  async function viewerOf(ctx: RequestContext, subscriptionId?: string): Promise<Viewer> {
    const caller = ctx.caller;
    if (caller === 'system') return { subscriptionIds: subscriptionId === undefined ? [] : [subscriptionId] };
    const readable = (id: string) => access.allows(ctx, 'Microsoft.Resources/subscriptions/read', `/subscriptions/${id}`);
    if (subscriptionId !== undefined) {
      const sub = await store.resources.getSubscription(normalizeGuid(subscriptionId));
      if (sub === undefined || normalizeGuid(sub.tenantId) !== normalizeGuid(caller.tenantId) || !readable(sub.subscriptionId)) {
        throw new DomainError('forbidden', 'InvalidSubscription', `Subscription '${subscriptionId}' is not a subscription of your tenant that you can read; the storefront shows offers for your own subscriptions.`, { target: 'subscriptionId' });
      }
      return { subscriptionIds: [sub.subscriptionId] };
    }
    return { subscriptionIds: access.engine.subscriptionsOfDirectory(caller.tenantId).filter(readable).sort() };
  }

  async function visibleHit(ctx: RequestContext, id: string, subscriptionId?: string): Promise<StorefrontHit> {
    const { publisherId, offerId } = parseOfferId(id);
    const hit = (await ready()).get(publisherId, offerId, await viewerOf(ctx, subscriptionId));
    if (hit === undefined) throw notFound('OfferNotFound', `The marketplace offer '${id}' could not be found.`);
    return hit;
  }

  return {
    /** Marks an offer's published versions as changed (call after the change is committed). */
    publicationChanged(publisherId: string, offerId: string): void {
      changed.add(`${publisherId}/${offerId}`);
    },

    /** Builds the index now (at start, so no customer's first search waits for it). */
    async warm(): Promise<void> {
      await ready();
    },

    /** Every published offer, for the visibility rule of marketplace registration definitions. */
    async entries(): Promise<readonly PublishedOfferEntry[]> {
      return (await ready()).entries();
    },

    /** One page of the offers the caller sees that match, with the total count. */
    async search(ctx: RequestContext, query: StorefrontSearch): Promise<{ value: StorefrontOfferSummary[]; count: number; nextSkip?: number }> {
      const viewer = await viewerOf(ctx, query.subscriptionId);
      const top = Math.min(Math.max(query.top ?? DEFAULT_TOP, 1), MAX_TOP);
      const skip = Math.max(query.skip ?? 0, 0);
      const orderBy = query.orderBy ?? (query.search === undefined || query.search.trim() === '' ? 'name' : 'relevance');
      const result = (await ready()).search(viewer, {
        ...(query.search === undefined ? {} : { search: query.search }),
        ...(query.category === undefined ? {} : { category: query.category }),
        ...(query.publisherId === undefined ? {} : { publisherId: query.publisherId }),
        orderBy,
        skip,
        top,
      });
      return { value: result.hits.map(summary), count: result.count, ...(skip + top < result.count ? { nextSkip: skip + top } : {}) };
    },

    /** The offer page as the caller sees it; 404 when the caller sees nothing of the offer. */
    async offer(ctx: RequestContext, id: string, subscriptionId?: string): Promise<StorefrontOfferPage> {
      return page(await visibleHit(ctx, id, subscriptionId));
    },

    /** The PNG bytes of a logo, screenshot or video thumbnail of an offer the caller sees. */
    async media(ctx: RequestContext, id: string, media: StorefrontMedia): Promise<Uint8Array> {
      const listing = (await visibleHit(ctx, id)).visible.offer.listing;
      if (media.kind === 'logo') return logoBytes(listing.logos, media.size).bytes;
      const image = media.kind === 'screenshot' ? listing.screenshots[media.index]?.image : listing.videos[media.index]?.thumbnail;
      if (image === undefined) throw notFound('resourceNotFound', `The offer has no ${media.kind === 'screenshot' ? 'screenshot' : 'video'} ${media.index}.`);
      return image.bytes;
    },
  };
}

export type StorefrontService = ReturnType<typeof createStorefrontService>;
