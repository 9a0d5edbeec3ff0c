/**
 * The expression environment of one template in one deployment: its parameters (supplied or
 * defaulted), its variables, and what `deployment()`, `subscription()` and `resourceGroup()` return.
 * Parameters and variables are resolved lazily with cycle detection, and all of them are
 * resolved once up front (`validate`) so that every error surfaces before execution.
 */
import { childPath, getPropertyIgnoreCase, isJsonObject } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import type { EvalContext, EvalScope, Value } from './evaluation.js';
import { ExpressionError, templateError } from './template-error.js';
import { canonicalCopy, evaluateKnown, evaluateTree } from './template-values.js';
import { checkParameterDeclaration, checkParameterValue, missingParameter } from './parameters.js';
import type { SuppliedParameters } from './parameters.js';
import type { SourcePosition } from './parse-template-json.js';
import type { DeploymentContext, DeploymentParameter } from './deployment-plan.js';
import { templateType } from './template-types.js';
import type { TemplateType } from './template-types.js';
import { notFound } from '../errors.js';
import { scopeId } from './resource-ids.js';

export interface CopyFrame {
  readonly name: string;
  readonly index: number;
}

/** How `reference()`/`list*()` are answered where they are allowed. */
export interface RuntimeAccess {
  reference(target: string, apiVersion: string | undefined, full: boolean): Value;
  list(functionName: string, target: string, apiVersion: string, body: JsonValue | undefined): Value;
}

export interface EnvironmentOptions {
  readonly template: JsonObject;
  /** JSON path of the template (`''` for the root, `resources[1].properties.template` when nested). */
  readonly path: string;
  readonly scope: EvalScope;
  readonly deploymentName: string;
  readonly host: DeploymentContext;
  readonly supplied: SuppliedParameters;
  readonly positions?: ReadonlyMap<string, SourcePosition>;
}

type Slot = { state: 'resolving' } | { state: 'done'; value: JsonValue };

const notHere = (name: string) => new ExpressionError(`the template function '${name}' is not expected at this location`);

/** Parameters, variables and deployment facts of one template, resolved lazily and validated up front. */
export class TemplateEnvironment {
  private readonly declaredParameters: JsonObject;
  private readonly declaredVariables: JsonObject;
  private readonly parameterSlots = new Map<string, Slot>();
  private readonly variableSlots = new Map<string, Slot>();

  constructor(private readonly o: EnvironmentOptions) {
    const p = o.template.parameters ?? {};
    const v = o.template.variables ?? {};
    if (!isJsonObject(p)) throw templateError(childPath(o.path, 'parameters'), "The template member 'parameters' must be an object.");
    if (!isJsonObject(v)) throw templateError(childPath(o.path, 'variables'), "The template member 'variables' must be an object.");
    this.declaredParameters = p;
    this.declaredVariables = v;
  }

  get scope(): EvalScope {
    return this.o.scope;
  }

  /** Resolves every parameter and variable, rejecting supplied values the template does not declare. */
  validate(): void {
    const declared = new Set(Object.keys(this.declaredParameters).map((k) => k.toLowerCase()));
    const extra = [...this.o.supplied.values()].filter((s) => !declared.has(s.name.toLowerCase())).map((s) => s.name);
    if (extra.length > 0) {
      throw templateError(
        'parameters',
        `The template parameters '${extra.join(', ')}' in the parameters file are not valid; they are not present in the original template and can therefore not be provided at deployment time.`,
      );
    }
    for (const name of Object.keys(this.declaredParameters)) this.parameter(name);
    for (const name of this.variableNames()) this.variable(name);
  }

  /** The value of parameter `name` (case-insensitive). */
  parameter(name: string): JsonValue {
    const key = this.findKey(this.declaredParameters, name);
    if (key === undefined) throw new ExpressionError(`the template parameter '${name}' is not found. Please see https://aka.ms/arm-syntax-parameters for usage details`);
    return this.resolve(this.parameterSlots, key, `parameter '${key}'`, () => this.computeParameter(key));
  }

