/**
 * Acquisition (marketplace.md C2): a customer user accepts the legal terms of a plan for a
 * subscription (recorded with who and when: the acquisition is then pending), and delegates the
 * subscription or resource groups in it: one registration definition carrying the plan and exactly
 * its published manifest, one assignment per scope, Microsoft.ManagedServices registered, and the
 * acquisition record, all in one transaction (the delegation service's `delegate`).
 *
 * Acquisition records live in the `mp-acquisitions` documents, one per subscription and plan,
 * partitioned by customer tenant. `AcquisitionHooks.inTransaction` runs inside the transaction
 * that writes a record: the acquisition's lead row is written there (lead-sources.ts).
 */
import { DomainError, invalid, notFound } from '../../core/errors.js';
import { normalizeGuid } from '../../core/guid.js';
import type { Caller } from '../../core/identity/model.js';
import { manifestGrants, requireAvailablePlan, type Acquisition } from '../../core/marketplace/acquisition.js';
import { planAvailability, visibleOffer } from '../../core/marketplace/visibility.js';
import type { MarketplacePlan } from '../../core/delegation/model.js';
import { armGuid } from '../../core/templates/arm-guid.js';
import type { Subscription } from '../../core/resources/model.js';
import type { Repositories, Store } from '../../storage/port.js';
import type { AccessService } from '../authorization/access-service.js';
import type { Clock, RequestContext } from '../context.js';
import type { DelegationService } from '../delegation/delegation-service.js';
import { loadPublishedOffer } from './published-plans.js';

export const ACQUISITIONS_COLLECTION = 'mp-acquisitions';

/** What happened to an acquisition in the transaction that wrote it. */
export interface AcquisitionChange {
  /** `accepted`: legal terms accepted (new or re-accepted, pending); `delegated`: scopes delegated. */
  readonly kind: 'accepted' | 'delegated';
  /** True when this change made the acquisition (its first acceptance). */
  readonly created: boolean;
  readonly acquisition: Acquisition;
  /** The customer user (or application) who acted. */
  readonly caller: Caller;
  /** Scopes delegated by this change (empty when accepting). */
  readonly scopes: readonly string[];
}

/** Work that must commit or fail together with an acquisition record. */
export interface AcquisitionHooks {
  /**
   * Runs inside the acquisition's transaction, after its record is written: the acquisition's lead
   * row is written here. If it throws, nothing of the acquisition is kept.
   */
  readonly inTransaction?: (tx: Repositories, change: AcquisitionChange) => Promise<void>;
  /** Told after a transaction that ran `inTransaction` committed (the lead outbox looks at once). */
  readonly committed?: () => void;
}

export interface AcquisitionServiceDeps {
  readonly store: Store;
  readonly access: AccessService;
  readonly clock: Clock;
  readonly delegation: DelegationService;
  readonly hooks?: AcquisitionHooks;
}

export interface AcceptTermsInput {
  readonly subscriptionId: string;
  readonly publisherId: string;
  readonly offerId: string;
  readonly planId: string;
  /** The manifest version accepted; the plan's current one when absent. */
  readonly version?: string;
  /** The name the customer gives the offer (the registration definition's name). */
  readonly name?: string;
}

/** Accepting terms needs this permission on the subscription (Owner and Contributor hold it). */
export const ACCEPT_TERMS_ACTION = 'Microsoft.MarketplaceOrdering/offerTypes/publishers/offers/plans/agreements/write';

/** The acquisition id of a plan for a subscription: one record per subscription and plan. */
export function acquisitionId(subscriptionId: string, plan: Pick<MarketplacePlan, 'publisher' | 'product' | 'name'>): string {
  return armGuid([normalizeGuid(subscriptionId), plan.publisher, plan.product, plan.name]);
}

/** The acquisitions of a customer tenant (every subscription), for Service providers and My customers. */
export async function listAcquisitions(repos: Repositories, customerTenantId?: string): Promise<Acquisition[]> {
  return repos.documents.list<Acquisition>(ACQUISITIONS_COLLECTION, customerTenantId === undefined ? undefined : normalizeGuid(customerTenantId));
}

/** Writes an acquisition record (inside the caller's transaction). */
export function putAcquisition(repos: Repositories, acquisition: Acquisition): Promise<void> {
  return repos.documents.put(ACQUISITIONS_COLLECTION, acquisition.id, normalizeGuid(acquisition.customerTenantId), acquisition);
}

function actor(caller: Caller) {
  return { objectId: caller.objectId, displayName: caller.userPrincipalName ?? caller.displayName };
}

