/**
 * Offer as code: the product-ingestion "configure" body ↔ the offer model. `toIngestionResources` writes
 * every resource with its durable id; `fromIngestionResources` reads a body (whole or partial, on top of
 * an existing offer), resolving references given as durable ids, `{externalId}` or `{resourceName}`.
 * Images travel as `data:image/png;base64,…` URLs, or as URLs the caller resolves to bytes.
 * Two small liberties, both read back: a trailer's `imageList` entries carry the thumbnail's `fileName`, and
 * `contactEmail` is kept on every lead configuration (Marketo preview3 dropped it; Lantern still notifies).
 * Within a manifest, Active authorizations come back before Eligible ones (the resource mirrors ARM's two lists).
 */
import type { ErrorDetail } from '../errors.js';
import {
  DurableIds,
  type IngestionError,
  type IngestionErrorCode,
  parseTargetType,
  type ResourceType,
  resourceTypeOf,
  schemaUrl,
  type TargetType,
  TECHNICAL_CONFIGURATION_TYPE,
} from './ingestion-schema.js';
import { emptyLeadDestination } from './leads.js';
import type {
  AudienceMember,
  CategorySelection,
  Contact,
  ImageAsset,
  LeadDestination,
  Manifest,
  Offer,
  Plan,
  PlanAuthorization,
  Screenshot,
  Video,
} from './model.js';
import { emptyListing } from './offer.js';
import { parseContactEmails } from './text.js';
import { type ValidationContext, validateOffer } from './validate-offer.js';
import { sameManifest } from './validate-technical.js';

type JsonRecord = Record<string, unknown>;

export interface ConfigureRequest {
  readonly $schema: string;
  readonly resources: readonly JsonRecord[];
}

const LANGUAGE = 'en-us';
const KIND = 'azure';
const LOGO_TYPES = { large: 'azureLogoLarge', medium: 'azureLogoMedium', small: 'azureLogoSmall' } as const;
/** Microsoft's public name of a screenshot asset; `azureScreenshot` is what Lantern wrote before and still reads. */
const SCREENSHOT_TYPE = 'azureLogoScreenshot';
const SCREENSHOT_TYPES: readonly string[] = [SCREENSHOT_TYPE, 'azureScreenshot'];
/** Public listing-asset types that managed service offers don't show: read without error, kept nowhere, warned about. */
const UNUSED_ASSET_TYPES: readonly string[] = ['azureLogoWide', 'azureLogoHero', 'pdfDocument'];

function dataUrl(bytes: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;
}

function withContacts(emails: readonly string[]): JsonRecord {
  return emails.length === 0 ? {} : { contactEmail: [...emails] };
}

function leadResource(d: LeadDestination): JsonRecord {
  switch (d.type) {
    case 'none':
      return { leadDestination: 'none' };
    case 'httpsEndpoint':
      // signingSecret is Lantern's addition to Microsoft's configuration (the HMAC key of each lead).
      return {
        leadDestination: d.type,
        httpsEndpointLeadConfiguration: { httpsEndpointUrl: d.httpsEndpointUrl, ...(d.signingSecret === undefined ? {} : { signingSecret: d.signingSecret }), ...withContacts(d.contactEmails) },
      };
    case 'table':
      return { leadDestination: d.type, tableLeadConfiguration: { storageAccountConnectionString: d.storageAccountConnectionString, ...withContacts(d.contactEmails) } };
    case 'dynamics': {
      const auth =
        d.authentication === 'azureAD'
          ? { applicationId: d.applicationId, applicationKey: d.applicationKey, directoryId: d.directoryId }
          : { username: d.username, password: d.password };
      return { leadDestination: d.type, dynamicsLeadConfiguration: { instanceUrl: d.instanceUrl, authentication: d.authentication, ...auth, ...withContacts(d.contactEmails) } };
    }
    case 'salesforce':
      return { leadDestination: d.type, salesforceLeadConfiguration: { objectIdentifier: d.objectIdentifier, ...withContacts(d.contactEmails) } };
    case 'marketo':
      return {
        leadDestination: d.type,
        marketoLeadConfiguration: { munchkinId: d.munchkinId, formId: d.formId, clientId: d.clientId, clientSecret: d.clientSecret, ...withContacts(d.contactEmails) },
      };
    case 'email':
      return { leadDestination: d.type, emailLeadConfiguration: withContacts(d.contactEmails) };
    case 'blob':
      return {
        leadDestination: d.type,
        blobLeadConfiguration: { storageAccountConnectionString: d.storageAccountConnectionString, containerName: d.containerName, ...withContacts(d.contactEmails) },
      };
  }
}

function audienceOut(members: readonly AudienceMember[]): JsonRecord[] {
  return members.map((m) => ({ type: m.type, id: m.id, ...(m.description === undefined ? {} : { label: m.description }) }));
}

function manifestOut(m: Manifest): JsonRecord {
  return {
    version: m.version,
    tenantId: m.tenantId,
    authorizations: m.authorizations
      .filter((a) => a.accessType === 'active')
      .map((a) => ({
        principalId: a.principalId,
        principalIdDisplayName: a.displayName,
        roleDefinitionId: a.roleDefinitionId,
        ...(a.assignableRoleIds === undefined ? {} : { delegatedRoleDefinitionIds: [...a.assignableRoleIds] }),
      })),
    eligibleAuthorizations: m.authorizations
      .filter((a) => a.accessType === 'eligible')
      .map((a) => ({
        principalId: a.principalId,
        principalIdDisplayName: a.displayName,
        roleDefinitionId: a.roleDefinitionId,
        ...(a.justInTime === undefined
          ? {}
          : {
              justInTimeAccessPolicy: {
                multiFactorAuthProvider: a.justInTime.requireMfa ? 'Azure' : 'None',
                maximumActivationDuration: a.justInTime.maximumDuration,
                managedByTenantApprovers: a.justInTime.approvers.map((ap) => ({ principalId: ap.principalId, principalIdDisplayName: ap.displayName })),
              },
            }),
      })),
  };
}

