/**
 * Service providers (the customer's view, lighthouse.md §3.9; marketplace.md C2): the offers the
 * customer's subscriptions are delegated with, grouped by offer — a marketplace plan
 * (`{publisher}.{product}.{plan}`) or, for an offer added from a template, its registration
 * definition — with the delegations, the access each grants (eligible included, role names
 * resolved), and "update available" when a newer manifest version of the plan is live and visible
 * to every subscription of the offer, with the difference. Accepting an update moves every
 * delegated scope of the offer to the new version in one transaction (§3.7). Built on the
 * registration definitions and assignments, the truth Azure keeps, and on the acquisition records:
 * a plan whose terms were accepted but that delegates nothing yet is shown as pending, with who
 * accepted which version when.
 */
import { sameId } from '../../core/guid.js';
import { diffGrants, type GrantsDiff } from '../../core/delegation/authorization-diff.js';
import type { Authorization, EligibleAuthorization, MarketplacePlan, RegistrationAssignment, RegistrationDefinition } from '../../core/delegation/model.js';
import { marketplaceIdentifierOf } from '../../core/delegation/marketplace-identifier.js';
import { conflict, invalid, notFound } from '../../core/errors.js';
import { compareVersions } from '../../core/marketplace/validate-technical.js';
import type { Subscription } from '../../core/resources/model.js';
import { findBuiltinRole } from '../../core/roles/builtin-catalog.js';
import type { Repositories, Store } from '../../storage/port.js';
import type { Acquisition } from '../../core/marketplace/acquisition.js';
import type { AccessService } from '../authorization/access-service.js';
import { listAcquisitions } from '../marketplace/acquisition-service.js';
import { delegationsIn } from './delegations-in.js';
import type { RequestContext } from '../context.js';
import { DEFINITIONS_TYPE, assignmentResourceId, definitionResourceId, type DelegationService } from './delegation-service.js';
import type { MarketplaceDefinitionSource, MarketplaceRegistrationDefinition } from './marketplace-definitions.js';

/** An authorization with its role's name, as the offer details show it. */
export type NamedAuthorization = Authorization & { readonly roleDefinitionName?: string };
export type NamedEligibleAuthorization = EligibleAuthorization & { readonly roleDefinitionName?: string };

/** One delegated scope of an offer. */
export interface OfferDelegation {
  /** The full id of the registration assignment. */
  readonly registrationAssignmentId: string;
  readonly scope: string;
  readonly registrationDefinitionId: string;
  readonly subscriptionId: string;
  readonly assignment: RegistrationAssignment;
}

/** A newer live version of the offer's plan and what it changes. */
export interface OfferUpdate {
  readonly version: string;
  readonly marketplaceIdentifier: string;
  readonly diff: GrantsDiff;
}

/** A plan's legal terms accepted for one subscription (marketplace.md C2), pending or delegated. */
export interface OfferAcquisition {
  /** The acquisition's path: `POST {id}/delegate` delegates (more) scopes of the subscription. */
  readonly id: string;
  readonly subscriptionId: string;
  readonly state: Acquisition['state'];
  /** The plan version accepted. */
  readonly plan: MarketplacePlan;
  readonly acceptedAt: string;
  readonly acceptedBy: Acquisition['termsAcceptedBy'];
  readonly delegatedAt?: string;
  readonly delegatedBy?: Acquisition['termsAcceptedBy'];
}

/** One offer as the customer sees it under Service providers. */
export interface ServiceProviderOffer {
  /** `{publisher}.{product}.{plan}` for a marketplace plan; the registration definition's name for a template offer. */
  readonly name: string;
  readonly customerTenantId: string;
  readonly managedByTenantId: string;
  readonly managedByTenantName?: string;
  readonly plan?: MarketplacePlan;
  readonly offerDisplayName?: string;
  readonly publisherDisplayName?: string;
  readonly planDisplayName?: string;
  readonly registrationDefinitionName?: string;
  readonly description?: string;
  readonly authorizations: readonly NamedAuthorization[];
  readonly eligibleAuthorizations: readonly NamedEligibleAuthorization[];
  /** The registration definitions of the offer, one per subscription. */
  readonly registrationDefinitions: readonly RegistrationDefinition[];
  /** `Pending` while the offer is accepted but no scope is delegated yet. */
  readonly state: 'Delegated' | 'Pending';
  readonly delegations: readonly OfferDelegation[];
  /** The marketplace acquisitions of the offer (none for a template offer). */
  readonly acquisitions: readonly OfferAcquisition[];
  readonly updateAvailable?: OfferUpdate;
}

