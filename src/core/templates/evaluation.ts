/**
 * Evaluates parsed expressions. Values that only exist once resources are deployed
 * (`reference()`, `listKeys()`) evaluate to `DEFERRED` while planning: the plan records where they
 * sit and evaluates them again at execution time, so every other error still surfaces up front.
 */
import { isJsonObject, jsonTypeName } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import { ExpressionError } from './template-error.js';
import type { ExpressionNode } from './expression-parser.js';

/** The value of an expression whose result is only known at execution time. */
export class Deferred {
  private constructor() {}
  static readonly instance = new Deferred();
}
/** The one `Deferred` value. */
export const DEFERRED = Deferred.instance;

export type Value = JsonValue | Deferred;

/** The deployment scope expressions run in (the target of the deployment or nested deployment). */
export interface EvalScope {
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** Absent for a subscription-level deployment. */
  readonly resourceGroup?: string;
}

/** Everything an expression can ask of the template and the deployment. */
export interface EvalContext {
  readonly scope: EvalScope;
  parameter(name: string): JsonValue;
  variable(name: string): JsonValue;
  copyIndex(loopName: string | undefined): number;
  /** The same context inside one more copy loop (a property `copy` iteration). */
  withCopy(loopName: string, index: number): EvalContext;
  deployment(): JsonObject;
  subscription(): JsonObject;
  resourceGroup(): JsonObject;
  newGuid(): string;
  utcNow(): Date;
  /** `reference(target, apiVersion, 'Full')`; `target` is a resource id or a resource name in the template. */
  reference(target: string, apiVersion: string | undefined, full: boolean): Value;
  /** A `list*` action such as `listKeys(id, apiVersion)`. */
  list(functionName: string, target: string, apiVersion: string, body: JsonValue | undefined): Value;
}

/** One template function: its arity and its implementation over evaluated arguments. */
export interface ArmFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  call(args: readonly JsonValue[], ctx: EvalContext, name: string): Value;
}

export type FunctionTable = Readonly<Record<string, ArmFunction>>;

/** Declares a function taking between `minArgs` and `maxArgs` arguments. */
export function fn(minArgs: number, maxArgs: number, call: ArmFunction['call']): ArmFunction {
  return { minArgs, maxArgs, call };
}

/**
 * Checks every function name and argument count in `node` before anything is evaluated, so an
 * unknown function in an `if()` branch that is never taken is still reported.
 */
export function validateExpression(node: ExpressionNode, lookup: (name: string) => ArmFunction | undefined): void {
  switch (node.kind) {
    case 'constant':
      return;
    case 'member':
      validateExpression(node.target, lookup);
      return;
    case 'index':
      validateExpression(node.target, lookup);
      validateExpression(node.index, lookup);
      return;
    case 'call': {
      const f = lookup(node.name);
      if (!f) throw new ExpressionError(`the template function '${node.name}' is not valid. Please see https://aka.ms/arm-functions for usage details`);
      checkArity(node.name, f, node.args.length);
      for (const a of node.args) validateExpression(a, lookup);
    }
  }
}

function checkArity(name: string, f: ArmFunction, count: number): void {
  if (count >= f.minArgs && count <= f.maxArgs) return;
  const expected =
    f.minArgs === f.maxArgs
      ? `exactly ${f.minArgs}`
      : f.maxArgs === Number.POSITIVE_INFINITY
        ? `at least ${f.minArgs}`
        : `between ${f.minArgs} and ${f.maxArgs}`;
  throw new ExpressionError(`the template language function '${name}' must have ${expected} parameter(s), but ${count} were given`);
}

/** Evaluates `node` (already validated) in `ctx`. */
export function evaluateNode(node: ExpressionNode, ctx: EvalContext, lookup: (name: string) => ArmFunction | undefined): Value {
  switch (node.kind) {
    case 'constant':
      return node.value;
    case 'member': {
      const target = evaluateNode(node.target, ctx, lookup);
      if (target instanceof Deferred) return DEFERRED;
      return memberOf(target, node.name);
    }
    case 'index': {
      const target = evaluateNode(node.target, ctx, lookup);
      const index = evaluateNode(node.index, ctx, lookup);
      if (target instanceof Deferred || index instanceof Deferred) return DEFERRED;
      return indexOf(target, index);
    }
    case 'call': {
      const f = lookup(node.name);
      if (!f) throw new ExpressionError(`the template function '${node.name}' is not valid`);
      // `if` evaluates only the branch it takes, so `if(cond, reference(x), json('null'))` is safe.
      if (node.name.toLowerCase() === 'if') {
        const [c, a, b] = node.args as [ExpressionNode, ExpressionNode, ExpressionNode];
        const cond = evaluateNode(c, ctx, lookup);
        if (cond instanceof Deferred) return DEFERRED;
        if (typeof cond !== 'boolean') throw typeError('if', 'Boolean', cond);
        return evaluateNode(cond ? a : b, ctx, lookup);
      }
      const args: JsonValue[] = [];
      for (const a of node.args) {
        const v = evaluateNode(a, ctx, lookup);
        if (v instanceof Deferred) return DEFERRED;
        args.push(v);
      }
      return f.call(args, ctx, node.name);
    }
  }
}

function memberOf(target: JsonValue, name: string): JsonValue {
  if (!isJsonObject(target)) {
    throw new ExpressionError(`the language expression property '${name}' can't be evaluated, the value is of type '${jsonTypeName(target)}' and not an object`);
  }
  if (Object.hasOwn(target, name)) return target[name] as JsonValue;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(target)) if (k.toLowerCase() === lower) return v;
  throw new ExpressionError(`the language expression property '${name}' doesn't exist, available properties are '${Object.keys(target).join(', ')}'`);
}

function indexOf(target: JsonValue, index: JsonValue): JsonValue {
  if (Array.isArray(target)) {
    if (typeof index !== 'number' || !Number.isInteger(index)) {
      throw new ExpressionError(`the language expression array index must be an integer, not '${jsonTypeName(index)}'`);
    }
    if (index < 0 || index >= target.length) throw new ExpressionError(`the language expression array index '${index}' is out of bounds`);
    return target[index] as JsonValue;
  }
  if (isJsonObject(target) && typeof index === 'string') return memberOf(target, index);
  throw new ExpressionError(`the language expression '[...]' can't index a value of type '${jsonTypeName(target)}' with a '${jsonTypeName(index)}'`);
}

/** The error for a function argument of the wrong type. */
export function typeError(functionName: string, expected: string, actual: JsonValue): ExpressionError {
  return new ExpressionError(
    `the template language function '${functionName}' expects its parameter to be of type '${expected}'. The provided value is of type '${jsonTypeName(actual)}'`,
  );
}
