/**
 * Functions that read the template and the deployment: parameters, variables, copyIndex,
 * deployment, subscription, resourceGroup, the resource-id builders, reference and list*.
 */
import { fn } from './evaluation.js';
import type { ArmFunction, FunctionTable } from './evaluation.js';
import { isGuid } from '../guid.js';
import { asString } from './function-args.js';
import { resourceIdUnder, scopeId } from './resource-ids.js';
import type { JsonValue } from './json.js';
import { ExpressionError } from './template-error.js';

const INF = Number.POSITIVE_INFINITY;

/** Splits resource-id arguments into the ones before the type (scope) and the type with its names. */
function splitAtType(name: string, args: readonly JsonValue[]): { before: string[]; type: string; names: string[] } {
  const all = args.map((a) => asString(name, a));
  const t = all.findIndex((a) => a.includes('/'));
  if (t < 0) throw new ExpressionError(`the template language function '${name}' needs a resource type of the form '{namespace}/{type}'`);
  return { before: all.slice(0, t), type: all[t] as string, names: all.slice(t + 1) };
}

/** The template- and deployment-reading functions by name. */
export const deploymentFunctions: FunctionTable = {
  parameters: fn(1, 1, ([n], ctx, name) => ctx.parameter(asString(name, n))),
  variables: fn(1, 1, ([n], ctx, name) => ctx.variable(asString(name, n))),
  copyIndex: fn(0, 2, (args, ctx, name) => {
    // copyIndex(), copyIndex(offset), copyIndex('loop'), copyIndex('loop', offset)
    const [a, b] = args;
    const loop = typeof a === 'string' ? a : undefined;
    const offset = typeof a === 'number' ? a : (b ?? 0);
    if (typeof offset !== 'number' || !Number.isInteger(offset)) throw new ExpressionError(`the template language function '${name}' expects an integer offset`);
    return ctx.copyIndex(loop) + offset;
  }),
  deployment: fn(0, 0, (_a, ctx) => ctx.deployment()),
  subscription: fn(0, 0, (_a, ctx) => ctx.subscription()),
  resourceGroup: fn(0, 0, (_a, ctx) => ctx.resourceGroup()),
  resourceId: fn(2, INF, (args, ctx, name) => {
    // resourceId([subscriptionId], [resourceGroupName], type, names...): one leading argument is
    // the subscription when it is a GUID, else the resource group (in the current subscription).
    const { before, type, names } = splitAtType(name, args);
    const { subscriptionId, resourceGroup } = ctx.scope;
    let parent: string;
    if (before.length === 0) parent = scopeId(subscriptionId, resourceGroup);
    else if (before.length === 1) parent = isGuid(before[0]) ? scopeId(before[0]) : scopeId(subscriptionId, before[0]);
    else if (before.length === 2) parent = scopeId(before[0] as string, before[1]);
    else throw new ExpressionError(`the template language function '${name}' takes at most a subscription id and a resource group name before the type`);
    return resourceIdUnder(parent, type, names);
  }),
  subscriptionResourceId: fn(2, INF, (args, ctx, name) => {
    const { before, type, names } = splitAtType(name, args);
    if (before.length > 1) throw new ExpressionError(`the template language function '${name}' takes at most a subscription id before the type`);
    return resourceIdUnder(scopeId(before[0] ?? ctx.scope.subscriptionId), type, names);
  }),
  tenantResourceId: fn(2, INF, (args, _ctx, name) => {
    const { before, type, names } = splitAtType(name, args);
    if (before.length > 0) throw new ExpressionError(`the template language function '${name}' takes the type as its first argument`);
    return resourceIdUnder('', type, names);
  }),
  extensionResourceId: fn(3, INF, ([base, ...rest], _ctx, name) => {
    const { before, type, names } = splitAtType(name, rest);
    if (before.length > 0) throw new ExpressionError(`the template language function '${name}' takes the type right after the base resource id`);
    return resourceIdUnder(asString(name, base).replace(/\/+$/, ''), type, names);
  }),
  reference: fn(1, 3, ([target, apiVersion, full], ctx, name) => {
    if (full !== undefined && !(typeof full === 'string' && full.toLowerCase() === 'full')) {
      throw new ExpressionError(`the template language function '${name}' accepts only 'Full' as its third argument`);
    }
    return ctx.reference(asString(name, target), apiVersion === undefined ? undefined : asString(name, apiVersion), full !== undefined);
  }),
};

/** `listKeys`, `listSecrets`, … : any `list*` action on a resource, answered at execution time. */
export const listFunction: ArmFunction = fn(2, 3, ([target, apiVersion, body], ctx, name) =>
  ctx.list(name, asString(name, target), asString(name, apiVersion), body),
);