/** Creates the acquisition service. */
export function createAcquisitionService(deps: AcquisitionServiceDeps) {
  const { store, access, clock, delegation } = deps;
  const hook = deps.hooks?.inTransaction ?? (() => Promise.resolve());
  const committed = deps.hooks?.committed ?? (() => undefined);

  // A customer-side action: a member (not a guest) of the subscription's tenant.
  async function customerSubscription(ctx: RequestContext, subscriptionId: string): Promise<{ caller: Caller; sub: Subscription }> {
    const caller = ctx.caller;
    if (caller === 'system') throw new DomainError('forbidden', 'AuthorizationFailed', 'Acquisitions are made by a customer user or application.');
    const sub = await store.resources.getSubscription(normalizeGuid(subscriptionId));
    if (sub === undefined) throw notFound('SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
    if (normalizeGuid(sub.tenantId) !== normalizeGuid(caller.tenantId)) {
      access.authorize(ctx, 'Microsoft.Resources/subscriptions/read', `/subscriptions/${sub.subscriptionId}`);
      throw new DomainError('forbidden', 'AuthorizationFailed', `Only accounts of the customer tenant '${sub.tenantId}' acquire offers for subscription '${sub.subscriptionId}'.`);
    }
    if (caller.principalType === 'User' && (await store.identity.getUser(caller.objectId))?.userType === 'Guest') {
      throw new DomainError('forbidden', 'AuthorizationFailed', `Guest users can't acquire offers or delegate resources; a member account of tenant '${sub.tenantId}' must do it.`);
    }
    return { caller, sub };
  }

  async function load(repos: Repositories, sub: Subscription, id: string): Promise<Acquisition> {
    const found = await repos.documents.get<Acquisition>(ACQUISITIONS_COLLECTION, normalizeGuid(id));
    if (found === undefined || normalizeGuid(found.subscriptionId) !== normalizeGuid(sub.subscriptionId)) {
      throw notFound('AcquisitionNotFound', `Subscription '${sub.subscriptionId}' has no acquisition '${id}'.`);
    }
    return found;
  }

  return {
    /**
     * Accepts the legal terms of a plan version for a subscription: a pending acquisition (or the
     * existing one, re-accepted while nothing is delegated). The plan version must be offered to
     * the subscription now (the core's visibility rule).
     */
    async acceptTerms(ctx: RequestContext, input: AcceptTermsInput): Promise<{ acquisition: Acquisition; created: boolean }> {
      const { caller, sub } = await customerSubscription(ctx, input.subscriptionId);
      access.authorize(ctx, ACCEPT_TERMS_ACTION, `/subscriptions/${sub.subscriptionId}`);
      const publisherId = input.publisherId.toLowerCase();
      const offerId = input.offerId.toLowerCase();
      const planId = input.planId.toLowerCase();
      const now = clock.now().toISOString();
      const result = await store.transaction(async (tx) => {
        const entry = await loadPublishedOffer(tx, publisherId, offerId);
        const viewer = { subscriptionIds: [sub.subscriptionId] };
        const current = entry === undefined ? undefined : visibleOffer(entry.compiled, viewer)?.plans.find((p) => p.plan.id === planId)?.manifest.version;
        const version = input.version ?? current ?? '';
        const plan: MarketplacePlan = { publisher: publisherId, product: offerId, name: planId, version };
        const available = requireAvailablePlan(entry === undefined ? { kind: 'notOffered' } : planAvailability(entry.compiled, sub.subscriptionId, planId, version), plan, sub.subscriptionId);
        const id = acquisitionId(sub.subscriptionId, plan);
        const existing = await tx.documents.get<Acquisition>(ACQUISITIONS_COLLECTION, id);
        if (existing?.state === 'delegated') {
          if (existing.plan.version === version) return { acquisition: existing, created: false };
          throw new DomainError('conflict', 'AcquisitionAlreadyDelegated', `Subscription '${sub.subscriptionId}' already delegates with version ${existing.plan.version} of this plan; accept the update in Service providers instead.`, { target: 'version' });
        }
        const offer = available.offer.offer;
        const acquisition: Acquisition = {
          id,
          plan,
          offerVersion: available.offer.version.number,
          offerDisplayName: offer.listing.name,
          publisherDisplayName: entry?.publisherName ?? publisherId,
          planDisplayName: available.plan.plan.name,
          managedByTenantId: available.manifest.tenantId,
          customerTenantId: sub.tenantId,
          subscriptionId: sub.subscriptionId,
          name: input.name?.trim() || `${offer.listing.name} - ${available.plan.plan.name}`,
          termsAcceptedAt: now,
          termsAcceptedBy: actor(caller),
          state: 'pending',
          scopes: [],
          createdAt: existing?.createdAt ?? now,
          updatedAt: now,
        };
        await putAcquisition(tx, acquisition);
        await hook(tx, { kind: 'accepted', created: existing === undefined, acquisition, caller, scopes: [] });
        return { acquisition, created: existing === undefined };
      });
      committed();
      return result;
    },

    /**
     * Delegates scopes (the subscription, or resource groups in it) for an acquisition: one
     * definition with the plan and its manifest, one assignment per scope, the record updated, in one
     * transaction. A pending acquisition whose version is no longer current is refused (stale).
     */
    async delegate(ctx: RequestContext, subscriptionId: string, id: string, scopes: readonly string[]): Promise<Acquisition> {
      const { caller, sub } = await customerSubscription(ctx, subscriptionId);
      const acquisition = await load(store, sub, id);
      const entry = await loadPublishedOffer(store, acquisition.plan.publisher, acquisition.plan.product);
      const held = entry === undefined ? undefined : planAvailability(entry.compiled, sub.subscriptionId, acquisition.plan.name, acquisition.plan.version, acquisition.plan.version);
      const { manifest } = requireAvailablePlan(held ?? { kind: 'notOffered' }, acquisition.plan, sub.subscriptionId);
      // Names that follow from the acquisition (not fresh GUIDs): two delegations of it at once write the same
      // definition and the same assignment per scope, so it never ends up with two definitions.
      const definitionName = acquisition.registrationDefinitionId?.split('/').at(-1) ?? acquisition.id;
      const unique = [...new Map(scopes.map((s) => [s.toLowerCase().replace(/\/+$/, ''), s])).values()];
      const targets = unique.map((scope) => ({
        scope,
        assignmentName: acquisition.scopes.find((s) => s.scope.toLowerCase() === scope.toLowerCase())?.registrationAssignmentId.split('/').at(-1) ?? armGuid([acquisition.id, scope.toLowerCase()]),
      }));
      const fields = { registrationDefinitionName: acquisition.name, description: `${acquisition.offerDisplayName} - ${acquisition.planDisplayName}`, plan: acquisition.plan, ...manifestGrants(manifest) };
      const delegatedAcquisition = await delegation.delegate(ctx, { subscriptionId: sub.subscriptionId, definitionName, fields, scopes: targets }, async (tx, delegated) => {
        const now = clock.now().toISOString();
        const before = await load(tx, sub, id);
        // Accepted again (another version) or delegated elsewhere since it was read: the definition written is stale.
        if (before.termsAcceptedAt !== acquisition.termsAcceptedAt || (before.registrationDefinitionId ?? delegated.definition.id) !== delegated.definition.id) {
          throw new DomainError('conflict', 'AcquisitionChanged', `Acquisition '${id}' changed while it was being delegated; read it again and retry.`);
        }
        const added = delegated.assignments.map((a) => ({ scope: a.assignment.scope, registrationAssignmentId: a.id }));
        const kept = before.scopes.filter((s) => !added.some((a) => a.scope.toLowerCase() === s.scope.toLowerCase()));
        const next: Acquisition = {
          ...before,
          state: 'delegated',
          registrationDefinitionId: delegated.definition.id,
          scopes: [...kept, ...added],
          delegatedAt: now,
          delegatedBy: actor(caller),
          updatedAt: now,
        };
        await putAcquisition(tx, next);
        await hook(tx, { kind: 'delegated', created: false, acquisition: next, caller, scopes: added.map((a) => a.scope) });
        return next;
      });
      committed();
      return delegatedAcquisition;
    },

    /** The acquisitions of a subscription (readers of the subscription, in its tenant). */
    async list(ctx: RequestContext, subscriptionId: string): Promise<Acquisition[]> {
      const { sub } = await customerSubscription(ctx, subscriptionId);
      access.authorize(ctx, 'Microsoft.Resources/subscriptions/read', `/subscriptions/${sub.subscriptionId}`);
      return (await listAcquisitions(store, sub.tenantId)).filter((a) => normalizeGuid(a.subscriptionId) === normalizeGuid(sub.subscriptionId));
    },

    async get(ctx: RequestContext, subscriptionId: string, id: string): Promise<Acquisition> {
      const { sub } = await customerSubscription(ctx, subscriptionId);
      access.authorize(ctx, 'Microsoft.Resources/subscriptions/read', `/subscriptions/${sub.subscriptionId}`);
      return load(store, sub, id);
    },
  };
}

export type AcquisitionService = ReturnType<typeof createAcquisitionService>;

/** Refuses a request that doesn't accept the legal terms. */
export function requireTermsAccepted(accepted: boolean | undefined): void {
  if (accepted !== true) throw invalid('LegalTermsNotAccepted', 'Set acceptLegalTerms to true: acquiring a plan accepts its legal terms and privacy policy.', 'acceptLegalTerms');
}
