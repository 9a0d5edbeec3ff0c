/**
 * Which RBAC action an ARM request performs, at which scope (lighthouse.md §4.2): GET is `…/read`,
 * PUT and PATCH `…/write`, DELETE `…/delete`, POST `…/{verb}/action`; a collection GET is `…/read`
 * of the collection's type at its parent; Microsoft.Resources' own paths (subscriptions, resource
 * groups, providers) map to their documented actions. Also the throttling class of the request.
 */
import { invalid } from '../errors.js';

/** ARM's three throttling classes: POST counts as a write. */
export type RequestClass = 'reads' | 'writes' | 'deletes';

export interface ArmOperation {
  /** The RBAC action, e.g. `Microsoft.Compute/virtualMachines/restart/action`. */
  readonly action: string;
  /** The scope the action is checked at: the resource id, or the parent of a collection. */
  readonly scope: string;
  /** The resource type whose api-versions apply, e.g. `Microsoft.Resources/resourceGroups`. */
  readonly resourceType: string;
  readonly requestClass: RequestClass;
  /** The subscription the request addresses, if any (throttling and activity-log key). */
  readonly subscriptionId?: string;
}

type Verb = 'read' | 'write' | 'delete' | 'action';

const RESOURCES = 'Microsoft.Resources';

/** Maps an HTTP method and ARM path (without query string) to the operation it performs. */
export function armOperation(method: string, path: string): ArmOperation {
  const verb = verbOf(method);
  const requestClass: RequestClass = verb === 'read' ? 'reads' : verb === 'delete' ? 'deletes' : 'writes';
  const seg = path.split('?')[0]!.split('/').filter((s) => s.length > 0);
  const lower = seg.map((s) => s.toLowerCase());
  const bad = () => invalid('InvalidResourceId', `The request path '${path}' is not a valid Azure Resource Manager path.`, 'path');
  const op = (action: string, scope: string, resourceType: string, subscriptionId?: string): ArmOperation => ({
    action,
    scope,
    resourceType,
    requestClass,
    ...(subscriptionId !== undefined ? { subscriptionId } : {}),
  });

  if (seg.length === 0) throw bad();
  if (lower[0] === 'tenants' && seg.length === 1) return op(`${RESOURCES}/tenants/read`, '/', `${RESOURCES}/tenants`);
  if (lower[0] === 'providers') return providerPath(seg, 0, '/', verb, op, bad);
  if (lower[0] !== 'subscriptions') throw bad();
  if (seg.length === 1) return op(`${RESOURCES}/subscriptions/read`, '/', `${RESOURCES}/subscriptions`);

  const sub = seg[1]!;
  const subScope = `/subscriptions/${sub}`;
  const subOp = (action: string, scope: string, type: string) => op(action, scope, type, sub);
  if (seg.length === 2) return subOp(`${RESOURCES}/subscriptions/${verb}`, subScope, `${RESOURCES}/subscriptions`);

  if (lower[2] === 'resourcegroups') {
    if (seg.length === 3) return subOp(`${RESOURCES}/subscriptions/resourceGroups/read`, subScope, `${RESOURCES}/resourceGroups`);
    const rgScope = `${subScope}/resourceGroups/${seg[3]!}`;
    if (seg.length === 4) return subOp(`${RESOURCES}/subscriptions/resourceGroups/${verb}`, rgScope, `${RESOURCES}/resourceGroups`);
    if (lower[4] === 'providers') return providerPath(seg, 4, rgScope, verb, subOp, bad);
    if (seg.length === 5) {
      // `/resources` lists; other single segments (exportTemplate, moveResources …) are operations on the group.
      const listing = lower[4] === 'resources';
      return subOp(`${RESOURCES}/subscriptions/resourceGroups/${listing ? 'resources' : seg[4]!}/${verb}`, rgScope, `${RESOURCES}/${listing ? 'resources' : 'resourceGroups'}`);
    }
    throw bad();
  }
  if (lower[2] === 'providers') {
    // Resource provider registrations live at `/subscriptions/{s}/providers[/{ns}[/register|unregister]]`.
    if (seg.length === 3) return subOp(`${RESOURCES}/subscriptions/providers/read`, subScope, `${RESOURCES}/providers`);
    if (seg.length === 4 && verb === 'read') return subOp(`${RESOURCES}/subscriptions/providers/read`, subScope, `${RESOURCES}/providers`);
    if (seg.length === 5 && verb === 'action' && (lower[4] === 'register' || lower[4] === 'unregister')) {
      return subOp(`${seg[3]!}/${lower[4]}/action`, subScope, `${RESOURCES}/providers`);
    }
    return providerPath(seg, 2, subScope, verb, subOp, bad);
  }
  if (seg.length === 3) {
    const listing = lower[2] === 'resources';
    return subOp(`${RESOURCES}/subscriptions/${listing ? 'resources' : seg[2]!}/${verb}`, subScope, `${RESOURCES}/${listing ? 'resources' : 'subscriptions'}`);
  }
  throw bad();
}

function verbOf(method: string): Verb {
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      return 'read';
    case 'PUT':
    case 'PATCH':
      return 'write';
    case 'DELETE':
      return 'delete';
    case 'POST':
      return 'action';
    default:
      throw invalid('UnsupportedHttpMethod', `The HTTP method '${method}' is not supported by Azure Resource Manager.`, 'method');
  }
}

/**
 * `{scope}/providers/{ns}/{type}/{name}[/{child}/{name}…][/providers/{ns2}/…]`: the last provider
 * block decides. An even number of segments after the namespace is a resource; an odd number is a
 * collection (GET) or, for POST, a resource (or collection) followed by the action verb.
 */
function providerPath(
  seg: readonly string[],
  start: number,
  baseScope: string,
  verb: Verb,
  op: (action: string, scope: string, type: string) => ArmOperation,
  bad: () => Error,
): ArmOperation {
  let blockStart = start;
  for (let i = start + 1; i < seg.length; i++) if (seg[i]!.toLowerCase() === 'providers') blockStart = i;
  const namespace = seg[blockStart + 1];
  if (!namespace) throw bad();
  const rest = seg.slice(blockStart + 2);
  const prefix = '/' + seg.slice(0, blockStart).join('/');
  const scopeOf = (count: number) => (count === 0 ? (blockStart === start ? baseScope : prefix) : `/${seg.slice(0, blockStart + 2 + count).join('/')}`);
  const typesOf = (parts: readonly string[]) => parts.filter((_, i) => i % 2 === 0);

  if (verb === 'action') {
    if (rest.length === 0) throw bad();
    const target = rest.slice(0, -1);
    const types = typesOf(target);
    const action = [namespace, ...types, rest[rest.length - 1]!, 'action'].join('/');
    // A POST on a resource is checked at the resource; on a collection, at the collection's parent.
    const scope = target.length % 2 === 0 ? scopeOf(target.length) : scopeOf(target.length - 1);
    return op(action, normalize(scope), [namespace, ...(types.length > 0 ? types : [rest[rest.length - 1]!])].join('/'));
  }
  if (rest.length === 0) throw bad();
  const types = typesOf(rest);
  const resourceType = [namespace, ...types].join('/');
  if (rest.length % 2 === 1) {
    if (verb !== 'read') throw bad();
    return op(`${resourceType}/read`, normalize(scopeOf(rest.length - 1)), resourceType);
  }
  return op(`${resourceType}/${verb}`, normalize(scopeOf(rest.length)), resourceType);
}

function normalize(scope: string): string {
  const parts = scope.split('/').filter((p) => p.length > 0);
  return '/' + parts.join('/');
}
