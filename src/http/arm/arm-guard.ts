/**
 * What every ARM request goes through besides its handler:
 * - throttling (all authenticated routes): a token per (principal, subscription, reads|writes|deletes),
 *   `x-ms-ratelimit-remaining-subscription-*` on every answer, 429 `TooManyRequests` + `Retry-After`;
 * - the guard (the resource-plane routes): the request's operation from the core mapping, its
 *   api-version checked against the resource type's table, then `access.authorize` with the action
 *   before anything else happens;
 * - the customer's activity log: every write, delete and action of the resource plane, and every
 *   read by a principal from another directory than the subscription's (a Lighthouse principal) on
 *   any ARM route, with status and correlation id.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireApiVersion } from '../../core/arm/api-versions.js';
import { invalid } from '../../core/errors.js';
import { armOperation, type ArmOperation, type RequestClass } from '../../core/arm/request-action.js';
import type { ActivityService } from '../../services/activity/activity-service.js';
import type { AccessService } from '../../services/authorization/access-service.js';
import type { ResourceService } from '../../services/resources/resource-service.js';
import type { ThrottleService } from '../../services/resources/throttle-service.js';

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
  scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.ctx) return;
    const caller = request.ctx.caller;
    const principal = caller === 'system' ? 'system' : caller.objectId;
    const subscription = SUBSCRIPTION_IN_PATH.exec(request.canonical.key)?.[1] ?? (caller === 'system' ? 'tenant' : `tenant:${caller.tenantId}`);
    const requestClass = requestClassOf(request.method);
    const header = `x-ms-ratelimit-remaining-subscription-${requestClass}`;
    try {
      void reply.header(header, String(throttle.take(principal, subscription, requestClass).remaining));
    } catch (error) {
      void reply.header(header, '0');
      throw error;
    }
  });
}

export interface GuardDeps {
  readonly access: AccessService;
  readonly activity: ActivityService;
  readonly resources: ResourceService;
}

/** Adds the guard, and the activity recording of writes, deletes and actions, to every route registered on `scope`. */
export function registerArmGuard(scope: FastifyInstance, deps: GuardDeps): void {
  scope.addHook('preValidation', (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
    try {
      const op = armOperation(request.method, requestPath(request));
      request.armOperation = op;
      requireApiVersion(op.resourceType, singleApiVersion(request.query));
      if (authorizationOf(request, op) === 'operation') deps.access.authorize(request.ctx, op.action, op.scope);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  addActivityHook(scope, deps, (op) => op.requestClass !== 'reads');
}

/**
 * Logs, in the customer's activity log, the reads of a principal from another directory than the
 * subscription's (a Lighthouse principal) on every route of `scope` (call inside
 * `withAuthentication`); changes are logged where they are made.
 */
export function registerForeignReadLog(scope: FastifyInstance, deps: Pick<GuardDeps, 'activity' | 'resources'>): void {
  addActivityHook(scope, deps, (op, foreign) => foreign && op.requestClass === 'reads');
}

function addActivityHook(scope: FastifyInstance, deps: Pick<GuardDeps, 'activity' | 'resources'>, wanted: (op: ArmOperation, foreign: boolean) => boolean): void {
  // A subscription's directory never changes, so requests don't ask the store each time.
  const tenantOf = new Map<string, string>();
  const subscriptionTenant = async (subscriptionId: string): Promise<string | undefined> => {
    const key = subscriptionId.toLowerCase();
    const known = tenantOf.get(key);
    if (known !== undefined) return known;
    const tenant = (await deps.resources.subscriptionOf(subscriptionId))?.tenantId.toLowerCase();
    if (tenant !== undefined) tenantOf.set(key, tenant);
    return tenant;
  };

  // onSend runs before the answer leaves, so the entry is stored when the client sees the response.
  scope.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const op = request.armOperation ?? operationOrUndefined(request);
    if (!op?.subscriptionId || !request.ctx || request.ctx.caller === 'system') return payload;
    const tenant = await subscriptionTenant(op.subscriptionId);
    if (tenant === undefined || !wanted(op, tenant !== request.ctx.caller.tenantId.toLowerCase())) return payload;
    try {
      await deps.activity.recordOperation(request.ctx, {
        operationName: op.action,
        scope: op.scope,
        status: reply.statusCode < 400 ? 'Succeeded' : 'Failed',
        httpMethod: request.method,
        statusCode: reply.statusCode,
      });
    } catch (error) {
      request.log.error({ err: error }, 'activity log entry not written');
    }
    return payload;
  });
}

// The guard runs before the route's schema is applied, so the query is still raw: a repeated
// parameter arrives as an array.
function singleApiVersion(query: unknown): string | undefined {
  const given = (query as Record<string, unknown>)['api-version'];
  if (given === undefined || typeof given === 'string') return given;
  throw invalid('InvalidApiVersionParameter', "The api-version query parameter (?api-version=) must be given once, with one value.", 'api-version');
}

// The caller's own effective permissions reveal nothing beyond the caller's rights, so ARM asks for no action.
const OWN_PERMISSIONS = 'microsoft.authorization/permissions/read';

function authorizationOf(request: FastifyRequest, op: ArmOperation): ArmAuthorization {
  if (op.action.toLowerCase() === OWN_PERMISSIONS) return 'caller';
  return request.routeOptions.config.armAuthorization ?? 'operation';
}

// A request refused before the guard ran (bad token, throttled) has no operation yet.
function operationOrUndefined(request: FastifyRequest): ArmOperation | undefined {
  try {
    return armOperation(request.method, requestPath(request));
  } catch {
    return undefined;
  }
}