/** The configure body describing the whole offer; with `submit`, a trailing submission to that target. */
export function toIngestionResources(offer: Offer, options: { submit?: 'preview' | 'live'; submissionId?: string } = {}): ConfigureRequest {
  const ids = new DurableIds(offer.publisherId, offer.id);
  const product = ids.product();
  const listingId = ids.offerResource('listing');
  const l = offer.listing;
  const res = (type: ResourceType, id: string | undefined, body: JsonRecord): JsonRecord => ({ $schema: schemaUrl(type), ...(id === undefined ? {} : { id }), ...body });
  const contact = (c: Contact): JsonRecord => ({ name: c.name, email: c.email, phone: c.phone });
  const resources: JsonRecord[] = [
    res('product', product, { identity: { externalId: offer.id }, type: 'managedService', alias: offer.alias }),
    res('customer-leads', ids.offerResource('customer-leads'), { product, ...leadResource(offer.setup.customerLeads) }),
    res('property', ids.offerResource('property'), {
      product,
      kind: KIND,
      ...(offer.properties.terms === undefined ? {} : offer.properties.terms.kind === 'text' ? { termsConditions: 'custom', termsOfUse: offer.properties.terms.text } : { termsConditions: 'custom', termsOfUseUrl: offer.properties.terms.url }),
      categories: Object.fromEntries(offer.properties.categories.map((c) => [c.category, [...c.subcategories]])),
    }),
    res('listing', listingId, {
      product,
      kind: KIND,
      languageId: LANGUAGE,
      title: l.name,
      searchResultSummary: l.searchResultsSummary,
      shortDescription: l.shortDescription,
      description: l.description,
      privacyPolicyLink: l.privacyPolicyUrl,
      generalLinks: l.usefulLinks.map((x) => ({ displayText: x.name, link: x.url })),
      supportContact: contact(l.supportContact),
      engineeringContact: contact(l.engineeringContact),
      ...(l.supportUrls.azureGlobal === undefined ? {} : { globalSupportWebsite: l.supportUrls.azureGlobal }),
      ...(l.supportUrls.azureGovernment === undefined ? {} : { governmentSupportWebsite: l.supportUrls.azureGovernment }),
    }),
  ];
  for (const size of ['large', 'medium', 'small'] as const) {
    const asset = l.logos[size];
    if (asset !== undefined) {
      resources.push(
        res('listing-asset', ids.asset('listing-asset', `logo-${size}`), { listing: listingId, kind: KIND, type: LOGO_TYPES[size], languageId: LANGUAGE, displayOrder: 0, fileName: asset.fileName, url: dataUrl(asset.bytes) }),
      );
    }
  }
  l.screenshots.forEach((s, i) =>
    resources.push(
      res('listing-asset', ids.asset('listing-asset', `screenshot-${i}`), { listing: listingId, kind: KIND, type: SCREENSHOT_TYPE, languageId: LANGUAGE, description: s.caption, displayOrder: i, fileName: s.image.fileName, url: dataUrl(s.image.bytes) }),
    ),
  );
  l.videos.forEach((v, i) =>
    resources.push(
      res('listing-trailer', ids.asset('listing-trailer', `video-${i}`), {
        listing: listingId,
        kind: KIND,
        streamingUrl: v.url,
        assets: { [LANGUAGE]: { title: v.name, imageList: [{ fileName: v.thumbnail.fileName, url: dataUrl(v.thumbnail.bytes) }] } },
      }),
    ),
  );
  resources.push(res('price-and-availability-offer', ids.offerResource('price-and-availability-offer'), { product, previewAudiences: audienceOut(offer.previewAudience) }));
  offer.plans.forEach((p, i) => {
    const plan = ids.plan(p.id);
    resources.push(
      res('plan', plan, { product, identity: { externalId: p.id }, alias: p.name, azureRegions: ['azureGlobal'], displayRank: i }),
      res('plan-listing', ids.planResource('plan-listing', p.id), { product, plan, kind: KIND, languageId: LANGUAGE, name: p.name, summary: p.summary, description: p.description }),
      res('price-and-availability-plan', ids.planResource('price-and-availability-plan', p.id), {
        product,
        plan,
        visibility: 'visible',
        pricing: { licenseModel: p.pricing },
        audience: p.visibility,
        privateAudiences: audienceOut(p.privateAudience),
      }),
      res(TECHNICAL_CONFIGURATION_TYPE, ids.planResource(TECHNICAL_CONFIGURATION_TYPE, p.id), { product, plan, manifests: p.technicalConfiguration.manifests.map(manifestOut) }),
    );
  });
  if (options.submit !== undefined) {
    resources.push(res('submission', undefined, { product, target: { targetType: options.submit }, ...(options.submissionId === undefined ? {} : { id: options.submissionId }) }));
  }
  return { $schema: schemaUrl('configure'), resources };
}

// ————————————————————————————————————————— reading —————————————————————————————————————————

export interface PrivateAudienceUpdate {
  readonly planId: string;
  readonly add: readonly AudienceMember[];
  readonly remove: readonly string[];
}

