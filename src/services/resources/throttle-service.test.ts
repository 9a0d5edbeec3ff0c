import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createThrottleService, TooManyRequests } from './throttle-service.js';

describe('throttle service', () => {
  const clock = { at: 0, now() { return new Date(this.at); } };
  const throttle = createThrottleService({ reads: 2, writes: 1, deletes: 1 }, clock);

  it('keeps one bucket per principal, subscription and class, case-insensitively', () => {
    assert.equal(throttle.take('P1', 'S1', 'reads').remaining, 1);
    assert.equal(throttle.take('p1', 's1', 'reads').remaining, 0);
    assert.throws(() => throttle.take('p1', 's1', 'reads'), (e: unknown) => e instanceof TooManyRequests && e.retryAfterSeconds === 1800 && e.code === 'TooManyRequests');
    assert.equal(throttle.take('p2', 's1', 'reads').remaining, 1);
    assert.equal(throttle.take('p1', 's2', 'reads').remaining, 1);
    assert.equal(throttle.take('p1', 's1', 'writes').remaining, 0);
  });

  it('lets the caller in again once the bucket refilled', () => {
    clock.at += 1_800_000;
    assert.equal(throttle.take('p1', 's1', 'reads').remaining, 0);
  });
});
