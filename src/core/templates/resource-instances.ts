/**
 * First planning pass: expands each declared resource into its instances (one per copy index,
 * none when `condition` is false), evaluating only what identifies an instance (type, name,
 * apiVersion, target scope) so that dependencies and `reference()` by name can be resolved.
 */
import { canonicalKeys, childPath, isJsonObject } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import type { EvalScope } from './evaluation.js';
import type { CopyFrame, TemplateEnvironment } from './environment.js';
import type { StepScope } from './deployment-plan.js';
import { atPath, templateError } from './template-error.js';
import { canonicalCopy, evaluateKnown, evaluateStringValue } from './template-values.js';
import { declaredResourceId, scopeId } from './resource-ids.js';

/** The nested-deployment resource type, lower-cased for comparisons. */
export const DEPLOYMENTS_TYPE = 'microsoft.resources/deployments';
const RESOURCE_GROUPS_TYPE = 'microsoft.resources/resourcegroups';
/** ARM's limit on copy count. */
const MAX_COPY = 800;

export interface CopyInfo {
  readonly name: string;
  readonly index: number;
  readonly mode: 'parallel' | 'serial';
  readonly batchSize?: number;
}

export interface ResourceInstance {
  readonly path: string;
  readonly declaration: JsonObject;
  /** The copy-loop stack its expressions see (outer loops first). */
  readonly copies: readonly CopyFrame[];
  readonly copy?: CopyInfo;
  readonly type: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly id: string;
  readonly scope: StepScope;
  /** For a child declared inside its parent's `resources`: the parent's id (an implicit dependency). */
  readonly parentId?: string;
  /** For a nested deployment: where its resources land. */
  readonly nestedTarget?: EvalScope;
}

/** A resource left out by its `condition`; dependencies on it are dropped. */
export interface SkippedResource {
  readonly id: string;
  readonly type: string;
  readonly name: string;
}

export interface ExpandedResources {
  readonly instances: ResourceInstance[];
  readonly skipped: SkippedResource[];
}

interface Parent {
  readonly type: string;
  readonly name: string;
  readonly id: string;
  readonly copies: readonly CopyFrame[];
}

/**
 * Expands `resources` (at JSON path `path`) whose expressions run in `env`, with `outerCopies` the
 * copy stack inherited from an outer-scope parent deployment, landing in `target`.
 */
export function expandResources(resources: readonly JsonValue[], path: string, env: TemplateEnvironment, target: EvalScope, outerCopies: readonly CopyFrame[]): ExpandedResources {
  const out: ExpandedResources = { instances: [], skipped: [] };
  resources.forEach((r, k) => expandOne(r, childPath(path, k), env, target, outerCopies, undefined, out));
  const seen = new Map<string, string>();
  for (const i of out.instances) {
    const key = i.id.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined) throw templateError(i.path, `The resource '${i.id}' is defined multiple times in a template (at '${other}' and '${i.path}').`);
    seen.set(key, i.path);
  }
  return out;
}

const RESOURCE_KEYS = ['type', 'apiVersion', 'name', 'copy', 'condition', 'dependsOn', 'resources', 'scope', 'resourceGroup', 'subscriptionId', 'properties', 'location', 'tags', 'comments'];

function expandOne(value: JsonValue, path: string, env: TemplateEnvironment, target: EvalScope, copies: readonly CopyFrame[], parent: Parent | undefined, out: ExpandedResources): void {
  if (!isJsonObject(value)) throw templateError(path, `The template resource '${path}' must be an object.`);
  const r = canonicalKeys(value, RESOURCE_KEYS);
  const loop = readCopy(r, path, env, copies);
  const iterations: (CopyInfo | undefined)[] = loop ? Array.from({ length: loop.count }, (_v, index) => ({ ...loop.info, index })) : [undefined];
  for (const copy of iterations) {
    const frames = copy ? [...copies, { name: copy.name, index: copy.index }] : copies;
    const ctx = env.context({ copies: frames });
    let type = evaluateStringValue(r.type, childPath(path, 'type'), ctx);
    let name = evaluateStringValue(r.name, childPath(path, 'name'), ctx);
    if (parent && !type.includes('/')) {
      type = `${parent.type}/${type}`;
      name = `${parent.name}/${name}`;
    }
    const apiVersion = evaluateStringValue(r.apiVersion, childPath(path, 'apiVersion'), ctx);
    const located = locate(r, path, type, name, env, ctx, target);
    const condition = r.condition === undefined ? true : evaluateKnown(r.condition, childPath(path, 'condition'), ctx);
    if (typeof condition !== 'boolean') throw templateError(childPath(path, 'condition'), `The template resource '${path}' condition must evaluate to a boolean.`);
    if (!condition) {
      out.skipped.push({ id: located.id, type: located.type, name });
      continue;
    }
    const instance: ResourceInstance = {
      path,
      declaration: r,
      copies: frames,
      type: located.type,
      apiVersion,
      name,
      id: located.id,
      scope: located.scope,
      ...(copy ? { copy } : {}),
      ...(parent ? { parentId: parent.id } : {}),
      ...(located.nestedTarget ? { nestedTarget: located.nestedTarget } : {}),
    };
    out.instances.push(instance);
    const children = r.resources;
    if (children !== undefined) {
      if (!Array.isArray(children)) throw templateError(childPath(path, 'resources'), `The child resources of '${path}' must be an array.`);
      const me: Parent = { type: located.type, name, id: located.id, copies: frames };
      children.forEach((c, k) => expandOne(c, childPath(childPath(path, 'resources'), k), env, target, me.copies, me, out));
    }
  }
}

