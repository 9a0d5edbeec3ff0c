/**
 * The one door to the decision engine for every request: ARM routes, portal pages and the CLI all
 * ask here. Loads the engine from the store at start (cold start) and feeds it every committed change.
 */
import type { Store } from '../../storage/port.js';
import { AuthorizationEngine, type Decision } from '../../core/rbac/engine.js';
import { DomainError } from '../../core/errors.js';
import type { Caller } from '../../core/identity/model.js';
import type { Clock, RequestContext } from '../context.js';

export interface AccessService {
  readonly engine: AuthorizationEngine;
  /** Throws 403 AuthorizationFailed unless the caller may perform `action` at `scope`. */
  authorize(ctx: RequestContext, action: string, scope: string, options?: { dataAction?: boolean }): void;
  /** True when the caller may perform `action` at `scope`. */
  allows(ctx: RequestContext, action: string, scope: string): boolean;
  /** The engine's full decision with the assignments that allowed it, or why nothing did. */
  explain(caller: Caller, action: string, scope: string, options?: { dataAction?: boolean }): Decision;
}

/** ARM's refusal, word for word, naming client, object id, action and scope. */
export function authorizationFailed(caller: Caller, action: string, scope: string): DomainError {
  const client = caller.principalType === 'User' ? caller.userPrincipalName ?? caller.displayName : caller.appId;
  return new DomainError(
    'forbidden',
    'AuthorizationFailed',
    `The client '${client}' with object id '${caller.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

/**
 * Builds the engine from everything the store holds. Role assignments, by far the most rows, come
 * packed in chunks; a store may read them while the rest is read and parsed here.
 */
export async function loadEngine(store: Store): Promise<AuthorizationEngine> {
  const lines = store.authorization.roleAssignmentLines()[Symbol.asyncIterator]();
  try {
    const roleDefinitions = await store.authorization.listRoleDefinitions();
    const memberships = await store.identity.listMemberships();
    const denyAssignments = await store.authorization.listDenyAssignments();
    const registrationDefinitions = await store.delegation.listDefinitions();
    const registrationAssignments = await store.delegation.listAssignments();
    const activations = await store.delegation.listActivations();
    const subscriptions = await store.resources.listSubscriptions();
    const engine = new AuthorizationEngine();
    // Bulk passes in the order `load` puts things in; the last one lays the index out by scope.
    engine.load({ roleDefinitions, memberships });
    for (let chunk = await lines.next(); chunk.done !== true; chunk = await lines.next()) engine.putRoleAssignmentLines(chunk.value);
    engine.load({ denyAssignments, registrationDefinitions, registrationAssignments, activations });
    for (const s of subscriptions) engine.putSubscription(s.subscriptionId, s.tenantId);
    return engine;
  } catch (error) {
    await lines.return?.(); // a reader already started must not outlive a failed start
    throw error;
  }
}

/** The access service over a loaded engine. */
export function createAccessService(engine: AuthorizationEngine, clock: Clock): AccessService {
  const request = (caller: Caller, action: string, scope: string, dataAction = false) => ({
    principalId: caller.objectId,
    tenantId: caller.tenantId,
    action,
    scope,
    dataAction,
    at: clock.now().getTime(),
  });
  return {
    engine,
    authorize(ctx, action, scope, options) {
      if (ctx.caller === 'system') return;
      if (!engine.check(request(ctx.caller, action, scope, options?.dataAction))) throw authorizationFailed(ctx.caller, action, scope);
    },
    allows(ctx, action, scope) {
      return ctx.caller === 'system' || engine.check(request(ctx.caller, action, scope));
    },
    explain(caller, action, scope, options) {
      return engine.explain(request(caller, action, scope, options?.dataAction));
    },
  };
}
