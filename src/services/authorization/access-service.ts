/**
 * The one door to the decision engine for every request: ARM routes, portal pages and the CLI all
 * ask here. The engine is built at start (engine-start.ts) and fed every committed change.
 */
import { PreparedAction, PreparedCaller, ScopeRun, type AuthorizationEngine, type Decision } from '../../core/rbac/engine.js';
import { DomainError } from '../../core/errors.js';
import type { Caller } from '../../core/identity/model.js';
import type { Clock, RequestContext } from '../context.js';

export interface AccessService {
  readonly engine: AuthorizationEngine;
  /** Throws 403 AuthorizationFailed unless the caller may perform `action` at `scope`. */
  authorize(ctx: RequestContext, action: string, scope: string, options?: { dataAction?: boolean }): void;
  /** True when the caller may perform `action` at `scope`. */
  allows(ctx: RequestContext, action: string, scope: string): boolean;
  /** `allows` for the many items of one answer: the caller is prepared and the clock read once. */
  allowsEach(ctx: RequestContext): (action: string, scope: string) => boolean;
  /** `allowsEach` for reading the resources of a list: may the caller read a resource of `resourceType` at `scope`. */
  readsEach(ctx: RequestContext): (resourceType: string, scope: string) => boolean;
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

// Distinct action strings held prepared; generic resource routes build actions from the request, so the map is bounded.
const PREPARED_ACTIONS = 4096;

/** The access service over a loaded engine. */
export function createAccessService(engine: AuthorizationEngine, clock: Clock): AccessService {
  // A caller object lives as long as its token's verification is cached, so its handle is prepared once per token.
  const callers = new WeakMap<Caller, PreparedCaller>();
  const actions = new Map<string, PreparedAction>();
  const preparedCaller = (caller: Caller) => {
    let handle = callers.get(caller);
    if (handle === undefined) callers.set(caller, (handle = new PreparedCaller(caller.objectId, caller.tenantId)));
    return handle;
  };
  const preparedAction = (action: string, dataAction: boolean) => {
    const key = dataAction ? `data:${action}` : action;
    let handle = actions.get(key);
    if (handle === undefined) {
      if (actions.size >= PREPARED_ACTIONS) actions.clear();
      actions.set(key, (handle = new PreparedAction(action, dataAction)));
    }
    return handle;
  };
  const allowed = (caller: Caller, action: string, scope: string, dataAction = false) =>
    engine.checkPrepared(preparedCaller(caller), preparedAction(action, dataAction), scope, clock.now().getTime());
  const allowsEach = (ctx: RequestContext): ((action: string, scope: string) => boolean) => {
    if (ctx.caller === 'system') return () => true;
    const caller = preparedCaller(ctx.caller);
    const at = clock.now().getTime();
    // The items of one answer mostly share their action (the last one's handle is kept) and, in id
    // order, their resource group (a run resolves the scopes under one prefix without a lookup).
    let last: { action: string; handle: PreparedAction } | undefined;
    const run = new ScopeRun();
    return (action, scope) => {
      if (last?.action !== action) last = { action, handle: preparedAction(action, false) };
      return engine.checkPrepared(caller, last.handle, scope, at, run);
    };
  };
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
      if (!allowed(ctx.caller, action, scope, options?.dataAction)) throw authorizationFailed(ctx.caller, action, scope);
    },
    allows(ctx, action, scope) {
      return ctx.caller === 'system' || allowed(ctx.caller, action, scope);
    },
    allowsEach,
    readsEach(ctx) {
      const allows = allowsEach(ctx);
      let last: { type: string; action: string } | undefined;
      return (resourceType, scope) => {
        if (last?.type !== resourceType) last = { type: resourceType, action: `${resourceType}/read` };
        return allows(last.action, scope);
      };
    },
    explain(caller, action, scope, options) {
      return engine.explain(request(caller, action, scope, options?.dataAction));
    },
  };
}