export interface ServiceProvidersDeps {
  readonly store: Store;
  readonly access: AccessService;
  readonly delegation: DelegationService;
  readonly marketplace: MarketplaceDefinitionSource;
}

const subscriptionScope = (subscriptionId: string) => `/subscriptions/${subscriptionId}`;

/** The offer a definition belongs to: its marketplace plan (any version), or the definition itself. */
export function offerNameOf(definition: RegistrationDefinition): string {
  const p = definition.plan;
  return (p ? `${p.publisher}.${p.product}.${p.name}` : definition.id).toLowerCase();
}

const acquisitionOffer = (a: Acquisition) => `${a.plan.publisher}.${a.plan.product}.${a.plan.name}`.toLowerCase();

function acquisitionView(a: Acquisition): OfferAcquisition {
  return {
    id: `/marketplace/subscriptions/${a.subscriptionId}/acquisitions/${a.id}`,
    subscriptionId: a.subscriptionId,
    state: a.state,
    plan: a.plan,
    acceptedAt: a.termsAcceptedAt,
    acceptedBy: a.termsAcceptedBy,
    ...(a.delegatedAt === undefined ? {} : { delegatedAt: a.delegatedAt }),
    ...(a.delegatedBy === undefined ? {} : { delegatedBy: a.delegatedBy }),
  };
}

/** What the caller's tenant has of one offer: definitions (with their assignments) and acquisitions. */
interface OfferParts {
  readonly delegated: readonly Delegated[];
  readonly acquisitions: readonly Acquisition[];
}

const samePlan = (a: MarketplacePlan, b: MarketplacePlan) => sameId(a.publisher, b.publisher) && sameId(a.product, b.product) && sameId(a.name, b.name);

// The diff with role names, as the customer reviews it.
function namedUpdate(update: OfferUpdate, named: <T extends { roleDefinitionId: string }>(a: T) => T): OfferUpdate {
  const { added, removed, changed } = update.diff;
  return {
    ...update,
    diff: { added: added.map(named), removed: removed.map(named), changed: changed.map((c) => ({ ...c, before: named(c.before), after: named(c.after) })) },
  };
}

/** A definition with its subscription, as the offer views are built from. */
export interface Delegated {
  readonly definition: RegistrationDefinition;
  readonly subscription: Subscription;
  readonly assignments: readonly RegistrationAssignment[];
}

/**
 * The published versions of `plan` live for every one of `subscriptions`, newest last: an update
 * is offered only when all of the offer's subscriptions may take it.
 */
async function liveVersions(source: MarketplaceDefinitionSource, plan: MarketplacePlan, subscriptions: readonly string[]): Promise<MarketplaceRegistrationDefinition[]> {
  let common: MarketplaceRegistrationDefinition[] | undefined;
  for (const subscriptionId of subscriptions) {
    const here = (await source.list(subscriptionScope(subscriptionId))).filter((d) => samePlan(d.plan, plan));
    common = common === undefined ? here : common.filter((c) => here.some((h) => h.plan.version === c.plan.version));
  }
  return (common ?? []).sort((a, b) => (compareVersions(a.plan.version, b.plan.version) ?? 0));
}

