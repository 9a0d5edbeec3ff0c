/** Integer functions: int, add, sub, mul, div, mod, min, max, range. */
import { fn, typeError } from './evaluation.js';
import type { FunctionTable } from './evaluation.js';
import type { JsonValue } from './json.js';
import { asInt } from './function-args.js';
import { ExpressionError } from './template-error.js';

const INF = Number.POSITIVE_INFINITY;

/** The integers of `min(1, 2)` or `min([1, 2])`. */
function operands(name: string, args: readonly JsonValue[]): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (list.length === 0) throw new ExpressionError(`the template language function '${name}' needs at least one integer`);
  return list.map((v) => asInt(name, v));
}

function divisor(name: string, v: JsonValue | undefined): number {
  const d = asInt(name, v);
  if (d === 0) throw new ExpressionError(`the template language function '${name}' cannot divide by zero`);
  return d;
}

/** The integer functions by name. */
export const numericFunctions: FunctionTable = {
  int: fn(1, 1, ([a], _c, name) => {
    if (typeof a === 'number') return Math.trunc(a);
    if (typeof a === 'string' && /^\s*[+-]?\d+\s*$/.test(a)) return parseInt(a, 10);
    throw typeError(name, 'Integer', a ?? null);
  }),
  add: fn(2, 2, ([a, b], _c, name) => asInt(name, a) + asInt(name, b)),
  sub: fn(2, 2, ([a, b], _c, name) => asInt(name, a) - asInt(name, b)),
  mul: fn(2, 2, ([a, b], _c, name) => asInt(name, a) * asInt(name, b)),
  div: fn(2, 2, ([a, b], _c, name) => Math.trunc(asInt(name, a) / divisor(name, b))),
  mod: fn(2, 2, ([a, b], _c, name) => asInt(name, a) % divisor(name, b)),
  min: fn(1, INF, (args, _c, name) => Math.min(...operands(name, args))),
  max: fn(1, INF, (args, _c, name) => Math.max(...operands(name, args))),
  range: fn(2, 2, ([s, c], _c, name) => {
    const start = asInt(name, s);
    const count = asInt(name, c);
    // ARM caps range() at 10000 elements.
    if (count < 0 || count > 10000) throw new ExpressionError(`the template language function '${name}' needs a count between 0 and 10000, not ${count}`);
    return Array.from({ length: count }, (_v, k) => start + k);
  }),
};
