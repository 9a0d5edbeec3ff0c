/**
 * Second planning pass over one template: evaluates each instance's `dependsOn` and body, plans
 * nested deployments recursively, and orders the steps. `reference()`/`list*()` in a body are
 * recorded (an implicit dependency when they name a resource of the template) and deferred.
 */
import { canonicalKeys, childPath, isJsonObject, jsonTypeName } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import { DEFERRED } from './evaluation.js';
import type { EvalScope } from './evaluation.js';
import { ExpressionError, templateError } from './template-error.js';
import { canonicalCopy, evaluateKnown, evaluateTree } from './template-values.js';
import { TemplateEnvironment } from './environment.js';
import type { CopyFrame, RuntimeAccess } from './environment.js';
import { DEPLOYMENTS_TYPE, expandResources } from './resource-instances.js';
import type { ResourceInstance } from './resource-instances.js';
import { dependencyResolver, findInstance, orderByDependencies } from './dependencies.js';
import { checkTemplateShape } from './template-schema.js';
import { readSuppliedParameters } from './parameters.js';
import { templateType } from './template-types.js';
import type { DeploymentContext, NestedDeploymentInfo, PlanStep, RuntimeFunctions, TemplateOutput } from './deployment-plan.js';

/** Resource members that steer planning rather than describe the resource. */
const PLANNING_KEYS = new Set(['type', 'apiversion', 'name', 'copy', 'condition', 'dependson', 'resources', 'comments', 'scope', 'resourcegroup', 'subscriptionid']);

export interface TemplateInput {
  readonly template: JsonObject;
  readonly resources: readonly JsonValue[];
  /** JSON path of the template. */
  readonly path: string;
  readonly env: TemplateEnvironment;
  /** Copy loops of an outer-scope parent deployment, visible to `copyIndex()` inside. */
  readonly outerCopies: readonly CopyFrame[];
  /** Where the template's resources land. */
  readonly target: EvalScope;
  readonly deploymentId: string;
  readonly host: DeploymentContext;
}

export interface TemplatePlan {
  /** Ordered; a nested deployment's steps follow it directly. */
  readonly steps: PlanStep[];
  /** The template's outputs with `runtime` answering `reference()`. */
  outputs(runtime: RuntimeFunctions): Record<string, TemplateOutput>;
}

interface Pending {
  readonly id: string;
  readonly path: string;
  readonly step: PlanStep;
  readonly inner: PlanStep[];
}

/** Plans one template (root or nested) fully; throws `InvalidTemplate` on any fault. */
export function planTemplate(input: TemplateInput): TemplatePlan {
  const { env, path } = input;
  const { instances, skipped } = expandResources(input.resources, childPath(path, 'resources'), env, input.target, input.outerCopies);

  // A name, or an id that names a resource of this template by type and name, becomes that
  // resource's full id; other ids are resources deployed elsewhere.
  const resolveTarget = (target: string): string => {
    const found = findInstance(target, instances);
    if (found) return found.id;
    if (target.startsWith('/')) return target;
    throw new ExpressionError(`the resource '${target}' is not defined in the template; use resourceId() for a resource deployed elsewhere`);
  };
  const planRuntime = (implicit?: Set<string>): RuntimeAccess => {
    const note = (target: string) => {
      const id = resolveTarget(target);
      if (findInstance(id, instances)) implicit?.add(id);
      return DEFERRED;
    };
    return { reference: (t) => note(t), list: (_f, t) => note(t) };
  };
  // Without an api-version, reference() to a resource of the template reads it with the template's.
  const executeRuntime = (runtime: RuntimeFunctions): RuntimeAccess => ({
    reference: (t, apiVersion, full) => runtime.reference(resolveTarget(t), apiVersion ?? findInstance(t, instances)?.apiVersion, full),
    list: (f, t, apiVersion, body) => runtime.list(f, resolveTarget(t), apiVersion, body),
  });

  const dependsOn = new Map<string, Set<string>>();
  const resolve = dependencyResolver(instances, skipped);
  const pending: Pending[] = instances.map((i) => {
    const implicit = new Set<string>();
    const built = buildStep(i, input, planRuntime(implicit), executeRuntime);
    const deps = new Set([...explicitDependencies(i, resolve, env), ...implicit, ...serialPredecessors(i, instances)]);
    if (i.parentId !== undefined) deps.add(i.parentId);
    deps.delete(i.id);
    dependsOn.set(i.id, deps);
    return { id: i.id, path: i.path, step: { ...built.step, dependsOn: [...deps] }, inner: built.inner };
  });
  const steps = orderByDependencies(pending, dependsOn).flatMap((p) => [p.step, ...p.inner]);

  const outputs = (runtime: RuntimeAccess) => evaluateOutputs(input.template, path, env, input.outerCopies, runtime);
  outputs(planRuntime()); // validates the outputs now; their values come after execution
  return { steps, outputs: (runtime) => outputs(executeRuntime(runtime)) };
}

