/**
 * Runs of ints, one per key (a small dense int), in one shared Int32Array, with a per-key record of
 * [start, end, stamp, spare] in another: a reader gets from a key to its ints in two array reads,
 * where an object per key holding its own typed array costs four dependent ones. A run is replaced
 * whole: in place when it fits, else appended; the pool is compacted when replaced runs have left
 * more garbage than there are live ints.
 */

const RECORD = 4;
const START = 0;
const END = 1;
const STAMP = 2;
const SPARE = 3;
const MIN_COMPACT = 4096;

export class IntRuns {
  /** Per key: start and end (exclusive) of its run in `data`, its stamp and one spare int for the owner. */
  records = new Int32Array(64 * RECORD);
  data = new Int32Array(1024);
  private used = 0;
  private garbage = 0;

  /** Makes room for keys below `keys`; a new key has an empty run and the stamp -1. */
  ensure(keys: number): void {
    if (keys * RECORD <= this.records.length) return;
    const old = this.records;
    this.records = new Int32Array(Math.max(keys * RECORD, old.length * 2));
    this.records.set(old);
    for (let r = old.length; r < this.records.length; r += RECORD) this.records[r + STAMP] = -1;
  }

  /** Replaces the run of `key` by `values` and sets its stamp. */
  write(key: number, values: readonly number[], stamp: number): void {
    this.ensure(key + 1);
    const r = key * RECORD;
    const start = this.records[r + START] as number;
    const capacity = (this.records[r + END] as number) - start;
    if (values.length <= capacity) {
      this.data.set(values, start);
      this.garbage += capacity - values.length;
    } else {
      this.garbage += capacity;
      if (this.garbage > MIN_COMPACT && this.garbage > this.used - this.garbage) this.compact(key);
      this.reserve(values.length);
      this.records[r + START] = this.used;
      this.data.set(values, this.used);
      this.used += values.length;
    }
    this.records[r + END] = (this.records[r + START] as number) + values.length;
    this.records[r + STAMP] = stamp;
  }

  /** Marks the run of `key` out of date (stamp -1), for its owner to write again. */
  expire(key: number): void {
    this.ensure(key + 1);
    this.records[key * RECORD + STAMP] = -1;
  }

  /** Sets the spare int of `key`'s record. */
  setSpare(key: number, value: number): void {
    this.ensure(key + 1);
    this.records[key * RECORD + SPARE] = value;
  }

  private reserve(length: number): void {
    if (this.used + length <= this.data.length) return;
    const grown = new Int32Array(Math.max(this.data.length * 2, this.used + length));
    grown.set(this.data.subarray(0, this.used));
    this.data = grown;
  }

  // Copies every live run (except `skip`, about to be rewritten) to the front of a fresh pool.
  private compact(skip: number): void {
    const data = new Int32Array(this.data.length);
    let used = 0;
    for (let r = 0; r < this.records.length; r += RECORD) {
      const start = this.records[r + START] as number;
      const end = r === skip * RECORD ? start : (this.records[r + END] as number);
      data.set(this.data.subarray(start, end), used);
      this.records[r + START] = used;
      this.records[r + END] = used + end - start;
      used += end - start;
    }
    this.data = data;
    this.used = used;
    this.garbage = 0;
  }
}

/** Offsets of a record's fields, for readers of `records`. */
export const RUN_RECORD = RECORD;
export const RUN_START = START;
export const RUN_END = END;
export const RUN_STAMP = STAMP;
export const RUN_SPARE = SPARE;
