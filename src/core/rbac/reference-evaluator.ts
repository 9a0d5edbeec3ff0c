/**
 * A deliberately plain statement of the decision rules (lighthouse.md §4.3–4.5): every write is kept
 * as given, every check scans everything with one regex per pattern. Slow on purpose and written
 * independently of the engine's indexes, so the property test can hold the engine to it.
 */
import { DomainError } from '../errors.js';
import type { EligibleActivation, RegistrationAssignment, RegistrationDefinition } from '../delegation/model.js';
import type { GroupMembership } from '../identity/model.js';
import { isWithinScope, parseScope, scopeKey } from '../scope.js';
import { ALL_PRINCIPALS } from './model.js';
import type { DenyAssignment, Permission, RoleAssignment, RoleDefinition } from './model.js';
import type { CheckRequest } from './engine.js';

const lower = (s: string) => s.toLowerCase();

/** The reference semantics of AuthorizationEngine.check, for tests. */
export class ReferenceEvaluator {
  private readonly roles = new Map<string, RoleDefinition>();
  private readonly roleAssignments = new Map<string, RoleAssignment>();
  private readonly denyAssignments = new Map<string, DenyAssignment>();
  private memberships: GroupMembership[] = [];
  private readonly definitions = new Map<string, RegistrationDefinition>();
  private readonly registrations = new Map<string, RegistrationAssignment>();
  private readonly activations = new Map<string, EligibleActivation>();
  private readonly subscriptionTenants = new Map<string, string>();

  /** Records the home tenant of a subscription. */
  putSubscription(subscriptionId: string, tenantId: string): void {
    this.subscriptionTenants.set(lower(subscriptionId), lower(tenantId));
  }

  /** Adds or replaces a role definition. */
  putRoleDefinition(role: RoleDefinition): void {
    this.roles.set(lower(role.id), role);
  }
  /** Removes a role definition. */
  removeRoleDefinition(id: string): boolean {
    return this.roles.delete(lower(id));
  }
  /** Adds or replaces a role assignment. */
  putRoleAssignment(a: RoleAssignment): void {
    this.roleAssignments.set(lower(a.id), a);
  }
  /** Removes a role assignment. */
  removeRoleAssignment(id: string): boolean {
    return this.roleAssignments.delete(lower(id));
  }
  /** Adds or replaces a deny assignment. */
  putDenyAssignment(d: DenyAssignment): void {
    this.denyAssignments.set(lower(d.id), d);
  }
  /** Removes a deny assignment. */
  removeDenyAssignment(id: string): boolean {
    return this.denyAssignments.delete(lower(id));
  }
  /** Adds a direct membership, refusing cycles. */
  putMembership(m: GroupMembership): void {
    if (lower(m.groupId) === lower(m.memberId) || this.groupsOf(m.groupId).has(lower(m.memberId))) {
      throw new DomainError('invalid', 'GroupMembershipCycle', `cycle through '${m.groupId}' and '${m.memberId}'`, { target: 'memberId' });
    }
    this.removeMembership(m.groupId, m.memberId);
    this.memberships.push(m);
  }
  /** Removes a direct membership. */
  removeMembership(groupId: string, memberId: string): boolean {
    const before = this.memberships.length;
    this.memberships = this.memberships.filter((m) => !(lower(m.groupId) === lower(groupId) && lower(m.memberId) === lower(memberId)));
    return this.memberships.length < before;
  }
  /** Adds or replaces a registration definition. */
  putRegistrationDefinition(d: RegistrationDefinition): void {
    this.definitions.set(lower(`${d.subscriptionId}/${d.id}`), d);
  }
  /** Removes a registration definition. */
  removeRegistrationDefinition(subscriptionId: string, id: string): boolean {
    return this.definitions.delete(lower(`${subscriptionId}/${id}`));
  }
  /** Adds or replaces a registration assignment. */
  putRegistrationAssignment(a: RegistrationAssignment): void {
    this.registrations.set(`${scopeKey(a.scope)}|${lower(a.id)}`, a);
  }
  /** Removes a registration assignment. */
  removeRegistrationAssignment(scope: string, id: string): boolean {
    return this.registrations.delete(`${scopeKey(scope)}|${lower(id)}`);
  }
  /** Adds or replaces an activation. */
  putActivation(a: EligibleActivation): void {
    this.activations.set(lower(a.id), a);
  }
  /** Removes an activation. */
  removeActivation(id: string): boolean {
    return this.activations.delete(lower(id));
  }

