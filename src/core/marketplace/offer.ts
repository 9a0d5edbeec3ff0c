/** Creating offers and plans, and the edits whose rules hold at the moment of the edit (immutable ids, new manifests). */
import { DomainError } from '../errors.js';
import { importAudienceCsv, MAX_PREVIEW_AUDIENCE, MAX_PRIVATE_AUDIENCE_TOTAL } from './audience.js';
import { emptyLeadDestination } from './leads.js';
import type { LeadDestinationType, Manifest, Offer, OfferListing, Plan } from './model.js';
import { currentManifest } from './model.js';
import { ID_PATTERN, isBlank } from './text.js';
import { compareVersions } from './validate-technical.js';

const EMPTY_CONTACT = { name: '', email: '', phone: '' } as const;

/** A listing with nothing filled in; the name starts as the alias, as in the portal. */
export function emptyListing(name: string): OfferListing {
  return {
    name,
    searchResultsSummary: '',
    shortDescription: '',
    description: '',
    privacyPolicyUrl: '',
    usefulLinks: [],
    supportContact: EMPTY_CONTACT,
    engineeringContact: EMPTY_CONTACT,
    supportUrls: {},
    logos: {},
    screenshots: [],
    videos: [],
  };
}

/** The New offer dialog: checks the id (format, unique per publisher) and the alias, returns an empty draft. */
export function createOffer(input: { publisherId: string; id: string; alias: string; existingOfferIds: readonly string[] }): Offer {
  if (!ID_PATTERN.test(input.id)) {
    throw new DomainError('invalid', 'invalidId', `Offer ID "${input.id}" must be 3–50 lowercase letters, digits, "-" or "_", starting with a letter or digit.`, { target: 'id' });
  }
  if (input.existingOfferIds.includes(input.id)) {
    throw new DomainError('conflict', 'invalidId', `Offer ID "${input.id}" is already used by another offer of publisher ${input.publisherId}.`, { target: 'id' });
  }
  if (isBlank(input.alias)) throw new DomainError('invalid', 'invalidRequest', 'Offer alias is required.', { target: 'alias' });
  return {
    id: input.id,
    publisherId: input.publisherId,
    alias: input.alias,
    setup: { customerLeads: emptyLeadDestination('none') },
    properties: { categories: [] },
    listing: emptyListing(input.alias),
    previewAudience: [],
    plans: [],
  };
}

/** Switches the lead destination, starting from empty fields; "None" is always allowed. */
export function chooseLeadDestination(offer: Offer, type: LeadDestinationType): Offer {
  if (type === 'blob') throw new DomainError('invalid', 'notSupported', 'Azure Blob is retired as a lead destination.', { target: 'setup.customerLeads.type' });
  return { ...offer, setup: { customerLeads: emptyLeadDestination(type) } };
}

/** "+ Create new plan": checks the plan id (format, unique in the offer) and adds an empty public BYOL plan. */
export function createPlan(offer: Offer, input: { id: string; name: string }): Offer {
  if (!ID_PATTERN.test(input.id)) {
    throw new DomainError('invalid', 'invalidId', `Plan ID "${input.id}" must be 3–50 lowercase letters, digits, "-" or "_", starting with a letter or digit.`, { target: 'id' });
  }
  if (offer.plans.some((p) => p.id === input.id)) {
    throw new DomainError('conflict', 'invalidId', `Plan ID "${input.id}" is already used in offer ${offer.id}.`, { target: 'id' });
  }
  const plan: Plan = {
    id: input.id,
    name: input.name,
    summary: '',
    description: '',
    pricing: 'byol',
    visibility: 'public',
    privateAudience: [],
    technicalConfiguration: { manifests: [] },
  };
  return { ...offer, plans: [...offer.plans, plan] };
}

/** Replaces a plan by id; the id itself can't change. */
export function updatePlan(offer: Offer, planId: string, change: (plan: Plan) => Plan): Offer {
  const index = offer.plans.findIndex((p) => p.id === planId);
  const plan = offer.plans[index];
  if (plan === undefined) throw new DomainError('not_found', 'resourceNotFound', `Offer ${offer.id} has no plan "${planId}".`);
  const next = change(plan);
  if (next.id !== plan.id) throw new DomainError('invalid', 'invalidRequest', `Plan ID "${plan.id}" can't be changed after the plan is created.`, { target: 'id' });
  return { ...offer, plans: offer.plans.map((p, i) => (i === index ? next : p)) };
}

/**
 * "+ New manifest": appends a manifest with a higher version, starting from the current one's tenant and
 * authorizations (or the given ones). Published manifests stay untouched.
 */
export function addManifest(plan: Plan, version: string, content?: Omit<Manifest, 'version'>): Plan {
  const current = currentManifest(plan);
  const order = current === undefined ? 1 : compareVersions(version, current.version);
  if (order === undefined || compareVersions(version, '0.0.0') === undefined) {
    throw new DomainError('invalid', 'invalidRequest', `Manifest version "${version}" must have the form n.n.n.`, { target: 'version' });
  }
  if (order <= 0) {
    throw new DomainError('invalid', 'invalidRequest', `Manifest version ${version} must be higher than the current version ${current?.version ?? ''}.`, { target: 'version' });
  }
  const manifest: Manifest = { version, tenantId: content?.tenantId ?? current?.tenantId ?? '', authorizations: content?.authorizations ?? current?.authorizations ?? [] };
  return { ...plan, technicalConfiguration: { manifests: [...plan.technicalConfiguration.manifests, manifest] } };
}

/** "Import Audience (csv)" on Preview audience: replaces the list, at most 100 subscriptions. */
export function importPreviewAudience(offer: Offer, csv: string): Offer {
  return { ...offer, previewAudience: importAudienceCsv(csv, MAX_PREVIEW_AUDIENCE) };
}

/** "Import Audience (csv)" on a private plan: replaces its list, within 10,000 subscriptions across all private plans. */
export function importPrivateAudience(offer: Offer, planId: string, csv: string): Offer {
  const others = offer.plans.filter((p) => p.id !== planId && p.visibility === 'private').reduce((n, p) => n + p.privateAudience.length, 0);
  const members = importAudienceCsv(csv, MAX_PRIVATE_AUDIENCE_TOTAL - others);
  return updatePlan(offer, planId, (p) => ({ ...p, privateAudience: members }));
}
