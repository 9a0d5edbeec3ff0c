/**
 * Offers of a publisher: the draft and every page of it, plans and manifests, images and audiences,
 * the validation report with section statuses, published versions, Compare, Sync private audience,
 * stop/resume distribution and deleting never-published drafts. Every rule comes from the core;
 * this service loads, authorizes (Partner Center roles), applies and persists in one transaction.
 */
import { DomainError, invalid, notFound } from '../../core/errors.js';
import {
  MAX_PREVIEW_AUDIENCE, MAX_PRIVATE_AUDIENCE_TOTAL, addAudienceMemberByHand, checkAudienceCsv, exportAudienceCsv, importAudienceCsv,
  type AudienceCsvCheck,
} from '../../core/marketplace/audience.js';
import { inspectPng } from '../../core/marketplace/images.js';
import { selectableLeadDestinations, type LeadDestinationForm } from '../../core/marketplace/leads.js';
import type {
  AudienceMember, ImageAsset, LeadDestination, Manifest, Offer, OfferListing, OfferProperties, Plan, PlanVisibility,
} from '../../core/marketplace/model.js';
import { addManifest, createOffer, createPlan, updatePlan } from '../../core/marketplace/offer.js';
import {
  assertOfferDeletable, initialPublicationState, transition, type PipelineEvent, type PublicationState,
} from '../../core/marketplace/pipeline.js';
import type { PublisherAction } from '../../core/marketplace/publisher.js';
import { validateOffer, type OfferValidation } from '../../core/marketplace/validate-offer.js';
import { assignableRoles, pickableRoles } from '../../core/marketplace/validate-technical.js';
import { compareOffers, snapshotOffer, syncPrivateAudiences, type OfferChange } from '../../core/marketplace/versions.js';
import { DurableIds } from '../../core/marketplace/ingestion-schema.js';
import { currentManifest } from '../../core/marketplace/model.js';
import { planOnboardingTemplate, type OnboardingTemplate } from '../../core/marketplace/onboarding-template.js';
import { delegationVerdict } from '../../core/delegation/role-verdict.js';
import type { RoleDefinition } from '../../core/rbac/model.js';
import { BUILTIN_ROLES } from '../../core/roles/builtin-catalog.js';
import type { Repositories, Store } from '../../storage/port.js';
import { callerName, type Clock, type RequestContext } from '../context.js';
import { maskLeadSecrets, maskSecretChanges, restoreLeadSecrets, withMaskedLeadSecrets } from './lead-secrets.js';
import { logoBytes } from './logo-renditions.js';
import type { PublisherService } from './publisher-service.js';
import { marketplaceDocs, type OfferRecord, type StoredVersion } from './records.js';
import { validationContext } from './validation-context.js';

export interface OfferRef {
  readonly publisherId: string;
  readonly offerId: string;
}

/** An offer as the API shows it: draft (secrets masked), status, and where its versions stand. */
export interface OfferView {
  readonly publisherId: string;
  readonly offerId: string;
  readonly productDurableId: string;
  readonly status: PublicationState['status'];
  readonly draft: Offer;
  readonly publication: Omit<PublicationState, 'history'>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type ListingText = Omit<OfferListing, 'logos' | 'screenshots' | 'videos'>;

export type ImageUpload =
  | { readonly slot: 'logo'; readonly size: 'large' | 'medium' | 'small'; readonly fileName: string; readonly bytes: Uint8Array }
  | { readonly slot: 'screenshot'; readonly caption: string; readonly fileName: string; readonly bytes: Uint8Array }
  | { readonly slot: 'video'; readonly name: string; readonly url: string; readonly fileName: string; readonly bytes: Uint8Array };

export type ImageSlot = { readonly slot: 'logo'; readonly size: 'large' | 'medium' | 'small' } | { readonly slot: 'screenshot' | 'video'; readonly index: number };

export interface PlanChange {
  readonly name?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly visibility?: PlanVisibility;
}

/** Which audience an operation is about: the offer's preview audience or one plan's private audience. */
export type AudienceTarget = { readonly kind: 'preview' } | { readonly kind: 'private'; readonly planId: string };

export interface RoleChoice {
  readonly id: string;
  readonly roleName: string;
  readonly allowed: boolean;
  /** Why the role can't be picked, in the words of the delegation rules. */
  readonly reason?: string;
}

export interface OfferServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly publishers: PublisherService;
  /** The certification policy in force demands a lead destination. */
  readonly requireLeadDestination: boolean;
  /** Told after each committed change of an offer record (the storefront's index follows published versions). */
  readonly onPublicationChanged?: (ref: OfferRef) => void;
}

