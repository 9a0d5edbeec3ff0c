/**
 * ARM's request throttling state: one token bucket per (principal, subscription, request class),
 * limits per hour from the configuration. Buckets that have refilled are forgotten, so memory
 * follows the active callers only.
 */
import type { RequestClass } from '../../core/arm/request-action.js';
import { isFull, takeToken, type Bucket } from '../../core/arm/token-bucket.js';
import { DomainError } from '../../core/errors.js';
import type { Clock } from '../context.js';

export interface ThrottleLimits {
  readonly reads: number;
  readonly writes: number;
  readonly deletes: number;
}

export interface ThrottleOutcome {
  readonly requestClass: RequestClass;
  /** The `x-ms-ratelimit-remaining-subscription-{class}` value. */
  readonly remaining: number;
}

/** A 429 carrying the seconds to wait, which the HTTP layer sends as `Retry-After`. */
export class TooManyRequests extends DomainError {
  constructor(readonly retryAfterSeconds: number, requestClass: RequestClass, subscription: string, principal: string) {
    super(
      'throttled',
      'TooManyRequests',
      `Number of '${requestClass.slice(0, -1)}' requests for subscription '${subscription}' actor '${principal}' exceeded. Please try again after '${retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
    );
  }
}

const SWEEP_EVERY = 1024;

/** The throttle over `limits`; `take` throws TooManyRequests when the caller's bucket is empty. */
export function createThrottleService(limits: ThrottleLimits, clock: Clock) {
  const buckets = new Map<string, Bucket>();
  let calls = 0;

  function sweep(now: number): void {
    for (const [key, bucket] of buckets) {
      const requestClass = key.slice(key.lastIndexOf('|') + 1) as RequestClass;
      if (isFull(bucket, limits[requestClass], now)) buckets.delete(key);
    }
  }

  return {
    limits,
    /** Spends one request of `requestClass` for `principal` on `subscription` (or tenant key). */
    take(principal: string, subscription: string, requestClass: RequestClass): ThrottleOutcome {
      const now = clock.now().getTime();
      if (++calls % SWEEP_EVERY === 0) sweep(now);
      const key = `${principal.toLowerCase()}|${subscription.toLowerCase()}|${requestClass}`;
      const result = takeToken(buckets.get(key), limits[requestClass], now);
      buckets.set(key, result.bucket);
      if (!result.allowed) throw new TooManyRequests(result.retryAfterSeconds, requestClass, subscription, principal);
      return { requestClass, remaining: result.remaining };
    },
  };
}

export type ThrottleService = ReturnType<typeof createThrottleService>;
