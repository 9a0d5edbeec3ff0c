/**
 * What every ARM request goes through besides its handler:
 * - throttling (all authenticated routes): a token per (principal, subscription, reads|writes|deletes),
 *   `x-ms-ratelimit-remaining-subscription-*` on every answer, 429 `TooManyRequests` + `Retry-After`;
 * - the guard (the resource-plane routes): the request's operation from the core mapping, then
 *   `access.authorize` with the action before anything else happens (after the api-version check
 *   of every ARM route, api-version.ts);
 * - the activity log (registerActivityLog): every write, delete and action of the resource plane,
 *   every refused write on any plane, and every read by a principal from another directory than
 *   the subscription's (a Lighthouse principal), with status, error and correlation id.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArmOperation, RequestClass } from '../../core/arm/request-action.js';
import { activityTarget, type ActivityTarget } from '../../core/arm/activity-target.js';
import type { ActivityService } from '../../services/activity/activity-service.js';
import type { AccessService } from '../../services/authorization/access-service.js';
import type { ThrottleService } from '../../services/resources/throttle-service.js';
import { armOperationOf } from '../canonical-request.js';

/** How a route is authorized: by its operation (default), per item by the service, or not at all (the caller's own data). */
export type ArmAuthorization = 'operation' | 'list' | 'caller';

declare module 'fastify' {
  interface FastifyContextConfig {
    armAuthorization?: ArmAuthorization;
  }
  interface FastifyRequest {
    /** The ARM operation of a resource-plane request, set by the guard. */
    armOperation?: ArmOperation;
  }
}

// Matched on the canonical key, so every spelling of a subscription lands in one bucket.
const SUBSCRIPTION_IN_PATH = /^\/subscriptions\/([^/]+)/;

function requestClassOf(method: string): RequestClass {
  return method === 'GET' || method === 'HEAD' ? 'reads' : method === 'DELETE' ? 'deletes' : 'writes';
}

/** The request path as ARM sees it: its canonical form (decoded, keywords in ARM's casing, single slashes). */
export function requestPath(request: FastifyRequest): string {
  return request.canonical.path;
}

/** Throttles every request of `scope` (call inside `withAuthentication`, before the route modules). */
export function registerArmThrottling(scope: FastifyInstance, throttle: ThrottleService): void {
  scope.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    if (!request.ctx) return done();
    const caller = request.ctx.caller;
    const principal = caller === 'system' ? 'system' : caller.objectId;
    const subscription = SUBSCRIPTION_IN_PATH.exec(request.canonical.key)?.[1] ?? (caller === 'system' ? 'tenant' : `tenant:${caller.tenantId}`);
    const requestClass = requestClassOf(request.method);
    const header = `x-ms-ratelimit-remaining-subscription-${requestClass}`;
    try {
      void reply.header(header, String(throttle.take(principal, subscription, requestClass).remaining));
      done();
    } catch (error) {
      void reply.header(header, '0');
      done(error as Error);
    }
  });
}

export interface GuardDeps {
  readonly access: AccessService;
}

/** Adds the guard to every route registered on `scope` (registerActivityLog logs their writes). */
export function registerArmGuard(scope: FastifyInstance, deps: GuardDeps): void {
  scope.addHook('preValidation', (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
    try {
      const op = armOperationOf(request);
      request.armOperation = op;
      if (authorizationOf(request, op) === 'operation') deps.access.authorize(request.ctx, op.action, op.scope);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}

export interface ActivityLogDeps {
  readonly activity: ActivityService;
  /** The directory of a Partner Center publisher, if it exists. */
  readonly publisherTenant: (publisherId: string) => Promise<string | undefined>;
}

/**
 * The activity log of every authenticated route of `scope` (call inside `withAuthentication`), in
 * the log of the tenant whose scope the request targeted, as Azure keeps it:
 * - every write, delete and action of the resource plane (the routes behind the guard);
 * - every refused write, delete or action on any plane (ARM, Partner Center, product ingestion,
 *   the marketplace, Lantern.Lighthouse views), status Failed with the error's code and message;
 *   a target with no owner (no subscription or publisher in it) is the caller's own directory;
 * - every read by a principal from another directory than the subscription's (a Lighthouse principal).
 * Successful changes outside the resource plane are logged by the services that make them.
 */
export function registerActivityLog(scope: FastifyInstance, deps: ActivityLogDeps): void {
  // A subscription's or a publisher's directory never changes, so requests don't ask the store each
  // time: the activity service keeps the subscriptions' (it needs them for every entry), this the publishers'.
  const subscriptionTenant = async (id: string) => (await deps.activity.ownerTenantOf(id))?.toLowerCase();
  const publishers = new Map<string, string>();
  const publisherTenant = async (id: string): Promise<string | undefined> => {
    const hit = publishers.get(id.toLowerCase());
    if (hit !== undefined) return hit;
    const tenant = (await deps.publisherTenant(id))?.toLowerCase();
    if (tenant !== undefined) publishers.set(id.toLowerCase(), tenant);
    return tenant;
  };

  // onSend runs before the answer leaves, so the entry is stored when the client sees the response.
  scope.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const ctx = request.ctx;
    if (!ctx || ctx.caller === 'system') return payload;
    const read = request.method === 'GET' || request.method === 'HEAD';
    // The guard sets armOperation on the resource plane only, before its handler runs.
    if (!read && reply.statusCode < 400 && request.armOperation === undefined) return payload;
    // The guard's operation is what activityTarget would compute again from the same path.
    const target: ActivityTarget | undefined = request.armOperation ?? activityTarget(request.method, requestPath(request), request.query as { publisherId?: string });
    if (!target) return payload;
    const callerTenant = ctx.caller.tenantId.toLowerCase();
    const owner = target.subscriptionId !== undefined
      ? await subscriptionTenant(target.subscriptionId)
      : target.publisherId !== undefined ? await publisherTenant(target.publisherId) : callerTenant;
    if (owner === undefined) return payload;
    if (read && (target.subscriptionId === undefined || owner === callerTenant)) return payload;
    try {
      await deps.activity.recordOperation(request.ctx, {
        operationName: target.action,
        scope: target.scope,
        ...(target.subscriptionId === undefined ? { tenantId: owner } : {}),
        status: reply.statusCode < 400 ? 'Succeeded' : 'Failed',
        httpMethod: request.method,
        statusCode: reply.statusCode,
        ...(reply.statusCode >= 400 ? { statusMessage: statusMessageOf(payload) } : {}),
      });
    } catch (error) {
      request.log.error({ err: error }, 'activity log entry not written');
    }
    return payload;
  });
}

/** Azure's `properties.statusMessage` of a failed operation: the error's code and message as JSON. */
function statusMessageOf(payload: unknown): string {
  try {
    const { code, message } = (JSON.parse(String(payload)) as { error: { code: unknown; message: unknown } }).error;
    if (typeof code === 'string' && typeof message === 'string') return JSON.stringify({ error: { code, message } });
  } catch {
    // Not an error envelope (should not happen): the status code still says it failed.
  }
  return '';
}

// The caller's own effective permissions reveal nothing beyond the caller's rights, so ARM asks for no action.
const OWN_PERMISSIONS = 'microsoft.authorization/permissions/read';

function authorizationOf(request: FastifyRequest, op: ArmOperation): ArmAuthorization {
  if (op.action.toLowerCase() === OWN_PERMISSIONS) return 'caller';
  return request.routeOptions.config.armAuthorization ?? 'operation';
}

