import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IntRuns, RUN_END, RUN_RECORD, RUN_SPARE, RUN_STAMP, RUN_START } from './int-runs.js';

function runOf(runs: IntRuns, key: number): number[] {
  const r = key * RUN_RECORD;
  return Array.from(runs.data.subarray(runs.records[r + RUN_START], runs.records[r + RUN_END]));
}

describe('IntRuns', () => {
  it('keeps every key’s latest run through in-place rewrites, appends, growth and compaction', () => {
    const runs = new IntRuns();
    const model = new Map<number, { values: number[]; stamp: number }>();
    let seed = 11;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    let grewPool = false;
    let compacted = false;
    for (let step = 0; step < 30_000; step++) {
      const key = rand(300);
      const values = Array.from({ length: rand(40) }, () => rand(1 << 20) - (1 << 19));
      const before = runs.data;
      const used = runs.data.length;
      runs.write(key, values, step);
      model.set(key, { values, stamp: step });
      // A compaction allocates a pool of the same length; growth a longer one.
      if (runs.data !== before && runs.data.length > used) grewPool = true;
      else if (runs.data !== before) compacted = true;
      if (step % 997 === 0) for (const [k, v] of model) assert.deepEqual(runOf(runs, k), v.values, `key ${k} at step ${step}`);
    }
    for (const [k, v] of model) {
      assert.deepEqual(runOf(runs, k), v.values);
      assert.equal(runs.records[k * RUN_RECORD + RUN_STAMP], v.stamp);
    }
    assert.ok(grewPool && compacted, 'the sequence exercised both growth and compaction');
  });

  it('gives a new key an empty, expired run, and keeps the spare int apart from the run', () => {
    const runs = new IntRuns();
    runs.ensure(1000);
    assert.deepEqual(runOf(runs, 999), []);
    assert.equal(runs.records[999 * RUN_RECORD + RUN_STAMP], -1);
    runs.write(5, [1, 2, 3], 7);
    runs.setSpare(5, 2);
    runs.expire(5);
    assert.deepEqual(runOf(runs, 5), [1, 2, 3]);
    assert.equal(runs.records[5 * RUN_RECORD + RUN_STAMP], -1);
    assert.equal(runs.records[5 * RUN_RECORD + RUN_SPARE], 2);
  });
});
