/**
 * The activity log (lighthouse.md §3.8): `GET /subscriptions/{s}/providers/microsoft.insights/eventtypes/management/values`
 * reads the customer's log of a subscription; `GET /providers/microsoft.insights/eventtypes/management/values`
 * reads the caller's own tenant-level (directory) log, where a managing tenant sees its delegation
 * changes, which takes `Microsoft.Insights/eventtypes/values/read` at `/` (Monitoring Reader at root).
 * Both need `$filter=eventTimestamp ge '…' [and eventTimestamp le '…']`, at most 90 days.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { parseEventFilter, type EventFilter } from '../../core/arm/event-filter.js';
import { notFound } from '../../core/errors.js';
import type { ActivityLogEntry } from '../../core/resources/model.js';
import { parseScope } from '../../core/scope.js';
import type { ActivityService } from '../../services/activity/activity-service.js';
import type { Clock } from '../../services/context.js';
import type { ResourceService } from '../../services/resources/resource-service.js';
import { armPage } from './arm-paging.js';
import { renderEvent } from './arm-render.js';
import { ArmQuery, armErrors, EventDataSchema, listOf, SubscriptionParams } from './arm-schemas.js';
import { operationList } from './managed-services-render.js';

const PATH = 'providers/microsoft.insights/eventtypes/management/values';

// Display names of the operations Lantern logs (the portal's "Operation name" column).
const DISPLAY = new Map<string, string>([
  ['microsoft.resources/subscriptions/resourcegroups/write', 'Create Resource Group'],
  ['microsoft.resources/subscriptions/resourcegroups/delete', 'Delete Resource Group'],
  ['microsoft.authorization/roleassignments/write', 'Create role assignment'],
  ['microsoft.authorization/roleassignments/delete', 'Delete role assignment'],
  ['microsoft.authorization/roledefinitions/write', 'Create or update custom role definition'],
  ['microsoft.authorization/roledefinitions/delete', 'Delete custom role definition'],
  ['microsoft.resources/tenants/register/action', 'Register tenant'],
  ['microsoft.resources/tenants/unregister/action', 'Unregister tenant'],
  ...operationList().value.map((o) => [o.name.toLowerCase(), o.display.operation] as [string, string]),
]);

/** The portal's display name of an operation; generic verbs for the rest. */
export function operationDisplay(action: string): string {
  const known = DISPLAY.get(action.toLowerCase());
  if (known) return known;
  const parts = action.split('/');
  const verb = parts[parts.length - 1]?.toLowerCase();
  const type = verb === 'action' ? parts.slice(0, -2).join('/') : parts.slice(0, -1).join('/');
  if (verb === 'write') return `Create or Update ${type}`;
  if (verb === 'delete') return `Delete ${type}`;
  if (verb === 'read') return `Get ${type}`;
  if (verb === 'action') return `${parts[parts.length - 2] ?? ''} ${type}`;
  return action;
}

function narrows(f: EventFilter, e: ActivityLogEntry): boolean {
  const same = (a: string | undefined, b: string | undefined) => b === undefined || (a ?? '').toLowerCase() === b.toLowerCase();
  const p = parseScope(e.resourceId);
  return (
    same(e.correlationId, f.correlationId) &&
    same(p.resourceGroup, f.resourceGroupName) &&
    same(e.resourceId, f.resourceUri) &&
    same(p.namespace ?? e.operationName.split('/')[0], f.resourceProvider) &&
    same(e.caller, f.caller) &&
    same(e.status, f.status)
  );
}

/** Registers both activity-log routes. */
export function registerActivityLogRoutes(scope: FastifyInstance, deps: { activity: ActivityService; resources: ResourceService; clock: Clock }): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['ActivityLogs'];

  const answer = async (request: FastifyRequest, tenantId: string, subscriptionId: string | undefined) => {
    const filter = parseEventFilter((request.query as Record<string, string | undefined>).$filter, deps.clock.now().getTime());
    const entries = await deps.activity.query({ tenantId, ...(subscriptionId !== undefined ? { subscriptionId } : {}), from: filter.from, to: filter.to });
    const kept = entries.filter((e) => (subscriptionId === undefined ? e.subscriptionId === undefined : true) && narrows(filter, e));
    return armPage(request, kept, (e) => `${e.eventTimestamp}|${e.eventDataId}`, (e) => renderEvent(e, operationDisplay));
  };

  app.get(`/subscriptions/:subscriptionId/${PATH}`, {
    schema: { tags, operationId: 'ActivityLogs_List', params: SubscriptionParams, querystring: ArmQuery, response: { 200: listOf(EventDataSchema), ...armErrors } },
  }, async (request) => {
    const sub = await deps.resources.subscriptionOf(request.params.subscriptionId);
    if (!sub) throw notFound('SubscriptionNotFound', `The subscription '${request.params.subscriptionId}' could not be found.`);
    return answer(request, sub.tenantId, sub.subscriptionId);
  });

  app.get(`/${PATH}`, {
    schema: { tags, operationId: 'TenantActivityLogs_List', querystring: ArmQuery, response: { 200: listOf(EventDataSchema), ...armErrors } },
  }, async (request) => {
    const caller = request.ctx.caller;
    return answer(request, caller === 'system' ? '' : caller.tenantId, undefined);
  });
}

