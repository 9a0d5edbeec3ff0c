/**
 * Stored offers made readable: drafts written before the edge checked Partner Center bodies
 * strictly may hold values of the wrong case or type (`customerLeads.type: "None"`, a number as a
 * listing name, a string where a list belongs) or lack a section. Every later call read them as an
 * `Offer` and failed. `repairOffer` conforms any stored value to the model: an enumeration matched
 * without case, a scalar of another type written as text, a value that cannot be one dropped for
 * the field's empty value. It names each field it changed so the caller can warn; a valid offer
 * comes back unchanged (and with no repairs).
 */
import { emptyLeadDestination } from './leads.js';
import type {
  AudienceMember, CategorySelection, Contact, ImageAsset, JustInTimePolicy, LeadDestination, LeadDestinationType, Link, Manifest, Offer, OfferListing,
  Plan, PlanAuthorization, Screenshot, TermsAndConditions, Video,
} from './model.js';
import { emptyListing } from './offer.js';

type Raw = Record<string, unknown>;

const LEAD_TYPES: readonly LeadDestinationType[] = ['none', 'httpsEndpoint', 'table', 'dynamics', 'salesforce', 'marketo', 'email', 'blob'];

/** Conforms one stored value at a time, noting the path of every field it had to change. */
class Repair {
  readonly repairs: string[] = [];

  note(path: string): void {
    this.repairs.push(path);
  }

  object(value: unknown, path: string): Raw {
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)) return value as Raw;
    if (value !== undefined) this.note(path);
    return {};
  }

  text(value: unknown, path: string, fallback = ''): string {
    if (typeof value === 'string') return value;
    if (value !== undefined) this.note(path);
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : fallback;
  }

  optionalText(value: unknown, path: string): string | undefined {
    return value === undefined ? undefined : this.text(value, path);
  }

  flag(value: unknown, path: string): boolean {
    if (typeof value === 'boolean') return value;
    if (value !== undefined) this.note(path);
    return value === 'true';
  }

  oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string, fallback: T): T {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.note(path);
    const matched = typeof value === 'string' ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
    return matched ?? fallback;
  }

  /** A list of items: a non-list is empty, an item that is not an object is dropped. */
  list<T>(value: unknown, path: string, item: (raw: Raw, path: string) => T): T[] {
    if (!Array.isArray(value)) {
      if (value !== undefined) this.note(path);
      return [];
    }
    const out: T[] = [];
    value.forEach((v, i) => {
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) out.push(item(v as Raw, `${path}[${i}]`));
      else this.note(`${path}[${i}]`);
    });
    return out;
  }

  texts(value: unknown, path: string): string[] {
    if (typeof value === 'string' && value !== '') {
      this.note(path);
      return value.split(/[;,]/).map((s) => s.trim()).filter((s) => s !== '');
    }
    if (!Array.isArray(value)) {
      if (value !== undefined && value !== '') this.note(path);
      return [];
    }
    return value.map((v, i) => this.text(v, `${path}[${i}]`));
  }

  image(value: unknown, path: string): ImageAsset | undefined {
    const raw = this.object(value, path);
    if (value === undefined) return undefined;
    if (typeof raw.fileName === 'string' && raw.bytes instanceof Uint8Array) return { fileName: raw.fileName, bytes: raw.bytes };
    this.note(path);
    return undefined;
  }
}

function leadDestination(r: Repair, value: unknown, path: string): LeadDestination {
  const raw = r.object(value, path);
  const type = r.oneOf(raw.type, LEAD_TYPES, `${path}.type`, 'none');
  let template: Raw = { ...emptyLeadDestination(type) };
  if (type === 'dynamics') {
    const authentication = r.oneOf(raw.authentication ?? 'azureAD', ['azureAD', 'office365'] as const, `${path}.authentication`, 'azureAD');
    if (authentication === 'office365') template = { type, instanceUrl: '', authentication, username: '', password: '', contactEmails: [] };
  }
  if (type === 'httpsEndpoint' && raw.signingSecret !== undefined) template.signingSecret = '';
  const out: Raw = { type };
  for (const [key, empty] of Object.entries(template)) {
    if (key === 'type') continue;
    if (key === 'authentication') out[key] = empty;
    else out[key] = Array.isArray(empty) ? r.texts(raw[key], `${path}.${key}`) : r.text(raw[key], `${path}.${key}`);
  }
  for (const key of Object.keys(raw)) if (!(key in template)) r.note(`${path}.${key}`);
  return out as unknown as LeadDestination;
}

