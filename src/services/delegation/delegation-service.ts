/**
 * The delegation service: registration definitions and assignments of Microsoft.ManagedServices.
 * Every call is authorized here (these routes sit outside the resource plane's guard; a managing
 * tenant's reads are logged by the HTTP layer for every ARM route). Each
 * change is checked against the core rules and the onboarding (or offboarding) rule, written in one store
 * transaction together with its activity-log entries (the customer's log, and the managing tenant's
 * tenant-level log for delegation changes, lighthouse.md §3.8) and the implicit registration of
 * the Microsoft.ManagedServices provider (§3.5), then fed to the decision engine once committed.
 */
import type { RegistrationAssignment, RegistrationDefinition } from '../../core/delegation/model.js';
import {
  parseRegistrationDefinitionId,
  validateRegistrationAssignment,
  validateRegistrationDefinition,
  type RegistrationDefinitionFields,
} from '../../core/delegation/registration-rules.js';
import { conflict, invalid, notFound } from '../../core/errors.js';
import { normalizeGuid, sameId } from '../../core/guid.js';
import type { PrincipalType, Tenant } from '../../core/identity/model.js';
import type { RoleDefinition } from '../../core/rbac/model.js';
import type { Subscription } from '../../core/resources/model.js';
import { findBuiltinRole } from '../../core/roles/builtin-catalog.js';
import { parseScope, scopeKey } from '../../core/scope.js';
import type { AssignmentListing, Repositories, Store } from '../../storage/port.js';
import type { ActivityService } from '../activity/activity-service.js';
import type { AccessService } from '../authorization/access-service.js';
import type { Clock, RequestContext } from '../context.js';
import { endDelegatedRoleAssignments } from '../rbac/delegated-role-assignments.js';
import { matchesMarketplaceIdentifier } from '../../core/delegation/marketplace-identifier.js';
import { requireAvailablePlan, requireManifestGrants } from '../../core/marketplace/acquisition.js';
import {
  noMarketplaceDefinitions,
  type MarketplaceDefinitionSource,
  type MarketplaceRegistrationDefinition,
} from './marketplace-definitions.js';
import { requireOffboarder, requireOnboarder } from './onboarding-check.js';

export const PROVIDER = 'Microsoft.ManagedServices';
export const DEFINITIONS_TYPE = `${PROVIDER}/registrationDefinitions`;
export const ASSIGNMENTS_TYPE = `${PROVIDER}/registrationAssignments`;

/** A definition with the names the service fills in on the way out. */
export interface DefinitionView {
  readonly definition: RegistrationDefinition;
  /** The full resource id. */
  readonly id: string;
  readonly managedByTenantName?: string;
  readonly manageeTenantId: string;
  readonly manageeTenantName?: string;
}

export interface AssignmentView {
  readonly assignment: RegistrationAssignment;
  readonly id: string;
  /** The definition it delegates; absent only if that definition has gone. */
  readonly definition?: DefinitionView;
}

interface Removed {
  readonly assignment: RegistrationAssignment;
  readonly activationIds: readonly string[];
  /** The role assignments that flowed from the delegation (see delegated-role-assignments.ts). */
  readonly roleAssignmentIds: readonly string[];
}

/** `$filter=managedByTenantId eq|in …`: keep only these managing tenants. */
export interface TenantFilter {
  readonly managedByTenantIds?: readonly string[];
}

export interface DelegationServiceDeps {
  readonly store: Store;
  readonly access: AccessService;
  readonly activity: ActivityService;
  readonly clock: Clock;
  readonly marketplace?: MarketplaceDefinitionSource;
}

type Stamp = Pick<RegistrationAssignment, 'createdAt' | 'createdBy' | 'createdByType' | 'lastModifiedAt' | 'lastModifiedBy' | 'lastModifiedByType'>;

/** ARM's systemData of a write: creation kept from the existing resource, modification now. */
function stamped(existing: Stamp | undefined, now: string, by: string, byType: Stamp['createdByType']): Stamp {
  return {
    createdAt: existing?.createdAt ?? now,
    createdBy: existing?.createdBy ?? by,
    createdByType: existing?.createdByType ?? byType,
    lastModifiedAt: now,
    lastModifiedBy: by,
    lastModifiedByType: byType,
  };
}

