/**
 * Microsoft.Authorization: role definitions (the built-in catalog the store holds, and custom
 * roles), role assignments and effective permissions. Changes follow the core rules, are stored,
 * then fed to the decision engine. The caller has authorized the request's own action (the ARM
 * guard does); what depends on the caller beyond it lives here: a Lighthouse User Access
 * Administrator delegate may only hand its delegated roles to the customer's managed identities,
 * and managing-tenant callers don't see the customer's role assignments (lighthouse.md §3.8). The
 * principal of an assignment is looked up in the directory, in every tenant, so the core rules see
 * what it really is and where it lives.
 */
import type { RoleAssignmentFilter, RoleDefinitionFilter } from '../../core/arm/authorization-filter.js';
import { validateCustomRoleDefinition } from '../../core/roles/custom-roles.js';
import { roleGuidOf, validateRoleAssignment, type RoleAssignmentRequest } from '../../core/roles/role-assignment-rules.js';
import { DomainError, conflict, invalid, notFound } from '../../core/errors.js';
import { normalizeGuid, sameId } from '../../core/guid.js';
import type { Caller } from '../../core/identity/model.js';
import type { Permission, RoleAssignment, RoleDefinition } from '../../core/rbac/model.js';
import { ancestorScopes, isWithinScope, parseScope, scopeKey } from '../../core/scope.js';
import type { Repositories, Store } from '../../storage/port.js';
import { principalInDirectory } from './directory-principal.js';
import { authorizationFailed, type AccessService } from '../authorization/access-service.js';
import type { Clock, RequestContext } from '../context.js';

export const ROLE_ASSIGNMENTS_TYPE = 'Microsoft.Authorization/roleAssignments';
export const ROLE_DEFINITIONS_TYPE = 'Microsoft.Authorization/roleDefinitions';

export interface CustomRoleInput {
  readonly roleName: string;
  readonly description?: string;
  readonly permissions: readonly Permission[];
  readonly assignableScopes: readonly string[];
}

export interface RbacServiceDeps {
  readonly store: Store;
  readonly access: AccessService;
  readonly clock: Clock;
}

const IN_SUBSCRIPTION = /^\/subscriptions\//i;

function roleAssignmentNotFound(name: string) {
  return notFound('RoleAssignmentNotFound', `The role assignment '${name}' is not found.`);
}

function roleDefinitionNotFound(id: string) {
  return notFound('RoleDefinitionDoesNotExist', `The specified role definition with ID '${id}' does not exist.`);
}

