/**
 * Who is asking, and under which correlation id. Every service call carries one; the CLI and
 * the demo seeder act as the platform operator (`system`), which the decision engine is not asked about.
 */
import type { Caller } from '../core/identity/model.js';

export interface RequestContext {
  readonly caller: Caller | 'system';
  readonly correlationId: string;
  readonly requestId: string;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A random GUID (lower case). */
  guid(): string;
}

/** A context for operator actions (CLI, seeding). */
export function systemContext(ids: IdGenerator): RequestContext {
  const id = ids.guid();
  return { caller: 'system', correlationId: id, requestId: id };
}

/** The caller as ARM's activity log names it: the UPN of a user, the app id of an application, `Lantern` for the operator. */
export function callerName(ctx: RequestContext): string {
  if (ctx.caller === 'system') return 'Lantern';
  return ctx.caller.principalType === 'ServicePrincipal' ? ctx.caller.appId : ctx.caller.userPrincipalName ?? ctx.caller.displayName;
}
