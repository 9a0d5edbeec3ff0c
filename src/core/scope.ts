/**
 * ARM scopes and resource ids: parsing, normalisation and the ancestor chain that RBAC inherits
 * down. Comparison is case-insensitive everywhere, as in ARM.
 */
import { invalid } from './errors.js';

export type ScopeLevel = 'root' | 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource';

export interface ParsedScope {
  /** The id as given, with one leading slash and no trailing slash. */
  readonly id: string;
  readonly level: ScopeLevel;
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  readonly managementGroup?: string;
  /** For `level === 'resource'`: the full type, e.g. `Microsoft.Network/virtualNetworks/subnets`. */
  readonly resourceType?: string;
  /** For `level === 'resource'`: the last name segment. */
  readonly name?: string;
  /** For `level === 'resource'`: the scope the resource lives in (resource group, subscription, parent resource or extended scope). */
  readonly parent?: string;
  /** For `level === 'resource'`: the provider namespace, e.g. `Microsoft.Network`. */
  readonly namespace?: string;
}

/** One leading slash, no trailing slash, no empty segments; `/` stays `/`. */
export function normalizeScope(scope: string): string {
  const parts = scope.split('/').filter((p) => p.length > 0);
  return '/' + parts.join('/');
}

/** The case-folded key under which a scope is indexed and compared. */
export function scopeKey(scope: string): string {
  return normalizeScope(scope).toLowerCase();
}

/** True when `inner` equals `outer` or lies below it. */
export function isWithinScope(inner: string, outer: string): boolean {
  const i = scopeKey(inner);
  const o = scopeKey(outer);
  return o === '/' || i === o || i.startsWith(o + '/');
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Parses a scope or resource id; throws `InvalidResourceId` for anything ARM would not route. */
export function parseScope(scope: string): ParsedScope {
  const id = normalizeScope(scope);
  const seg = id.split('/').filter((s) => s.length > 0);
  if (seg.length === 0) return { id, level: 'root' };
  const bad = () => invalid('InvalidResourceId', `The resource id '${scope}' is not a valid scope or resource id.`, 'id');
  // ARM refuses control characters in ids; held scopes are one line each in a bulk load.
  if (CONTROL_CHARACTER.test(scope)) throw bad();
  const lower = (i: number) => seg[i]?.toLowerCase();

  if (lower(0) === 'providers' && lower(1) === 'microsoft.management' && lower(2) === 'managementgroups') {
    const mg = seg[3];
    if (!mg) throw bad();
    if (seg.length === 4) return { id, level: 'managementGroup', managementGroup: mg };
    return parseResourceTail(id, seg, 4, { level: 'managementGroup', managementGroup: mg }, bad);
  }
  if (lower(0) === 'providers') return parseResourceTail(id, seg, 0, { level: 'root' }, bad);
  if (lower(0) !== 'subscriptions' || !seg[1]) throw bad();
  const subscriptionId = seg[1];
  if (seg.length === 2) return { id, level: 'subscription', subscriptionId };
  if (lower(2) === 'resourcegroups') {
    const resourceGroup = seg[3];
    if (!resourceGroup) throw bad();
    if (seg.length === 4) return { id, level: 'resourceGroup', subscriptionId, resourceGroup };
    return parseResourceTail(id, seg, 4, { level: 'resourceGroup', subscriptionId, resourceGroup }, bad);
  }
  return parseResourceTail(id, seg, 2, { level: 'subscription', subscriptionId }, bad);
}

type Base = Pick<ParsedScope, 'level' | 'subscriptionId' | 'resourceGroup' | 'managementGroup'>;

// `{base}/providers/{ns}/{type}/{name}[/{childType}/{childName}]…`, possibly repeated for extension
// resources (`…/providers/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Authorization/roleAssignments/x`).
function parseResourceTail(id: string, seg: string[], start: number, base: Base, bad: () => Error): ParsedScope {
  let i = start;
  let parsed: ParsedScope | undefined;
  let parentId = '/' + seg.slice(0, start).join('/');
  while (i < seg.length) {
    if (seg[i]?.toLowerCase() !== 'providers') throw bad();
    const namespace = seg[i + 1];
    if (!namespace) throw bad();
    const rest: string[] = [];
    let j = i + 2;
    while (j < seg.length && seg[j]?.toLowerCase() !== 'providers') rest.push(seg[j++] as string);
    if (rest.length < 2 || rest.length % 2 !== 0) {
      // A collection path (`…/providers/ns/type`) is not a resource id.
      throw bad();
    }
    const types: string[] = [];
    const names: string[] = [];
    for (let k = 0; k < rest.length; k += 2) {
      types.push(rest[k] as string);
      names.push(rest[k + 1] as string);
    }
    const parent = names.length > 1 ? '/' + seg.slice(0, j - 2).join('/') : parentId;
    parsed = {
      ...base,
      id: '/' + seg.slice(0, j).join('/'),
      level: 'resource',
      namespace,
      resourceType: `${namespace}/${types.join('/')}`,
      name: names[names.length - 1] as string,
      parent: normalizeScope(parent),
    };
    parentId = parsed.id;
    i = j;
  }
  if (!parsed) throw bad();
  return { ...parsed, id };
}

/**
 * The chain a role assignment is inherited down: the scope itself, each parent resource, the
 * resource group, the subscription, then `/`. Management-group ancestry comes from the hierarchy,
 * not the path, and is added by the caller where it exists.
 */
export function ancestorScopes(scope: string): string[] {
  const out: string[] = [];
  let current: ParsedScope = parseScope(scope);
  for (;;) {
    out.push(current.id);
    if (current.level === 'root') return out;
    if (current.level === 'resource') {
      current = parseScope(current.parent ?? '/');
    } else if (current.level === 'resourceGroup') {
      current = parseScope(`/subscriptions/${current.subscriptionId}`);
    } else {
      current = parseScope('/');
    }
  }
}

/** The scope of the subscription a scope belongs to, if any. */
export function subscriptionScopeOf(scope: string): string | undefined {
  const p = parseScope(scope);
  return p.subscriptionId ? `/subscriptions/${p.subscriptionId}` : undefined;
}
