/**
 * Every access that flowed from a Lighthouse delegation ends with it: when a registration
 * assignment goes (or passes to another managing tenant), the role assignments a principal of the
 * managing tenant made at or below its scope (for the customer's managed identities, or anything
 * stored before the write-time rules refused more) are deleted in the same transaction, and logged.
 */
import type { RegistrationAssignment } from '../../core/delegation/model.js';
import type { RoleAssignment } from '../../core/rbac/model.js';
import { outlivesDelegation } from '../../core/roles/role-assignment-rules.js';
import { parseScope } from '../../core/scope.js';
import type { Repositories } from '../../storage/port.js';
import type { ActivityService } from '../activity/activity-service.js';
import type { RequestContext } from '../context.js';
import { ROLE_ASSIGNMENTS_TYPE } from './rbac-service.js';

/**
 * Deletes, inside `tx`, the role assignments that flowed from the ended delegation of
 * `managingTenantId` at `delegation.scope`; returns them, for the engine to forget after commit.
 * The ended registration assignment must be deleted (or replaced) in `tx` already.
 */
export async function endDelegatedRoleAssignments(
  ctx: RequestContext,
  tx: Repositories,
  activity: ActivityService,
  delegation: Pick<RegistrationAssignment, 'scope'>,
  managingTenantId: string,
): Promise<RoleAssignment[]> {
  const subscriptionId = parseScope(delegation.scope).subscriptionId;
  if (subscriptionId === undefined) return [];
  const remaining: string[] = [];
  for (const other of await tx.delegation.listAssignments(`/subscriptions/${subscriptionId}`)) {
    const definition = await tx.delegation.getDefinition(subscriptionId, other.registrationDefinitionId);
    if (definition && definition.managedByTenantId.toLowerCase() === managingTenantId.toLowerCase()) remaining.push(other.scope);
  }
  const ended: RoleAssignment[] = [];
  for (const a of await tx.authorization.listRoleAssignmentsUnder(delegation.scope)) {
    if (outlivesDelegation(a, await creatorTenantOf(tx, a.createdBy), managingTenantId, remaining)) continue;
    await tx.authorization.deleteRoleAssignment(a.id);
    await activity.recordOperation(
      ctx,
      { operationName: `${ROLE_ASSIGNMENTS_TYPE}/delete`, scope: `${a.scope}/providers/${ROLE_ASSIGNMENTS_TYPE}/${a.id}`, status: 'Succeeded', httpMethod: 'DELETE', statusCode: 200 },
      tx,
    );
    ended.push(a);
  }
  return ended;
}

// The tenant of the principal that made an assignment (`createdBy` is its object id, or the platform's name).
async function creatorTenantOf(tx: Repositories, createdBy: string): Promise<string | undefined> {
  return ((await tx.identity.getUser(createdBy)) ?? (await tx.identity.getServicePrincipal(createdBy)))?.tenantId;
}