/** The full id of a registration definition. */
export function definitionResourceId(subscriptionId: string, name: string): string {
  return `/subscriptions/${subscriptionId}/providers/${DEFINITIONS_TYPE}/${name}`;
}

/** The full id of a registration assignment at `scope`. */
export function assignmentResourceId(scope: string, name: string): string {
  return `${parseScope(scope).id}/providers/${ASSIGNMENTS_TYPE}/${name}`;
}


function systemDataOf(ctx: RequestContext) {
  const by = ctx.caller === 'system' ? 'Lantern' : ctx.caller.principalType === 'User' ? ctx.caller.displayName : ctx.caller.appId;
  const byType = ctx.caller !== 'system' && ctx.caller.principalType === 'User' ? ('User' as const) : ('Application' as const);
  return { by, byType };
}

// The subscription id a scope names, as given: rights are checked on it before the subscription is
// looked up, so a caller without them learns nothing of whether it exists (403 either way).
function subscriptionOf(scope: string): string {
  return parseScope(scope).subscriptionId ?? '';
}

async function requireSubscription(repos: Repositories, scope: string): Promise<Subscription> {
  const subscriptionId = parseScope(scope).subscriptionId;
  const sub = subscriptionId === undefined ? undefined : await repos.resources.getSubscription(subscriptionId);
  if (!sub) throw notFound('SubscriptionNotFound', `The subscription '${subscriptionId ?? scope}' could not be found.`);
  return sub;
}

// A read started early and awaited later: until then its failure is no unhandled rejection.
function settledLater<T>(read: Promise<T>): Promise<T> {
  read.catch(() => undefined);
  return read;
}

async function requireResourceGroup(repos: Repositories, scope: string): Promise<void> {
  const p = parseScope(scope);
  if (p.level !== 'resourceGroup' || !p.subscriptionId || !p.resourceGroup) return;
  if (!(await repos.resources.getResourceGroup(p.subscriptionId, p.resourceGroup))) {
    throw notFound('ResourceGroupNotFound', `Resource group '${p.resourceGroup}' could not be found.`);
  }
}

async function principalTypeIn(repos: Repositories, id: string): Promise<PrincipalType | undefined> {
  if (await repos.identity.getUser(id)) return 'User';
  if (await repos.identity.getGroup(id)) return 'Group';
  if (await repos.identity.getServicePrincipal(id)) return 'ServicePrincipal';
  return undefined;
}

// The rules look roles and principals up synchronously: load the ones the request names first.
async function lookupsFor(repos: Repositories, fields: RegistrationDefinitionFields) {
  const roleIds = new Set<string>();
  for (const a of fields.authorizations) {
    roleIds.add(a.roleDefinitionId.toLowerCase());
    for (const d of a.delegatedRoleDefinitionIds ?? []) roleIds.add(d.toLowerCase());
  }
  for (const e of fields.eligibleAuthorizations) roleIds.add(e.roleDefinitionId.toLowerCase());
  const roles = new Map<string, RoleDefinition>();
  for (const id of roleIds) {
    const role = (await repos.authorization.getRoleDefinition(id)) ?? findBuiltinRole(id);
    if (role) roles.set(id, role);
  }
  const principalIds = new Set<string>();
  for (const e of fields.eligibleAuthorizations) {
    principalIds.add(e.principalId.toLowerCase());
    for (const a of e.justInTimeAccessPolicy.managedByTenantApprovers ?? []) principalIds.add(a.principalId.toLowerCase());
  }
  const types = new Map<string, PrincipalType>();
  for (const id of principalIds) {
    const type = await principalTypeIn(repos, id);
    if (type) types.set(id, type);
  }
  return {
    findRole: (id: string) => roles.get(id.toLowerCase()),
    principalTypeOf: (id: string) => types.get(id.toLowerCase()),
  };
}

