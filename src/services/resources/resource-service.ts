/**
 * The resource plane behind ARM's Microsoft.Resources surface: tenants, subscriptions, resource
 * groups, generic resources and resource provider registrations. The caller has authorized the
 * operation itself (the ARM guard does, from the request's action); lists are narrowed here to
 * what the caller may read, as ARM narrows them.
 */
import { tenantCategories, type TenantCategory } from '../../core/arm/tenant-category.js';
import {
  assertMayUnregister,
  assertNamespaceRegistered,
  canonicalNamespace,
  isAlwaysRegistered,
  KNOWN_NAMESPACES,
} from '../../core/arm/providers.js';
import {
  assertSameResourceGroupLocation,
  mergePatch,
  normalizeLocation,
  validateResourceGroupName,
  validateResourceName,
  validateTags,
  type ResourcePatch,
} from '../../core/arm/resource-rules.js';
import { MAX_PAGE_SIZE, type KeysetPage, type KeysetPageRequest } from '../../core/arm/paging.js';
import { notFound } from '../../core/errors.js';
import { normalizeGuid } from '../../core/guid.js';
import type { Tenant } from '../../core/identity/model.js';
import { KeyedQueue } from '../keyed-queue.js';
import type { GenericResource, ProviderRegistration, ResourceGroup, Subscription, Tags } from '../../core/resources/model.js';
import { parseScope, scopeKey } from '../../core/scope.js';
import type { Repositories, ResourcePageQuery, Store } from '../../storage/port.js';
import { authorizationFailed, type AccessService } from '../authorization/access-service.js';
import type { Clock, RequestContext } from '../context.js';

// The widest batch read while looking for the visible rows of one page.
const MAX_BATCH = MAX_PAGE_SIZE;

export interface TenantView {
  readonly tenant: Tenant;
  readonly tenantCategory: TenantCategory;
}

export interface SubscriptionView {
  readonly subscription: Subscription;
  /** Tenants managing the subscription (or one of its resource groups) through Lighthouse. */
  readonly managedByTenants: readonly string[];
}

export interface ResourceInput {
  readonly location?: string;
  readonly tags?: Tags;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly kind?: string;
  readonly sku?: Readonly<Record<string, unknown>>;
}

export interface ResourceGroupInput {
  readonly location?: string;
  readonly tags?: Tags;
  readonly managedBy?: string;
}

export interface ResourceServiceDeps {
  readonly store: Store;
  readonly access: AccessService;
  readonly clock: Clock;
  /** Removes the role assignments at or below a deleted scope (the RBAC service's job). */
  readonly onScopeDeleted?: (scope: string) => Promise<void>;
}

/** The action that reads a resource group (and lists a subscription's groups). */
export const RG_READ = 'Microsoft.Resources/subscriptions/resourceGroups/read';
const SUB_READ = 'Microsoft.Resources/subscriptions/read';

