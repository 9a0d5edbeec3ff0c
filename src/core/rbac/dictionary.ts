/**
 * A bounded string-keyed dictionary for the engine's hot lookups: a null-prototype object, not a
 * Map. V8 internalizes an object's keys, and a string looked up before is found again by identity,
 * where a Map compares it character by character with its key (and with every other key of equal
 * length in the bucket). Keys are never inherited, since there is no prototype. It starts afresh
 * when full, as a caller can send any number of distinct strings.
 */
export class BoundedDictionary<T> {
  private entries = Object.create(null) as Record<string, T | undefined>;
  private count = 0;

  /** The number of keys held. */
  get size(): number {
    return this.count;
  }

  /** The value held under `key`, or undefined. */
  get(key: string): T | undefined {
    return this.entries[key];
  }

  /** Holds `value` under `key`, which must not be held yet, after emptying itself if it holds `limit` keys. */
  set(key: string, value: T, limit: number): void {
    if (this.count >= limit) this.clear();
    this.entries[key] = value;
    this.count++;
  }

  /** Forgets every key. */
  clear(): void {
    this.entries = Object.create(null) as Record<string, T | undefined>;
    this.count = 0;
  }
}
