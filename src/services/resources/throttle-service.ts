/**
 * ARM's request throttling state: one token bucket per (principal, subscription, request class),
 * limits per hour from the configuration (hourly-buckets.ts).
 */
import type { RequestClass } from '../../core/arm/request-action.js';
import { DomainError } from '../../core/errors.js';
import type { Clock } from '../context.js';
import { createHourlyBuckets } from '../hourly-buckets.js';

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

/** The throttle over `limits`; `take` throws TooManyRequests when the caller's bucket is empty. */
export function createThrottleService(limits: ThrottleLimits, clock: Clock) {
  const buckets = createHourlyBuckets(clock);
  return {
    limits,
    /** Spends one request of `requestClass` for `principal` on `subscription` (or tenant key). */
    take(principal: string, subscription: string, requestClass: RequestClass): ThrottleOutcome {
      const result = buckets.take(`${principal.toLowerCase()}|${subscription.toLowerCase()}|${requestClass}`, limits[requestClass]);
      if (!result.allowed) throw new TooManyRequests(result.retryAfterSeconds, requestClass, subscription, principal);
      return { requestClass, remaining: result.remaining };
    },
  };
}

export type ThrottleService = ReturnType<typeof createThrottleService>;