export interface IngestionResult {
  /** The offer the body describes (on top of `existing`), even when errors were found. */
  readonly offer: Offer | undefined;
  readonly submission?: { readonly targetType: TargetType; readonly id?: string };
  readonly privateAudienceUpdates: readonly PrivateAudienceUpdate[];
  readonly errors: readonly IngestionError[];
  /** What was read but doesn't apply (an asset type managed service offers don't show). */
  readonly warnings: readonly IngestionError[];
}

const PRODUCT_ID = /^product\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The offer's durable ids: the publisher's, or (no publisher named) those of the product id the body gives. */
function idsOf(publisherId: string | undefined, offerId: string, givenProductId: string | undefined): DurableIds {
  const guid = publisherId === undefined ? PRODUCT_ID.exec(givenProductId ?? '')?.[1] : undefined;
  return guid === undefined ? new DurableIds(publisherId ?? 'local', offerId) : new DurableIds({ productGuid: guid });
}

export interface IngestionOptions {
  /**
   * The publisher the caller acts for. Undefined offline, where no publisher is named (`lantern offer
   * validate FILE`): a product `id` in the body then stands for its publisher, and every other id must
   * derive from it; a body without one is read as the publisher `local`'s.
   */
  readonly publisherId: string | undefined;
  /** The offer being edited; resources absent from the body leave its parts as they are. */
  readonly existing?: Offer | undefined;
  /** Bytes for asset URLs that are not `data:` URLs (files next to an offer-as-code file, uploads). */
  readonly assetBytes?: (url: string) => Uint8Array | undefined;
}

interface Entity {
  readonly durableId: string | undefined;
  readonly resourceName: string | undefined;
  readonly externalId: string | undefined;
}

/** Reads typed fields of one resource, recording schema errors against it. */
class Fields {
  constructor(
    readonly raw: JsonRecord,
    readonly where: string,
    private readonly errors: IngestionError[],
  ) {}

  fail(code: IngestionErrorCode, target: string, message: string): void {
    this.errors.push({ code, message, resource: this.where, target });
  }

  str(key: string, required = true, from: JsonRecord = this.raw, path = key): string {
    const v = from[key];
    if (typeof v === 'string') return v;
    if (v !== undefined || required) this.fail('schemaValidationError', path, `"${path}" must be a string.`);
    return '';
  }

  optStr(key: string, from: JsonRecord = this.raw, path = key): string | undefined {
    return from[key] === undefined ? undefined : this.str(key, true, from, path);
  }

  list(key: string, from: JsonRecord = this.raw, path = key): unknown[] {
    const v = from[key];
    if (Array.isArray(v)) return v as unknown[];
    if (v !== undefined) this.fail('schemaValidationError', path, `"${path}" must be an array.`);
    return [];
  }

  record(key: string, from: JsonRecord = this.raw, path = key): JsonRecord | undefined {
    const v = from[key];
    if (isRecord(v)) return v;
    if (v !== undefined) this.fail('schemaValidationError', path, `"${path}" must be an object.`);
    return undefined;
  }

  /** A list of records; non-records are reported. */
  records(key: string, from: JsonRecord = this.raw, path = key): JsonRecord[] {
    return this.list(key, from, path).filter((item, i) => {
      if (isRecord(item)) return true;
      this.fail('schemaValidationError', `${path}[${i}]`, `"${path}[${i}]" must be an object.`);
      return false;
    }) as JsonRecord[];
  }
}

function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function entityOf(raw: JsonRecord): Entity {
  const identity = raw.identity;
  return {
    durableId: typeof raw.id === 'string' ? raw.id.toLowerCase() : undefined,
    resourceName: typeof raw.resourceName === 'string' ? raw.resourceName : undefined,
    externalId: isRecord(identity) && typeof identity.externalId === 'string' ? identity.externalId : undefined,
  };
}

function refers(ref: unknown, e: Entity): boolean {
  if (typeof ref === 'string') return e.durableId !== undefined && ref.toLowerCase() === e.durableId;
  if (!isRecord(ref)) return false;
  if (typeof ref.externalId === 'string') return ref.externalId === e.externalId;
  if (typeof ref.resourceName === 'string') return ref.resourceName === e.resourceName;
  return false;
}

function imageFrom(f: Fields, url: string, fileName: string, path: string, options: IngestionOptions): ImageAsset {
  const match = /^data:image\/[a-z+.-]+;base64,(.*)$/is.exec(url);
  const bytes = match?.[1] !== undefined ? new Uint8Array(Buffer.from(match[1], 'base64')) : options.assetBytes?.(url);
  if (bytes === undefined) f.fail('invalidResource', path, `Image "${url.slice(0, 80)}" could not be read: give a data: URL or a file the tool can upload.`);
  return { fileName, bytes: bytes ?? new Uint8Array() };
}

function audienceIn(f: Fields, items: JsonRecord[], path: string): AudienceMember[] {
  return items.map((a, i) => {
    const type = f.str('type', true, a, `${path}[${i}].type`);
    const label = f.optStr('label', a, `${path}[${i}].label`);
    const member = { id: f.str('id', true, a, `${path}[${i}].id`), type: (['subscription', 'tenant', 'ea', 'msdn'].includes(type) ? type : 'subscription') as AudienceMember['type'] };
    if (!['subscription', 'tenant', 'ea', 'msdn'].includes(type)) f.fail('schemaValidationError', `${path}[${i}].type`, `Audience type "${type}" is not one of subscription, tenant, ea, msdn.`);
    return label === undefined || label === '' ? member : { ...member, description: label };
  });
}

function contactEmails(f: Fields, config: JsonRecord, path: string): string[] {
  const v = config.contactEmail;
  if (typeof v === 'string') return parseContactEmails(v);
  return f.list('contactEmail', config, `${path}.contactEmail`).filter((e): e is string => typeof e === 'string');
}