/** The newest live version of the offer's plan above its current one, with the difference; undefined when none. */
export async function pendingUpdate(source: MarketplaceDefinitionSource, delegated: readonly Delegated[]): Promise<{ update: OfferUpdate; live: MarketplaceRegistrationDefinition } | undefined> {
  const oldest = [...delegated].sort((a, b) => compareVersions(a.definition.plan?.version ?? '0.0.0', b.definition.plan?.version ?? '0.0.0') ?? 0)[0];
  const plan = oldest?.definition.plan;
  if (!oldest || !plan) return undefined;
  const newest = (await liveVersions(source, plan, delegated.map((d) => d.subscription.subscriptionId))).at(-1);
  if (!newest || (compareVersions(newest.plan.version, plan.version) ?? 0) <= 0) return undefined;
  return {
    live: newest,
    update: { version: newest.plan.version, marketplaceIdentifier: marketplaceIdentifierOf(newest.plan), diff: diffGrants(oldest.definition, newest) },
  };
}

/**
 * The delegated definitions in these subscriptions grouped by offer, for the subscriptions `keep`
 * accepts: three reads however many delegations there are.
 */
export async function delegatedOffers(repos: Repositories, subscriptionIds: readonly string[], keep: (definition: RegistrationDefinition, subscription: Subscription) => boolean): Promise<Map<string, Delegated[]>> {
  const [found, { definitions, assignments }] = await Promise.all([repos.resources.getSubscriptions(subscriptionIds), delegationsIn(repos, subscriptionIds)]);
  const subscriptions = new Map(found.map((s) => [s.subscriptionId.toLowerCase(), s]));
  const assignmentsOf = new Map<RegistrationDefinition, RegistrationAssignment[]>();
  for (const { assignment, definition } of assignments) {
    if (definition) assignmentsOf.set(definition, [...(assignmentsOf.get(definition) ?? []), assignment]);
  }
  const groups = new Map<string, Delegated[]>();
  for (const definition of definitions) {
    const subscription = subscriptions.get(definition.subscriptionId.toLowerCase());
    if (!subscription || !keep(definition, subscription)) continue;
    const key = `${subscription.tenantId.toLowerCase()}|${offerNameOf(definition)}`;
    groups.set(key, [...(groups.get(key) ?? []), { definition, subscription, assignments: assignmentsOf.get(definition) ?? [] }]);
  }
  return groups;
}