function readCopy(r: JsonObject, path: string, env: TemplateEnvironment, copies: readonly CopyFrame[]): { count: number; info: Omit<CopyInfo, 'index'> } | undefined {
  if (r.copy === undefined) return undefined;
  const at = childPath(path, 'copy');
  const c = isJsonObject(r.copy) ? canonicalCopy(r.copy) : r.copy;
  if (!isJsonObject(c) || typeof c.name !== 'string' || c.name === '') throw templateError(at, `The copy of template resource '${path}' needs a 'name' and a 'count'.`);
  const count = evaluateKnown(c.count ?? null, childPath(at, 'count'), env.context({ copies }));
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_COPY) {
    throw templateError(childPath(at, 'count'), `The copy count of template resource '${path}' must be an integer from 0 to ${MAX_COPY}, not '${JSON.stringify(count)}'.`);
  }
  const mode = c.mode === undefined ? 'parallel' : typeof c.mode === 'string' ? c.mode.toLowerCase() : '';
  if (mode !== 'parallel' && mode !== 'serial') throw templateError(childPath(at, 'mode'), `The copy mode of template resource '${path}' must be 'Parallel' or 'Serial'.`);
  let batchSize: number | undefined;
  if (c.batchSize !== undefined) {
    const b = evaluateKnown(c.batchSize, childPath(at, 'batchSize'), env.context({ copies }));
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 1) throw templateError(childPath(at, 'batchSize'), `The copy batchSize of template resource '${path}' must be a positive integer.`);
    batchSize = b;
  }
  return { count, info: { name: c.name, mode, ...(batchSize !== undefined ? { batchSize } : {}) } };
}

/** Where an instance lands and its id: nested deployments and resource groups have their own rules. */
function locate(
  r: JsonObject,
  path: string,
  type: string,
  name: string,
  env: TemplateEnvironment,
  ctx: ReturnType<TemplateEnvironment['context']>,
  target: EvalScope,
): { id: string; type: string; scope: StepScope; nestedTarget?: EvalScope } {
  const lower = type.replace(/\/+$/, '').toLowerCase();
  const here: StepScope = target.resourceGroup === undefined ? { subscriptionId: target.subscriptionId } : { subscriptionId: target.subscriptionId, resourceGroup: target.resourceGroup };
  if (lower === RESOURCE_GROUPS_TYPE) {
    if (target.resourceGroup !== undefined) throw templateError(childPath(path, 'type'), `The template resource '${path}' of type '${type}' can only be deployed at subscription level.`);
    return { id: `${scopeId(target.subscriptionId)}/resourceGroups/${name}`, type: 'Microsoft.Resources/resourceGroups', scope: here };
  }
  if (lower === DEPLOYMENTS_TYPE) {
    const sub = r.subscriptionId === undefined ? undefined : evaluateStringValue(r.subscriptionId, childPath(path, 'subscriptionId'), ctx);
    const rg = r.resourceGroup === undefined ? undefined : evaluateStringValue(r.resourceGroup, childPath(path, 'resourceGroup'), ctx);
    const subscriptionId = sub ?? target.subscriptionId;
    // resourceGroup targets that group; subscriptionId alone targets that subscription; neither keeps the parent's scope.
    const resourceGroup = rg ?? (sub === undefined ? target.resourceGroup : undefined);
    const nestedTarget: EvalScope = resourceGroup === undefined ? { tenantId: target.tenantId, subscriptionId } : { tenantId: target.tenantId, subscriptionId, resourceGroup };
    const scope: StepScope = resourceGroup === undefined ? { subscriptionId } : { subscriptionId, resourceGroup };
    const id = atPath(childPath(path, 'name'), name, () => declaredResourceId(scopeId(subscriptionId, resourceGroup), type, name));
    return { id: id.id, type: id.type, scope, nestedTarget };
  }
  let parentScope = scopeId(target.subscriptionId, target.resourceGroup);
  if (r.scope !== undefined) {
    parentScope = evaluateStringValue(r.scope, childPath(path, 'scope'), ctx).replace(/\/+$/, '');
    if (!parentScope.startsWith('/')) throw templateError(childPath(path, 'scope'), `The template resource '${path}' scope must be a resource id, not '${parentScope}'.`);
  }
  const id = atPath(childPath(path, 'name'), name, () => declaredResourceId(parentScope, type, name));
  return { id: id.id, type: id.type, scope: here };
}
