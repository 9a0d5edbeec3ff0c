/**
 * Token buckets by key, each refilling at its limit per hour (core/arm/token-bucket.ts), held in
 * memory. Buckets that have refilled are forgotten now and then, so memory follows the active keys.
 */
import { isFull, takeToken, type Bucket, type Take } from '../core/arm/token-bucket.js';
import type { Clock } from './context.js';

const SWEEP_EVERY = 1024;

/** The buckets; `take` spends one token of `key`'s bucket of `limit` per hour. */
export function createHourlyBuckets(clock: Clock) {
  const buckets = new Map<string, { bucket: Bucket; limit: number }>();
  let calls = 0;

  function sweep(now: number): void {
    for (const [key, held] of buckets) if (isFull(held.bucket, held.limit, now)) buckets.delete(key);
  }

  return {
    take(key: string, limit: number): Take {
      const now = clock.now().getTime();
      if (++calls % SWEEP_EVERY === 0) sweep(now);
      const result = takeToken(buckets.get(key)?.bucket, limit, now);
      buckets.set(key, { bucket: result.bucket, limit });
      return result;
    },
  };
}
