/**
 * Bulk role assignments into the database (`lantern roles import-assignments`): every row checked as
 * its ARM PUT would be (the directory, not the file, says what each principal is and where it lives),
 * then all written in one transaction in multi-row statements, or nothing. It runs while no server
 * serves the database; the next start's engine reads them.
 */
import { validateRoleAssignmentImport } from '../../core/roles/role-assignment-import.js';
import type { DirectoryPrincipal, RoleAssignmentRequest } from '../../core/roles/role-assignment-rules.js';
import { normalizeGuid } from '../../core/guid.js';
import type { RoleAssignment } from '../../core/rbac/model.js';
import { parseScope, scopeKey } from '../../core/scope.js';
import type { Store } from '../../storage/port.js';
import type { Clock } from '../context.js';
import { principalInDirectory } from './directory-principal.js';

export interface RoleAssignmentImportSummary {
  readonly created: number;
  /** Rows naming an assignment that already exists as given (an import run again). */
  readonly unchanged: number;
}

// The subscription a scope lies in; undefined at tenant level or for a scope the rules will refuse.
// Memoized per import: 10^5 rows and assignments name a few thousand scopes.
function subscriptionFinder(): (scope: string) => string | undefined {
  const known = new Map<string, string | undefined>();
  return (scope) => {
    if (known.has(scope)) return known.get(scope);
    let subscription: string | undefined;
    try {
      subscription = parseScope(scope).subscriptionId?.toLowerCase();
    } catch {
      subscription = undefined;
    }
    known.set(scope, subscription);
    return subscription;
  };
}

/** Imports `rows` in one transaction: all of them, or none when any breaks a rule (InvalidRoleAssignmentImport names each). */
export async function importRoleAssignments(store: Store, clock: Clock, rows: readonly RoleAssignmentRequest[]): Promise<RoleAssignmentImportSummary> {
  const subscriptionOf = subscriptionFinder();
  return store.transaction(async (tx) => {
    const roles = new Map((await tx.authorization.listRoleDefinitions()).map((r) => [r.id.toLowerCase(), r]));
    const subscriptions = [...new Set(rows.map((r) => subscriptionOf(r.scope)).filter((s) => s !== undefined))];
    const tenants = new Map((await tx.resources.getSubscriptions(subscriptions)).map((s) => [s.subscriptionId.toLowerCase(), s.tenantId]));
    const principals = new Map<string, DirectoryPrincipal | undefined>();
    for (const id of new Set(rows.map((r) => r.principalId.toLowerCase()))) principals.set(id, await principalInDirectory(id, tx));
    const atScope = new Map<string, RoleAssignment[]>();
    const perSubscription = new Map<string, number>();
    const byName = new Map<string, string>();
    const keys = new Map<string, string>();
    for (const a of await tx.authorization.listRoleAssignments()) {
      byName.set(a.id.toLowerCase(), a.scope);
      const key = keys.get(a.scope) ?? keys.set(a.scope, scopeKey(a.scope)).get(a.scope)!;
      const here = atScope.get(key);
      if (here) here.push(a);
      else atScope.set(key, [a]);
      const sub = subscriptionOf(a.scope) ?? key;
      perSubscription.set(sub, (perSubscription.get(sub) ?? 0) + 1);
    }
    const valid = validateRoleAssignmentImport(rows, {
      findRole: (id) => roles.get(id.toLowerCase()),
      principal: (id) => principals.get(id.toLowerCase()),
      // At tenant level with no caller, the rules take the principal's own directory.
      directoryTenantId: (scope) => tenants.get(subscriptionOf(scope) ?? ''),
      assignmentsAt: (scope) => atScope.get(scopeKey(scope)) ?? [],
      assignmentCount: (scope) => perSubscription.get(subscriptionOf(scope) ?? scopeKey(scope)) ?? 0,
      scopeOfExisting: (name) => byName.get(name.toLowerCase()),
    });
    const now = clock.now().toISOString();
    const created: RoleAssignment[] = valid.filter((v) => v.outcome === 'create').map((v) => ({
      id: normalizeGuid(v.request.name),
      scope: parseScope(v.request.scope).id,
      roleDefinitionId: v.roleDefinitionId,
      principalId: normalizeGuid(v.request.principalId),
      principalType: v.principalType,
      createdAt: now,
      createdBy: 'Lantern',
    }));
    await tx.authorization.putRoleAssignments(created);
    return { created: created.length, unchanged: valid.length - created.length };
  });
}
