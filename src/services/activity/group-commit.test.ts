import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { groupCommit, MAX_GROUP } from './group-commit.js';

describe('group commit', () => {
  it('stores concurrent items in one write and settles each only once it is stored', async () => {
    const writes: number[][] = [];
    let stored = false;
    const write = groupCommit(async (items: readonly number[]) => {
      await new Promise((r) => setTimeout(r, 5));
      writes.push([...items]);
      stored = true;
    });
    const settled = await Promise.all([1, 2, 3].map(async (n) => {
      await write(n);
      return stored;
    }));
    assert.deepEqual(writes, [[1, 2, 3]]);
    assert.deepEqual(settled, [true, true, true], 'no caller goes on before its item is stored');
  });

  it('rejects every caller of a failed write, and writes later items in a batch of their own', async () => {
    let calls = 0;
    const write = groupCommit((items: readonly string[]) => {
      calls++;
      return items.includes('bad') ? Promise.reject(new Error('disk full')) : Promise.resolve();
    });
    const results = await Promise.allSettled([write('a'), write('bad')]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
    await write('c');
    assert.equal(calls, 2);
  });

  it(`splits a burst into writes of at most ${MAX_GROUP}`, async () => {
    const sizes: number[] = [];
    const write = groupCommit((items: readonly number[]) => {
      sizes.push(items.length);
      return Promise.resolve();
    });
    await Promise.all(Array.from({ length: MAX_GROUP * 2 + 7 }, (_, i) => write(i)));
    assert.deepEqual(sizes, [MAX_GROUP, MAX_GROUP, 7]);
  });
});