function explicitDependencies(i: ResourceInstance, resolve: ReturnType<typeof dependencyResolver>, env: TemplateEnvironment): string[] {
  const raw = i.declaration.dependsOn;
  if (raw === undefined) return [];
  const at = childPath(i.path, 'dependsOn');
  if (!Array.isArray(raw)) throw templateError(at, `The template resource '${i.path}' dependsOn must be an array.`);
  const ctx = env.context({ copies: i.copies });
  return raw.flatMap((d, k) => {
    const p = childPath(at, k);
    const v = evaluateKnown(d, p, ctx);
    if (typeof v !== 'string') throw templateError(p, `The template resource '${i.path}' dependsOn entries must be strings, not '${jsonTypeName(v)}'.`);
    return resolve(v, p, i);
  });
}

/** In a serial copy loop, an instance waits for the whole previous batch. */
function serialPredecessors(i: ResourceInstance, instances: readonly ResourceInstance[]): string[] {
  const c = i.copy;
  if (c?.mode !== 'serial') return [];
  const size = c.batchSize ?? 1;
  const batch = Math.floor(c.index / size);
  if (batch === 0) return [];
  return instances
    .filter((o) => o.path === i.path && o.copy !== undefined && Math.floor(o.copy.index / size) === batch - 1 && o.copies.slice(0, -1).every((f, k) => f.index === i.copies[k]?.index))
    .map((o) => o.id);
}

function buildStep(i: ResourceInstance, input: TemplateInput, plan: RuntimeAccess, execute: (r: RuntimeFunctions) => RuntimeAccess): { step: PlanStep; inner: PlanStep[] } {
  const source: JsonObject = {};
  for (const [k, v] of Object.entries(i.declaration)) if (!PLANNING_KEYS.has(k.toLowerCase())) source[k] = v;
  const isDeployment = i.type.toLowerCase() === DEPLOYMENTS_TYPE;
  const nestedTemplate = isDeployment ? takeNestedTemplate(i, source) : undefined;
  const evaluated = evaluateTree(source, i.path, input.env.context({ copies: i.copies, runtime: plan }));
  const body = evaluated.value as JsonObject;
  let inner: PlanStep[] = [];
  let nested: NestedDeploymentInfo | undefined;
  if (nestedTemplate !== undefined) {
    if (evaluated.deferred) throw templateError(childPath(i.path, 'properties'), `The nested deployment '${i.name}' uses 'reference' or 'list*' in its properties; it cannot be planned before deployment.`);
    const planned = planNested(i, body, nestedTemplate, input);
    inner = planned.steps;
    nested = planned.info;
    (body.properties as JsonObject).template = nestedTemplate;
  }
  const resolveBody = (runtime: RuntimeFunctions): JsonObject =>
    evaluated.deferred ? (evaluateTree(source, i.path, input.env.context({ copies: i.copies, runtime: execute(runtime) })).value as JsonObject) : body;
  const step: PlanStep = {
    kind: isDeployment ? 'deployment' : 'resource',
    resourceId: i.id,
    type: i.type,
    apiVersion: i.apiVersion,
    name: i.name,
    scope: i.scope,
    body,
    deferred: evaluated.deferred,
    resolveBody,
    dependsOn: [],
    templatePath: i.path,
    deploymentId: input.deploymentId,
    ...(i.copy ? { copy: i.copy } : {}),
    ...(nested ? { nested } : {}),
  };
  return { step, inner };
}

/** Removes `properties.template` from the source to evaluate (it is evaluated as its own template) and returns it. */
function takeNestedTemplate(i: ResourceInstance, source: JsonObject): JsonValue {
  const at = childPath(i.path, 'properties');
  const props = isJsonObject(source.properties) ? canonicalKeys(source.properties, ['template', 'templateLink', 'parameters', 'mode', 'expressionEvaluationOptions']) : source.properties;
  if (!isJsonObject(props)) throw templateError(at, `The nested deployment '${i.name}' needs 'properties'.`);
  if (props.templateLink !== undefined) throw templateError(childPath(at, 'templateLink'), `The nested deployment '${i.name}' uses a linked template; only inline 'properties.template' is supported.`);
  if (props.template === undefined) throw templateError(childPath(at, 'template'), `The nested deployment '${i.name}' needs an inline 'properties.template'.`);
  const { template, ...rest } = props;
  source.properties = rest;
  return template;
}

