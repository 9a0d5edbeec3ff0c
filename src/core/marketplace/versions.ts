/**
 * Published versions and updates: immutable snapshots (a customer accepts one specific version), a draft
 * edited beside the live version, the Compare view, and Sync private audience without a full republish.
 */
import type { MarketplacePlan } from '../delegation/model.js';
import { DomainError } from '../errors.js';
import { normalizeGuid } from '../guid.js';
import { MAX_PRIVATE_AUDIENCE_TOTAL } from './audience.js';
import type { Offer, Plan } from './model.js';
import { currentManifest } from './model.js';

export interface OfferVersion {
  readonly number: number;
  readonly offer: Offer;
  readonly createdAt: string;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Freezes a copy of the offer as published version `number`; later edits of the draft can't reach it. */
export function snapshotOffer(offer: Offer, number: number, createdAt: string): OfferVersion {
  return deepFreeze({ number, offer: structuredClone(offer), createdAt });
}

/** A fresh, editable draft starting from a published version (the update flow: edit beside the live offer). */
export function draftFromVersion(version: OfferVersion): Offer {
  return structuredClone(version.offer);
}

/** The marketplace plan identity a customer accepts: `publisher.offer.plan.version` of the plan's current manifest. */
export function marketplacePlanOf(version: OfferVersion, planId: string): MarketplacePlan {
  const plan = version.offer.plans.find((p) => p.id === planId);
  const manifest = plan === undefined ? undefined : currentManifest(plan);
  if (plan === undefined || manifest === undefined) {
    throw new DomainError('not_found', 'resourceNotFound', `Version ${version.number} of offer ${version.offer.id} has no plan "${planId}" with a manifest.`);
  }
  return { publisher: version.offer.publisherId, product: version.offer.id, name: plan.id, version: manifest.version };
}

export type ChangeKind = 'added' | 'removed' | 'edited';

export interface OfferChange {
  /** Field path; plans are keyed by id (`plans[gold].name`), other lists by position. */
  readonly path: string;
  readonly change: ChangeKind;
  readonly before?: unknown;
  readonly after?: unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((x, i) => x === b[i]);
}

function diff(path: string, before: unknown, after: unknown, out: OfferChange[]): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) {
    out.push({ path, change: 'added', after });
    return;
  }
  if (after === undefined) {
    out.push({ path, change: 'removed', before });
    return;
  }
  if (before instanceof Uint8Array && after instanceof Uint8Array) {
    if (!sameBytes(before, after)) out.push({ path, change: 'edited', before, after });
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) diff(`${path}[${i}]`, before[i], after[i], out);
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) diff(path === '' ? key : `${path}.${key}`, before[key], after[key], out);
    return;
  }
  if (before !== after) out.push({ path, change: 'edited', before, after });
}

function plansById(plans: readonly Plan[]): Map<string, Plan> {
  return new Map(plans.map((p) => [p.id, p]));
}

/** The Compare view: every field added, removed or edited in the draft against the live (or preview) version. */
export function compareOffers(draft: Offer, live: Offer): OfferChange[] {
  const out: OfferChange[] = [];
  const { plans: draftPlans, ...draftRest } = draft;
  const { plans: livePlans, ...liveRest } = live;
  diff('', liveRest, draftRest, out);
  const before = plansById(livePlans);
  const after = plansById(draftPlans);
  for (const id of new Set([...before.keys(), ...after.keys()])) diff(`plans[${id}]`, before.get(id), after.get(id), out);
  return out;
}

export interface AudienceSync {
  /** The published version with the draft's private audiences and nothing else changed. */
  readonly offer: Offer;
  readonly added: readonly { readonly planId: string; readonly id: string }[];
  readonly removed: readonly { readonly planId: string; readonly id: string }[];
}

/**
 * Sync private audience: copies only the private audiences of the draft's plans into the published offer,
 * without certification. Plans not yet published are left for the next full publish.
 */
export function syncPrivateAudiences(published: Offer, draft: Offer): AudienceSync {
  const drafts = plansById(draft.plans);
  const added: { planId: string; id: string }[] = [];
  const removed: { planId: string; id: string }[] = [];
  const plans = published.plans.map((plan) => {
    const source = drafts.get(plan.id);
    if (source === undefined || plan.visibility !== 'private') return plan;
    const was = new Set(plan.privateAudience.map((m) => normalizeGuid(m.id)));
    const now = new Set(source.privateAudience.map((m) => normalizeGuid(m.id)));
    source.privateAudience.filter((m) => !was.has(normalizeGuid(m.id))).forEach((m) => added.push({ planId: plan.id, id: m.id }));
    plan.privateAudience.filter((m) => !now.has(normalizeGuid(m.id))).forEach((m) => removed.push({ planId: plan.id, id: m.id }));
    return { ...plan, privateAudience: source.privateAudience };
  });
  const total = plans.filter((p) => p.visibility === 'private').reduce((n, p) => n + p.privateAudience.length, 0);
  if (total > MAX_PRIVATE_AUDIENCE_TOTAL) {
    throw new DomainError('limit', 'collectionLimitExceeded', `Private audiences would list ${total} subscriptions; the limit across all plans is ${MAX_PRIVATE_AUDIENCE_TOTAL}.`, { target: 'plans' });
  }
  return { offer: { ...published, plans }, added, removed };
}
