/**
 * ARM-style throttling math: a token bucket per (principal, subscription, request class) holding
 * up to `limit` tokens and refilling continuously at `limit` per hour. Time is passed in (epoch ms).
 */

export interface Bucket {
  readonly tokens: number;
  readonly updatedAt: number;
}

export interface Take {
  readonly bucket: Bucket;
  readonly allowed: boolean;
  /** Whole requests left after this one (the `x-ms-ratelimit-remaining-*` value). */
  readonly remaining: number;
  /** Seconds until one token is back; 0 when allowed. */
  readonly retryAfterSeconds: number;
}

const HOUR_MS = 3_600_000;

/** The bucket's level at `now`: refilled since its last update, capped at `limit`. */
export function refill(bucket: Bucket | undefined, limit: number, now: number): Bucket {
  if (!bucket) return { tokens: limit, updatedAt: now };
  const elapsed = Math.max(0, now - bucket.updatedAt);
  return { tokens: Math.min(limit, bucket.tokens + (elapsed * limit) / HOUR_MS), updatedAt: Math.max(now, bucket.updatedAt) };
}

/** Takes one token for a request at `now`; refuses (and says how long to wait) when none is left. */
export function takeToken(bucket: Bucket | undefined, limit: number, now: number): Take {
  const level = refill(bucket, limit, now);
  if (level.tokens >= 1) {
    const after = { tokens: level.tokens - 1, updatedAt: level.updatedAt };
    return { bucket: after, allowed: true, remaining: Math.floor(after.tokens), retryAfterSeconds: 0 };
  }
  const missing = 1 - level.tokens;
  return { bucket: level, allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((missing * HOUR_MS) / limit / 1000)) };
}

/** True once a bucket has refilled completely, so it can be forgotten. */
export function isFull(bucket: Bucket, limit: number, now: number): boolean {
  return refill(bucket, limit, now).tokens >= limit;
}
