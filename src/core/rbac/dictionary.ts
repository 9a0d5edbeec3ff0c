/**
 * A string-keyed dictionary for the engine's hot lookups: a null-prototype object, not a Map. V8
 * internalizes an object's keys, and a string looked up before is found again by identity, where a
 * Map compares it character by character with its key (and with every other key of equal length
 * in the bucket). Keys are never inherited, since there is no prototype.
 */
export type Dictionary<T> = Record<string, T | undefined>;

/** A new, empty dictionary. */
export function dictionary<T>(): Dictionary<T> {
  return Object.create(null) as Dictionary<T>;
}
