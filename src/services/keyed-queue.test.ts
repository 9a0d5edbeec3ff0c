import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedQueue } from './keyed-queue.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('keyed queue', () => {
  it('runs the work of one key one at a time, in order, and other keys beside it', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const job = (key: string, n: number, ms: number) => queue.run(key, async () => {
      running++;
      most = Math.max(most, running);
      log.push(`${key}${n} start`);
      await tick(ms);
      log.push(`${key}${n} end`);
      running--;
      return n;
    });
    const results = await Promise.all([job('a', 1, 20), job('a', 2, 1), job('b', 1, 5), job('a', 3, 1)]);
    assert.deepEqual(results, [1, 2, 1, 3]);
    const a = log.filter((l) => l.startsWith('a'));
    assert.deepEqual(a, ['a1 start', 'a1 end', 'a2 start', 'a2 end', 'a3 start', 'a3 end']);
    assert.ok(log.indexOf('b1 end') < log.indexOf('a1 end'), 'another key does not wait');
    assert.equal(most, 2);
  });

  it('goes on after a failure, which reaches only its own caller', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('k', () => Promise.reject(new Error('conflict')));
    const next = queue.run('k', () => Promise.resolve('next'));
    await assert.rejects(failed, /conflict/);
    assert.equal(await next, 'next');
  });
});
