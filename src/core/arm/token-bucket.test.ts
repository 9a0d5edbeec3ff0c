import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isFull, refill, takeToken, type Bucket } from './token-bucket.js';

const HOUR = 3_600_000;

describe('token bucket', () => {
  it('starts full and counts down the remaining requests', () => {
    let bucket: Bucket | undefined;
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = takeToken(bucket, 3, 0);
      assert.equal(t.allowed, true);
      remaining.push(t.remaining);
      bucket = t.bucket;
    }
    assert.deepEqual(remaining, [2, 1, 0]);
  });

  it('refuses when empty and says when one token is back', () => {
    const empty: Bucket = { tokens: 0, updatedAt: 0 };
    const t = takeToken(empty, 3600, 0); // one token per second
    assert.equal(t.allowed, false);
    assert.equal(t.remaining, 0);
    assert.equal(t.retryAfterSeconds, 1);
    assert.equal(takeToken(empty, 2, 0).retryAfterSeconds, 1800);
  });

  it('refills continuously, capped at the limit', () => {
    assert.equal(refill({ tokens: 0, updatedAt: 0 }, 10, HOUR / 2).tokens, 5);
    assert.equal(refill({ tokens: 0, updatedAt: 0 }, 10, 5 * HOUR).tokens, 10);
    assert.equal(takeToken({ tokens: 0, updatedAt: 0 }, 3600, 1000).allowed, true);
  });

  it('does not refill backwards when the clock steps back', () => {
    assert.equal(refill({ tokens: 1, updatedAt: 1000 }, 10, 0).tokens, 1);
  });

  it('knows when a bucket may be forgotten', () => {
    assert.equal(isFull({ tokens: 9, updatedAt: 0 }, 10, 0), false);
    assert.equal(isFull({ tokens: 9, updatedAt: 0 }, 10, HOUR), true);
  });
});