function terms(r: Repair, value: unknown, path: string): TermsAndConditions | undefined {
  if (value === undefined) return undefined;
  const raw = r.object(value, path);
  const kind = r.oneOf(raw.kind, ['text', 'url'] as const, `${path}.kind`, 'text');
  return kind === 'text' ? { kind, text: r.text(raw.text, `${path}.text`) } : { kind, url: r.text(raw.url, `${path}.url`) };
}

function contact(r: Repair, value: unknown, path: string): Contact {
  const raw = r.object(value, path);
  return { name: r.text(raw.name, `${path}.name`), email: r.text(raw.email, `${path}.email`), phone: r.text(raw.phone, `${path}.phone`) };
}

function listing(r: Repair, value: unknown, path: string, alias: string): OfferListing {
  const raw = r.object(value, path);
  const empty = emptyListing(alias);
  const urls = r.object(raw.supportUrls, `${path}.supportUrls`);
  const logos = r.object(raw.logos, `${path}.logos`);
  const supportUrls: Record<string, string> = {};
  for (const key of ['azureGlobal', 'azureGovernment'] as const) {
    const url = r.optionalText(urls[key], `${path}.supportUrls.${key}`);
    if (url !== undefined) supportUrls[key] = url;
  }
  const logoSet: Record<string, ImageAsset> = {};
  for (const size of ['large', 'medium', 'small'] as const) {
    const image = r.image(logos[size], `${path}.logos.${size}`);
    if (image) logoSet[size] = image;
  }
  const screenshots = r.list(raw.screenshots, `${path}.screenshots`, (s, p): Screenshot | undefined => {
    const image = r.image(s.image, `${p}.image`);
    return image && { caption: r.text(s.caption, `${p}.caption`), image };
  });
  const videos = r.list(raw.videos, `${path}.videos`, (v, p): Video | undefined => {
    const thumbnail = r.image(v.thumbnail, `${p}.thumbnail`);
    return thumbnail && { name: r.text(v.name, `${p}.name`), url: r.text(v.url, `${p}.url`), thumbnail };
  });
  return {
    name: r.text(raw.name, `${path}.name`, empty.name),
    searchResultsSummary: r.text(raw.searchResultsSummary, `${path}.searchResultsSummary`),
    shortDescription: r.text(raw.shortDescription, `${path}.shortDescription`),
    description: r.text(raw.description, `${path}.description`),
    privacyPolicyUrl: r.text(raw.privacyPolicyUrl, `${path}.privacyPolicyUrl`),
    usefulLinks: r.list(raw.usefulLinks, `${path}.usefulLinks`, (l, p): Link => ({ name: r.text(l.name, `${p}.name`), url: r.text(l.url, `${p}.url`) })),
    supportContact: contact(r, raw.supportContact, `${path}.supportContact`),
    engineeringContact: contact(r, raw.engineeringContact, `${path}.engineeringContact`),
    supportUrls,
    logos: logoSet,
    screenshots: screenshots.filter((s): s is Screenshot => s !== undefined),
    videos: videos.filter((v): v is Video => v !== undefined),
  };
}

function audience(r: Repair, value: unknown, path: string): AudienceMember[] {
  return r.list(value, path, (m, p) => {
    const description = r.optionalText(m.description, `${p}.description`);
    return { id: r.text(m.id, `${p}.id`), ...(description === undefined ? {} : { description }), type: r.oneOf(m.type, ['subscription', 'tenant', 'ea', 'msdn'] as const, `${p}.type`, 'subscription') };
  });
}