function leadIn(f: Fields): LeadDestination {
  const type = f.str('leadDestination');
  const known = ['none', 'httpsEndpoint', 'table', 'dynamics', 'salesforce', 'marketo', 'email', 'blob'];
  if (!known.includes(type)) {
    f.fail('schemaValidationError', 'leadDestination', `Lead destination "${type}" is not one of ${known.join(', ')}.`);
    return emptyLeadDestination('none');
  }
  if (type === 'none') return emptyLeadDestination('none');
  const key = `${type}LeadConfiguration`;
  const c = f.record(key) ?? {};
  const s = (name: string): string => f.str(name, false, c, `${key}.${name}`);
  const contacts = contactEmails(f, c, key);
  switch (type) {
    case 'httpsEndpoint':
      return { type, httpsEndpointUrl: s('httpsEndpointUrl'), ...(c.signingSecret === undefined ? {} : { signingSecret: s('signingSecret') }), contactEmails: contacts };
    case 'table':
      return { type, storageAccountConnectionString: s('storageAccountConnectionString'), contactEmails: contacts };
    case 'dynamics':
      return s('authentication') === 'office365'
        ? { type, instanceUrl: s('instanceUrl'), authentication: 'office365', username: s('username'), password: s('password'), contactEmails: contacts }
        : { type, instanceUrl: s('instanceUrl'), authentication: 'azureAD', applicationId: s('applicationId'), applicationKey: s('applicationKey'), directoryId: s('directoryId'), contactEmails: contacts };
    case 'salesforce':
      return { type, objectIdentifier: s('objectIdentifier'), contactEmails: contacts };
    case 'marketo':
      return { type, munchkinId: s('munchkinId'), formId: s('formId'), clientId: s('clientId'), clientSecret: s('clientSecret'), contactEmails: contacts };
    case 'email':
      return { type, contactEmails: contacts };
    default:
      return { type: 'blob', storageAccountConnectionString: s('storageAccountConnectionString'), containerName: s('containerName'), contactEmails: contacts };
  }
}

function manifestsIn(f: Fields): Manifest[] {
  return f.records('manifests').map((m, i) => {
    const at = `manifests[${i}]`;
    const active = f.records('authorizations', m, `${at}.authorizations`).map((a, j): PlanAuthorization => {
      const p = `${at}.authorizations[${j}]`;
      const delegated = a.delegatedRoleDefinitionIds === undefined ? undefined : f.list('delegatedRoleDefinitionIds', a, `${p}.delegatedRoleDefinitionIds`).filter((x): x is string => typeof x === 'string');
      return {
        displayName: f.str('principalIdDisplayName', false, a, `${p}.principalIdDisplayName`),
        principalId: f.str('principalId', true, a, `${p}.principalId`),
        roleDefinitionId: f.str('roleDefinitionId', true, a, `${p}.roleDefinitionId`),
        accessType: 'active',
        ...(delegated === undefined ? {} : { assignableRoleIds: delegated }),
      };
    });
    const eligible = f.records('eligibleAuthorizations', m, `${at}.eligibleAuthorizations`).map((a, j): PlanAuthorization => {
      const p = `${at}.eligibleAuthorizations[${j}]`;
      const policy = f.record('justInTimeAccessPolicy', a, `${p}.justInTimeAccessPolicy`);
      const base: PlanAuthorization = {
        displayName: f.str('principalIdDisplayName', false, a, `${p}.principalIdDisplayName`),
        principalId: f.str('principalId', true, a, `${p}.principalId`),
        roleDefinitionId: f.str('roleDefinitionId', true, a, `${p}.roleDefinitionId`),
        accessType: 'eligible',
      };
      if (policy === undefined) return base;
      const pp = `${p}.justInTimeAccessPolicy`;
      return {
        ...base,
        justInTime: {
          maximumDuration: f.optStr('maximumActivationDuration', policy, `${pp}.maximumActivationDuration`) ?? 'PT8H',
          requireMfa: f.optStr('multiFactorAuthProvider', policy, `${pp}.multiFactorAuthProvider`) === 'Azure',
          approvers: f.records('managedByTenantApprovers', policy, `${pp}.managedByTenantApprovers`).map((ap, k) => ({
            principalId: f.str('principalId', true, ap, `${pp}.managedByTenantApprovers[${k}].principalId`),
            displayName: f.str('principalIdDisplayName', false, ap, `${pp}.managedByTenantApprovers[${k}].principalIdDisplayName`),
          })),
        },
      };
    });
    return { version: f.str('version', true, m, `${at}.version`), tenantId: f.str('tenantId', true, m, `${at}.tenantId`), authorizations: [...active, ...eligible] };
  });
}

function blankPlan(id: string): Plan {
  return { id, name: '', summary: '', description: '', pricing: 'byol', visibility: 'public', privateAudience: [], technicalConfiguration: { manifests: [] } };
}