export interface OfferService {
  create(ctx: RequestContext, publisherId: string, input: { offerId: string; alias: string }): Promise<OfferView>;
  list(ctx: RequestContext, publisherId: string): Promise<OfferView[]>;
  get(ctx: RequestContext, ref: OfferRef): Promise<OfferView>;
  /** The stored record, for the other marketplace services (no authorization). */
  load(ref: OfferRef, repos?: Repositories): Promise<OfferRecord>;
  /** Replaces the whole draft (offer as code); ids and publisher stay. */
  replaceDraft(ctx: RequestContext, ref: OfferRef, offer: Offer): Promise<OfferView>;
  updateSetup(ctx: RequestContext, ref: OfferRef, customerLeads: LeadDestination): Promise<OfferView>;
  updateProperties(ctx: RequestContext, ref: OfferRef, properties: OfferProperties): Promise<OfferView>;
  /** Replaces the listing text fields given; the others stay. */
  updateListing(ctx: RequestContext, ref: OfferRef, listing: Partial<ListingText>): Promise<OfferView>;
  uploadImage(ctx: RequestContext, ref: OfferRef, upload: ImageUpload): Promise<OfferView>;
  removeImage(ctx: RequestContext, ref: OfferRef, slot: ImageSlot): Promise<OfferView>;
  /** A logo as served: the uploaded file, or medium/small derived from the large logo. */
  logo(ctx: RequestContext, ref: OfferRef, size: 'large' | 'medium' | 'small'): Promise<{ bytes: Uint8Array; source: 'uploaded' | 'derived' }>;
  setCertificationNotes(ctx: RequestContext, ref: OfferRef, notes: string): Promise<OfferView>;
  addAudienceMember(ctx: RequestContext, ref: OfferRef, target: AudienceTarget, id: string, description?: string): Promise<OfferView>;
  removeAudienceMember(ctx: RequestContext, ref: OfferRef, target: AudienceTarget, id: string): Promise<OfferView>;
  /** Parses the CSV without saving: what an import would keep and every bad row. */
  /** The dry run of `importAudienceCsv`: every bad row and the count against the target's limit, nothing changed. */
  previewAudienceCsv(ctx: RequestContext, ref: OfferRef, target: AudienceTarget, csv: string): Promise<AudienceCsvCheck>;
  importAudienceCsv(ctx: RequestContext, ref: OfferRef, target: AudienceTarget, csv: string): Promise<OfferView>;
  exportAudienceCsv(ctx: RequestContext, ref: OfferRef, target: AudienceTarget): Promise<string>;
  createPlan(ctx: RequestContext, ref: OfferRef, input: { planId: string; name: string }): Promise<OfferView>;
  updatePlan(ctx: RequestContext, ref: OfferRef, planId: string, change: PlanChange): Promise<OfferView>;
  deletePlan(ctx: RequestContext, ref: OfferRef, planId: string): Promise<OfferView>;
  /** "+ New manifest": a higher version, starting from the current one unless content is given. */
  newManifest(ctx: RequestContext, ref: OfferRef, planId: string, version: string, content?: Omit<Manifest, 'version'>): Promise<OfferView>;
  /** Edits the current manifest (refused once it was published: create a new manifest). */
  updateManifest(ctx: RequestContext, ref: OfferRef, planId: string, content: Omit<Manifest, 'version'>): Promise<OfferView>;
  validate(ctx: RequestContext, ref: OfferRef): Promise<OfferValidation>;
  /** Validates an offer (a submitted snapshot) against the record's context, without authorization. */
  check(repos: Repositories, record: OfferRecord, offer: Offer): Promise<OfferValidation>;
  compare(ctx: RequestContext, ref: OfferRef): Promise<{ against: number | undefined; changes: OfferChange[] }>;
  listVersions(ctx: RequestContext, ref: OfferRef): Promise<StoredVersion[]>;
  getVersion(ctx: RequestContext, ref: OfferRef, number: number): Promise<StoredVersion>;
  history(ctx: RequestContext, ref: OfferRef): Promise<PublicationState['history']>;
  syncPrivateAudience(ctx: RequestContext, ref: OfferRef): Promise<OfferView>;
  resumePlanDistribution(ctx: RequestContext, ref: OfferRef, planId: string): Promise<OfferView>;
  stopPlanDistribution(ctx: RequestContext, ref: OfferRef, planId: string): Promise<OfferView>;
  delete(ctx: RequestContext, ref: OfferRef): Promise<void>;
  /** The role picker: every role, pickable or not with the reason. */
  roleChoices(accessType: 'active' | 'eligible'): Promise<RoleChoice[]>;
  /** Roles a User Access Administrator authorization may list as assignable. */
  assignableRoleChoices(): Promise<RoleChoice[]>;
  leadDestinations(): readonly LeadDestinationForm[];
  /** The ARM template + parameters onboarding a customer to a plan: of the live version, else the preview, else the draft. */
  onboardingTemplate(ctx: RequestContext, ref: OfferRef, planId: string, options?: { version?: string; target?: 'draft' | 'preview' | 'live' }): Promise<OnboardingTemplate & { readonly source: 'draft' | 'preview' | 'live'; readonly version: string }>;
  /** Applies a pipeline event to the stored record inside `repos` (used by the publishing service). */
  applyEvent(repos: Repositories, ref: OfferRef, event: PipelineEvent, change?: (r: OfferRecord) => OfferRecord): Promise<OfferRecord>;
}