// Tenants are looked up once per call, however many definitions name them; `known` were read already.
function tenantCache(repos: Repositories, known: readonly (readonly [id: string, tenant: Tenant | undefined])[] = []) {
  const cache = new Map(known.map(([id, tenant]) => [id.toLowerCase(), Promise.resolve(tenant)]));
  return (id: string) => {
    const key = id.toLowerCase();
    let hit = cache.get(key);
    if (!hit) {
      hit = repos.identity.getTenant(key);
      cache.set(key, hit);
    }
    return hit;
  };
}

/** Creates the delegation service. */
export function createDelegationService(deps: DelegationServiceDeps) {
  const { store, access, activity, clock } = deps;
  const marketplace = deps.marketplace ?? noMarketplaceDefinitions;
  const engine = access.engine;

  async function viewOf(repos: Repositories, definition: RegistrationDefinition, sub: Subscription, tenant = tenantCache(repos)): Promise<DefinitionView> {
    const [managing, managee] = await Promise.all([tenant(definition.managedByTenantId), tenant(sub.tenantId)]);
    return {
      definition,
      id: definitionResourceId(definition.subscriptionId, definition.id),
      ...(managing ? { managedByTenantName: managing.displayName } : {}),
      manageeTenantId: sub.tenantId,
      ...(managee ? { manageeTenantName: managee.displayName } : {}),
    };
  }

  // One assignment's view: its definition read and viewed with the tenants it names.
  async function assignmentView(repos: Repositories, sub: Subscription, assignment: RegistrationAssignment): Promise<AssignmentView> {
    const definition = await repos.delegation.getDefinition(sub.subscriptionId, assignment.registrationDefinitionId);
    const [view] = await viewsOf(repos, sub, [{ assignment, definition }], tenantCache(repos));
    return view as AssignmentView;
  }

  // Each definition is viewed once, with the tenants `tenant` finds.
  async function viewsOf(repos: Repositories, sub: Subscription, listed: readonly Pick<AssignmentListing, 'assignment' | 'definition'>[], tenant: ReturnType<typeof tenantCache>): Promise<AssignmentView[]> {
    const views = new Map<string, Promise<DefinitionView>>();
    const viewOnce = (definition: RegistrationDefinition) => {
      const key = definition.id.toLowerCase();
      return views.get(key) ?? views.set(key, viewOf(repos, definition, sub, tenant)).get(key)!;
    };
    return Promise.all(listed.map(async ({ assignment, definition }) => {
      const view = definition && (await viewOnce(definition));
      return { assignment, id: assignmentResourceId(assignment.scope, assignment.id), ...(view ? { definition: view } : {}) };
    }));
  }

  const keepTenants = (filter: TenantFilter | undefined) => {
    const wanted = filter?.managedByTenantIds?.map((t) => t.toLowerCase());
    return (managedByTenantId: string | undefined) => !wanted || (managedByTenantId !== undefined && wanted.includes(managedByTenantId.toLowerCase()));
  };

  // Marks Microsoft.ManagedServices registered on the subscription, as a template deployment does.
  async function registerProvider(ctx: RequestContext, repos: Repositories, sub: Subscription): Promise<void> {
    const registrations = await repos.resources.listProviderRegistrations(sub.subscriptionId);
    if (registrations.some((r) => sameId(r.namespace, PROVIDER) && r.registrationState === 'Registered')) return;
    await repos.resources.putProviderRegistration({ subscriptionId: sub.subscriptionId, namespace: PROVIDER, registrationState: 'Registered' });
    await activity.recordOperation(ctx, { operationName: `${PROVIDER}/register/action`, scope: `/subscriptions/${sub.subscriptionId}`, status: 'Succeeded', httpMethod: 'POST', statusCode: 200 }, repos);
  }

  async function delegationChange(ctx: RequestContext, repos: Repositories, kind: 'register' | 'unregister', definition: RegistrationDefinition, sub: Subscription, scope: string) {
    await activity.recordDelegationChange(
      ctx,
      { managingTenantId: definition.managedByTenantId, customerTenantId: sub.tenantId, delegationResourceId: parseScope(scope).id, kind, status: 'Succeeded' },
      repos,
    );
  }

  // Deletes one assignment with its activations and logs it in both tenants' logs.
  async function removeAssignment(ctx: RequestContext, tx: Repositories, sub: Subscription, existing: RegistrationAssignment): Promise<Removed> {
    // Its activations first: each names the assignment (a foreign key, migration 0010).
    const activations = (await tx.delegation.listActivations()).filter(
      (a) => sameId(a.registrationAssignmentId, existing.id) && scopeKey(a.assignmentScope) === scopeKey(existing.scope),
    );
    for (const a of activations) await tx.delegation.deleteActivation(a.id);
    await tx.delegation.deleteAssignment(existing.scope, existing.id);
    const resourceId = assignmentResourceId(existing.scope, existing.id);
    await activity.recordOperation(ctx, { operationName: `${ASSIGNMENTS_TYPE}/delete`, scope: resourceId, status: 'Succeeded', httpMethod: 'DELETE', statusCode: 200 }, tx);
    const definition = await tx.delegation.getDefinition(sub.subscriptionId, existing.registrationDefinitionId);
    if (definition) await delegationChange(ctx, tx, 'unregister', definition, sub, existing.scope);
    const ended = definition ? await endDelegatedRoleAssignments(ctx, tx, activity, existing, definition.managedByTenantId) : [];
    return { assignment: existing, activationIds: activations.map((a) => a.id), roleAssignmentIds: ended.map((a) => a.id) };
  }

  /**
   * A definition naming a marketplace plan must be a plan version the subscription may acquire now
   * (the core's visibility rule; a version it already holds stays acceptable) granting exactly the
   * published manifest of that version.
   */
  async function requireMarketplacePlan(tx: Repositories, sub: Subscription, fields: RegistrationDefinitionFields, existing: RegistrationDefinition | undefined): Promise<void> {
    const plan = fields.plan;
    if (plan === undefined) return;
    const held = existing?.plan;
    const keep = held !== undefined && sameId(held.publisher, plan.publisher) && sameId(held.product, plan.product) && sameId(held.name, plan.name) ? held.version : undefined;
    const { manifest } = requireAvailablePlan(await marketplace.availability(tx, sub.subscriptionId, plan, keep), plan, sub.subscriptionId);
    requireManifestGrants(plan, manifest, fields);
  }

  // Validates and writes a definition in `tx`, with the provider registration and its log entries.
  async function writeDefinition(ctx: RequestContext, tx: Repositories, sub: Subscription, scope: string, name: string, fields: RegistrationDefinitionFields) {
    const now = clock.now().toISOString();
    const { by, byType } = systemDataOf(ctx);
    const resourceId = definitionResourceId(sub.subscriptionId, name);
    const existing = await tx.delegation.getDefinition(sub.subscriptionId, name);
    validateRegistrationDefinition({ scope, name, fields, customerTenantId: sub.tenantId, ...(existing ? { existing } : {}), ...(await lookupsFor(tx, fields)) });
    await requireMarketplacePlan(tx, sub, fields, existing);
    const definition: RegistrationDefinition = {
      id: normalizeGuid(name),
      subscriptionId: sub.subscriptionId,
      ...(fields.registrationDefinitionName !== undefined ? { registrationDefinitionName: fields.registrationDefinitionName } : {}),
      ...(fields.description !== undefined ? { description: fields.description } : {}),
      managedByTenantId: normalizeGuid(fields.managedByTenantId),
      authorizations: fields.authorizations,
      eligibleAuthorizations: fields.eligibleAuthorizations,
      ...(fields.plan ? { plan: fields.plan } : {}),
      ...stamped(existing, now, by, byType),
    };
    await tx.delegation.putDefinition(definition);
    await registerProvider(ctx, tx, sub);
    await activity.recordOperation(ctx, { operationName: `${DEFINITIONS_TYPE}/write`, scope: resourceId, status: 'Succeeded', httpMethod: 'PUT', statusCode: existing ? 200 : 201 }, tx);
    // Changing the authorizations of a live offer changes each delegation made with it (§3.8).
    if (existing && grantsChanged(existing, definition)) {
      const users = (await tx.delegation.listAssignments(`/subscriptions/${sub.subscriptionId}`)).filter((a) => sameId(a.registrationDefinitionId, definition.id));
      for (const a of users) await delegationChange(ctx, tx, 'register', definition, sub, a.scope);
    }
    return { view: await viewOf(tx, definition, sub), created: !existing };
  }

  // Validates and writes an assignment in `tx`, with the provider registration and both tenants' log entries.
  async function writeAssignment(ctx: RequestContext, tx: Repositories, sub: Subscription, scope: string, name: string, registrationDefinitionId: string) {
    const now = clock.now().toISOString();
    const { by, byType } = systemDataOf(ctx);
    const resourceId = assignmentResourceId(scope, name);
    const ref = parseRegistrationDefinitionId(registrationDefinitionId);
    const atScope = (await tx.delegation.listAssignments(scope)).filter((a) => scopeKey(a.scope) === scopeKey(scope));
    const existing = atScope.find((a) => sameId(a.id, name));
    const definition = validateRegistrationAssignment({
      scope,
      name,
      registrationDefinitionId,
      definition: await tx.delegation.getDefinition(ref.subscriptionId, ref.name),
      customerTenantId: sub.tenantId,
      assignmentsAtScope: atScope,
    });
    const assignment: RegistrationAssignment = {
      id: normalizeGuid(name),
      scope: parseScope(scope).id,
      registrationDefinitionId: definition.id,
      ...stamped(existing, now, by, byType),
    };
    await tx.delegation.putAssignment(assignment);
    await registerProvider(ctx, tx, sub);
    await activity.recordOperation(ctx, { operationName: `${ASSIGNMENTS_TYPE}/write`, scope: resourceId, status: 'Succeeded', httpMethod: 'PUT', statusCode: existing ? 200 : 201 }, tx);
    let ended: string[] = [];
    if (existing && !sameId(existing.registrationDefinitionId, definition.id)) {
      const previous = await tx.delegation.getDefinition(sub.subscriptionId, existing.registrationDefinitionId);
      if (previous && !sameId(previous.managedByTenantId, definition.managedByTenantId)) {
        await delegationChange(ctx, tx, 'unregister', previous, sub, scope);
        ended = (await endDelegatedRoleAssignments(ctx, tx, activity, assignment, previous.managedByTenantId)).map((a) => a.id);
      }
    }
    // Re-putting the same delegation changes nothing in the managing tenant's view.
    if (!existing || !sameId(existing.registrationDefinitionId, definition.id)) await delegationChange(ctx, tx, 'register', definition, sub, scope);
    return { view: await assignmentView(tx, sub, assignment), created: !existing, ended };
  }

  // After commit: the engine stops granting at once.
  function forget(removed: Removed): void {
    engine.removeRegistrationAssignment(removed.assignment.scope, removed.assignment.id);
    for (const id of removed.activationIds) engine.removeActivation(id);
    for (const id of removed.roleAssignmentIds) engine.removeRoleAssignment(id);
  }

  /**
   * The subscription whose marketplace a caller sees at `scope`: its own directory's, private plans
   * in its audience included; a managing tenant reading through a delegation sees only what every
   * tenant does (public plans), as the storefront shows it, never the customer's private products.
   */
  async function marketplaceViewer(ctx: RequestContext, scope: string | undefined): Promise<string | undefined> {
    if (scope === undefined) return undefined;
    access.authorize(ctx, `${PROVIDER}/marketplaceRegistrationDefinitions/read`, scope);
    const sub = await requireSubscription(store, scope);
    return ctx.caller === 'system' || sameId(ctx.caller.tenantId, sub.tenantId) ? scope : undefined;
  }

  // A definition write needs registrationDefinitions/write and an onboarder of the customer (§3.4).
  async function requireDefinitionWriter(ctx: RequestContext, scope: string): Promise<Subscription> {
    access.authorize(ctx, `${DEFINITIONS_TYPE}/write`, scope);
    const sub = await requireSubscription(store, scope);
    await requireOnboarder(ctx, sub, access, store.identity);
    return sub;
  }

  return {
    async getDefinition(ctx: RequestContext, scope: string, name: string): Promise<DefinitionView> {
      access.authorize(ctx, `${DEFINITIONS_TYPE}/read`, definitionResourceId(subscriptionOf(scope), name));
      const sub = await requireSubscription(store, scope);
      const definition = await store.delegation.getDefinition(sub.subscriptionId, name);
      if (!definition) throw notFound('RegistrationDefinitionNotFound', `The registration definition '${definitionResourceId(sub.subscriptionId, name)}' could not be found.`);
      return viewOf(store, definition, sub);
    },

    /**
     * The definitions of the scope's subscription. At resource-group scope only the definitions
     * delegated to that resource group, so a provider that manages one resource group doesn't see
     * the other providers' offers on the subscription.
     */
    async listDefinitions(ctx: RequestContext, scope: string, filter?: TenantFilter): Promise<DefinitionView[]> {
      access.authorize(ctx, `${DEFINITIONS_TYPE}/read`, scope);
      const sub = await requireSubscription(store, scope);
      await requireResourceGroup(store, scope);
      let definitions = await store.delegation.listDefinitions(sub.subscriptionId);
      if (parseScope(scope).level === 'resourceGroup') {
        const here = new Set((await store.delegation.listAssignments(scope)).map((a) => a.registrationDefinitionId.toLowerCase()));
        definitions = definitions.filter((d) => here.has(d.id.toLowerCase()));
      }
      const keep = keepTenants(filter);
      const tenant = tenantCache(store);
      return Promise.all(definitions.filter((d) => keep(d.managedByTenantId)).map((d) => viewOf(store, d, sub, tenant)));
    },

    /** Creates or replaces a definition; `created` tells 201 from 200. */
    async putDefinition(ctx: RequestContext, scope: string, name: string, fields: RegistrationDefinitionFields): Promise<{ view: DefinitionView; created: boolean }> {
      const sub = await requireDefinitionWriter(ctx, scope);
      const result = await store.transaction((tx) => writeDefinition(ctx, tx, sub, scope, name, fields));
      engine.putRegistrationDefinition(result.view.definition);
      return result;
    },

    /**
     * Replaces several definitions in one transaction (an offer update accepted for every subscription
     * it is delegated on): each write is authorized and checked as a PUT is, and either all land or none.
     */
    async replaceDefinitions(ctx: RequestContext, writes: readonly { scope: string; name: string; fields: RegistrationDefinitionFields }[]): Promise<DefinitionView[]> {
      const subs: Subscription[] = [];
      for (const w of writes) subs.push(await requireDefinitionWriter(ctx, w.scope));
      const views = await store.transaction(async (tx) => {
        const out: DefinitionView[] = [];
        for (const [i, w] of writes.entries()) out.push((await writeDefinition(ctx, tx, subs[i] as Subscription, w.scope, w.name, w.fields)).view);
        return out;
      });
      for (const v of views) engine.putRegistrationDefinition(v.definition);
      return views;
    },

    /**
     * Deletes a definition; false when there was none. A definition that still backs assignments is
     * refused with 409 `RegistrationDefinitionInUse` rather than cascading: removing access is the
     * assignment's delete, which is logged and announced as such.
     */
    async deleteDefinition(ctx: RequestContext, scope: string, name: string): Promise<boolean> {
      access.authorize(ctx, `${DEFINITIONS_TYPE}/delete`, definitionResourceId(subscriptionOf(scope), name));
      const sub = await requireSubscription(store, scope);
      const resourceId = definitionResourceId(sub.subscriptionId, name);
      await requireOnboarder(ctx, sub, access, store.identity);
      const gone = await store.transaction(async (tx) => {
        const existing = await tx.delegation.getDefinition(sub.subscriptionId, name);
        if (!existing) return undefined;
        const users = (await tx.delegation.listAssignments(`/subscriptions/${sub.subscriptionId}`)).filter((a) => sameId(a.registrationDefinitionId, existing.id));
        if (users.length > 0) {
          throw conflict(
            'RegistrationDefinitionInUse',
            `The registration definition '${resourceId}' is used by ${users.length} registration assignment(s) (${users.map((a) => assignmentResourceId(a.scope, a.id)).join(', ')}). Delete the assignments first.`,
          );
        }
        await tx.delegation.deleteDefinition(sub.subscriptionId, existing.id);
        await activity.recordOperation(ctx, { operationName: `${DEFINITIONS_TYPE}/delete`, scope: resourceId, status: 'Succeeded', httpMethod: 'DELETE', statusCode: 200 }, tx);
        return existing;
      });
      if (!gone) return false;
      engine.removeRegistrationDefinition(gone.subscriptionId, gone.id);
      return true;
    },

    async getAssignment(ctx: RequestContext, scope: string, name: string): Promise<AssignmentView> {
      const resourceId = assignmentResourceId(scope, name);
      access.authorize(ctx, `${ASSIGNMENTS_TYPE}/read`, resourceId);
      const sub = await requireSubscription(store, scope);
      const assignment = await store.delegation.getAssignment(scope, name);
      if (!assignment) throw notFound('RegistrationAssignmentNotFound', `The registration assignment '${resourceId}' could not be found.`);
      return assignmentView(store, sub, assignment);
    },

    /** Assignments at the scope and, at subscription scope, at its resource groups. */
    async listAssignments(ctx: RequestContext, scope: string, filter?: TenantFilter): Promise<AssignmentView[]> {
      access.authorize(ctx, `${ASSIGNMENTS_TYPE}/read`, scope);
      // Read together, settled in ARM's order: no subscription, then no group.
      const group = settledLater(requireResourceGroup(store, scope));
      const listed = settledLater(store.delegation.listAssignmentListing(scope));
      const sub = await requireSubscription(store, scope);
      await group;
      const listing = await listed;
      const known = listing.flatMap((l): [string, Tenant | undefined][] =>
        l.definition ? [[sub.tenantId, l.customerTenant], [l.definition.managedByTenantId, l.managedByTenant]] : [[sub.tenantId, l.customerTenant]]);
      const views = await viewsOf(store, sub, listing, tenantCache(store, known));
      const keep = keepTenants(filter);
      return views.filter((v) => keep(v.definition?.definition.managedByTenantId));
    },

    /** Delegates the definition named by `registrationDefinitionId` at `scope`; `created` tells 201 from 200. */
    async putAssignment(ctx: RequestContext, scope: string, name: string, registrationDefinitionId: string): Promise<{ view: AssignmentView; created: boolean }> {
      access.authorize(ctx, `${ASSIGNMENTS_TYPE}/write`, scope);
      const sub = await requireSubscription(store, scope);
      await requireResourceGroup(store, scope);
      await requireOnboarder(ctx, sub, access, store.identity);
      const result = await store.transaction((tx) => writeAssignment(ctx, tx, sub, scope, name, registrationDefinitionId));
      engine.putRegistrationAssignment(result.view.assignment);
      for (const id of result.ended) engine.removeRoleAssignment(id);
      return { view: result.view, created: result.created };
    },

    /**
     * Delegates several scopes of one subscription with one definition, all in one transaction
     * together with `alsoInTransaction` (the marketplace acquisition record and its lead). Each scope
     * is checked like an ARM PUT: the caller is a member of the customer tenant holding
     * `Microsoft.Authorization/roleAssignments/write` there, and a definition naming a plan is held
     * to the marketplace rules.
     */
    async delegate<T>(
      ctx: RequestContext,
      input: { readonly subscriptionId: string; readonly definitionName: string; readonly fields: RegistrationDefinitionFields; readonly scopes: readonly { readonly scope: string; readonly assignmentName: string }[] },
      alsoInTransaction: (tx: Repositories, delegated: { readonly definition: DefinitionView; readonly assignments: readonly AssignmentView[] }) => Promise<T>,
    ): Promise<T> {
      const subscriptionScope = `/subscriptions/${input.subscriptionId}`;
      if (input.scopes.length === 0) throw invalid('InvalidDelegationScope', 'Name at least one scope to delegate: the subscription or resource groups in it.', 'scopes');
      for (const { scope } of input.scopes) {
        const parsed = parseScope(scope);
        if (!sameId(parsed.subscriptionId ?? '', input.subscriptionId) || (parsed.level !== 'subscription' && parsed.level !== 'resourceGroup')) {
          throw invalid('InvalidDelegationScope', `'${scope}' is neither subscription '${input.subscriptionId}' nor one of its resource groups; delegate each subscription separately.`, 'scopes');
        }
        access.authorize(ctx, `${ASSIGNMENTS_TYPE}/write`, scope);
      }
      const sub = await requireSubscription(store, subscriptionScope);
      for (const { scope } of input.scopes) {
        await requireResourceGroup(store, scope);
        await requireOnboarder(ctx, sub, access, store.identity, parseScope(scope).id);
      }
      const ended: string[] = [];
      const { result, definition, assignments } = await store.transaction(async (tx) => {
        const written = await writeDefinition(ctx, tx, sub, subscriptionScope, input.definitionName, input.fields);
        const views: AssignmentView[] = [];
        for (const { scope, assignmentName } of input.scopes) {
          const put = await writeAssignment(ctx, tx, sub, scope, assignmentName, written.view.id);
          views.push(put.view);
          ended.push(...put.ended);
        }
        return { result: await alsoInTransaction(tx, { definition: written.view, assignments: views }), definition: written.view, assignments: views };
      });
      engine.putRegistrationDefinition(definition.definition);
      for (const a of assignments) engine.putRegistrationAssignment(a.assignment);
      for (const id of ended) engine.removeRoleAssignment(id);
      return result;
    },

    /** Removes a delegation and its live activations; false when there was none. Access ends at once. */
    async deleteAssignment(ctx: RequestContext, scope: string, name: string): Promise<boolean> {
      const resourceId = assignmentResourceId(scope, name);
      access.authorize(ctx, `${ASSIGNMENTS_TYPE}/delete`, resourceId);
      const sub = await requireSubscription(store, scope);
      await requireOffboarder(ctx, sub, resourceId, access, store.identity);
      const gone = await store.transaction(async (tx) => {
        const existing = await tx.delegation.getAssignment(scope, name);
        return existing ? removeAssignment(ctx, tx, sub, existing) : undefined;
      });
      if (!gone) return false;
      forget(gone);
      return true;
    },

    /**
     * Removes every delegation at or below a scope that is being deleted: a resource group takes
     * its registration assignments with it, so a group re-created under the same name is not
     * delegated again. For the resource plane's scope-deletion hook; the caller has authorized the deletion.
     */
    async removeAssignmentsUnder(ctx: RequestContext, scope: string): Promise<void> {
      const subscriptionId = parseScope(scope).subscriptionId;
      const sub = subscriptionId === undefined ? undefined : await store.resources.getSubscription(subscriptionId);
      if (!sub) return;
      const removed = await store.transaction(async (tx) => {
        const out: Removed[] = [];
        for (const a of await tx.delegation.listAssignments(scope)) out.push(await removeAssignment(ctx, tx, sub, a));
        return out;
      });
      removed.forEach(forget);
    },

    /** Published plans visible at `scope` (undefined: tenant level), optionally `planIdentifier eq …`. */
    async listMarketplaceDefinitions(ctx: RequestContext, scope: string | undefined, planIdentifier?: string): Promise<MarketplaceRegistrationDefinition[]> {
      const all = await marketplace.list(await marketplaceViewer(ctx, scope));
      return all.filter((d) => planIdentifier === undefined || matchesMarketplaceIdentifier(d.plan, planIdentifier));
    },

    /** One published plan by identifier; the highest version when the identifier names no version. */
    async getMarketplaceDefinition(ctx: RequestContext, scope: string | undefined, marketplaceIdentifier: string): Promise<MarketplaceRegistrationDefinition> {
      const matches = (await marketplace.list(await marketplaceViewer(ctx, scope))).filter((d) => matchesMarketplaceIdentifier(d.plan, marketplaceIdentifier));
      const best = matches.sort((a, b) => compareVersions(a.plan.version, b.plan.version)).at(-1);
      if (!best) throw notFound('MarketplaceRegistrationDefinitionNotFound', `The marketplace registration definition '${marketplaceIdentifier}' could not be found.`);
      return best;
    },
  };
}

export type DelegationService = ReturnType<typeof createDelegationService>;

// What a managing tenant is granted: a change here is a delegation update.
function grantsChanged(before: RegistrationDefinition, after: RegistrationDefinition): boolean {
  const grants = (d: RegistrationDefinition) => JSON.stringify([d.managedByTenantId, d.authorizations, d.eligibleAuthorizations]);
  return grants(before) !== grants(after);
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