/** Reads a configure body (or a bare resource array) into an offer; schema and reference errors are collected, not thrown. */
export function fromIngestionResources(body: unknown, options: IngestionOptions): IngestionResult {
  const errors: IngestionError[] = [];
  const warnings: IngestionError[] = [];
  const request = Array.isArray(body) ? { resources: body as unknown[] } : isRecord(body) ? body : undefined;
  const raw = request === undefined ? undefined : request.resources;
  if (!Array.isArray(raw)) {
    return { offer: options.existing, privateAudienceUpdates: [], errors: [{ code: 'schemaValidationError', message: 'The body must be a configure request with a "resources" array.', resource: 'configure', target: 'resources' }], warnings: [] };
  }
  if (isRecord(request) && request.$schema !== undefined && (typeof request.$schema !== 'string' || resourceTypeOf(request.$schema) !== 'configure')) {
    errors.push({ code: 'schemaValidationError', message: `${JSON.stringify(request.$schema)} is not a configure schema URL Lantern knows (use ${schemaUrl('configure')}).`, resource: 'configure', target: '$schema' });
  }
  const typed: { type: ResourceType; f: Fields }[] = [];
  raw.forEach((item, i) => {
    const where = isRecord(item) && typeof item.id === 'string' ? item.id : isRecord(item) && typeof item.resourceName === 'string' ? item.resourceName : `resources[${i}]`;
    if (!isRecord(item)) {
      errors.push({ code: 'schemaValidationError', message: 'Every resource must be a JSON object.', resource: where });
      return;
    }
    const schema = item.$schema;
    const type = typeof schema === 'string' ? resourceTypeOf(schema) : undefined;
    if (type === undefined || type === 'configure') {
      errors.push({ code: 'schemaValidationError', message: `"$schema" ${typeof schema === 'string' ? `"${schema}"` : ''} is not a resource schema URL Lantern knows.`, resource: where, target: '$schema' });
      return;
    }
    typed.push({ type, f: new Fields(item, where, errors) });
  });
  const of = (type: ResourceType): Fields[] => typed.filter((t) => t.type === type).map((t) => t.f);

  // The product: from the body, else the existing offer.
  const products = of('product');
  if (products.length > 1) errors.push({ code: 'invalidRequest', message: 'A configure request describes one product.', resource: products[1]?.where ?? 'configure' });
  const productRes = products[0];
  const externalId = productRes === undefined ? options.existing?.id : productRes.str('externalId', true, productRes.record('identity') ?? {}, 'identity.externalId');
  if (productRes !== undefined) {
    const type = productRes.str('type');
    if (type !== 'managedService') productRes.fail('notSupported', 'type', `Product type "${type}" is not supported: Lantern hosts managedService offers.`);
    if (options.existing !== undefined && externalId !== options.existing.id) {
      productRes.fail('invalidId', 'identity.externalId', `Offer ID "${options.existing.id}" can't change (got "${externalId ?? ''}"): ids are immutable; to make another offer, leave out "id".`);
    } else {
      // A durable id is the offer's for good: one that isn't this externalId's names another product, or none.
      const given = entityOf(productRes.raw).durableId;
      if (given !== undefined && externalId !== undefined && given !== idsOf(options.publisherId, externalId, given).product()) {
        productRes.fail('invalidId', 'id', `"id" ${given} is not the durable id of offer "${externalId}" (ids are immutable): leave "id" out, or give the offer's own.`);
      }
    }
  }
  if (externalId === undefined) {
    errors.push({ code: 'resourceNotFound', message: 'No product resource in the request and no existing offer to apply it to.', resource: 'configure' });
    return { offer: undefined, privateAudienceUpdates: [], errors, warnings };
  }
  const ids = idsOf(options.publisherId, externalId, productRes === undefined ? undefined : entityOf(productRes.raw).durableId);
  const productEntity: Entity = productRes === undefined ? { durableId: ids.product(), resourceName: undefined, externalId } : { ...entityOf(productRes.raw), externalId, durableId: entityOf(productRes.raw).durableId ?? ids.product() };
  const productRefOk = (f: Fields): boolean => {
    if (refers(f.raw.product, productEntity) || (typeof f.raw.product === 'string' && f.raw.product.toLowerCase() === ids.product())) return true;
    f.fail('invalidId', 'product', 'The "product" reference does not name the product of this request.');
    return false;
  };

  let offer: Offer = options.existing ?? {
    id: externalId,
    publisherId: options.publisherId ?? 'local',
    alias: '',
    setup: { customerLeads: emptyLeadDestination('none') },
    properties: { categories: [] },
    listing: emptyListing(''),
    previewAudience: [],
    plans: [],
  };
  if (productRes !== undefined) offer = { ...offer, alias: productRes.str('alias') };

  for (const f of of('customer-leads')) if (productRefOk(f)) offer = { ...offer, setup: { customerLeads: leadIn(f) } };

  for (const f of of('property')) {
    if (!productRefOk(f)) continue;
    const cats = f.record('categories') ?? {};
    const categories: CategorySelection[] = Object.entries(cats).map(([category, subs]) => ({
      category,
      subcategories: Array.isArray(subs) ? subs.filter((x): x is string => typeof x === 'string') : [],
    }));
    const text = f.optStr('termsOfUse');
    const url = f.optStr('termsOfUseUrl');
    const terms = text !== undefined ? { kind: 'text' as const, text } : url !== undefined ? { kind: 'url' as const, url } : undefined;
    offer = { ...offer, properties: terms === undefined ? { categories } : { categories, terms } };
  }

  const listings = of('listing');
  const listingEntities: Entity[] = [{ durableId: ids.offerResource('listing'), resourceName: undefined, externalId: undefined }, ...listings.map((f) => entityOf(f.raw))];
  for (const f of listings) {
    if (!productRefOk(f)) continue;
    const contact = (key: string): Contact => {
      const c = f.record(key) ?? {};
      return { name: f.str('name', false, c, `${key}.name`), email: f.str('email', false, c, `${key}.email`), phone: f.str('phone', false, c, `${key}.phone`) };
    };
    const global = f.optStr('globalSupportWebsite');
    const government = f.optStr('governmentSupportWebsite');
    offer = {
      ...offer,
      listing: {
        ...offer.listing,
        name: f.str('title'),
        searchResultsSummary: f.str('searchResultSummary', false),
        shortDescription: f.str('shortDescription', false),
        description: f.str('description', false),
        privacyPolicyUrl: f.str('privacyPolicyLink', false),
        usefulLinks: f.records('generalLinks').map((g, i) => ({ name: f.str('displayText', false, g, `generalLinks[${i}].displayText`), url: f.str('link', true, g, `generalLinks[${i}].link`) })),
        supportContact: contact('supportContact'),
        engineeringContact: contact('engineeringContact'),
        supportUrls: { ...(global === undefined ? {} : { azureGlobal: global }), ...(government === undefined ? {} : { azureGovernment: government }) },
      },
    };
  }
  const listingRefOk = (f: Fields): boolean => {
    if (listingEntities.some((e) => refers(f.raw.listing, e))) return true;
    f.fail('invalidId', 'listing', 'The "listing" reference does not name this offer’s listing.');
    return false;
  };

  const assets = of('listing-asset').filter(listingRefOk);
  if (assets.length > 0) {
    const logos: { large?: ImageAsset; medium?: ImageAsset; small?: ImageAsset } = {};
    const shots: { order: number; shot: Screenshot }[] = [];
    for (const f of assets) {
      const type = f.str('type');
      const image = (): ImageAsset => imageFrom(f, f.str('url'), f.str('fileName', false), 'url', options);
      const size = (Object.keys(LOGO_TYPES) as (keyof typeof LOGO_TYPES)[]).find((k) => LOGO_TYPES[k] === type);
      if (size !== undefined) logos[size] = image();
      else if (SCREENSHOT_TYPES.includes(type)) shots.push({ order: typeof f.raw.displayOrder === 'number' ? f.raw.displayOrder : shots.length, shot: { caption: f.str('description', false), image: image() } });
      else if (UNUSED_ASSET_TYPES.includes(type)) {
        warnings.push({ code: 'notSupported', resource: f.where, target: 'type', message: `Asset type "${type}" is not shown for managed service offers (only the small, medium and large logos and screenshots are); Lantern does not keep it.` });
      } else {
        f.fail('notSupported', 'type', `Asset type "${type}" is not a listing-asset type Lantern knows: use ${[...Object.values(LOGO_TYPES), SCREENSHOT_TYPE, ...UNUSED_ASSET_TYPES].join(', ')}.`);
      }
    }
    // Assets of unused types alone leave the logos and screenshots as they are.
    if (assets.some((f) => !UNUSED_ASSET_TYPES.includes(String(f.raw.type)))) {
      offer = { ...offer, listing: { ...offer.listing, logos, screenshots: shots.sort((a, b) => a.order - b.order).map((s) => s.shot) } };
    }
  }
  const trailers = of('listing-trailer').filter(listingRefOk);
  if (trailers.length > 0) {
    const videos = trailers.map((f): Video => {
      const local = f.record(LANGUAGE, f.record('assets') ?? {}, `assets.${LANGUAGE}`) ?? {};
      const first = f.records('imageList', local, `assets.${LANGUAGE}.imageList`)[0] ?? {};
      return {
        name: f.str('title', false, local, `assets.${LANGUAGE}.title`),
        url: f.str('streamingUrl'),
        thumbnail: imageFrom(f, f.str('url', true, first, `assets.${LANGUAGE}.imageList[0].url`), f.str('fileName', false, first, `assets.${LANGUAGE}.imageList[0].fileName`), `assets.${LANGUAGE}.imageList[0].url`, options),
      };
    });
    offer = { ...offer, listing: { ...offer.listing, videos } };
  }

  for (const f of of('price-and-availability-offer')) if (productRefOk(f)) offer = { ...offer, previewAudience: audienceIn(f, f.records('previewAudiences'), 'previewAudiences') };

  // Plans: existing ones keep their place; new ones follow in displayRank order.
  const planRes = of('plan').filter(productRefOk);
  const ranked = planRes.map((f, i) => ({ f, rank: typeof f.raw.displayRank === 'number' ? f.raw.displayRank : i })).sort((a, b) => a.rank - b.rank);
  const planEntities = new Map<string, Entity>(offer.plans.map((p) => [p.id, { durableId: ids.plan(p.id), resourceName: undefined, externalId: p.id }]));
  let plans = [...offer.plans];
  for (const { f } of ranked) {
    const id = f.str('externalId', true, f.record('identity') ?? {}, 'identity.externalId');
    // A plan's durable id is the plan's for good: naming plan A's with externalId B would make an empty plan B.
    const given = entityOf(f.raw).durableId;
    if (given !== undefined && given !== ids.plan(id)) {
      const named = offer.plans.find((p) => ids.plan(p.id) === given);
      f.fail('invalidId', named === undefined ? 'id' : 'identity.externalId', named === undefined
        ? `"id" ${given} is not the durable id of plan "${id}" of this offer (ids are immutable): leave "id" out, or give the plan's own.`
        : `Plan ID "${named.id}" can't change (got "${id}"): ids are immutable; to add a plan, leave out "id".`);
      continue;
    }
    planEntities.set(id, { ...entityOf(f.raw), externalId: id, durableId: entityOf(f.raw).durableId ?? ids.plan(id) });
    const plan = { ...(plans.find((p) => p.id === id) ?? blankPlan(id)), name: f.str('alias', false) };
    plans = plans.some((p) => p.id === id) ? plans.map((p) => (p.id === id ? plan : p)) : [...plans, plan];
  }
  const planOf = (f: Fields): string | undefined => {
    for (const [id, e] of planEntities) if (refers(f.raw.plan, e) || (typeof f.raw.plan === 'string' && f.raw.plan.toLowerCase() === ids.plan(id))) return id;
    f.fail('invalidId', 'plan', 'The "plan" reference does not name a plan of this offer.');
    return undefined;
  };
  const editPlan = (f: Fields, change: (p: Plan) => Plan): void => {
    if (!productRefOk(f)) return;
    const id = planOf(f);
    if (id !== undefined) plans = plans.map((p) => (p.id === id ? change(p) : p));
  };
  for (const f of of('plan-listing')) editPlan(f, (p) => ({ ...p, name: f.str('name', false) || p.name, summary: f.str('summary', false), description: f.str('description', false) }));
  for (const f of of('price-and-availability-plan')) {
    editPlan(f, (p) => {
      const pricing = f.record('pricing') ?? {};
      const model = f.str('licenseModel', false, pricing, 'pricing.licenseModel');
      if (model !== '' && model !== 'byol') f.fail('businessValidationError', 'pricing.licenseModel', `Managed service plans are Bring your own license (byol), not "${model}".`);
      const audience = f.str('audience', false);
      if (audience !== '' && audience !== 'public' && audience !== 'private') f.fail('schemaValidationError', 'audience', `"audience" must be public or private, not "${audience}".`);
      return { ...p, visibility: audience === 'private' ? 'private' : 'public', privateAudience: audienceIn(f, f.records('privateAudiences'), 'privateAudiences') };
    });
  }
  // A manifest that grants what the plan's manifest of its version grants is kept as it is: pushing an
  // export back must not reorder a published manifest's authorizations (and so "change" it).
  for (const f of of(TECHNICAL_CONFIGURATION_TYPE)) {
    editPlan(f, (p) => ({ ...p, technicalConfiguration: { manifests: manifestsIn(f).map((m) => p.technicalConfiguration.manifests.find((old) => sameManifest(old, m)) ?? m) } }));
  }
  offer = { ...offer, plans };

  const privateAudienceUpdates = of('price-and-availability-update-private-audiences').flatMap((f): PrivateAudienceUpdate[] => {
    if (!productRefOk(f)) return [];
    const planId = planOf(f);
    const changes = f.record('privateAudiences') ?? {};
    const add = audienceIn(f, f.records('add', changes, 'privateAudiences.add'), 'privateAudiences.add');
    const remove = f.records('remove', changes, 'privateAudiences.remove').map((r, i) => f.str('id', true, r, `privateAudiences.remove[${i}].id`));
    return planId === undefined ? [] : [{ planId, add, remove }];
  });

  const submissions = of('submission');
  let submission: IngestionResult['submission'];
  for (const f of submissions) {
    if (!productRefOk(f)) continue;
    const raw = f.str('targetType', true, f.record('target') ?? {}, 'target.targetType');
    const targetType = parseTargetType(raw);
    if (targetType === undefined || targetType === 'draft') f.fail('schemaValidationError', 'target.targetType', `Submission target "${raw}" must be preview or live.`);
    else submission = { targetType, ...(typeof f.raw.id === 'string' ? { id: f.raw.id } : {}) };
  }
  return { offer, privateAudienceUpdates, errors, warnings, ...(submission === undefined ? {} : { submission }) };
}

