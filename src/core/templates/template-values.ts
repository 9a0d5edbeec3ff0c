/**
 * Evaluating template values: a string is a literal or an expression, an object or array is
 * walked and evaluated leaf by leaf. Errors name the JSON path and the expression at fault.
 */
import { classifyTemplateString, parseExpression } from './expression-parser.js';
import { Deferred, evaluateNode, validateExpression } from './evaluation.js';
import type { EvalContext, Value } from './evaluation.js';
import { lookupFunction } from './functions.js';
import { canonicalKeys, childPath, isJsonObject, jsonTypeName } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import { atPath, templateError } from './template-error.js';

/** Evaluates one template string at `path`. */
function evaluateString(text: string, path: string, ctx: EvalContext): Value {
  const s = classifyTemplateString(text);
  if (s.kind === 'literal') return s.text;
  return atPath(path, text, () => {
    const node = parseExpression(s.source);
    validateExpression(node, lookupFunction);
    return evaluateNode(node, ctx, lookupFunction);
  });
}

/** Parses and checks every expression in `value` without evaluating anything. */
export function validateTree(value: JsonValue, path: string): void {
  if (typeof value === 'string') {
    const s = classifyTemplateString(value);
    if (s.kind === 'expression') atPath(path, value, () => validateExpression(parseExpression(s.source), lookupFunction));
  } else if (Array.isArray(value)) {
    value.forEach((v, k) => validateTree(v, childPath(path, k)));
  } else if (isJsonObject(value)) {
    for (const [k, v] of Object.entries(value)) validateTree(v, childPath(path, k));
  }
}

export interface EvaluatedTree {
  /** The value with every expression evaluated; deferred leaves are `null` until execution. */
  readonly value: JsonValue;
  /** True when some leaf needs `reference()`/`list*()` results and must be evaluated again at execution. */
  readonly deferred: boolean;
}

/**
 * Evaluates every expression in `value`. An object property whose expression yields `null`
 * (`json('null')`) is left out, which is how templates omit an optional property. A `copy`
 * member holding `[{ name, count, input }]` is a property iteration: it becomes `name: [inputs]`.
 */
export function evaluateTree(value: JsonValue, path: string, ctx: EvalContext): EvaluatedTree {
  let deferred = false;
  const walk = (v: JsonValue, p: string): JsonValue | undefined => {
    if (typeof v === 'string') {
      const r = evaluateString(v, p, ctx);
      if (r instanceof Deferred) {
        deferred = true;
        return null;
      }
      return r === null && v.startsWith('[') ? undefined : r;
    }
    if (Array.isArray(v)) return v.map((x, k) => walk(x, childPath(p, k)) ?? null);
    if (isJsonObject(v)) {
      const out: JsonObject = {};
      for (const [k, x] of Object.entries(v)) {
        const loops = k.toLowerCase() === 'copy' ? propertyLoops(x) : undefined;
        if (loops) {
          for (const [n, loop] of loops.entries()) Object.assign(out, expandPropertyLoop(loop, childPath(childPath(p, k), n), ctx, () => (deferred = true)));
          continue;
        }
        const r = walk(x, childPath(p, k));
        if (r !== undefined) out[k] = r;
      }
      return out;
    }
    return v;
  };
  return { value: walk(value, path) ?? null, deferred };
}

/** Copy members spelled canonically (`{ name, count, mode, batchSize, input }`). */
export function canonicalCopy(copy: JsonObject): JsonObject {
  return canonicalKeys(copy, ['name', 'count', 'mode', 'batchSize', 'input']);
}

interface PropertyLoop {
  readonly name: string;
  readonly count: JsonValue;
  readonly input: JsonValue;
}

/** A `copy` member is a property iteration when it is an array of `{ name, count, input }`. */
function propertyLoops(value: JsonValue): PropertyLoop[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const loops = value.map((l) => (isJsonObject(l) ? canonicalCopy(l) : l));
  return loops.every((l) => isJsonObject(l) && typeof l.name === 'string' && l.count !== undefined && l.input !== undefined) ? (loops as unknown as PropertyLoop[]) : undefined;
}

/** `{ name: [input for each copy index] }` for one property iteration. */
function expandPropertyLoop(loop: PropertyLoop, path: string, ctx: EvalContext, markDeferred: () => void): JsonObject {
  const count = evaluateTree(loop.count, childPath(path, 'count'), ctx);
  if (count.deferred || typeof count.value !== 'number' || !Number.isInteger(count.value) || count.value < 0 || count.value > 800) {
    throw templateError(childPath(path, 'count'), `The copy count of property '${loop.name}' must be an integer from 0 to 800.`);
  }
  const items = Array.from({ length: count.value }, (_v, index) => {
    const r = evaluateTree(loop.input, childPath(path, 'input'), ctx.withCopy(loop.name, index));
    if (r.deferred) markDeferred();
    return r.value;
  });
  return { [loop.name]: items };
}

/**
 * Evaluates a value that must be known while planning (a name, a count, a condition). `ctx` has
 * no runtime access, so `reference()`/`list*()` fail there as "not expected at this location".
 */
export function evaluateKnown(value: JsonValue, path: string, ctx: EvalContext): JsonValue {
  return evaluateTree(value, path, ctx).value;
}

/** Evaluates a value that must be a string. */
export function evaluateStringValue(value: JsonValue | undefined, path: string, ctx: EvalContext): string {
  if (value === undefined) throw templateError(path, `The template property '${path}' is required.`);
  const v = evaluateKnown(value, path, ctx);
  if (typeof v !== 'string') throw templateError(path, `The template property '${path}' must be a string, not '${jsonTypeName(v)}'.`);
  return v;
}