  /** The value of variable `name` (case-insensitive), including variables defined by a variable `copy`. */
  variable(name: string): JsonValue {
    const copyDef = this.variableCopies().find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (copyDef) return this.resolve(this.variableSlots, copyDef.name, `variable '${copyDef.name}'`, () => this.computeVariableCopy(copyDef));
    const key = this.findKey(this.declaredVariables, name);
    if (key === undefined || key === 'copy') throw new ExpressionError(`the variable '${name}' is not defined`);
    return this.resolve(this.variableSlots, key, `variable '${key}'`, () => {
      const path = childPath(childPath(this.o.path, 'variables'), key);
      return evaluateKnown(this.declaredVariables[key] as JsonValue, path, this.context({ copies: [], variables: true }));
    });
  }

  /** The resolved parameters as a deployment record shows them: `{ type, value }`, without values of secure types. */
  parameterRecord(): Record<string, DeploymentParameter> {
    const out: Record<string, DeploymentParameter> = {};
    for (const name of Object.keys(this.declaredParameters)) {
      const path = childPath(childPath(this.o.path, 'parameters'), name);
      const type = templateType(checkParameterDeclaration(name, this.declaredParameters[name] as JsonValue, path).type) as TemplateType;
      out[name] = type.secure ? { type: type.name } : { type: type.name, value: this.parameter(name) };
    }
    return out;
  }

  /** `deployment()`. */
  deployment(): JsonObject {
    const t = this.o.template;
    const template: JsonObject = { contentVersion: t.contentVersion ?? null };
    if (typeof t.$schema === 'string') template.$schema = t.$schema;
    const out: JsonObject = {
      name: this.o.deploymentName,
      properties: { template, parameters: {}, mode: 'Incremental', provisioningState: 'Accepted' },
    };
    if (this.o.scope.resourceGroup === undefined && this.o.host.location !== undefined) out.location = this.o.host.location;
    return out;
  }