/** Renames the first path segments of `path` that `names` knows (model name → configure body name). */
function renamed(path: string, names: Readonly<Record<string, string>>): string {
  const m = /^([A-Za-z]+)(.*)$/.exec(path);
  if (m === null) return path;
  const head = m[1] ?? '';
  return `${names[head] ?? head}${m[2] ?? ''}`;
}

const LISTING_NAMES = {
  name: 'title', searchResultsSummary: 'searchResultSummary', privacyPolicyUrl: 'privacyPolicyLink', usefulLinks: 'generalLinks',
} as const;
const AUTHORIZATION_NAMES = { displayName: 'principalIdDisplayName', assignableRoleIds: 'delegatedRoleDefinitionIds', justInTime: 'justInTimeAccessPolicy' } as const;
const JIT_NAMES = { maximumDuration: 'maximumActivationDuration', requireMfa: 'multiFactorAuthProvider', approvers: 'managedByTenantApprovers' } as const;

/** A technical-configuration field (`manifests[…]…`) as the resource writes it: active and eligible authorizations in their own lists. */
function manifestTarget(plan: Plan, rest: string): string {
  const m = /^manifests\[(\d+)\]\.authorizations\[(\d+)\]\.?(.*)$/.exec(rest);
  if (m === null) return rest;
  const authorizations = plan.technicalConfiguration.manifests[Number(m[1])]?.authorizations ?? [];
  const j = Number(m[2]);
  const kind = authorizations[j]?.accessType ?? 'active';
  const index = authorizations.slice(0, j).filter((a) => a.accessType === kind).length;
  let tail = renamed(m[3] ?? '', AUTHORIZATION_NAMES);
  const jit = /^justInTimeAccessPolicy\.(.*)$/.exec(tail);
  if (jit !== null) tail = `justInTimeAccessPolicy.${renamed(jit[1] ?? '', JIT_NAMES).replace(/^(managedByTenantApprovers\[\d+\]\.)displayName$/, '$1principalIdDisplayName')}`;
  return `manifests[${m[1] ?? ''}].${kind === 'active' ? 'authorizations' : 'eligibleAuthorizations'}[${index}]${tail === '' ? '' : `.${tail}`}`;
}