function justInTime(r: Repair, value: unknown, path: string): JustInTimePolicy | undefined {
  if (value === undefined) return undefined;
  const raw = r.object(value, path);
  return {
    maximumDuration: r.text(raw.maximumDuration, `${path}.maximumDuration`, 'PT8H'),
    requireMfa: r.flag(raw.requireMfa, `${path}.requireMfa`),
    approvers: r.list(raw.approvers, `${path}.approvers`, (a, p) => ({ principalId: r.text(a.principalId, `${p}.principalId`), displayName: r.text(a.displayName, `${p}.displayName`) })),
  };
}

function authorization(r: Repair, raw: Raw, path: string): PlanAuthorization {
  const assignable = raw.assignableRoleIds === undefined ? undefined : r.texts(raw.assignableRoleIds, `${path}.assignableRoleIds`);
  const jit = justInTime(r, raw.justInTime, `${path}.justInTime`);
  return {
    displayName: r.text(raw.displayName, `${path}.displayName`),
    principalId: r.text(raw.principalId, `${path}.principalId`),
    roleDefinitionId: r.text(raw.roleDefinitionId, `${path}.roleDefinitionId`),
    accessType: r.oneOf(raw.accessType, ['active', 'eligible'] as const, `${path}.accessType`, 'active'),
    ...(assignable === undefined ? {} : { assignableRoleIds: assignable }),
    ...(jit === undefined ? {} : { justInTime: jit }),
  };
}

function plan(r: Repair, raw: Raw, path: string): Plan {
  const technical = r.object(raw.technicalConfiguration, `${path}.technicalConfiguration`);
  const manifests = r.list(technical.manifests, `${path}.technicalConfiguration.manifests`, (m, p): Manifest => ({
    version: r.text(m.version, `${p}.version`),
    tenantId: r.text(m.tenantId, `${p}.tenantId`),
    authorizations: r.list(m.authorizations, `${p}.authorizations`, (a, q) => authorization(r, a, q)),
  }));
  return {
    id: r.text(raw.id, `${path}.id`),
    name: r.text(raw.name, `${path}.name`),
    summary: r.text(raw.summary, `${path}.summary`),
    description: r.text(raw.description, `${path}.description`),
    pricing: r.oneOf(raw.pricing, ['byol'] as const, `${path}.pricing`, 'byol'),
    visibility: r.oneOf(raw.visibility, ['public', 'private'] as const, `${path}.visibility`, 'public'),
    privateAudience: audience(r, raw.privateAudience, `${path}.privateAudience`),
    technicalConfiguration: { manifests },
  };
}

/** The stored offer conformed to the model, and the fields that had to change (none for a valid offer). */
export function repairOffer(stored: unknown, identity: { readonly publisherId: string; readonly offerId: string }): { offer: Offer; repairs: string[] } {
  const r = new Repair();
  const raw = r.object(stored, 'offer');
  const alias = r.text(raw.alias, 'alias', identity.offerId);
  const properties = r.object(raw.properties, 'properties');
  const offerTerms = terms(r, properties.terms, 'properties.terms');
  const notes = r.optionalText(raw.certificationNotes, 'certificationNotes');
  const offer: Offer = {
    id: r.text(raw.id, 'id', identity.offerId),
    publisherId: r.text(raw.publisherId, 'publisherId', identity.publisherId),
    alias,
    setup: { customerLeads: leadDestination(r, r.object(raw.setup, 'setup').customerLeads, 'setup.customerLeads') },
    properties: {
      categories: r.list(properties.categories, 'properties.categories', (c, p): CategorySelection => ({ category: r.text(c.category, `${p}.category`), subcategories: r.texts(c.subcategories, `${p}.subcategories`) })),
      ...(offerTerms === undefined ? {} : { terms: offerTerms }),
    },
    listing: listing(r, raw.listing, 'listing', alias),
    previewAudience: audience(r, raw.previewAudience, 'previewAudience'),
    plans: r.list(raw.plans, 'plans', (p, path) => plan(r, p, path)),
    ...(notes === undefined ? {} : { certificationNotes: notes }),
  };
  return { offer, repairs: r.repairs };
}
