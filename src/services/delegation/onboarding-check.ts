/**
 * Who may delegate a customer's subscription or resource groups (lighthouse.md §3.4): a member
 * (not a guest) of the customer tenant holding `Microsoft.Authorization/roleAssignments/write` on
 * the subscription, e.g. its Owner. Who may remove a delegation (§3.6): the same people, or in the
 * managing tenant only those granted the Managed Services Registration assignment Delete Role by
 * the delegation itself; a delegated Contributor's `*` does not reach it ("otherwise only the
 * customer can remove the delegation", §3.2).
 *
 * Azure answers a deployer without that permission with the legacy symptom
 * `ClassicAdministratorListFailed` (404, "The subscription ID was not found"). Lantern answers
 * with `AuthorizationFailed` (403) naming the missing action and the subscription instead: it says
 * what is wrong and clients treat it as the permission error it is.
 */
import { DomainError } from '../../core/errors.js';
import type { Caller } from '../../core/identity/model.js';
import type { Subscription } from '../../core/resources/model.js';
import type { IdentityRepository } from '../../storage/port.js';
import { authorizationFailed, type AccessService } from '../authorization/access-service.js';
import type { RequestContext } from '../context.js';
import { REGISTRATION_ASSIGNMENT_DELETE_ROLE } from '../../core/roles/builtin-catalog.js';

/** The permission onboarding needs on the subscription. */
export const ONBOARDING_ACTION = 'Microsoft.Authorization/roleAssignments/write';

function refuse(caller: Caller, why: string): DomainError {
  const client = caller.principalType === 'User' ? caller.displayName : caller.appId;
  return new DomainError('forbidden', 'AuthorizationFailed', `The client '${client}' with object id '${caller.objectId}' may not delegate resources of this subscription: ${why}`);
}

/** Throws unless the caller may create or change a delegation of `subscription` (of `scope` in it, when named). */
export async function requireOnboarder(ctx: RequestContext, subscription: Subscription, access: AccessService, identity: IdentityRepository, scope = `/subscriptions/${subscription.subscriptionId}`): Promise<void> {
  const caller = ctx.caller;
  if (caller === 'system') return;
  if (caller.tenantId.toLowerCase() !== subscription.tenantId.toLowerCase()) {
    throw refuse(caller, `a delegation must be created by an account of the customer tenant '${subscription.tenantId}', not of tenant '${caller.tenantId}'.`);
  }
  if (caller.principalType === 'User') {
    const user = await identity.getUser(caller.objectId);
    if (user?.userType === 'Guest') {
      throw refuse(caller, `guest users can't onboard a delegation; a member account of tenant '${subscription.tenantId}' must deploy it.`);
    }
  }
  if (!access.allows(ctx, ONBOARDING_ACTION, scope)) throw authorizationFailed(caller, ONBOARDING_ACTION, scope);
}

/**
 * Throws unless the caller may remove the registration assignment `resourceId` of `subscription`:
 * an onboarder of the customer tenant, or a managing-tenant principal holding the Delete Role there.
 */
export async function requireOffboarder(ctx: RequestContext, subscription: Subscription, resourceId: string, access: AccessService, identity: IdentityRepository): Promise<void> {
  const caller = ctx.caller;
  if (caller === 'system' || caller.tenantId.toLowerCase() === subscription.tenantId.toLowerCase()) {
    await requireOnboarder(ctx, subscription, access, identity);
    return;
  }
  if (!holdsDeleteRole(caller, resourceId, access)) {
    throw refuse(caller, `in the managing tenant only principals granted the Managed Services Registration assignment Delete Role ('${REGISTRATION_ASSIGNMENT_DELETE_ROLE}') by the delegation may remove it.`);
  }
}

/** True when the delegation grants the managing-tenant `caller` the Delete Role on the registration assignment `resourceId` (decided by the engine). */
export function holdsDeleteRole(caller: Caller, resourceId: string, access: AccessService): boolean {
  const decision = access.explain(caller, 'Microsoft.ManagedServices/registrationAssignments/delete', resourceId);
  return decision.allowed && decision.grants.some((g) => g.source === 'delegation' && g.roleDefinitionId.toLowerCase() === REGISTRATION_ASSIGNMENT_DELETE_ROLE);
}