/** A plan field: the plan-level resource that carries it and its name there. */
function planLocation(ids: DurableIds, plan: Plan, rest: string): { resource: string; target: string } {
  if (rest.startsWith('technicalConfiguration')) return { resource: ids.planResource(TECHNICAL_CONFIGURATION_TYPE, plan.id), target: manifestTarget(plan, rest.slice('technicalConfiguration.'.length)) };
  if (rest === 'name' || rest === 'summary' || rest === 'description') return { resource: ids.planResource('plan-listing', plan.id), target: rest };
  const sale = ids.planResource('price-and-availability-plan', plan.id);
  if (rest === 'visibility') return { resource: sale, target: 'audience' };
  if (rest === 'pricing') return { resource: sale, target: 'pricing.licenseModel' };
  if (rest.startsWith('privateAudience')) return { resource: sale, target: `privateAudiences${rest.slice('privateAudience'.length).replace(/\.description$/, '.label')}` };
  return { resource: ids.plan(plan.id), target: rest === '' || rest === 'id' ? 'identity.externalId' : rest };
}

/**
 * Where an offer-model field is in a configure body: the resource (durable id) that carries it and
 * the field as the publisher wrote it there (`title`, not `listing.name`), so errors and warnings
 * of a configure job point into the body that was sent.
 */