/** Creates the Service providers service. */
export function createServiceProvidersService(deps: ServiceProvidersDeps) {
  const { store, access, delegation, marketplace } = deps;

  async function roleNames(ids: Iterable<string>): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of new Set([...ids].map((i) => i.toLowerCase()))) {
      const role = (await store.authorization.getRoleDefinition(id)) ?? findBuiltinRole(id);
      if (role) out.set(id, role.roleName);
    }
    return out;
  }

  // Adds its role's name to an authorization, for the roles of `grants`.
  async function namer(grants: readonly { roleDefinitionId: string }[]) {
    const names = await roleNames(grants.map((g) => g.roleDefinitionId));
    return <T extends { roleDefinitionId: string }>(a: T): T & { roleDefinitionName?: string } => {
      const roleDefinitionName = names.get(a.roleDefinitionId.toLowerCase());
      return roleDefinitionName === undefined ? a : { ...a, roleDefinitionName };
    };
  }

  async function viewOf(name: string, parts: OfferParts): Promise<ServiceProviderOffer> {
    const { delegated, acquisitions } = parts;
    const first = delegated[0];
    if (first === undefined) return pendingView(name, acquisitions);
    const d = first.definition;
    const managing = await store.identity.getTenant(d.managedByTenantId);
    const current = d.plan ? (await marketplace.list(subscriptionScope(d.subscriptionId))).find((m) => samePlan(m.plan, d.plan as MarketplacePlan) && m.plan.version === d.plan?.version) : undefined;
    const pending = await pendingUpdate(marketplace, delegated);
    const named = await namer([d, ...(pending ? [pending.live] : [])].flatMap((g) => [...g.authorizations, ...g.eligibleAuthorizations]));
    const delegations = delegated.flatMap((x) =>
      x.assignments.map((a) => ({
        registrationAssignmentId: assignmentResourceId(a.scope, a.id),
        scope: a.scope,
        registrationDefinitionId: definitionResourceId(x.definition.subscriptionId, x.definition.id),
        subscriptionId: x.definition.subscriptionId,
        assignment: a,
      })),
    );
    const listing = current ?? pending?.live;
    return {
      name,
      customerTenantId: first.subscription.tenantId,
      managedByTenantId: d.managedByTenantId,
      ...(managing ? { managedByTenantName: managing.displayName } : {}),
      ...(d.plan ? { plan: d.plan } : {}),
      ...(listing?.offerDisplayName !== undefined ? { offerDisplayName: listing.offerDisplayName } : {}),
      ...(listing?.publisherDisplayName !== undefined ? { publisherDisplayName: listing.publisherDisplayName } : {}),
      ...(listing?.planDisplayName !== undefined ? { planDisplayName: listing.planDisplayName } : {}),
      ...(d.registrationDefinitionName !== undefined ? { registrationDefinitionName: d.registrationDefinitionName } : {}),
      ...(d.description !== undefined ? { description: d.description } : {}),
      authorizations: d.authorizations.map(named),
      eligibleAuthorizations: d.eligibleAuthorizations.map(named),
      registrationDefinitions: delegated.map((x) => x.definition),
      state: delegations.length > 0 ? 'Delegated' : 'Pending',
      delegations,
      acquisitions: acquisitions.map(acquisitionView),
      ...(pending ? { updateAvailable: namedUpdate(pending.update, named) } : {}),
    };
  }

  // An offer accepted on subscriptions where nothing is delegated yet: the acquisition's record,
  // and the access delegating would grant (the accepted version's manifest, while it is offered).
  async function pendingView(name: string, acquisitions: readonly Acquisition[]): Promise<ServiceProviderOffer> {
    const a = acquisitions[0] as Acquisition;
    const managing = await store.identity.getTenant(a.managedByTenantId);
    const offered = (await marketplace.list(subscriptionScope(a.subscriptionId))).find((m) => samePlan(m.plan, a.plan) && m.plan.version === a.plan.version);
    const named = await namer([...(offered?.authorizations ?? []), ...(offered?.eligibleAuthorizations ?? [])]);
    return {
      name,
      customerTenantId: a.customerTenantId,
      managedByTenantId: a.managedByTenantId,
      ...(managing ? { managedByTenantName: managing.displayName } : {}),
      plan: a.plan,
      offerDisplayName: a.offerDisplayName,
      publisherDisplayName: a.publisherDisplayName,
      planDisplayName: a.planDisplayName,
      registrationDefinitionName: a.name,
      authorizations: (offered?.authorizations ?? []).map(named),
      eligibleAuthorizations: (offered?.eligibleAuthorizations ?? []).map(named),
      registrationDefinitions: [],
      state: 'Pending',
      delegations: [],
      acquisitions: acquisitions.map(acquisitionView),
    };
  }

  // The caller's own tenant's offers on the subscriptions it may read delegations of: definitions and acquisitions.
  async function offersOf(ctx: RequestContext): Promise<Map<string, OfferParts>> {
    const caller = ctx.caller;
    if (caller === 'system') throw invalid('InvalidAuthenticationToken', 'Service providers is the view of a signed-in customer principal.');
    const readable = new Map<string, boolean>();
    const mayRead = (subscriptionId: string) => {
      let ok = readable.get(subscriptionId);
      if (ok === undefined) {
        ok = access.allows(ctx, `${DEFINITIONS_TYPE}/read`, subscriptionScope(subscriptionId));
        readable.set(subscriptionId, ok);
      }
      return ok;
    };
    const groups = await delegatedOffers(store, access.engine.subscriptionsOfDirectory(caller.tenantId), (_d, s) => sameId(s.tenantId, caller.tenantId) && mayRead(s.subscriptionId));
    const out = new Map<string, { delegated: Delegated[]; acquisitions: Acquisition[] }>();
    for (const [key, delegated] of groups) out.set(key.split('|')[1] as string, { delegated, acquisitions: [] });
    for (const a of await listAcquisitions(store, caller.tenantId)) {
      if (!mayRead(a.subscriptionId)) continue;
      const name = acquisitionOffer(a);
      const parts = out.get(name) ?? { delegated: [], acquisitions: [] };
      parts.acquisitions.push(a);
      out.set(name, parts);
    }
    return out;
  }

  async function requireOffer(ctx: RequestContext, name: string): Promise<OfferParts> {
    const parts = (await offersOf(ctx)).get(name.toLowerCase());
    if (!parts) throw notFound('ServiceProviderOfferNotFound', `No service provider offer '${name}' is accepted or delegated on a subscription you can read.`);
    return parts;
  }

  return {
    /** The offers of the caller's tenant, by name. */
    async list(ctx: RequestContext): Promise<ServiceProviderOffer[]> {
      const out: ServiceProviderOffer[] = [];
      for (const [name, parts] of [...(await offersOf(ctx))].sort(([a], [b]) => a.localeCompare(b))) out.push(await viewOf(name, parts));
      return out;
    },

    async get(ctx: RequestContext, name: string): Promise<ServiceProviderOffer> {
      return viewOf(name.toLowerCase(), await requireOffer(ctx, name));
    },

    /**
     * Accepts manifest `version` of the offer's plan for every subscription it is delegated on, in
     * one transaction. Refused unless `version` is the newest live version visible to all of them
     * and newer than the one in force (a stale review is not applied).
     */
    async acceptUpdate(ctx: RequestContext, name: string, version: string): Promise<ServiceProviderOffer> {
      const { delegated, acquisitions } = await requireOffer(ctx, name);
      if (delegated.length === 0 && acquisitions.length > 0) {
        throw invalid('OfferNotDelegated', `Nothing of the offer '${name}' is delegated yet: accept the legal terms of version '${version}' (POST /marketplace/subscriptions/{subscriptionId}/acquisitions) and delegate instead.`, 'version');
      }
      const plan = delegated[0]?.definition.plan;
      if (!plan) {
        throw invalid('OfferNotFromMarketplace', `The offer '${name}' was added from a template: deploy the provider's new template to change its authorizations.`, 'version');
      }
      const live = await liveVersions(marketplace, plan, delegated.map((d) => d.subscription.subscriptionId));
      const target = live.find((m) => m.plan.version === version);
      const identifier = marketplaceIdentifierOf({ ...plan, version });
      const newest = live.at(-1);
      const stale = (v: string) => `Version '${v}' is not the newest version of the offer: '${newest?.plan.version ?? ''}' is live. Review the update to '${newest?.plan.version ?? ''}' and accept it instead.`;
      // An earlier version (the one in force, or one superseded since) is a stale review, not an unknown version.
      if (!target && newest && (compareVersions(version, newest.plan.version) ?? 1) < 0) throw conflict('OfferUpdateVersionStale', stale(version), 'version');
      if (!target) {
        throw notFound('MarketplaceRegistrationDefinitionNotFound', `Version '${version}' of plan '${offerNameOf(delegated[0]?.definition as RegistrationDefinition)}' ('${identifier}') is not live for every subscription the offer is delegated on.`);
      }
      if (newest?.plan.version !== version) throw conflict('OfferUpdateVersionStale', stale(version), 'version');
      if (delegated.every((d) => (compareVersions(d.definition.plan?.version ?? '0.0.0', version) ?? 0) >= 0)) {
        throw conflict('OfferUpdateVersionStale', `The offer is already at version '${version}': only a newer version can be accepted.`, 'version');
      }
      await delegation.replaceDefinitions(
        ctx,
        delegated.map(({ definition }) => ({
          scope: subscriptionScope(definition.subscriptionId),
          name: definition.id,
          fields: {
            ...(definition.registrationDefinitionName !== undefined ? { registrationDefinitionName: definition.registrationDefinitionName } : {}),
            ...(definition.description !== undefined ? { description: definition.description } : {}),
            managedByTenantId: target.managedByTenantId,
            authorizations: target.authorizations,
            eligibleAuthorizations: target.eligibleAuthorizations,
            plan: target.plan,
          },
        })),
      );
      return viewOf(name.toLowerCase(), await requireOffer(ctx, name));
    },
  };
}

export type ServiceProvidersService = ReturnType<typeof createServiceProvidersService>;

