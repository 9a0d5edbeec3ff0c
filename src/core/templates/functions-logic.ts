/** Logical and comparison functions: if, equals, not, and, or, bool, greater/less(OrEquals), coalesce, true, false, null. */
import { fn, typeError } from './evaluation.js';
import type { FunctionTable } from './evaluation.js';
import { jsonEquals } from './json.js';
import type { JsonValue } from './json.js';
import { asBool } from './function-args.js';
import { ExpressionError } from './template-error.js';

const INF = Number.POSITIVE_INFINITY;

/** Compares two integers or two strings (ordinal), as the comparison functions require. */
function compare(name: string, a: JsonValue, b: JsonValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new ExpressionError(`the template language function '${name}' expects two integers or two strings`);
}

/** The logical and comparison functions by name. */
export const logicFunctions: FunctionTable = {
  // The evaluator short-circuits `if` so that only the branch taken is evaluated; this is its meaning.
  if: fn(3, 3, ([c, a, b], _ctx, name) => (asBool(name, c) ? (a as JsonValue) : (b as JsonValue))),
  equals: fn(2, 2, ([a, b]) => jsonEquals(a as JsonValue, b as JsonValue)),
  not: fn(1, 1, ([a], _ctx, name) => !asBool(name, a)),
  and: fn(2, INF, (args, _ctx, name) => args.map((a) => asBool(name, a)).every(Boolean)),
  or: fn(2, INF, (args, _ctx, name) => args.map((a) => asBool(name, a)).some(Boolean)),
  bool: fn(1, 1, ([a], _ctx, name) => {
    if (typeof a === 'boolean') return a;
    if (typeof a === 'string' && /^(true|false)$/i.test(a)) return a.toLowerCase() === 'true';
    if (a === 0 || a === 1) return a === 1;
    throw typeError(name, 'Boolean', a ?? null);
  }),
  greater: fn(2, 2, ([a, b], _c, name) => compare(name, a as JsonValue, b as JsonValue) > 0),
  greaterOrEquals: fn(2, 2, ([a, b], _c, name) => compare(name, a as JsonValue, b as JsonValue) >= 0),
  less: fn(2, 2, ([a, b], _c, name) => compare(name, a as JsonValue, b as JsonValue) < 0),
  lessOrEquals: fn(2, 2, ([a, b], _c, name) => compare(name, a as JsonValue, b as JsonValue) <= 0),
  coalesce: fn(1, INF, (args) => args.find((a) => a !== null) ?? null),
  true: fn(0, 0, () => true),
  false: fn(0, 0, () => false),
  null: fn(0, 0, () => null),
};