export function ingestionLocation(offer: Offer, field: string): { resource: string; target: string } {
  const ids = new DurableIds(offer.publisherId, offer.id);
  const plan = /^plans\[(\d+)\]\.?(.*)$/.exec(field);
  if (plan !== null) {
    const p = offer.plans[Number(plan[1])];
    return p === undefined ? { resource: ids.product(), target: field } : planLocation(ids, p, plan[2] ?? '');
  }
  const logo = /^listing\.logos\.(large|medium|small)/.exec(field);
  if (logo !== null) return { resource: ids.asset('listing-asset', `logo-${logo[1] ?? ''}`), target: 'url' };
  const shot = /^listing\.screenshots\[(\d+)\]\.?(.*)$/.exec(field);
  if (shot !== null) return { resource: ids.asset('listing-asset', `screenshot-${shot[1] ?? ''}`), target: shot[2] === 'caption' ? 'description' : 'url' };
  const video = /^listing\.videos\[(\d+)\]\.?(.*)$/.exec(field);
  if (video !== null) {
    const target = { url: 'streamingUrl', name: `assets.${LANGUAGE}.title`, thumbnail: `assets.${LANGUAGE}.imageList[0].url` }[video[2] ?? ''] ?? 'streamingUrl';
    return { resource: ids.asset('listing-trailer', `video-${video[1] ?? ''}`), target };
  }
  if (field.startsWith('setup.customerLeads')) {
    const rest = field.slice('setup.customerLeads.'.length);
    const type = offer.setup.customerLeads.type;
    const target = rest === 'type' || rest === '' ? 'leadDestination' : `${type}LeadConfiguration.${rest.replace(/^contactEmails/, 'contactEmail')}`;
    return { resource: ids.offerResource('customer-leads'), target };
  }
  if (field.startsWith('properties.')) {
    const rest = field.slice('properties.'.length);
    const terms = offer.properties.terms?.kind === 'url' ? 'termsOfUseUrl' : 'termsOfUse';
    return { resource: ids.offerResource('property'), target: rest.startsWith('terms') ? terms : rest.startsWith('categories') ? 'categories' : rest };
  }
  if (field === 'listing.screenshots' || field === 'listing.videos') {
    return { resource: ids.offerResource('listing'), target: field === 'listing.screenshots' ? `listing-asset (azureLogoScreenshot)` : 'listing-trailer' };
  }
  if (field.startsWith('listing.')) {
    const rest = renamed(field.slice('listing.'.length), LISTING_NAMES)
      .replace(/^generalLinks(\[\d+\])\.name$/, 'generalLinks$1.displayText')
      .replace(/^generalLinks(\[\d+\])\.url$/, 'generalLinks$1.link')
      .replace(/^supportUrls\.azureGlobal$/, 'globalSupportWebsite')
      .replace(/^supportUrls\.azureGovernment$/, 'governmentSupportWebsite');
    return { resource: ids.offerResource('listing'), target: rest };
  }
  if (field.startsWith('previewAudience')) {
    return { resource: ids.offerResource('price-and-availability-offer'), target: `previewAudiences${field.slice('previewAudience'.length).replace(/\.description$/, '.label')}` };
  }
  return { resource: ids.product(), target: field === 'id' ? 'identity.externalId' : field };
}

/** A read configure body and its offer's rule violations: errors, and warnings (reading's and the rules') that don't fail a configure job. */
export type IngestionValidation = IngestionResult;

/** Reads a configure body and validates the resulting offer; every error names its resource, as a configure job reports it. */
export function validateIngestion(body: unknown, options: IngestionOptions & ValidationContext): IngestionValidation {
  const result = fromIngestionResources(body, options);
  const offer = result.offer;
  if (offer === undefined) return result;
  const { violations } = validateOffer(offer, options);
  const asError = (v: (typeof violations)[number]): IngestionError => ({ code: 'businessValidationError', message: v.message, ...ingestionLocation(offer, v.field), rule: v.rule });
  return {
    ...result,
    errors: [...result.errors, ...violations.filter((v) => v.severity === 'error').map(asError)],
    warnings: [...result.warnings, ...violations.filter((v) => v.severity === 'warning').map(asError)],
  };
}

/** Ingestion errors as the error details of a DomainError (for the HTTP layer's error envelope). */
export function ingestionErrorDetails(errors: readonly IngestionError[]): ErrorDetail[] {
  return errors.map((e) => ({ code: e.code, message: e.message, target: e.target === undefined ? e.resource : `${e.resource}#${e.target}` }));
}
