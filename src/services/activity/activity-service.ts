/**
 * Writes the two activity logs of lighthouse.md §3.8: the customer's log (every write and delete on
 * its scopes, and every call by a managing-tenant principal) and the managing tenant's tenant-level
 * log of delegation changes.
 */
import type { Repositories, ActivityQuery } from '../../storage/port.js';
import type { ActivityLogEntry } from '../../core/resources/model.js';
import { parseScope } from '../../core/scope.js';
import { callerName, type Clock, type IdGenerator, type RequestContext } from '../context.js';
import { groupCommit } from './group-commit.js';

export interface OperationRecord {
  readonly operationName: string;
  readonly scope: string;
  readonly status: ActivityLogEntry['status'];
  readonly httpMethod?: string;
  readonly statusCode?: number;
  /** A failed operation's error as JSON (`{"error":{"code","message"}}`), as Azure shows it. */
  readonly statusMessage?: string;
  readonly description?: string;
  /** The tenant whose log takes an entry without a subscription (a tenant-level resource); ignored otherwise. */
  readonly tenantId?: string;
}

export interface ActivityService {
  /** Records an operation in the log of the tenant that owns the scope's subscription, or of `record.tenantId` for a scope outside subscriptions. */
  recordOperation(ctx: RequestContext, record: OperationRecord, repos?: Repositories): Promise<void>;
  /** Records a delegation change in the managing tenant's tenant-level (directory) log. */
  recordDelegationChange(ctx: RequestContext, change: {
    managingTenantId: string; customerTenantId: string; delegationResourceId: string; kind: 'register' | 'unregister'; status: 'Succeeded' | 'Failed';
  }, repos?: Repositories): Promise<void>;
  query(query: ActivityQuery): Promise<ActivityLogEntry[]>;
  /** The directory whose log a subscription's entries go to (read once per subscription), if it exists. */
  ownerTenantOf(subscriptionId: string): Promise<string | undefined>;
}

/** The activity service over the store. */
export function createActivityService(deps: { repos: Repositories; clock: Clock; ids: IdGenerator }): ActivityService {
  const caller = (ctx: RequestContext) => ({
    caller: callerName(ctx),
    callerObjectId: ctx.caller === 'system' ? '' : ctx.caller.objectId,
    callerTenantId: ctx.caller === 'system' ? '' : ctx.caller.tenantId,
  });
  // Entries outside a caller's transaction are group-committed: concurrent requests share one insert and one commit.
  const appendOutside = groupCommit((entries: readonly ActivityLogEntry[]) => deps.repos.activity.appendMany(entries));
  const append = (repos: Repositories, entry: ActivityLogEntry) => (repos === deps.repos ? appendOutside(entry) : repos.activity.append(entry));
  // A subscription's directory never changes and subscriptions are never deleted, so its owner is read once.
  const owners = new Map<string, { tenantId: string; subscriptionId: string }>();
  const ownerOf = async (subscriptionId: string, repos: Repositories) => {
    const known = owners.get(subscriptionId.toLowerCase());
    if (known !== undefined) return known;
    const sub = await repos.resources.getSubscription(subscriptionId);
    if (sub === undefined) return undefined;
    const owner = { tenantId: sub.tenantId, subscriptionId: sub.subscriptionId };
    if (repos === deps.repos) owners.set(subscriptionId.toLowerCase(), owner);
    return owner;
  };
  return {
    async recordOperation(ctx, record, repos = deps.repos) {
      const subscriptionId = parseScope(record.scope).subscriptionId;
      const owner = subscriptionId !== undefined ? await ownerOf(subscriptionId, repos) : record.tenantId !== undefined ? { tenantId: record.tenantId } : undefined;
      if (!owner) return;
      await append(repos, {
        eventDataId: deps.ids.guid(),
        correlationId: ctx.correlationId,
        ...owner,
        resourceId: record.scope,
        operationName: record.operationName,
        status: record.status,
        ...caller(ctx),
        ...(record.httpMethod !== undefined ? { httpMethod: record.httpMethod } : {}),
        ...(record.statusCode !== undefined ? { statusCode: record.statusCode } : {}),
        ...(record.statusMessage ? { statusMessage: record.statusMessage } : {}),
        ...(record.description !== undefined ? { description: record.description } : {}),
        eventTimestamp: deps.clock.now().toISOString(),
      });
    },
    async recordDelegationChange(ctx, change, repos = deps.repos) {
      const subscriptionId = parseScope(change.delegationResourceId).subscriptionId ?? '';
      await append(repos, {
        eventDataId: deps.ids.guid(),
        correlationId: ctx.correlationId,
        tenantId: change.managingTenantId,
        resourceId: `/providers/Microsoft.Resources/tenants/${change.managingTenantId}`,
        operationName: `Microsoft.Resources/tenants/${change.kind}/action`,
        status: change.status,
        ...caller(ctx),
        description: JSON.stringify({ delegationResourceId: change.delegationResourceId, subscriptionTenantId: change.customerTenantId, subscriptionId }),
        eventTimestamp: deps.clock.now().toISOString(),
      });
    },
    query: (query) => deps.repos.activity.query(query),
    ownerTenantOf: async (subscriptionId) => (await ownerOf(subscriptionId, deps.repos))?.tenantId,
  };
}