/** The RBAC service; see the module comment. */
export function createRbacService(deps: RbacServiceDeps) {
  const { store, access, clock } = deps;
  const engine = access.engine;

  async function homeTenantOf(scope: string, repos: Repositories = store): Promise<string | undefined> {
    const subscriptionId = parseScope(scope).subscriptionId;
    return subscriptionId ? (await repos.resources.getSubscription(subscriptionId))?.tenantId : undefined;
  }

  const directoryPrincipal = (id: string, repos: Repositories = store) => principalInDirectory(id, repos);

  async function inDirectory(tenantId: string, principalId: string, managedIdentity = false, repos: Repositories = store): Promise<boolean> {
    const p = await directoryPrincipal(principalId, repos);
    return p !== undefined && sameId(p.tenantId, tenantId) && (!managedIdentity || p.managedIdentityResourceId !== undefined);
  }

  // The directory a scope belongs to: its subscription's tenant; at tenant level (`/`, management
  // groups) the caller's own. Undefined only for the platform itself at tenant level.
  async function directoryOf(ctx: RequestContext, scope: string, repos: Repositories = store): Promise<string | undefined> {
    return (await homeTenantOf(scope, repos)) ?? (ctx.caller === 'system' ? undefined : ctx.caller.tenantId);
  }

  // The home directory of each scope in order; undefined for a management group or a scope that does not parse.
  function homesOf(scopes: readonly string[], repos: Repositories): Promise<(string | undefined)[]> {
    return Promise.all(scopes.map((s) => homeTenantOf(s, repos).catch(() => undefined)));
  }

  /**
   * Whether a role may be seen or touched from directory `tenantId`: a built-in anywhere; a custom
   * role only in its own directory (a custom role never spans directories). One written before its
   * directory was recorded has the subscriptions its assignable scopes name to tell; one naming
   * none (management groups only) has no known directory.
   */
  async function roleInDirectory(role: RoleDefinition, tenantId: string | undefined, repos: Repositories = store): Promise<boolean> {
    if (role.roleType === 'BuiltInRole' || tenantId === undefined) return true;
    if (role.tenantId !== undefined) return sameId(role.tenantId, tenantId);
    const homes = (await homesOf(role.assignableScopes, repos)).filter((home) => home !== undefined);
    return homes.length === 0 || homes.some((home) => sameId(home, tenantId));
  }

  // The roles of the world seen from directory `tenantId`: built-ins and its own custom roles.
  async function rolesOfDirectory(tenantId: string | undefined, repos: Repositories = store): Promise<RoleDefinition[]> {
    const roles = await repos.authorization.listRoleDefinitions();
    const mine = await Promise.all(roles.map((r) => roleInDirectory(r, tenantId, repos)));
    return roles.filter((_, i) => mine[i]);
  }

  async function groupsOf(principalId: string): Promise<Set<string>> {
    const memberships = await store.identity.listMemberships();
    const out = new Set<string>([principalId.toLowerCase()]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const m of memberships) {
        if (out.has(m.memberId.toLowerCase()) && !out.has(m.groupId.toLowerCase())) {
          out.add(m.groupId.toLowerCase());
          grew = true;
        }
      }
    }
    return out;
  }

  // A caller from another directory than the scope's (a Lighthouse principal) works there only through
  // delegations, which are not role assignments; it sees just the assignments it may have made itself.
  async function isForeign(ctx: RequestContext, scope: string): Promise<boolean> {
    if (ctx.caller === 'system') return false;
    const home = await homeTenantOf(scope);
    return home !== undefined && !sameId(home, ctx.caller.tenantId);
  }

  // The roles a caller may assign when roleAssignments/write reaches it only through Lighthouse delegations.
  function delegateLimits(caller: Caller, action: string, scope: string): { delegatedRoleDefinitionIds: readonly string[] } | undefined {
    const grants = access.explain(caller, action, scope).grants;
    if (grants.length === 0 || grants.some((g) => g.source === 'roleAssignment')) return undefined;
    return { delegatedRoleDefinitionIds: [...new Set(grants.flatMap((g) => g.delegatedRoleDefinitionIds ?? []))] };
  }

  // Whether the caller may see a role assignment at (or below) a scope of directory `tenantId`.
  // A managing-tenant caller sees only what it may have made through its delegation: the
  // customer's managed identities. An assignment at a tenant-level scope (`/`, a management group:
  // spelled alike in every directory, each directory's own) belongs to the directory of its
  // principal. One below that names a principal of another directory (stored before that was
  // refused) grants nothing (the engine's rule); the customer still sees it, and may delete it.
  async function visible(a: RoleAssignment, tenantId: string | undefined, foreign: boolean, repos: Repositories = store): Promise<boolean> {
    if (foreign && (a.delegatedManagedIdentityResourceId === undefined || tenantId === undefined || !(await inDirectory(tenantId, a.principalId, true, repos)))) return false;
    if (IN_SUBSCRIPTION.test(a.scope) || tenantId === undefined) return true;
    return inDirectory(tenantId, a.principalId, false, repos);
  }

  // The store's order of role assignments: by id, lower-case, character by character.
  const byId = (a: RoleAssignment, b: RoleAssignment) => {
    const [x, y] = [a.id.toLowerCase(), b.id.toLowerCase()];
    return x < y ? -1 : x > y ? 1 : 0;
  };

  /**
   * The role assignments a list at `target` may show: those at it and above it and, unless only
   * `atScope`, below it. Below `/` means in the subscriptions of directory `tenantId` only (`/` is
   * that directory's root); without one (the system) in every subscription.
   */
  async function candidatesFor(target: string, tenantId: string | undefined, atScope: boolean): Promise<RoleAssignment[]> {
    const ancestors = ancestorScopes(target);
    if (atScope) return store.authorization.listRoleAssignmentsAt(ancestors);
    if (scopeKey(target) !== '/') {
      const [above, below] = await Promise.all([store.authorization.listRoleAssignmentsAt(ancestors.slice(1)), store.authorization.listRoleAssignmentsUnder(target)]);
      return [...above, ...below].sort(byId);
    }
    if (tenantId === undefined) return store.authorization.listRoleAssignments();
    const [atRoot, below] = await Promise.all([store.authorization.listRoleAssignmentsAt(['/']), store.authorization.listRoleAssignmentsIn(engine.subscriptionsOfDirectory(tenantId))]);
    return [...atRoot, ...below].sort(byId);
  }

  return {
    /** Role definitions that can be assigned at `scope`: built-ins, and custom roles whose assignable scopes meet it. */
    async listRoleDefinitions(ctx: RequestContext, scope: string, filter: RoleDefinitionFilter = {}): Promise<RoleDefinition[]> {
      const roles = await rolesOfDirectory(await directoryOf(ctx, scope));
      return roles.filter(
        (r) =>
          (r.roleType === 'BuiltInRole' || r.assignableScopes.some((s) => isWithinScope(scope, s) || isWithinScope(s, scope))) &&
          (filter.roleName === undefined || sameId(r.roleName, filter.roleName)) &&
          (filter.type === undefined || r.roleType === filter.type),
      );
    },

    /** A role by id, as seen from the directory of `scope`: another directory's custom role is not found. */
    async getRoleDefinition(ctx: RequestContext, scope: string, id: string): Promise<RoleDefinition> {
      const role = await store.authorization.getRoleDefinition(id);
      if (!role || !(await roleInDirectory(role, await directoryOf(ctx, scope)))) throw roleDefinitionNotFound(id);
      return role;
    },

    /** Creates or updates a custom role; the caller needs roleDefinitions/write on every assignable scope. */
    async putRoleDefinition(ctx: RequestContext, scope: string, id: string, input: CustomRoleInput): Promise<{ role: RoleDefinition; created: boolean }> {
      if (ctx.caller !== 'system' && delegateLimits(ctx.caller, `${ROLE_DEFINITIONS_TYPE}/write`, scope)) {
        throw authorizationFailed(ctx.caller, `${ROLE_DEFINITIONS_TYPE}/write`, scope);
      }
      for (const s of input.assignableScopes) access.authorize(ctx, `${ROLE_DEFINITIONS_TYPE}/write`, s);
      const now = clock.now().toISOString();
      const result = await store.transaction(async (tx) => {
        const tenantId = await directoryOf(ctx, scope, tx);
        const found = await tx.authorization.getRoleDefinition(id);
        // Another directory's role is neither shown nor changed; the GUID is just taken.
        if (found && !(await roleInDirectory(found, tenantId, tx))) {
          throw conflict('RoleDefinitionIdExists', `The role definition ID '${normalizeGuid(id)}' is already used; choose another GUID.`, 'name');
        }
        // Changing a role changes it wherever it may be assigned: the caller needs write there too.
        if (found?.roleType === 'CustomRole') for (const s of found.assignableScopes) access.authorize(ctx, `${ROLE_DEFINITIONS_TYPE}/write`, s);
        // Names are unique within the directory (and against built-ins), as are its custom roles counted.
        const [existing, homes] = await Promise.all([rolesOfDirectory(tenantId, tx), homesOf(input.assignableScopes, tx)]);
        const current = existing.find((r) => sameId(r.id, id));
        // The role's directory: the caller's (or the scope's); for the platform at `/`, the one its scopes name.
        const owner = tenantId ?? current?.tenantId ?? homes.find((home) => home !== undefined);
        const role: RoleDefinition = {
          id: normalizeGuid(id),
          roleName: input.roleName,
          description: input.description ?? '',
          roleType: 'CustomRole',
          permissions: input.permissions,
          assignableScopes: input.assignableScopes,
          scope: current?.scope ?? parseScope(scope).id,
          createdOn: current?.createdOn ?? now,
          updatedOn: now,
          ...(owner !== undefined ? { tenantId: owner } : {}),
        };
        validateCustomRoleDefinition(role, existing, homes);
        await tx.authorization.putRoleDefinition(role);
        return { role, created: !current };
      });
      engine.putRoleDefinition(result.role);
      return result;
    },

    /** Deletes a custom role that no assignment uses; undefined when there was none. */
    async deleteRoleDefinition(ctx: RequestContext, scope: string, id: string): Promise<RoleDefinition | undefined> {
      if (ctx.caller !== 'system' && delegateLimits(ctx.caller, `${ROLE_DEFINITIONS_TYPE}/delete`, scope)) {
        throw authorizationFailed(ctx.caller, `${ROLE_DEFINITIONS_TYPE}/delete`, scope);
      }
      const role = await store.transaction(async (tx) => {
        const found = await tx.authorization.getRoleDefinition(id);
        if (!found || !(await roleInDirectory(found, await directoryOf(ctx, scope, tx), tx))) return undefined;
        if (found.roleType === 'BuiltInRole') {
          throw invalid('InvalidRoleDefinition', `'${found.roleName}' is a built-in role; only custom roles can be deleted.`, 'roleDefinitionId');
        }
        // A role is deleted wherever it may be assigned: the caller needs delete there too.
        for (const s of found.assignableScopes) access.authorize(ctx, `${ROLE_DEFINITIONS_TYPE}/delete`, s);
        const users = await tx.authorization.countRoleAssignmentsOfRole(found.id);
        if (users > 0) {
          throw new DomainError('conflict', 'RoleDefinitionHasAssignments', `There are ${users} existing role assignment(s) referencing role '${found.id}'. Delete them first.`);
        }
        await tx.authorization.deleteRoleDefinition(found.id);
        return found;
      });
      if (role) engine.removeRoleDefinition(role.id);
      return role;
    },

    /**
     * Role assignments that apply at `scope` (at it or above) and, without `atScope()`, below it.
     * Lighthouse access never appears: it is not a role assignment. A managing-tenant caller sees
     * only assignments made for managed identities through its delegation.
     */
    async listRoleAssignments(ctx: RequestContext, scope: string, filter: RoleAssignmentFilter = {}): Promise<RoleAssignment[]> {
      const target = parseScope(scope).id;
      const tenantId = await directoryOf(ctx, target);
      const candidates = await candidatesFor(target, tenantId, filter.atScope === true);
      const principals = filter.assignedTo !== undefined ? await groupsOf(filter.assignedTo) : filter.principalId !== undefined ? new Set([filter.principalId.toLowerCase()]) : undefined;
      const foreign = await isForeign(ctx, target);
      const out: RoleAssignment[] = [];
      for (const a of candidates) {
        if (principals && !principals.has(a.principalId.toLowerCase())) continue;
        if (await visible(a, tenantId, foreign)) out.push(a);
      }
      return out;
    },

    async getRoleAssignment(ctx: RequestContext, scope: string, name: string): Promise<RoleAssignment> {
      const a = await store.authorization.getRoleAssignment(name);
      if (!a || scopeKey(a.scope) !== scopeKey(scope)) throw roleAssignmentNotFound(name);
      if (!(await visible(a, await directoryOf(ctx, scope), await isForeign(ctx, scope)))) throw roleAssignmentNotFound(name);
      return a;
    },

    /** Creates a role assignment (created = true) or confirms an identical one, under ARM's rules. */
    async putRoleAssignment(ctx: RequestContext, request: Omit<RoleAssignmentRequest, 'scope'> & { scope: string; description?: string }): Promise<{ assignment: RoleAssignment; created: boolean }> {
      const scope = parseScope(request.scope).id;
      const lighthouseDelegate = ctx.caller === 'system' ? undefined : delegateLimits(ctx.caller, `${ROLE_ASSIGNMENTS_TYPE}/write`, scope);
      // Checked and written in one transaction: two writers can't both find the name or the triple free.
      const result = await store.transaction(async (tx): Promise<{ assignment: RoleAssignment; created: boolean }> => {
        // Only the role named is read (in the transaction, so a concurrent delete of it is seen), not the whole catalog.
        const roleId = roleGuidOf(request.roleDefinitionId);
        const [role, atScope, count, principal, directoryTenantId] = await Promise.all([
          roleId === undefined ? Promise.resolve(undefined) : tx.authorization.getRoleDefinition(roleId),
          tx.authorization.listRoleAssignmentsUnder(scope),
          parseScope(scope).subscriptionId ? tx.authorization.countRoleAssignmentsInSubscription(parseScope(scope).subscriptionId as string) : Promise.resolve(0),
          directoryPrincipal(request.principalId, tx),
          directoryOf(ctx, scope, tx),
        ]);
        // Another directory's custom role does not exist here (its assignable scopes are not told either).
        const known = role !== undefined && (await roleInDirectory(role, directoryTenantId, tx)) ? role : undefined;
        const valid = validateRoleAssignment(
          { ...request, scope },
          {
            findRole: (id) => (known !== undefined && sameId(known.id, id) ? known : undefined),
            directoryTenantId,
            principal,
            assignmentsAtScope: atScope.filter((a) => scopeKey(a.scope) === scopeKey(scope)),
            assignmentCount: count,
            ...(lighthouseDelegate ? { lighthouseDelegate } : {}),
          },
        );
        const existing = await tx.authorization.getRoleAssignment(request.name);
        if (valid.outcome === 'unchanged' && existing) return { assignment: existing, created: false };
        if (existing && scopeKey(existing.scope) !== scopeKey(scope)) {
          // The name is global; ARM refuses reusing it at another scope, named only to who may see it there.
          const shown = (await visible(existing, await directoryOf(ctx, existing.scope, tx), await isForeign(ctx, existing.scope), tx)) ? ` at scope '${existing.scope}'` : '';
          throw new DomainError('conflict', 'RoleAssignmentExists', `The role assignment '${request.name}' already exists${shown}.`, { target: 'name' });
        }
        const assignment: RoleAssignment = {
          id: normalizeGuid(request.name),
          scope,
          roleDefinitionId: valid.roleDefinitionId,
          principalId: normalizeGuid(request.principalId),
          principalType: valid.principalType,
          ...(request.description !== undefined ? { description: request.description } : {}),
          ...(request.delegatedManagedIdentityResourceId !== undefined ? { delegatedManagedIdentityResourceId: request.delegatedManagedIdentityResourceId } : {}),
          createdAt: clock.now().toISOString(),
          createdBy: ctx.caller === 'system' ? 'Lantern' : ctx.caller.objectId,
        };
        await tx.authorization.putRoleAssignment(assignment);
        return { assignment, created: true };
      });
      if (result.created) engine.putRoleAssignment(result.assignment);
      return result;
    },

    /** Deletes a role assignment; undefined when there was none at that scope. */
    async deleteRoleAssignment(ctx: RequestContext, scope: string, name: string): Promise<RoleAssignment | undefined> {
      // Read and deleted together: the assignment checked is the one deleted, not one re-put under its name meanwhile.
      const a = await store.transaction(async (tx) => {
        const found = await tx.authorization.getRoleAssignment(name);
        if (!found || scopeKey(found.scope) !== scopeKey(scope)) return undefined;
        if (ctx.caller !== 'system') {
          const limits = delegateLimits(ctx.caller, `${ROLE_ASSIGNMENTS_TYPE}/delete`, scope);
          // A delegate may remove only what it may create: its delegated roles on the customer's managed identities.
          if (limits && !(limits.delegatedRoleDefinitionIds.some((id) => sameId(id, found.roleDefinitionId)) && (await visible(found, await homeTenantOf(scope, tx), true, tx)))) {
            throw authorizationFailed(ctx.caller, `${ROLE_ASSIGNMENTS_TYPE}/delete`, `${parseScope(scope).id === '/' ? '' : parseScope(scope).id}/providers/${ROLE_ASSIGNMENTS_TYPE}/${name}`);
          }
          // Another directory's assignment at `/` is not found, as for a GET.
          if (!limits && !(await visible(found, await directoryOf(ctx, scope, tx), false, tx))) return undefined;
        }
        await tx.authorization.deleteRoleAssignment(found.id);
        return found;
      });
      if (a) engine.removeRoleAssignment(a.id);
      return a;
    },

    /** Removes every role assignment at or below a deleted scope. */
    async removeAssignmentsUnder(scope: string): Promise<void> {
      const removed = await store.transaction(async (tx) => {
        const under = await tx.authorization.listRoleAssignmentsUnder(scope);
        for (const a of under) await tx.authorization.deleteRoleAssignment(a.id);
        return under;
      });
      for (const a of removed) engine.removeRoleAssignment(a.id);
    },

    /** The caller's effective permissions at `scope` (ARM's `…/providers/Microsoft.Authorization/permissions`). */
    permissionsAt(ctx: RequestContext, scope: string): Permission[] {
      if (ctx.caller === 'system') return [{ actions: ['*'], notActions: [], dataActions: ['*'], notDataActions: [] }];
      return engine.permissionsAt(ctx.caller.objectId, ctx.caller.tenantId, parseScope(scope).id, clock.now().getTime());
    },
  };
}

export type RbacService = ReturnType<typeof createRbacService>;
