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

/** The caller's display for logs: UPN for users, app id for applications, `Lantern` for the operator. */
export function callerName(ctx: RequestContext): string {
  return ctx.caller === 'system' ? 'Lantern' : ctx.caller.displayName || ctx.caller.appId;
}
