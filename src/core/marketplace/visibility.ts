/**
 * Who sees what of the marketplace: the one rule behind the storefront, Microsoft.ManagedServices'
 * marketplaceRegistrationDefinitions and acquisition (marketplace.md C1, A5, A6).
 *
 * - The live version is on sale while the offer's distribution is active; its public plans are seen
 *   by everyone, a private plan only by subscriptions in its audience ("private products").
 * - While a preview differs from the live version, the subscriptions of its preview audience see the
 *   preview instead, with all its plans (private ones included).
 * - Stopped plans, and every plan of a stopped offer, are gone for new customers; a plan without a
 *   manifest can't be acquired; an offer with no plan left is invisible.
 *
 * Audiences are compiled into sets once per published version, so a check costs a few set look-ups
 * however long the audiences are.
 */
import { normalizeGuid } from '../guid.js';
import type { Manifest, Offer, Plan } from './model.js';
import { currentManifest } from './model.js';
import type { PublicationState } from './pipeline.js';
import type { OfferVersion } from './versions.js';

/** An offer's publication state with the published versions it points at. */
export interface PublishedOffer {
  readonly publication: Pick<PublicationState, 'previewVersion' | 'liveVersion' | 'distribution' | 'stoppedPlanIds'>;
  /** The snapshot of `publication.liveVersion`, when there is one. */
  readonly live?: OfferVersion;
  /** The snapshot of `publication.previewVersion`, when there is one. */
  readonly preview?: OfferVersion;
}

/** A published offer with its audiences as sets of normalized subscription ids. */
export interface CompiledOffer {
  readonly source: PublishedOffer;
  readonly previewAudience: ReadonlySet<string>;
  /** Per plan id of the live version: the private audience (public plans are absent). */
  readonly privateAudiences: ReadonlyMap<string, ReadonlySet<string>>;
  readonly stoppedPlanIds: ReadonlySet<string>;
}

/** Compiles the audiences of a published offer once, for many checks. */
export function compileOffer(source: PublishedOffer): CompiledOffer {
  const ids = (members: readonly { id: string }[]) => new Set(members.map((m) => normalizeGuid(m.id)));
  const privateAudiences = new Map<string, ReadonlySet<string>>();
  for (const plan of source.live?.offer.plans ?? []) if (plan.visibility === 'private') privateAudiences.set(plan.id, ids(plan.privateAudience));
  return {
    source,
    previewAudience: ids(source.preview?.offer.previewAudience ?? []),
    privateAudiences,
    stoppedPlanIds: new Set(source.publication.stoppedPlanIds),
  };
}

/** The viewer: the subscriptions the customer acts for (one, when acquiring). */
export interface Viewer {
  readonly subscriptionIds: readonly string[];
}

export interface VisiblePlan {
  readonly plan: Plan;
  /** The current manifest: what acquiring the plan delegates now. */
  readonly manifest: Manifest;
  /** Seen because a viewer subscription is in its private audience (or in the preview audience). */
  readonly private: boolean;
}

export interface VisibleOffer {
  /** The published version the viewer sees. */
  readonly version: OfferVersion;
  readonly offer: Offer;
  /** True when the viewer sees the preview (as its preview audience). */
  readonly preview: boolean;
  readonly plans: readonly VisiblePlan[];
}

function hasAny(set: ReadonlySet<string>, subscriptions: readonly string[]): boolean {
  return subscriptions.some((s) => set.has(s));
}

function decide(compiled: CompiledOffer, viewer: Viewer, ignoreStops: boolean): VisibleOffer | undefined {
  const { source } = compiled;
  const p = source.publication;
  const subscriptions = viewer.subscriptionIds.map(normalizeGuid);
  const onSale = p.liveVersion !== undefined && (ignoreStops || p.distribution === 'active');
  // A preview equal to the live version is no preview: its audience sees the live offer like everyone
  // (and nothing once it is stopped).
  const distinctPreview = p.previewVersion !== undefined && p.previewVersion !== p.liveVersion;
  const asPreviewAudience = distinctPreview && hasAny(compiled.previewAudience, subscriptions);
  const number = asPreviewAudience ? p.previewVersion : onSale ? p.liveVersion : undefined;
  const version = number === undefined ? undefined : number === source.preview?.number && asPreviewAudience ? source.preview : source.live;
  if (version === undefined || version.number !== number) return undefined;
  const plans: VisiblePlan[] = [];
  for (const plan of version.offer.plans) {
    const manifest = currentManifest(plan);
    if (manifest === undefined || (!ignoreStops && compiled.stoppedPlanIds.has(plan.id))) continue;
    if (asPreviewAudience) {
      plans.push({ plan, manifest, private: plan.visibility === 'private' });
      continue;
    }
    const audience = compiled.privateAudiences.get(plan.id);
    if (plan.visibility === 'public') plans.push({ plan, manifest, private: false });
    else if (audience !== undefined && hasAny(audience, subscriptions)) plans.push({ plan, manifest, private: true });
  }
  return plans.length === 0 ? undefined : { version, offer: version.offer, preview: asPreviewAudience, plans };
}

/**
 * All the rule reads of a viewer for this offer: whether it is in the preview audience and which
 * private plans' audiences hold it. `visibleOffer` gives viewers of equal keys the same answer, so
 * a cache may keep one answer per key.
 */
export function viewerClass(compiled: CompiledOffer, viewer: Viewer): string {
  const subscriptions = viewer.subscriptionIds.map(normalizeGuid);
  let key = hasAny(compiled.previewAudience, subscriptions) ? 'preview' : '';
  for (const [planId, audience] of compiled.privateAudiences) if (hasAny(audience, subscriptions)) key += `|${planId}`;
  return key;
}

/** What of the offer the viewer may see and acquire now; undefined when nothing. */
export function visibleOffer(compiled: CompiledOffer, viewer: Viewer): VisibleOffer | undefined {
  return decide(compiled, viewer, false);
}

export type PlanAvailability =
  | { readonly kind: 'available'; readonly offer: VisibleOffer; readonly plan: VisiblePlan; readonly manifest: Manifest }
  /** Unknown, or not for this subscription (private or preview elsewhere): indistinguishable on purpose. */
  | { readonly kind: 'notOffered' }
  /** The subscription could acquire it, but its distribution (or the offer's) was stopped. */
  | { readonly kind: 'stopped' }
  /** The version is an earlier published manifest of a plan the subscription may acquire. */
  | { readonly kind: 'staleVersion'; readonly current: string };

/**
 * Whether `subscriptionId` may acquire manifest `version` of `planId` now. `keepVersion` is a version
 * the subscription already holds: re-confirming it is no new acquisition, so it isn't stale.
 */
export function planAvailability(compiled: CompiledOffer, subscriptionId: string, planId: string, version: string, keepVersion?: string): PlanAvailability {
  const viewer = { subscriptionIds: [subscriptionId] };
  const offer = visibleOffer(compiled, viewer);
  const plan = offer?.plans.find((p) => p.plan.id === planId);
  if (offer === undefined || plan === undefined) {
    const ignoringStops = decide(compiled, viewer, true);
    return ignoringStops?.plans.some((p) => p.plan.id === planId) === true ? { kind: 'stopped' } : { kind: 'notOffered' };
  }
  if (plan.manifest.version === version) return { kind: 'available', offer, plan, manifest: plan.manifest };
  const earlier = plan.plan.technicalConfiguration.manifests.find((m) => m.version === version);
  if (earlier === undefined) return { kind: 'notOffered' };
  if (version === keepVersion) return { kind: 'available', offer, plan, manifest: earlier };
  return { kind: 'staleVersion', current: plan.manifest.version };
}