/** ARM's 404 for a resource group. */
export function resourceGroupNotFound(name: string) {
  return notFound('ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
}

function resourceNotFound(id: string) {
  const p = parseScope(id);
  const typeName = `${p.resourceType ?? ''}/${p.name ?? ''}`;
  return notFound(
    'ResourceNotFound',
    `The Resource '${typeName}' under resource group '${p.resourceGroup ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

/** The resource plane service; see the module comment. */
export function createResourceService(deps: ResourceServiceDeps) {
  const { store, access, clock } = deps;
  // Writes to one resource take turns in this process rather than abort each other in the database.
  const resourceWrites = new KeyedQueue();
  const inTurn = <T>(id: string, work: () => Promise<T>) => resourceWrites.run(scopeKey(id), work);

  async function requireSubscription(subscriptionId: string, repos: Repositories = store): Promise<Subscription> {
    const sub = await repos.resources.getSubscription(subscriptionId);
    if (!sub) throw notFound('SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
    return sub;
  }

  // Subscriptions are never deleted, so a resource group found proves its subscription: the
  // subscription is read only to tell SubscriptionNotFound from ResourceGroupNotFound.
  async function requireResourceGroup(subscriptionId: string, name: string, repos: Repositories = store): Promise<ResourceGroup> {
    return groupFound(subscriptionId, name, await repos.resources.getResourceGroup(subscriptionId, name), repos);
  }

  async function groupFound(subscriptionId: string, name: string, found: ResourceGroup | undefined, repos: Repositories): Promise<ResourceGroup> {
    if (found) return found;
    await requireSubscription(subscriptionId, repos);
    throw resourceGroupNotFound(name);
  }

  // A caller sees a subscription when it may read the subscription or any of its resource groups; the
  // groups of every subscription the first check leaves out are read in one query, not one per subscription.
  async function visible(ctx: RequestContext, subs: readonly Subscription[]): Promise<Subscription[]> {
    const allows = access.allowsEach(ctx);
    const hidden = new Set(subs.filter((sub) => !allows(SUB_READ, `/subscriptions/${sub.subscriptionId}`)));
    if (hidden.size === 0) return [...subs];
    const groups = await store.resources.listResourceGroupsIn([...hidden].map((sub) => sub.subscriptionId));
    const throughGroup = new Set(groups
      .filter((g) => allows(RG_READ, `/subscriptions/${g.subscriptionId}/resourceGroups/${g.name}`))
      .map((g) => g.subscriptionId.toLowerCase()));
    return subs.filter((sub) => !hidden.has(sub) || throughGroup.has(sub.subscriptionId.toLowerCase()));
  }

  async function canSee(ctx: RequestContext, sub: Subscription): Promise<boolean> {
    return (await visible(ctx, [sub])).length === 1;
  }

  // Lists narrowed per item still refuse a caller who can read nothing in the subscription, as ARM does.
  async function requireVisible(ctx: RequestContext, subscriptionId: string, action: string): Promise<Subscription> {
    const sub = await requireSubscription(subscriptionId);
    if (ctx.caller !== 'system' && !(await canSee(ctx, sub))) throw authorizationFailed(ctx.caller, action, `/subscriptions/${sub.subscriptionId}`);
    return sub;
  }

  async function registeredNamespaces(subscriptionId: string, repos: Repositories = store): Promise<Map<string, ProviderRegistration>> {
    return new Map((await repos.resources.listProviderRegistrations(subscriptionId)).map((r) => [r.namespace.toLowerCase(), r]));
  }

  function providerView(subscriptionId: string, namespace: string, stored: ProviderRegistration | undefined): ProviderRegistration {
    if (isAlwaysRegistered(namespace)) return { subscriptionId, namespace, registrationState: 'Registered' };
    return stored ?? { subscriptionId, namespace, registrationState: 'NotRegistered' };
  }


  // The rows of a subscription's (or group's) page that `visible` keeps, for a caller who can see the subscription.
  async function visiblePage<Row>(ctx: RequestContext, subscriptionId: string, resourceGroup: string | undefined, page: KeysetPageRequest,
    read: (query: ResourcePageQuery) => Promise<Row[]>, keyOf: (row: Row) => string, visible: (row: Row) => boolean): Promise<KeysetPage<Row>> {
    await requireVisible(ctx, subscriptionId, 'Microsoft.Resources/subscriptions/resources/read');
    if (resourceGroup !== undefined) await requireResourceGroup(subscriptionId, resourceGroup);
    return keptPage(page, (after, limit) => read({ subscriptionId, resourceGroup, ...(after !== undefined ? { after } : {}), limit }), keyOf, visible);
  }

  // The rows `keep` keeps, read in keyset batches after `page.after`: one row past the page tells
  // whether another follows; sparse rows widen the batch.
  async function keptPage<Row>(page: KeysetPageRequest, read: (after: string | undefined, limit: number) => Promise<Row[]>, keyOf: (row: Row) => string, keep: (row: Row) => boolean): Promise<KeysetPage<Row>> {
    const value: Row[] = [];
    let after = page.after;
    let limit = page.size + 1;
    for (;;) {
      const rows = await read(after, limit);
      for (const row of rows) {
        if (!keep(row)) continue;
        if (value.length === page.size) return { value, lastKey: keyOf(value[value.length - 1]!) };
        value.push(row);
      }
      const last = rows[rows.length - 1];
      if (rows.length < limit || !last) return { value };
      after = keyOf(last);
      limit = Math.min(limit * 2, MAX_BATCH);
    }
  }

  return {
    /** `GET /tenants`: the caller's home tenant and the tenants linked to it by delegations it takes part in. */
    async listTenants(ctx: RequestContext): Promise<TenantView[]> {
      if (ctx.caller === 'system') return (await store.identity.listTenants()).map((tenant) => ({ tenant, tenantCategory: 'Home' as const }));
      const caller = ctx.caller;
      const now = clock.now().getTime();
      // The engine holds every delegation with both directories, so no delegation row is read.
      const links = access.engine.delegationsOf(caller.tenantId).filter((link) =>
        // A managing-tenant caller sees a customer only where one of the delegation's authorizations reaches it.
        link.managingTenantId !== normalizeGuid(caller.tenantId) || access.engine.assignmentsFor(caller.objectId, caller.tenantId, link.scope, now).length > 0);
      const categories = tenantCategories(caller.tenantId, links);
      const tenants = new Map((await store.identity.getTenants(categories.map((c) => c.tenantId))).map((tenant) => [normalizeGuid(tenant.id), tenant]));
      return categories.flatMap(({ tenantId, tenantCategory }) => {
        const tenant = tenants.get(tenantId);
        return tenant ? [{ tenant, tenantCategory }] : [];
      });
    },

    /**
     * `GET /subscriptions`: every subscription the caller can read, or in which it can read a
     * resource group (so a resource-group delegate can pick the subscription, as in the portal).
     */
    async listSubscriptions(ctx: RequestContext): Promise<SubscriptionView[]> {
      const view = (subscription: Subscription): SubscriptionView => ({ subscription, managedByTenants: access.engine.managingTenantsOf(subscription.subscriptionId) });
      if (ctx.caller === 'system') return (await store.resources.listSubscriptions()).map(view);
      // Only subscriptions the engine says a grant of the caller's directory can reach are read.
      const candidates = await store.resources.getSubscriptions(access.engine.subscriptionsReachableFrom(ctx.caller.tenantId));
      return (await visible(ctx, candidates)).map(view);
    },

    async getSubscription(subscriptionId: string): Promise<SubscriptionView> {
      const subscription = await requireSubscription(subscriptionId);
      return { subscription, managedByTenants: access.engine.managingTenantsOf(subscription.subscriptionId) };
    },

    /**
     * Resource groups of a subscription the caller may read (all of them with read on the
     * subscription); a caller who can read nothing in the subscription is refused.
     */
    async listResourceGroups(ctx: RequestContext, subscriptionId: string): Promise<ResourceGroup[]> {
      const sub = await requireVisible(ctx, subscriptionId, 'Microsoft.Resources/subscriptions/resourceGroups/read');
      const groups = await store.resources.listResourceGroups(sub.subscriptionId);
      const allows = access.allowsEach(ctx);
      return groups.filter((g) => allows(RG_READ, `/subscriptions/${sub.subscriptionId}/resourceGroups/${g.name}`));
    },

    getResourceGroup: requireResourceGroup,

    /** PUT: creates (created = true) or updates a resource group; its location can't change. */
    async putResourceGroup(subscriptionId: string, name: string, input: ResourceGroupInput): Promise<{ group: ResourceGroup; created: boolean }> {
      validateResourceGroupName(name);
      await requireSubscription(subscriptionId);
      const location = normalizeLocation(input.location, true) as string;
      const tags = validateTags(input.tags);
      return store.transaction(async (tx) => {
        const existing = await tx.resources.getResourceGroup(subscriptionId, name);
        if (existing) assertSameResourceGroupLocation(existing.location, location);
        const group: ResourceGroup = {
          subscriptionId,
          name: existing?.name ?? name,
          location,
          tags,
          ...(input.managedBy !== undefined ? { managedBy: input.managedBy } : {}),
        };
        await tx.resources.putResourceGroup(group);
        return { group, created: !existing };
      });
    },

    /** PATCH: replaces tags and managedBy when given. */
    async patchResourceGroup(subscriptionId: string, name: string, patch: ResourceGroupInput): Promise<ResourceGroup> {
      return store.transaction(async (tx) => {
        const current = await requireResourceGroup(subscriptionId, name, tx);
        if (patch.location !== undefined) assertSameResourceGroupLocation(current.location, normalizeLocation(patch.location, true) as string);
        const group: ResourceGroup = {
          ...current,
          ...(patch.tags !== undefined ? { tags: validateTags(patch.tags) } : {}),
          ...(patch.managedBy !== undefined ? { managedBy: patch.managedBy } : {}),
        };
        await tx.resources.putResourceGroup(group);
        return group;
      });
    },

    /** Deletes a resource group with every resource (and role assignment) in it. */
    async deleteResourceGroup(subscriptionId: string, name: string): Promise<void> {
      // The group and its resources go together: a resource put meanwhile either lands before (and goes) or finds no group.
      const scope = await store.transaction(async (tx) => {
        const group = await requireResourceGroup(subscriptionId, name, tx);
        const groupScope = `/subscriptions/${subscriptionId}/resourceGroups/${group.name}`;
        await tx.resources.deleteResourcesUnder(groupScope);
        await tx.resources.deleteResourceGroup(subscriptionId, group.name);
        return groupScope;
      });
      await deps.onScopeDeleted?.(scope);
    },

    /**
     * One page of the resources of a subscription or resource group that the caller may read and
     * `matches` keeps, in scope-key order after `page.after`. The database serves keyset batches and
     * the engine decides each row, so a page costs the same however large the subscription is.
     */
    async pageResources(ctx: RequestContext, subscriptionId: string, resourceGroup: string | undefined, matches: (r: GenericResource) => boolean, page: KeysetPageRequest): Promise<KeysetPage<GenericResource>> {
      const reads = access.readsEach(ctx);
      return visiblePage(ctx, subscriptionId, resourceGroup, page, (query) => store.resources.pageResources(query), (r) => scopeKey(r.id), (r) => matches(r) && reads(r.type, r.id));
    },

    /** The same page with nothing filtered out but what the caller may not read, each resource as its listing's JSON. */
    async pageResourceListings(ctx: RequestContext, subscriptionId: string, resourceGroup: string | undefined, page: KeysetPageRequest): Promise<KeysetPage<string>> {
      const reads = access.readsEach(ctx);
      const listed = await visiblePage(ctx, subscriptionId, resourceGroup, page, (query) => store.resources.pageResourceListings(query), (r) => r.key, (r) => reads(r.type, r.key));
      return { ...listed, value: listed.value.map((r) => r.listing) };
    },

    /**
     * A page of a collection (`{group}/providers/{namespace}/{type}`, `{resource}/{childType}`): the
     * resources of `type` directly under `parent` that the caller may read. Their ids all begin with the
     * collection's path, so the page is read from that range of keys, not from the whole group.
     */
    async pageChildren(ctx: RequestContext, collection: string, parent: string, type: string, page: KeysetPageRequest): Promise<KeysetPage<GenericResource>> {
      const p = parseScope(parent);
      if (!p.subscriptionId || !p.resourceGroup) throw resourceNotFound(parent);
      await requireResourceGroup(p.subscriptionId, p.resourceGroup);
      if (p.level === 'resource' && !(await store.resources.getResource(p.id))) throw resourceNotFound(p.id);
      const reads = access.readsEach(ctx);
      const subscriptionId = p.subscriptionId;
      const parentKey = scopeKey(p.id);
      const typeKey = type.toLowerCase();
      return keptPage(page, (after, limit) => store.resources.pageResourcesUnder({ subscriptionId, under: collection, ...(after !== undefined ? { after } : {}), limit }), (r) => scopeKey(r.id),
        (r) => r.type.toLowerCase() === typeKey && scopeKey(parseScope(r.id).parent ?? '') === parentKey && reads(r.type, r.id));
    },

    async getResource(id: string): Promise<GenericResource> {
      const resource = await store.resources.getResource(id);
      if (!resource) throw resourceNotFound(id);
      return resource;
    },

    /**
     * PUT by id: creates (created = true) or replaces a resource. Needs the resource group, the
     * parent resource of a child or extension resource, and the namespace registered.
     */
    async putResource(id: string, input: ResourceInput): Promise<{ resource: GenericResource; created: boolean }> {
      const p = parseScope(id);
      if (p.level !== 'resource' || !p.subscriptionId || !p.resourceGroup || !p.namespace || !p.resourceType || !p.name) throw resourceNotFound(id);
      validateResourceName(p.name, 'name');
      const { subscriptionId, resourceGroup, namespace, resourceType, name, parent } = p;
      const location = normalizeLocation(input.location, false);
      const tags = validateTags(input.tags);
      // Group, parent, registration and the resource itself are checked in the transaction that writes it.
      return inTurn(id, () => store.transaction(async (tx) => {
        const placement = await tx.resources.getPlacement(subscriptionId, resourceGroup, namespace);
        const group = await groupFound(subscriptionId, resourceGroup, placement.group, tx);
        const registration = placement.registration;
        assertNamespaceRegistered(namespace, subscriptionId, () => registration?.registrationState === 'Registered');
        if (parent && parseScope(parent).level === 'resource' && !(await tx.resources.getResource(parent))) {
          throw notFound('ParentResourceNotFound', `Can not perform requested operation on nested resource. Parent resource '${parent}' not found.`);
        }
        const now = clock.now().toISOString();
        const resourceAs = (existing: GenericResource | undefined): GenericResource => ({
          id: existing?.id ?? p.id.replace(/\/resourcegroups\/[^/]+/i, `/resourceGroups/${group.name}`),
          subscriptionId,
          resourceGroup: group.name,
          type: resourceType,
          name,
          ...(location !== undefined ? { location } : {}),
          tags,
          ...(input.kind !== undefined ? { kind: input.kind } : {}),
          ...(input.sku !== undefined ? { sku: input.sku } : {}),
          properties: input.properties ?? {},
          createdAt: existing?.createdAt ?? now,
          changedAt: now,
        });
        // A create is an insert that finds no row; a replace keeps the id's spelling and the creation time of the one it finds.
        const created = resourceAs(undefined);
        const existing = await tx.resources.insertResourceOrFind(created);
        if (!existing) return { resource: created, created: true };
        const resource = resourceAs(existing);
        await tx.resources.putResource(resource);
        return { resource, created: false };
      }));
    },

    /** PATCH by id: tags, sku and kind replace; properties merge. */
    async patchResource(id: string, patch: ResourcePatch): Promise<GenericResource> {
      return inTurn(id, () => store.transaction(async (tx) => {
        const current = await tx.resources.getResource(id);
        if (!current) throw resourceNotFound(id);
        const resource = { ...mergePatch(current, patch), changedAt: clock.now().toISOString() };
        await tx.resources.putResource(resource);
        return resource;
      }));
    },

    /** DELETE by id with its child resources; false when there was nothing to delete. */
    async deleteResource(id: string): Promise<boolean> {
      const current = await inTurn(id, () => store.transaction(async (tx) => {
        const found = await tx.resources.getResource(id);
        if (found) await tx.resources.deleteResourcesUnder(found.id);
        return found;
      }));
      if (!current) return false;
      await deps.onScopeDeleted?.(current.id);
      return true;
    },

    /** Every provider the subscription has registered, plus the known catalog, by namespace. */
    async listProviders(subscriptionId: string): Promise<ProviderRegistration[]> {
      await requireSubscription(subscriptionId);
      const registrations = await registeredNamespaces(subscriptionId);
      const names = new Map(KNOWN_NAMESPACES.map((n) => [n.toLowerCase(), n]));
      for (const r of registrations.values()) if (!names.has(r.namespace.toLowerCase())) names.set(r.namespace.toLowerCase(), r.namespace);
      return [...names.values()].sort((a, b) => a.localeCompare(b)).map((n) => providerView(subscriptionId, n, registrations.get(n.toLowerCase())));
    },

    async getProvider(subscriptionId: string, namespace: string): Promise<ProviderRegistration> {
      await requireSubscription(subscriptionId);
      const name = canonicalNamespace(namespace);
      return providerView(subscriptionId, name, (await registeredNamespaces(subscriptionId)).get(name.toLowerCase()));
    },

    /** Registers a namespace; completes at once (ARM reports `Registering` first, then `Registered`). */
    async registerProvider(subscriptionId: string, namespace: string): Promise<ProviderRegistration> {
      await requireSubscription(subscriptionId);
      const name = canonicalNamespace(namespace);
      const registration: ProviderRegistration = { subscriptionId, namespace: name, registrationState: 'Registered' };
      if (!isAlwaysRegistered(name)) await store.resources.putProviderRegistration(registration);
      return registration;
    },

    /** Unregisters a namespace that no resource of the subscription uses. */
    async unregisterProvider(subscriptionId: string, namespace: string): Promise<ProviderRegistration> {
      await requireSubscription(subscriptionId);
      const name = canonicalNamespace(namespace);
      const registration: ProviderRegistration = { subscriptionId, namespace: name, registrationState: 'NotRegistered' };
      // No resource of the namespace may be put between the check and the write.
      await store.transaction(async (tx) => {
        const inUse = (await tx.resources.listResources(subscriptionId)).filter((r) => r.type.toLowerCase().startsWith(`${name.toLowerCase()}/`)).map((r) => r.type);
        assertMayUnregister(name, inUse);
        await tx.resources.putProviderRegistration(registration);
      });
      return registration;
    },

    /** The subscription a scope belongs to (for the activity log and cross-tenant checks), cached by the caller. */
    subscriptionOf: (subscriptionId: string) => store.resources.getSubscription(subscriptionId),

    /** Throws ARM's 404 for the first missing level of `scope` (subscription, resource group, resource). */
    async requireScope(scope: string): Promise<void> {
      const p = parseScope(scope);
      if (p.level === 'root' || p.level === 'managementGroup' || !p.subscriptionId) return;
      if (!p.resourceGroup) {
        await requireSubscription(p.subscriptionId);
        return;
      }
      await requireResourceGroup(p.subscriptionId, p.resourceGroup);
      if (p.level === 'resource' && !(await store.resources.getResource(p.id))) throw resourceNotFound(p.id);
    },

    /** True when `scope` exists. */
    async scopeExists(scope: string): Promise<boolean> {
      const p = parseScope(scope);
      if (p.level === 'root' || p.level === 'managementGroup') return true;
      if (!p.subscriptionId || !(await store.resources.getSubscription(p.subscriptionId))) return false;
      if (p.level === 'subscription') return true;
      if (!p.resourceGroup || !(await store.resources.getResourceGroup(p.subscriptionId, p.resourceGroup))) return false;
      if (p.level === 'resourceGroup') return true;
      return (await store.resources.getResource(p.id)) !== undefined;
    },
  };
}

export type ResourceService = ReturnType<typeof createResourceService>;
