/** JSON values as templates carry them, and the JSON-path notation errors use to point into them. */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends a key or index to a JSON path: `resources[1].properties`, `parameters['my-param']`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (!IDENTIFIER.test(key)) return `${path}['${key}']`;
  return path === '' ? key : `${path}.${key}`;
}

/** The value of `key` in `object`, matched exactly first and then case-insensitively, as ARM does. */
export function getPropertyIgnoreCase(object: JsonObject, key: string): JsonValue | undefined {
  if (Object.hasOwn(object, key)) return object[key];
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(object)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Deep structural equality of two JSON values (object key order ignored). */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEquals(x, b[i] as JsonValue));
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEquals(a[k] as JsonValue, b[k] as JsonValue));
  }
  return false;
}

/** The ARM name of a JSON value's type, as used in its error messages. */
export function jsonTypeName(value: JsonValue): string {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'Array';
  switch (typeof value) {
    case 'string':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'number':
      return Number.isInteger(value) ? 'Integer' : 'Float';
    default:
      return 'Object';
  }
}

/**
 * A shallow copy of `object` whose keys that match one of `names` case-insensitively are spelled
 * as in `names`: ARM reads template members case-insensitively (`apiversion` occurs in samples).
 */
export function canonicalKeys(object: JsonObject, names: readonly string[]): JsonObject {
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(object)) out[byLower.get(k.toLowerCase()) ?? k] = v;
  return out;
}
