/**
 * Array, object and string-or-array functions: concat, length, empty, first, last, take, skip,
 * contains, union, createArray, createObject, array, items.
 */
import { fn, typeError } from './evaluation.js';
import type { FunctionTable } from './evaluation.js';
import { getPropertyIgnoreCase, isJsonObject, jsonEquals } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import { asInt, asString, toText } from './function-args.js';
import { ExpressionError } from './template-error.js';

const INF = Number.POSITIVE_INFINITY;

/** Union of two objects: later values win; nested objects merge, arrays do not. */
function mergeObjects(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isJsonObject(prev) && isJsonObject(v) ? mergeObjects(prev, v) : v;
  }
  return out;
}

function sized(name: string, v: JsonValue | undefined): string | JsonValue[] {
  if (typeof v === 'string' || Array.isArray(v)) return v;
  throw typeError(name, 'Array or String', v ?? null);
}

/** The array and object functions by name. */
export const collectionFunctions: FunctionTable = {
  concat: fn(1, INF, (args, _c, name) => {
    if (Array.isArray(args[0])) {
      return args.flatMap((a) => {
        if (a === null) return [];
        if (!Array.isArray(a)) throw new ExpressionError(`the template language function '${name}' cannot mix arrays and other values`);
        return a;
      });
    }
    return args
      .map((a) => {
        if (Array.isArray(a) || isJsonObject(a)) throw new ExpressionError(`the template language function '${name}' cannot mix strings and '${Array.isArray(a) ? 'Array' : 'Object'}' values`);
        return toText(a);
      })
      .join('');
  }),
  length: fn(1, 1, ([v], _c, name) => {
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (isJsonObject(v)) return Object.keys(v).length;
    throw typeError(name, 'Array, Object or String', v ?? null);
  }),
  empty: fn(1, 1, ([v], _c, name) => {
    if (v === null) return true;
    if (typeof v === 'string' || Array.isArray(v)) return v.length === 0;
    if (isJsonObject(v)) return Object.keys(v).length === 0;
    throw typeError(name, 'Array, Object or String', v ?? null);
  }),
  first: fn(1, 1, ([v], _c, name) => {
    const s = sized(name, v);
    return typeof s === 'string' ? s.slice(0, 1) : (s[0] ?? null);
  }),
  last: fn(1, 1, ([v], _c, name) => {
    const s = sized(name, v);
    return typeof s === 'string' ? s.slice(-1) : (s[s.length - 1] ?? null);
  }),
  take: fn(2, 2, ([v, n], _c, name) => {
    const s = sized(name, v);
    return s.slice(0, Math.max(0, asInt(name, n)));
  }),
  skip: fn(2, 2, ([v, n], _c, name) => {
    const s = sized(name, v);
    return s.slice(Math.max(0, asInt(name, n)));
  }),
  contains: fn(2, 2, ([container, item], _c, name) => {
    if (typeof container === 'string') return container.includes(toText(item as JsonValue));
    if (Array.isArray(container)) return container.some((x) => jsonEquals(x, item as JsonValue));
    if (isJsonObject(container)) return getPropertyIgnoreCase(container, asString(name, item)) !== undefined;
    throw typeError(name, 'Array, Object or String', container ?? null);
  }),
  union: fn(2, INF, (args, _c, name) => {
    if (args.every((a) => Array.isArray(a))) {
      const out: JsonValue[] = [];
      for (const x of (args as JsonValue[][]).flat()) if (!out.some((y) => jsonEquals(x, y))) out.push(x);
      return out;
    }
    if (args.every(isJsonObject)) return args.reduce<JsonObject>((acc, o) => mergeObjects(acc, o), {});
    throw new ExpressionError(`the template language function '${name}' expects all arrays or all objects`);
  }),
  createArray: fn(0, INF, (args) => [...args]),
  createObject: fn(0, INF, (args, _c, name) => {
    if (args.length % 2 !== 0) throw new ExpressionError(`the template language function '${name}' expects key/value pairs, an even number of arguments`);
    const out: JsonObject = {};
    for (let k = 0; k < args.length; k += 2) out[asString(name, args[k])] = args[k + 1] as JsonValue;
    return out;
  }),
  array: fn(1, 1, ([v]) => (Array.isArray(v) ? v : [v as JsonValue])),
  items: fn(1, 1, ([v], _c, name) => {
    if (!isJsonObject(v)) throw typeError(name, 'Object', v ?? null);
    // ARM returns the entries sorted by key.
    return Object.keys(v)
      .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0))
      .map((key) => ({ key, value: v[key] as JsonValue }));
  }),
};