  /** Every group `principalId` is in, by breadth-first search over the direct memberships. */
  groupsOf(principalId: string): Set<string> {
    const found = new Set<string>();
    const queue = [lower(principalId)];
    for (let x = queue.shift(); x !== undefined; x = queue.shift()) {
      for (const m of this.memberships) {
        if (lower(m.memberId) === x && !found.has(lower(m.groupId))) {
          found.add(lower(m.groupId));
          queue.push(lower(m.groupId));
        }
      }
    }
    return found;
  }

  /** The decision for `req`; `req.at` is required here. */
  check(req: CheckRequest): boolean {
    const at = req.at ?? NaN;
    const ids = this.groupsOf(req.principalId).add(lower(req.principalId));
    const tenant = lower(req.tenantId);
    const data = req.dataAction === true;
    const allows = (roleId: string) => {
      const role = this.roles.get(lower(roleId));
      return role !== undefined && permits(role.permissions, req.action, data);
    };
    const definitionOf = (reg: RegistrationAssignment) =>
      this.definitions.get(lower(`${parseScope(reg.scope).subscriptionId ?? ''}/${reg.registrationDefinitionId}`));

    // `/` is the root of the caller's own directory: it reaches a subscription only of that tenant.
    const targetSubscription = parseScope(req.scope).subscriptionId;
    const directory = targetSubscription === undefined ? undefined : this.subscriptionTenants.get(lower(targetSubscription));
    const rootReaches = targetSubscription === undefined || directory === tenant;
    // A role assignment names a principal of the scope's directory. The caller and its groups are
    // objects of the caller's tenant, so in a subscription of another tenant no role assignment applies.
    const ownDirectory = directory === undefined || directory === tenant;
    const byRole =
      ownDirectory &&
      [...this.roleAssignments.values()].some(
        (a) => ids.has(lower(a.principalId)) && isWithinScope(req.scope, a.scope) && (scopeKey(a.scope) !== '/' || rootReaches) && allows(a.roleDefinitionId),
      );
    const byDelegation = [...this.registrations.values()].some((reg) => {
      const def = definitionOf(reg);
      return (
        def !== undefined &&
        isWithinScope(req.scope, reg.scope) &&
        lower(def.managedByTenantId) === tenant &&
        def.authorizations.some((a) => ids.has(lower(a.principalId)) && allows(a.roleDefinitionId))
      );
    });
    const byActivation = [...this.activations.values()].some((act) => {
      const reg = this.registrations.get(`${scopeKey(act.assignmentScope)}|${lower(act.registrationAssignmentId)}`);
      const def = reg && definitionOf(reg);
      return (
        def !== undefined &&
        lower(act.principalId) === lower(req.principalId) &&
        lower(act.managedByTenantId) === tenant &&
        lower(def.managedByTenantId) === tenant &&
        Date.parse(act.startsAt) <= at &&
        at < Date.parse(act.endsAt) &&
        isWithinScope(req.scope, act.assignmentScope) &&
        def.eligibleAuthorizations.some((e) => ids.has(lower(e.principalId)) && lower(e.roleDefinitionId) === lower(act.roleDefinitionId)) &&
        allows(act.roleDefinitionId)
      );
    });
    if (!byRole && !byDelegation && !byActivation) return false;

    const denied = [...this.denyAssignments.values()].some((d) => {
      const atScope = d.doNotApplyToChildScopes ? scopeKey(req.scope) === scopeKey(d.scope) : isWithinScope(req.scope, d.scope);
      const everyone = (p: { id: string; type: string }) => p.id === ALL_PRINCIPALS && p.type === 'SystemDefined';
      const named = (p: { id: string; type: string }) => !everyone(p) && ids.has(lower(p.id));
      return atScope && d.principals.some((p) => everyone(p) || named(p)) && !d.excludePrincipals.some(named) && permits(d.permissions, req.action, data);
    });
    return !denied;
  }
}

function permits(blocks: readonly Permission[], action: string, data: boolean): boolean {
  return blocks.some((b) =>
    data ? anyMatch(b.dataActions, action) && !anyMatch(b.notDataActions, action) : anyMatch(b.actions, action) && !anyMatch(b.notActions, action),
  );
}

function anyMatch(patterns: readonly string[], action: string): boolean {
  return patterns.some((p) => {
    const source = p
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${source}$`, 'i').test(action);
  });
}