  /** `subscription()`. */
  subscription(): JsonObject {
    const { subscriptionId, tenantId } = this.o.scope;
    const info = this.o.host.subscriptionInfo(subscriptionId);
    if (!info) throw notFound('SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
    return {
      id: scopeId(subscriptionId),
      subscriptionId,
      tenantId,
      displayName: info.displayName,
      managedByTenants: (info.managedByTenants ?? []).map((m) => ({ tenantId: m.tenantId })),
    };
  }

  /** `resourceGroup()`; only valid in a resource-group deployment. */
  resourceGroup(): JsonObject {
    const { subscriptionId, resourceGroup } = this.o.scope;
    if (resourceGroup === undefined) throw new ExpressionError("the template function 'resourceGroup' is not expected in a subscription-level deployment");
    const info = this.o.host.resourceGroupInfo(subscriptionId, resourceGroup);
    if (!info) throw notFound('ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
    const out: JsonObject = {
      id: scopeId(subscriptionId, resourceGroup),
      name: resourceGroup,
      type: 'Microsoft.Resources/resourceGroups',
      location: info.location,
      tags: { ...(info.tags ?? {}) },
      properties: { provisioningState: 'Succeeded' },
    };
    if (info.managedBy !== undefined) out.managedBy = info.managedBy;
    return out;
  }

  /**
   * An evaluation context: `copies` is the copy-loop stack (innermost last), `runtime` answers
   * `reference()`/`list*()` where they may appear, `variables: false` is for parameter defaults,
   * `generators` allows `newGuid()`/`utcNow()` (parameter defaults only).
   */
  context(opts: { copies: readonly CopyFrame[]; runtime?: RuntimeAccess; variables?: boolean; generators?: boolean }): EvalContext {
    const host = this.o.host;
    return {
      scope: this.o.scope,
      parameter: (n) => this.parameter(n),
      variable: (n) => {
        if (opts.variables === false) throw notHere('variables');
        return this.variable(n);
      },
      withCopy: (name, index) => this.context({ ...opts, copies: [...opts.copies, { name, index }] }),
      copyIndex: (loop) => {
        const frame = loop === undefined ? opts.copies[opts.copies.length - 1] : opts.copies.findLast((c) => c.name.toLowerCase() === loop.toLowerCase());
        if (!frame) throw new ExpressionError(loop === undefined ? "the template function 'copyIndex' is not expected at this location" : `the copy loop '${loop}' is not found`);
        return frame.index;
      },
      deployment: () => this.deployment(),
      subscription: () => this.subscription(),
      resourceGroup: () => this.resourceGroup(),
      newGuid: () => {
        if (!opts.generators) throw notHere('newGuid');
        return host.newGuid();
      },
      utcNow: () => {
        if (!opts.generators) throw notHere('utcNow');
        return host.now();
      },
      reference: (target, apiVersion, full) => {
        if (!opts.runtime) throw notHere('reference');
        return opts.runtime.reference(target, apiVersion, full);
      },
      list: (functionName, target, apiVersion, body) => {
        if (!opts.runtime) throw notHere(functionName);
        return opts.runtime.list(functionName, target, apiVersion, body);
      },
    };
  }

  private computeParameter(key: string): JsonValue {
    const path = childPath(childPath(this.o.path, 'parameters'), key);
    const decl = checkParameterDeclaration(key, this.declaredParameters[key] as JsonValue, path);
    const supplied = this.o.supplied.get(key.toLowerCase());
    let value: JsonValue;
    if (supplied !== undefined) {
      value = supplied.value;
    } else if (Object.hasOwn(decl, 'defaultValue')) {
      value = evaluateKnown(decl.defaultValue as JsonValue, childPath(path, 'defaultValue'), this.context({ copies: [], variables: false, generators: true }));
    } else {
      throw missingParameter(key, path, this.o.positions?.get(path));
    }
    checkParameterValue(key, decl, value, path);
    return value;
  }

  private variableCopies(): { name: string; count: JsonValue; input: JsonValue; path: string }[] {
    const defs = getPropertyIgnoreCase(this.declaredVariables, 'copy');
    if (defs === undefined) return [];
    const base = childPath(childPath(this.o.path, 'variables'), 'copy');
    if (!Array.isArray(defs)) throw templateError(base, "The variable 'copy' must be an array of { name, count, input }.");
    return defs.map((raw, k) => {
      const path = childPath(base, k);
      const d = isJsonObject(raw) ? canonicalCopy(raw) : raw;
      if (!isJsonObject(d) || typeof d.name !== 'string' || d.count === undefined || d.input === undefined) {
        throw templateError(path, 'A variable copy needs a string name, a count and an input.');
      }
      return { name: d.name, count: d.count, input: d.input, path };
    });
  }

  private computeVariableCopy(def: { name: string; count: JsonValue; input: JsonValue; path: string }): JsonValue {
    const count = evaluateKnown(def.count, childPath(def.path, 'count'), this.context({ copies: [] }));
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 800) {
      throw templateError(childPath(def.path, 'count'), `The copy count of variable '${def.name}' must be an integer from 0 to 800.`);
    }
    return Array.from({ length: count }, (_v, index) => evaluateTree(def.input, childPath(def.path, 'input'), this.context({ copies: [{ name: def.name, index }] })).value);
  }

  private variableNames(): string[] {
    return [...Object.keys(this.declaredVariables).filter((k) => k.toLowerCase() !== 'copy'), ...this.variableCopies().map((c) => c.name)];
  }

  private findKey(obj: JsonObject, name: string): string | undefined {
    if (Object.hasOwn(obj, name)) return name;
    const lower = name.toLowerCase();
    return Object.keys(obj).find((k) => k.toLowerCase() === lower);
  }

  private resolve(slots: Map<string, Slot>, key: string, what: string, compute: () => JsonValue): JsonValue {
    const slot = slots.get(key);
    if (slot?.state === 'done') return slot.value;
    if (slot?.state === 'resolving') throw new ExpressionError(`the ${what} refers to itself through a circular reference`);
    slots.set(key, { state: 'resolving' });
    try {
      const value = compute();
      slots.set(key, { state: 'done', value });
      return value;
    } catch (e) {
      slots.delete(key);
      throw e;
    }
  }
}
