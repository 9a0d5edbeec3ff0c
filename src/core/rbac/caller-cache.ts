/**
 * The engine's cache of callers: principal id as given → its identities (itself first, then its
 * transitive groups) and the tenant it last called from, all interned ids in one flat Int32Array.
 * A hit is one dictionary lookup and one array read; a cached caller held as an object with a typed
 * array of identities cost three dependent memory reads more, the largest part of a check whose
 * caches are cold.
 */

import { BoundedDictionary } from './dictionary.js';

// A caller's record: [tenant, identity count, identities...].
const TENANT = 0;
const COUNT = 1;
const IDS = 2;

export class CallerCache {
  private readonly offsets = new BoundedDictionary<number>();
  private data = new Int32Array(1024);
  private used = 0;
  private cleared = 0;

  /** The record offset of `principalId`, or -1 when it is not cached. */
  find(principalId: string): number {
    return this.offsets.get(principalId) ?? -1;
  }

  /** Caches a caller and returns its record offset; the whole cache is dropped first when it holds `limit` callers. */
  add(principalId: string, tenant: number, identities: readonly number[], limit: number): number {
    if (this.offsets.size >= limit) this.clear();
    const size = IDS + identities.length;
    if (this.used + size > this.data.length) {
      const grown = new Int32Array(Math.max(this.data.length * 2, this.used + size));
      grown.set(this.data.subarray(0, this.used));
      this.data = grown;
    }
    const at = this.used;
    this.data[at + TENANT] = tenant;
    this.data[at + COUNT] = identities.length;
    this.data.set(identities, at + IDS);
    this.used += size;
    this.offsets.set(principalId, at, limit);
    return at;
  }

  /** Forgets every caller (their groups changed, or the cache is full). */
  clear(): void {
    this.offsets.clear();
    this.used = 0;
    this.cleared++;
  }

  /** Changes whenever the cache is cleared: a record offset is valid only within one generation. */
  get generation(): number {
    return this.cleared;
  }

  /** The flat records; valid until the next `add`. */
  get records(): Int32Array {
    return this.data;
  }
}

/** Offsets of a record's fields, for readers of `records`. */
export const CALLER_TENANT = TENANT;
export const CALLER_COUNT = COUNT;
export const CALLER_IDS = IDS;