/** The offer view with lead secrets masked. */
export function offerView(record: OfferRecord): OfferView {
  const { history: _history, ...publication } = record.publication;
  return {
    publisherId: record.publisherId,
    offerId: record.offerId,
    productDurableId: new DurableIds(record.publisherId, record.offerId).product(),
    status: record.publication.status,
    draft: { ...record.draft, setup: { customerLeads: maskLeadSecrets(record.draft.setup.customerLeads) } },
    publication,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function audienceOf(offer: Offer, target: AudienceTarget): readonly AudienceMember[] {
  if (target.kind === 'preview') return offer.previewAudience;
  const plan = offer.plans.find((p) => p.id === target.planId);
  if (plan === undefined) throw notFound('resourceNotFound', `Offer ${offer.id} has no plan "${target.planId}".`);
  return plan.privateAudience;
}

function withAudience(offer: Offer, target: AudienceTarget, members: readonly AudienceMember[]): Offer {
  if (target.kind === 'preview') return { ...offer, previewAudience: members };
  return updatePlan(offer, target.planId, (p) => ({ ...p, privateAudience: members }));
}

/** The version last published (preview, else live): the update rules compare a draft with it. */
export async function publishedOffer(repos: Repositories, record: OfferRecord): Promise<Offer | undefined> {
  const n = record.publication.previewVersion ?? record.publication.liveVersion;
  return n === undefined ? undefined : (await marketplaceDocs(repos).getVersion(record.publisherId, record.offerId, n))?.offer;
}

/** How many subscriptions a CSV may bring to `target`: the private limit is shared by all plans, so what the other private plans hold counts against it. */
function audienceLimit(offer: Offer, target: AudienceTarget): number {
  if (target.kind === 'preview') return MAX_PREVIEW_AUDIENCE;
  const others = offer.plans.filter((p) => p.id !== target.planId && p.visibility === 'private').reduce((n, p) => n + p.privateAudience.length, 0);
  return MAX_PRIVATE_AUDIENCE_TOTAL - others;
}

/** The offer service over the store. */
export function createOfferService(options: OfferServiceOptions): OfferService {
  const { store, clock, publishers } = options;
  const now = () => clock.now().toISOString();

  async function load(ref: OfferRef, repos: Repositories = store): Promise<OfferRecord> {
    const record = await marketplaceDocs(repos).getOffer(ref.publisherId, ref.offerId);
    if (record === undefined) throw notFound('resourceNotFound', `Publisher ${ref.publisherId} has no offer "${ref.offerId}".`);
    return record;
  }

  async function validateRecord(repos: Repositories, record: OfferRecord, offer: Offer = record.draft): Promise<OfferValidation> {
    const others = (await marketplaceDocs(repos).listOffers(record.publisherId)).map((o) => o.offerId).filter((id) => id !== record.offerId);
    const context = await validationContext(repos, offer, {
      otherOfferIds: others,
      published: await publishedOffer(repos, record),
      requireLeadDestination: options.requireLeadDestination,
    });
    return validateOffer(offer, context);
  }

  /** Loads, authorizes, changes and saves the record in one transaction. */
  async function mutate(ctx: RequestContext, ref: OfferRef, action: PublisherAction, change: (record: OfferRecord, repos: Repositories) => Promise<OfferRecord> | OfferRecord): Promise<OfferView> {
    const saved = await store.transaction(async (tx) => {
      await publishers.authorize(ctx, ref.publisherId, action, tx);
      const record = await load(ref, tx);
      const next = { ...(await change(record, tx)), updatedAt: now() };
      await marketplaceDocs(tx).putOffer(next);
      return next;
    });
    options.onPublicationChanged?.(ref);
    return offerView(saved);
  }

  /** Changes the draft; `check` may refuse the result with the core's violations for the changed fields. */
  function editDraft(ctx: RequestContext, ref: OfferRef, change: (offer: Offer) => Offer, refuseViolationsUnder?: (offer: Offer) => string[]): Promise<OfferView> {
    return mutate(ctx, ref, 'edit', async (record, tx) => {
      const draft = change(record.draft);
      if (draft.id !== record.offerId || draft.publisherId !== record.publisherId) {
        throw invalid('invalidRequest', "The offer ID and publisher can't be changed after the offer is created.", 'id');
      }
      const paths = refuseViolationsUnder?.(draft);
      if (paths !== undefined) {
        const errors = (await validateRecord(tx, record, draft)).violations.filter((v) => v.severity === 'error' && paths.some((p) => v.field === p || v.field.startsWith(`${p}.`) || v.field.startsWith(`${p}[`)));
        if (errors.length > 0) {
          throw new DomainError('invalid', 'businessValidationError', errors.map((e) => e.message).join(' '), {
            target: errors[0]?.field ?? '',
            details: errors.map((e) => ({ code: e.rule, message: e.message, target: e.field })),
          });
        }
      }
      return { ...record, draft };
    });
  }

  function planPath(offer: Offer, planId: string): string {
    return `plans[${offer.plans.findIndex((p) => p.id === planId)}]`;
  }

  async function readable(ctx: RequestContext, ref: OfferRef): Promise<OfferRecord> {
    await publishers.authorize(ctx, ref.publisherId, 'edit');
    return load(ref);
  }

  function event(ctx: RequestContext, ref: OfferRef, action: PublisherAction, make: (by: string, at: string) => PipelineEvent): Promise<OfferView> {
    return mutate(ctx, ref, action, (record) => ({ ...record, publication: transition(record.publication, make(callerName(ctx), now())) }));
  }

  async function choices(filter: (roles: readonly RoleDefinition[]) => readonly { id: string }[], why: (r: RoleDefinition) => string | undefined): Promise<RoleChoice[]> {
    const stored = (await store.authorization.listRoleDefinitions()).filter((r) => r.roleType === 'BuiltInRole');
    const byId = new Map([...BUILTIN_ROLES, ...stored].map((r) => [r.id.toLowerCase(), r]));
    const all = [...byId.values()];
    const ok = new Set(filter(all).map((r) => r.id));
    return all
      .sort((a, b) => a.roleName.localeCompare(b.roleName))
      .map((r) => {
        const reason = ok.has(r.id) ? undefined : why(r);
        return { id: r.id, roleName: r.roleName, allowed: ok.has(r.id), ...(reason === undefined ? {} : { reason }) };
      });
  }

  return {
    load,

    async create(ctx, publisherId, input) {
      const record = await store.transaction(async (tx) => {
        await publishers.authorize(ctx, publisherId, 'edit', tx);
        const existing = (await marketplaceDocs(tx).listOffers(publisherId)).map((o) => o.offerId);
        const draft = createOffer({ publisherId, id: input.offerId, alias: input.alias, existingOfferIds: existing });
        const at = now();
        const created: OfferRecord = {
          publisherId,
          offerId: draft.id,
          draft,
          publication: initialPublicationState(draft.id, at, callerName(ctx)),
          createdAt: at,
          updatedAt: at,
        };
        await marketplaceDocs(tx).putOffer(created);
        return created;
      });
      return offerView(record);
    },

    async list(ctx, publisherId) {
      await publishers.authorize(ctx, publisherId, 'edit');
      return (await marketplaceDocs(store).listOffers(publisherId)).map(offerView);
    },

    async get(ctx, ref) {
      return offerView(await readable(ctx, ref));
    },

    replaceDraft(ctx, ref, offer) {
      return mutate(ctx, ref, 'edit', (record) => {
        if (offer.id !== record.offerId || offer.publisherId !== record.publisherId) {
          throw invalid('invalidRequest', "The offer ID and publisher can't be changed after the offer is created.", 'id');
        }
        const added = offer.plans.filter((p) => !record.draft.plans.some((q) => q.id === p.id));
        const removed = record.draft.plans.filter((p) => !offer.plans.some((q) => q.id === p.id));
        let publication = record.publication;
        // Plan creation and deletion are History events with their own rules (published plans stay).
        for (const p of added) publication = transition(publication, { type: 'planCreated', at: now(), by: callerName(ctx), planId: p.id, name: p.name });
        for (const p of removed) publication = transition(publication, { type: 'planDeleted', at: now(), by: callerName(ctx), planId: p.id });
        const draft = { ...offer, setup: { customerLeads: restoreLeadSecrets(offer.setup.customerLeads, record.draft.setup.customerLeads) } };
        return { ...record, draft, publication };
      });
    },

    updateSetup(ctx, ref, customerLeads) {
      return editDraft(ctx, ref, (o) => ({ ...o, setup: { customerLeads: restoreLeadSecrets(customerLeads, o.setup.customerLeads) } }));
    },

    updateProperties(ctx, ref, properties) {
      return editDraft(ctx, ref, (o) => ({ ...o, properties }));
    },

    updateListing(ctx, ref, listing) {
      return editDraft(ctx, ref, (o) => ({ ...o, listing: { ...o.listing, ...listing } }));
    },

    uploadImage(ctx, ref, upload) {
      const inspected = inspectPng(upload.bytes);
      if (!inspected.ok) throw invalid('invalidRequest', `The file "${upload.fileName}" ${inspected.reason}; listing images must be PNG files.`, 'file');
      const asset: ImageAsset = { fileName: upload.fileName, bytes: upload.bytes };
      let path = '';
      return editDraft(
        ctx,
        ref,
        (o) => {
          const l = o.listing;
          switch (upload.slot) {
            case 'logo':
              path = `listing.logos.${upload.size}`;
              return { ...o, listing: { ...l, logos: { ...l.logos, [upload.size]: asset } } };
            case 'screenshot':
              path = `listing.screenshots[${l.screenshots.length}]`;
              return { ...o, listing: { ...l, screenshots: [...l.screenshots, { caption: upload.caption, image: asset }] } };
            case 'video':
              path = `listing.videos[${l.videos.length}]`;
              return { ...o, listing: { ...l, videos: [...l.videos, { name: upload.name, url: upload.url, thumbnail: asset }] } };
          }
        },
        // An upload that breaks a rule (size, count, caption) is refused at once, as the portal does.
        () => [path, upload.slot === 'logo' ? 'listing.logos' : upload.slot === 'screenshot' ? 'listing.screenshots' : 'listing.videos'].filter((p, i) => i === 0 || p !== path),
      );
    },

    removeImage(ctx, ref, slot) {
      return editDraft(ctx, ref, (o) => {
        const l = o.listing;
        if (slot.slot === 'logo') {
          const { [slot.size]: _gone, ...logos } = l.logos;
          return { ...o, listing: { ...l, logos } };
        }
        const list = slot.slot === 'screenshot' ? l.screenshots : l.videos;
        if (slot.index < 0 || slot.index >= list.length) throw notFound('resourceNotFound', `There is no ${slot.slot} number ${slot.index + 1}.`);
        return slot.slot === 'screenshot'
          ? { ...o, listing: { ...l, screenshots: l.screenshots.filter((_, i) => i !== slot.index) } }
          : { ...o, listing: { ...l, videos: l.videos.filter((_, i) => i !== slot.index) } };
      });
    },

    async logo(ctx, ref, size) {
      return logoBytes((await readable(ctx, ref)).draft.listing.logos, size);
    },

    setCertificationNotes(ctx, ref, notes) {
      return editDraft(ctx, ref, (o) => ({ ...o, certificationNotes: notes }));
    },

    addAudienceMember(ctx, ref, target, id, description) {
      return editDraft(ctx, ref, (o) => withAudience(o, target, addAudienceMemberByHand(audienceOf(o, target), id, description)));
    },

    removeAudienceMember(ctx, ref, target, id) {
      return editDraft(ctx, ref, (o) => {
        const members = audienceOf(o, target);
        const left = members.filter((m) => m.id.toLowerCase() !== id.toLowerCase());
        if (left.length === members.length) throw notFound('resourceNotFound', `Subscription ${id} is not in the audience.`);
        return withAudience(o, target, left);
      });
    },

    async previewAudienceCsv(ctx, ref, target, csv) {
      return checkAudienceCsv(csv, audienceLimit((await readable(ctx, ref)).draft, target));
    },

    importAudienceCsv(ctx, ref, target, csv) {
      return editDraft(ctx, ref, (o) => withAudience(o, target, importAudienceCsv(csv, audienceLimit(o, target))));
    },

    async exportAudienceCsv(ctx, ref, target) {
      return exportAudienceCsv(audienceOf((await readable(ctx, ref)).draft, target));
    },

    async createPlan(ctx, ref, input) {
      const view = await mutate(ctx, ref, 'edit', (record) => {
        const draft = createPlan(record.draft, { id: input.planId, name: input.name });
        const publication = transition(record.publication, { type: 'planCreated', at: now(), by: callerName(ctx), planId: input.planId, name: input.name });
        return { ...record, draft, publication };
      });
      return view;
    },

    updatePlan(ctx, ref, planId, change) {
      return editDraft(ctx, ref, (o) => updatePlan(o, planId, (p): Plan => ({ ...p, ...change })), (o) => [`${planPath(o, planId)}.visibility`]);
    },

    deletePlan(ctx, ref, planId) {
      return mutate(ctx, ref, 'edit', (record) => {
        if (!record.draft.plans.some((p) => p.id === planId)) throw notFound('resourceNotFound', `Offer ${ref.offerId} has no plan "${planId}".`);
        const publication = transition(record.publication, { type: 'planDeleted', at: now(), by: callerName(ctx), planId });
        return { ...record, draft: { ...record.draft, plans: record.draft.plans.filter((p) => p.id !== planId) }, publication };
      });
    },

    newManifest(ctx, ref, planId, version, content) {
      return editDraft(ctx, ref, (o) => updatePlan(o, planId, (p) => addManifest(p, version, content)));
    },

    updateManifest(ctx, ref, planId, content) {
      return editDraft(
        ctx,
        ref,
        (o) =>
          updatePlan(o, planId, (p) => {
            const manifests = p.technicalConfiguration.manifests;
            const current = manifests.at(-1);
            if (current === undefined) throw invalid('invalidRequest', `Plan "${planId}" has no manifest yet: create one with a version first.`, 'version');
            return { ...p, technicalConfiguration: { manifests: [...manifests.slice(0, -1), { ...current, ...content, version: current.version }] } };
          }),
        // Editing a published manifest is refused now, not at publish time.
        (o) => [`${planPath(o, planId)}.technicalConfiguration.manifests[${(o.plans.find((p) => p.id === planId)?.technicalConfiguration.manifests.length ?? 1) - 1}]`],
      );
    },

    async validate(ctx, ref) {
      return validateRecord(store, await readable(ctx, ref));
    },

    check: validateRecord,

    async compare(ctx, ref) {
      const record = await readable(ctx, ref);
      const against = record.publication.liveVersion ?? record.publication.previewVersion;
      const base = against === undefined ? undefined : (await marketplaceDocs(store).getVersion(ref.publisherId, ref.offerId, against))?.offer;
      // Secrets are compared but never shown (the lead-destination secrets rule of lead-secrets.ts).
      const changes = base === undefined ? [] : maskSecretChanges(compareOffers(record.draft, base), base.setup.customerLeads, record.draft.setup.customerLeads);
      return { against, changes };
    },

    // Snapshots keep the secrets leads are delivered with; what the API answers has them masked.
    async listVersions(ctx, ref) {
      await readable(ctx, ref);
      return (await marketplaceDocs(store).listVersions(ref.publisherId, ref.offerId)).map((v) => ({ ...v, offer: withMaskedLeadSecrets(v.offer) }));
    },

    async getVersion(ctx, ref, number) {
      await readable(ctx, ref);
      const v = await marketplaceDocs(store).getVersion(ref.publisherId, ref.offerId, number);
      if (v === undefined) throw notFound('resourceNotFound', `Offer ${ref.offerId} has no version ${number}.`);
      return { ...v, offer: withMaskedLeadSecrets(v.offer) };
    },

    async history(ctx, ref) {
      return (await readable(ctx, ref)).publication.history;
    },

    syncPrivateAudience(ctx, ref) {
      return mutate(ctx, ref, 'publish', async (record, tx) => {
        const docs = marketplaceDocs(tx);
        const publication = transition(record.publication, { type: 'syncPrivateAudience', at: now(), by: callerName(ctx) });
        // Each published pointer moves to a new immutable version that differs only in private audiences.
        const versions = await docs.listVersions(ref.publisherId, ref.offerId);
        let nextNumber = (versions.at(-1)?.number ?? 0) + 1;
        const moved = new Map<number, number>();
        for (const n of new Set([record.publication.previewVersion, record.publication.liveVersion].filter((v): v is number => v !== undefined))) {
          const base = versions.find((v) => v.number === n);
          if (base === undefined) continue;
          const synced = syncPrivateAudiences(base.offer, record.draft);
          const snapshot = snapshotOffer(synced.offer, nextNumber++, now());
          await docs.putVersion({ ...snapshot, publisherId: ref.publisherId, createdBy: callerName(ctx), origin: 'syncPrivateAudience' });
          moved.set(n, snapshot.number);
        }
        const move = (n: number | undefined) => (n === undefined ? undefined : moved.get(n) ?? n);
        const previewVersion = move(publication.previewVersion);
        const liveVersion = move(publication.liveVersion);
        return {
          ...record,
          publication: { ...publication, ...(previewVersion === undefined ? {} : { previewVersion }), ...(liveVersion === undefined ? {} : { liveVersion }) },
        };
      });
    },

    stopPlanDistribution(ctx, ref, planId) {
      return event(ctx, ref, 'publish', (by, at) => ({ type: 'stopPlanDistribution', at, by, planId }));
    },

    resumePlanDistribution(ctx, ref, planId) {
      return event(ctx, ref, 'publish', (by, at) => ({ type: 'resumePlanDistribution', at, by, planId }));
    },

    async delete(ctx, ref) {
      await store.transaction(async (tx) => {
        await publishers.authorize(ctx, ref.publisherId, 'edit', tx);
        const record = await load(ref, tx);
        assertOfferDeletable(record.publication);
        await marketplaceDocs(tx).deleteOffer(ref.publisherId, ref.offerId);
      });
    },

    roleChoices(accessType) {
      return choices(
        (roles) => pickableRoles(roles, accessType),
        (r) => {
          const v = accessType === 'active' ? delegationVerdict(r).authorizations : delegationVerdict(r).eligible;
          return v.allowed ? undefined : v.reason;
        },
      );
    },

    assignableRoleChoices() {
      return choices(assignableRoles, () => 'Assignable roles are built-in roles a delegation accepts, other than User Access Administrator.');
    },

    leadDestinations() {
      return selectableLeadDestinations();
    },

    async onboardingTemplate(ctx, ref, planId, templateOptions) {
      const record = await readable(ctx, ref);
      const docs = marketplaceDocs(store);
      const at = async (target: 'draft' | 'preview' | 'live'): Promise<Offer | undefined> => {
        if (target === 'draft') return record.draft;
        const n = target === 'live' ? record.publication.liveVersion : record.publication.previewVersion;
        return n === undefined ? undefined : (await docs.getVersion(ref.publisherId, ref.offerId, n))?.offer;
      };
      const order = templateOptions?.target === undefined ? (['live', 'preview', 'draft'] as const) : [templateOptions.target];
      for (const target of order) {
        const offer = await at(target);
        const plan = offer?.plans.find((p) => p.id === planId);
        const version = templateOptions?.version ?? (plan === undefined ? undefined : currentManifest(plan)?.version);
        if (offer !== undefined && plan !== undefined && version !== undefined) return { ...planOnboardingTemplate(offer, planId, version), source: target, version };
      }
      throw notFound('resourceNotFound', `Offer ${ref.offerId} has no plan "${planId}" with a manifest${templateOptions?.target === undefined ? '' : ` in its ${templateOptions.target} version`}.`);
    },

    async applyEvent(repos, ref, pipelineEvent, change) {
      const record = await load(ref, repos);
      const moved = { ...record, publication: transition(record.publication, pipelineEvent), updatedAt: now() };
      const next = change === undefined ? moved : change(moved);
      await marketplaceDocs(repos).putOffer(next);
      return next;
    },
  };
}
