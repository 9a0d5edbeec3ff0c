/**
 * `dependsOn` resolution and ordering. A dependency names a resource of the same template by
 * full id, by type and name (an id built at another scope), by name or `type/name` when that is
 * unambiguous, or by copy-loop name (all its instances). Names alone are never enough when they
 * are ambiguous: a Lighthouse definition and its assignment share the same GUID name.
 */
import { templateError } from './template-error.js';
import type { ResourceInstance, SkippedResource } from './resource-instances.js';

const norm = (s: string): string => s.replace(/\/+$/, '').toLowerCase();

/** `type/name` of an id: everything after the last `/providers/{namespace}` with names joined by '/'. */
function typeAndName(id: string): { type: string; name: string } | undefined {
  const seg = id.split('/').filter((s) => s !== '');
  const p = seg.map((s) => s.toLowerCase()).lastIndexOf('providers');
  const rest = seg.slice(p + 2);
  if (p < 0 || rest.length < 2 || rest.length % 2 !== 0) {
    // `/subscriptions/{s}/resourceGroups/{name}` is the one id without a providers segment.
    if (seg.length === 4 && seg[2]?.toLowerCase() === 'resourcegroups') return { type: 'microsoft.resources/resourcegroups', name: (seg[3] as string).toLowerCase() };
    return undefined;
  }
  const types = rest.filter((_s, k) => k % 2 === 0);
  const names = rest.filter((_s, k) => k % 2 === 1);
  return { type: `${seg[p + 1] as string}/${types.join('/')}`.toLowerCase(), name: names.join('/').toLowerCase() };
}

type Candidate = Pick<ResourceInstance, 'id' | 'type' | 'name'> & { readonly loop?: string };

function matches(ref: string, c: Candidate): 'id' | 'typeName' | 'name' | undefined {
  const r = norm(ref);
  if (norm(c.id) === r) return 'id';
  const cType = c.type.toLowerCase();
  const cName = c.name.toLowerCase();
  if (ref.startsWith('/')) {
    const tn = typeAndName(ref);
    return tn && tn.type === cType && tn.name === cName ? 'typeName' : undefined;
  }
  if (r === cName) return 'name';
  if (r === `${cType}/${cName}`) return 'typeName';
  return undefined;
}

/** The matches of `ref` among `list`, exact id matches taking precedence. */
function candidates<C extends Candidate>(ref: string, list: readonly C[]): C[] {
  const hits = list.map((c) => ({ c, how: matches(ref, c) })).filter((h) => h.how !== undefined);
  const exact = hits.filter((h) => h.how === 'id');
  return (exact.length > 0 ? exact : hits).map((h) => h.c);
}

/** The one instance `ref` (an id, name or `type/name`) names, or undefined when none or several do. */
export function findInstance(ref: string, instances: readonly ResourceInstance[]): ResourceInstance | undefined {
  const hits = candidates(ref, instances);
  return hits.length === 1 ? hits[0] : undefined;
}

/**
 * A resolver for the `dependsOn` entries of one template: it gives the ids an entry (`ref`, of
 * the resource `self` at `path`) stands for; `[]` when it names a resource left out by its
 * condition. Throws when it names nothing or is ambiguous.
 */
export function dependencyResolver(instances: readonly ResourceInstance[], skipped: readonly SkippedResource[]): (ref: string, path: string, self: ResourceInstance) => string[] {
  const loops = new Map<string, ResourceInstance[]>();
  for (const i of instances) {
    if (!i.copy) continue;
    const key = i.copy.name.toLowerCase();
    const list = loops.get(key);
    if (list) list.push(i);
    else loops.set(key, [i]);
  }
  return (ref, path, self) => {
    const loop = loops.get(ref.toLowerCase());
    if (loop) return loop.filter((i) => i !== self).map((i) => i.id);
    return resolveOne(ref, path, self, instances, skipped);
  };
}

function resolveOne(ref: string, path: string, self: ResourceInstance, instances: readonly ResourceInstance[], skipped: readonly SkippedResource[]): string[] {
  const hits = candidates(ref, instances);
  if (hits.length === 0) {
    if (candidates(ref, skipped).length > 0) return [];
    throw templateError(path, `The resource '${ref}' is not defined in the template.`);
  }
  if (hits.length > 1) {
    throw templateError(path, `The dependency '${ref}' is ambiguous: it matches ${hits.map((h) => `'${h.id}'`).join(', ')}. Use resourceId() to name one resource.`);
  }
  const target = hits[0] as ResourceInstance;
  if (target.id === self.id) throw templateError(path, `The template resource '${self.id}' cannot reference itself.`);
  return [target.id];
}

/**
 * Orders `nodes` so that each comes after its dependencies, keeping template order where free;
 * throws `InvalidTemplate` naming the resources of a cycle.
 */
export function orderByDependencies<T extends { readonly id: string; readonly path: string }>(nodes: readonly T[], dependsOn: ReadonlyMap<string, ReadonlySet<string>>): T[] {
  // Kahn's algorithm; the ready set is kept sorted by template position so order stays stable.
  const position = new Map(nodes.map((n, k) => [n.id, k]));
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const n of nodes) {
    const deps = [...(dependsOn.get(n.id) ?? [])];
    waiting.set(n.id, deps.length);
    for (const d of deps) {
      const list = dependents.get(d);
      if (list) list.push(n.id);
      else dependents.set(d, [n.id]);
    }
  }
  const ready = nodes.filter((n) => waiting.get(n.id) === 0).map((n) => position.get(n.id) as number);
  const out: T[] = [];
  while (ready.length > 0) {
    const n = nodes[ready.shift() as number] as T;
    out.push(n);
    for (const m of dependents.get(n.id) ?? []) {
      const left = (waiting.get(m) as number) - 1;
      waiting.set(m, left);
      if (left === 0) insertSorted(ready, position.get(m) as number);
    }
  }
  if (out.length < nodes.length) throw cycleError(nodes.filter((n) => (waiting.get(n.id) as number) > 0), dependsOn);
  return out;
}

function insertSorted(list: number[], value: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}

function cycleError(pending: readonly { id: string; path: string }[], dependsOn: ReadonlyMap<string, ReadonlySet<string>>): Error {
  const left = new Set(pending.map((n) => n.id));
  // Walk unresolved dependencies from any pending node until a node repeats: that loop is a cycle.
  const trail: string[] = [];
  let at = (pending[0] as { id: string }).id;
  while (!trail.includes(at)) {
    trail.push(at);
    at = [...(dependsOn.get(at) ?? [])].find((d) => left.has(d)) as string;
  }
  const cycle = [...trail.slice(trail.indexOf(at)), at];
  const path = pending.find((n) => n.id === at)?.path ?? 'resources';
  return templateError(path, `Circular dependency detected on resource: '${at}'. The cycle is ${cycle.map((c) => `'${c}'`).join(' -> ')}.`);
}
