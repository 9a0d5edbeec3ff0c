/**
 * "May P do A at S, and why?" from the decision engine's `explain`: the grants that allow it
 * (which role, at which scope, through which group or delegation) or why nothing does (the roles
 * that apply but lack the action: the nearest missing grant). Anyone may ask about itself; about
 * another principal only a caller who could change that principal's access there asks: a customer
 * Owner (or User Access Administrator) of the scope about its directory's principals and its
 * managing tenants', or an administrator holding that right at `/` (after elevating, as in Azure)
 * about its own tenant's. The principal's type and tenant come from the directory, never from the request.
 */
import { DomainError, notFound } from '../../core/errors.js';
import { isGuid, sameId } from '../../core/guid.js';
import type { Caller } from '../../core/identity/model.js';
import type { Decision, Grant } from '../../core/rbac/engine.js';
import { parseScope } from '../../core/scope.js';
import type { Store } from '../../storage/port.js';
import type { AccessService } from './access-service.js';
import type { RequestContext } from '../context.js';

const ASSIGN = 'Microsoft.Authorization/roleAssignments/write';

export interface ExplainQuestion {
  /** The principal asked about; the caller itself when absent. */
  readonly principalId?: string;
  readonly action: string;
  readonly scope: string;
  readonly dataAction?: boolean;
}

export interface ExplainedGrant extends Grant {
  /** The group (display name) through which the principal holds the grant, when not directly. */
  readonly viaGroup?: string;
}

export interface Explanation extends Omit<Decision, 'grants'> {
  readonly principal: { readonly id: string; readonly tenantId: string; readonly type: 'User' | 'ServicePrincipal'; readonly displayName: string };
  readonly grants: readonly ExplainedGrant[];
}

/** Creates the explain service. */
export function createExplainService(deps: { store: Store; access: AccessService }) {
  const { store, access } = deps;

  async function principalOf(id: string): Promise<Caller | undefined> {
    const user = isGuid(id) ? await store.identity.getUser(id) : undefined;
    if (user) return { objectId: user.id, tenantId: user.tenantId, principalType: 'User', appId: '', displayName: user.displayName, userPrincipalName: user.userPrincipalName };
    const sp = isGuid(id) ? await store.identity.getServicePrincipal(id) : undefined;
    if (sp) return { objectId: sp.id, tenantId: sp.tenantId, principalType: 'ServicePrincipal', appId: sp.appId, displayName: sp.displayName };
    return undefined;
  }

  /**
   * Another principal, for a caller who could change its access at `scope`: an Owner (or User Access
   * Administrator) there by a role of its own directory asks about principals of the scope's
   * directory and of the tenants managing it; one holding that right at `/` about its own tenant's.
   * Any other principal, in another directory or none, is not found: the answer tells nothing of it.
   */
  async function anotherPrincipal(ctx: RequestContext, caller: Caller, id: string, scope: string): Promise<Caller> {
    const direct = access.explain(caller, ASSIGN, scope).grants.some((g) => g.source === 'roleAssignment');
    const atRoot = access.allows(ctx, ASSIGN, '/');
    if (!direct && !atRoot) {
      throw new DomainError(
        'forbidden',
        'AuthorizationFailed',
        `The client '${caller.userPrincipalName ?? caller.displayName}' with object id '${caller.objectId}' may not ask about principal '${id}' at '${scope}': that needs '${ASSIGN}' over that scope (a customer Owner), or over '/' for a principal of the caller's own tenant (an administrator of it).`,
      );
    }
    const target = await principalOf(id);
    const subscriptionId = parseScope(scope).subscriptionId;
    const home = subscriptionId === undefined ? caller.tenantId : (await store.resources.getSubscription(subscriptionId))?.tenantId;
    const tenants = direct && home !== undefined ? [home, ...(subscriptionId === undefined ? [] : access.engine.managingTenantsOf(subscriptionId))] : [];
    if (atRoot) tenants.push(caller.tenantId);
    if (!target || !tenants.some((t) => sameId(t, target.tenantId))) throw notFound('PrincipalNotFound', `Principal '${id}' does not exist in the directory.`);
    return target;
  }

  return {
    /** Whether the principal may perform the action at the scope, with the grants that allow it or why nothing does. */
    async explain(ctx: RequestContext, question: ExplainQuestion): Promise<Explanation> {
      if (ctx.caller === 'system') throw new DomainError('forbidden', 'AuthorizationFailed', 'The operator asks through the CLI, not as a caller of this route.');
      const caller = ctx.caller;
      const scope = parseScope(question.scope).id;
      const target = question.principalId === undefined || sameId(question.principalId, caller.objectId) ? caller : await anotherPrincipal(ctx, caller, question.principalId, scope);
      const decision = access.explain(target, question.action, scope, { dataAction: question.dataAction === true });
      const grants = await Promise.all(
        decision.grants.map(async (g): Promise<ExplainedGrant> => {
          if (g.principalId.toLowerCase() === target.objectId.toLowerCase()) return g;
          const group = await store.identity.getGroup(g.principalId);
          return { ...g, viaGroup: group?.displayName ?? g.principalId };
        }),
      );
      return {
        ...decision,
        grants,
        principal: { id: target.objectId, tenantId: target.tenantId, type: target.principalType, displayName: target.displayName },
      };
    },
  };
}

export type ExplainService = ReturnType<typeof createExplainService>;
