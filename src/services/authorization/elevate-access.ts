/**
 * Elevated access (`POST /providers/Microsoft.Authorization/elevateAccess`): a Global Administrator
 * of a directory makes itself User Access Administrator at `/`, the root of its own tenant, so it
 * can assign roles there — Monitoring Reader at `/` is what reads the managing tenant's tenant-level
 * activity log (lighthouse.md §3.8). Only a user holding Global Administrator in the tenant of its
 * token may elevate; `/` reaches only that tenant's subscriptions (the engine's root rule). Removing
 * the elevation is deleting that role assignment, as in Azure.
 */
import { GLOBAL_ADMINISTRATOR } from '../../core/identity/directory-roles.js';
import { DomainError } from '../../core/errors.js';
import { USER_ACCESS_ADMINISTRATOR } from '../../core/roles/builtin-catalog.js';
import type { DirectoryRoleService } from '../identity/directory-roles.js';
import type { RbacService } from '../rbac/rbac-service.js';
import type { AccessService } from './access-service.js';
import { callerName, type IdGenerator, type RequestContext } from '../context.js';

const ACTION = 'Microsoft.Authorization/elevateAccess/action';

function refuse(ctx: RequestContext, why: string): DomainError {
  const caller = ctx.caller === 'system' ? undefined : ctx.caller;
  return new DomainError('forbidden', 'AuthorizationFailed', `The client '${callerName(ctx)}' with object id '${caller?.objectId ?? ''}' does not have authorization to perform action '${ACTION}' over scope '/': ${why}`);
}

/** Creates the elevate-access service. */
export function createElevateAccessService(deps: { access: AccessService; rbac: RbacService; directoryRoles: DirectoryRoleService; ids: IdGenerator }) {
  const { access, rbac, directoryRoles, ids } = deps;
  return {
    /** Gives the calling Global Administrator User Access Administrator at `/` (once: a repeat changes nothing). */
    async elevate(ctx: RequestContext): Promise<void> {
      const caller = ctx.caller;
      if (caller === 'system') throw refuse(ctx, 'the operator has no directory to elevate in.');
      if (caller.principalType !== 'User') throw refuse(ctx, 'only a user can elevate access; service principals are assigned roles at "/" by an elevated Global Administrator.');
      if (!(await directoryRoles.holds(caller.tenantId, caller.objectId, GLOBAL_ADMINISTRATOR))) {
        throw refuse(ctx, `only a Global Administrator of tenant '${caller.tenantId}' may elevate access to User Access Administrator at the root scope.`);
      }
      const held = access.explain(caller, 'Microsoft.Authorization/roleAssignments/write', '/').grants.some(
        (g) => g.source === 'roleAssignment' && g.scope === '/' && g.principalId.toLowerCase() === caller.objectId.toLowerCase() && g.roleDefinitionId.toLowerCase() === USER_ACCESS_ADMINISTRATOR,
      );
      if (held) return;
      await rbac.putRoleAssignment(ctx, {
        name: ids.guid(),
        scope: '/',
        roleDefinitionId: USER_ACCESS_ADMINISTRATOR,
        principalId: caller.objectId,
        principalType: 'User',
        description: 'Elevated access of a Global Administrator',
      });
    },
  };
}

export type ElevateAccessService = ReturnType<typeof createElevateAccessService>;