function planNested(i: ResourceInstance, body: JsonObject, rawTemplate: JsonValue, input: TemplateInput): { steps: PlanStep[]; info: NestedDeploymentInfo } {
  const propsPath = childPath(i.path, 'properties');
  const tPath = childPath(propsPath, 'template');
  const { template, resources } = checkTemplateShape(rawTemplate, tPath);
  const props = body.properties as JsonObject;
  const options = props.expressionEvaluationOptions;
  const rawScope = isJsonObject(options) ? canonicalKeys(options, ['scope']).scope : undefined;
  const scopeKind = rawScope === undefined ? 'outer' : typeof rawScope === 'string' ? rawScope.toLowerCase() : '';
  if (scopeKind !== 'outer' && scopeKind !== 'inner') {
    throw templateError(childPath(childPath(propsPath, 'expressionEvaluationOptions'), 'scope'), `The nested deployment '${i.name}' expression evaluation scope must be 'inner' or 'outer'.`);
  }
  const mode = props.mode ?? 'Incremental';
  if (typeof mode !== 'string' || !/^(incremental|complete)$/i.test(mode)) throw templateError(childPath(propsPath, 'mode'), `The nested deployment '${i.name}' mode must be 'Incremental' or 'Complete'.`);
  const target = i.nestedTarget as EvalScope;
  let env: TemplateEnvironment;
  let outerCopies: readonly CopyFrame[];
  if (scopeKind === 'outer') {
    // Outer scope: the inner template is evaluated with the parent's parameters, variables,
    // scope and copy index, so it may not declare or receive its own.
    for (const member of ['parameters', 'variables'] as const) {
      const declared = template[member];
      if (isJsonObject(declared) && Object.keys(declared).length > 0) {
        throw templateError(childPath(tPath, member), `The nested template of '${i.name}' declares ${member} but uses the outer expression evaluation scope; set properties.expressionEvaluationOptions.scope to 'inner'.`);
      }
    }
    if (isJsonObject(props.parameters) && Object.keys(props.parameters).length > 0) {
      throw templateError(childPath(propsPath, 'parameters'), `The nested deployment '${i.name}' passes parameters but uses the outer expression evaluation scope; set properties.expressionEvaluationOptions.scope to 'inner'.`);
    }
    env = input.env;
    outerCopies = i.copies;
  } else {
    env = new TemplateEnvironment({
      template,
      path: tPath,
      scope: target,
      deploymentName: i.name,
      host: input.host,
      supplied: readSuppliedParameters({ parameters: props.parameters ?? {} }),
    });
    env.validate();
    outerCopies = [];
  }
  const plan = planTemplate({ template, resources, path: tPath, env, outerCopies, target, deploymentId: i.id, host: input.host });
  const targetScope = target.resourceGroup === undefined ? { subscriptionId: target.subscriptionId } : { subscriptionId: target.subscriptionId, resourceGroup: target.resourceGroup };
  return {
    steps: plan.steps,
    info: {
      expressionScope: scopeKind,
      mode,
      target: targetScope,
      parameters: scopeKind === 'inner' ? env.parameterRecord() : {},
      evaluateOutputs: (runtime) => plan.outputs(runtime),
    },
  };
}

/** Evaluates a template's `outputs` (with `copy` and `condition`) using `runtime` for `reference()`. */
function evaluateOutputs(template: JsonObject, path: string, env: TemplateEnvironment, copies: readonly CopyFrame[], runtime: RuntimeAccess): Record<string, TemplateOutput> {
  const out: Record<string, TemplateOutput> = {};
  const outputs = (template.outputs ?? {}) as JsonObject;
  for (const [name, raw] of Object.entries(outputs)) {
    const at = childPath(childPath(path, 'outputs'), name);
    const def = isJsonObject(raw) ? canonicalKeys(raw, ['type', 'value', 'copy', 'condition']) : raw;
    const type = isJsonObject(def) ? templateType(def.type) : undefined;
    if (!isJsonObject(def) || type === undefined) {
      throw templateError(at, `The template output '${name}' needs a type: string, securestring, int, bool, object, secureObject or array.`);
    }
    const ctx = env.context({ copies, runtime });
    if (def.condition !== undefined) {
      const cond = evaluateTree(def.condition, childPath(at, 'condition'), ctx);
      if (!cond.deferred && typeof cond.value !== 'boolean') throw templateError(childPath(at, 'condition'), `The template output '${name}' condition must be a boolean.`);
      if (cond.value === false) continue;
    }
    let value: JsonValue;
    let deferred: boolean;
    if (def.copy !== undefined) {
      const copy = isJsonObject(def.copy) ? canonicalCopy(def.copy) : def.copy;
      if (!isJsonObject(copy) || copy.input === undefined) throw templateError(childPath(at, 'copy'), `The template output '${name}' copy needs a count and an input.`);
      const count = evaluateKnown(copy.count ?? null, childPath(childPath(at, 'copy'), 'count'), env.context({ copies }));
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw templateError(childPath(childPath(at, 'copy'), 'count'), `The template output '${name}' copy count must be a non-negative integer.`);
      const items = Array.from({ length: count }, (_v, index) => evaluateTree(copy.input as JsonValue, childPath(childPath(at, 'copy'), 'input'), env.context({ copies: [...copies, { name, index }], runtime })));
      value = items.map((r) => r.value);
      deferred = items.some((r) => r.deferred);
    } else {
      if (def.value === undefined) throw templateError(at, `The template output '${name}' needs a value.`);
      const r = evaluateTree(def.value, childPath(at, 'value'), ctx);
      value = r.value;
      deferred = r.deferred;
    }
    if (!deferred && !type.accepts(value)) {
      throw templateError(at, `The template output '${name}' is not valid: expected a value of type '${type.name}', got '${jsonTypeName(value)}'.`);
    }
    out[name] = { type: type.name, value };
  }
  return out;
}
