/**
 * Smart lockout for the token endpoint, modelled on Entra ID's:
 *
 * - An account (a user, or a client of a tenant) locks for `lockoutMs` after `threshold`
 *   failed sign-ins within `windowMs`. Its failures count in two separate counters, one for its
 *   familiar source addresses (those it last signed in from successfully) and one for every other
 *   address, so an attacker elsewhere locks only the unfamiliar counter: the user keeps signing in
 *   from where they always do.
 * - A source address locks for `lockoutMs` after `addressThreshold` failures within `windowMs`,
 *   whatever accounts they named (password spraying); it is higher than `threshold`, so one locked
 *   account does not lock the address for every other account signing in from it.
 * - At most `inFlightPerAddress` sign-ins of one address are checked at once; more are turned away
 *   (without counting as failures), so a burst cannot queue secret checks past the lock.
 *
 * While locked, an attempt is refused before any secret is checked, a correct one included, so
 * guessing costs no hashing work. A success clears the failures of its account's counter.
 * State is in memory and bounded: idle counters are swept, familiar addresses are capped.
 */

export interface LockoutPolicy {
  /** Failed attempts that lock an account (per familiar/unfamiliar counter). */
  readonly threshold: number;
  /** Failed attempts from one source address that lock the address. */
  readonly addressThreshold: number;
  /** How long failures count. */
  readonly windowMs: number;
  /** How long a lock lasts. */
  readonly lockoutMs: number;
  /** Sign-ins of one address checked at the same time. */
  readonly inFlightPerAddress: number;
}

/** Entra's smart lockout defaults: 10 failures lock an account for 60 seconds. */
export const DEFAULT_LOCKOUT: LockoutPolicy = { threshold: 10, addressThreshold: 100, windowMs: 60_000, lockoutMs: 60_000, inFlightPerAddress: 16 };

/** Why an attempt may not go on: a locked account or address (for `retryAfterMs`), or too many at once from the address. */
export type SignInRefusal =
  | { readonly kind: 'account' | 'address'; readonly retryAfterMs: number }
  | { readonly kind: 'busy' };

/** One attempt let through: report its outcome exactly once. */
export interface SignInAttempt {
  /** The secret was wrong (or the account unknown): count it. */
  failed(nowMs: number): void;
  /** The secret was right: clear the account's failures and remember the address as familiar. */
  succeeded(): void;
  /** The attempt ended before any secret was checked (a malformed request): count nothing. */
  abandoned(): void;
}

interface Counter {
  failures: number;
  windowStartMs: number;
  lockedUntilMs: number;
}

const SWEEP_EVERY = 1024;
const FAMILIAR_PER_ACCOUNT = 8;
const FAMILIAR_ACCOUNTS = 100_000;

/** Failed sign-ins per account and per source address, and the locks they cause. */
export class SignInLockout {
  private readonly counters = new Map<string, Counter>();
  /** Account → addresses it signed in from successfully, most recent last. */
  private readonly familiar = new Map<string, string[]>();
  private readonly inFlight = new Map<string, number>();
  private calls = 0;

  constructor(private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT) {}

  /**
   * Starts a sign-in of `accounts` (normalised names, e.g. `user:{objectId}` or `client:{appId}`) from `address`
   * (undefined for in-process callers): a refusal, or the attempt to report the outcome of.
   */
  begin(accounts: readonly string[], address: string | undefined, nowMs: number): SignInRefusal | SignInAttempt {
    if (++this.calls % SWEEP_EVERY === 0) this.sweep(nowMs);
    const keys = accounts.map((account) => this.accountKey(account, address));
    const accountWait = this.lockedFor(keys, nowMs);
    if (accountWait > 0) return { kind: 'account', retryAfterMs: accountWait };
    const addressKey = address === undefined ? undefined : `address:${address}`;
    if (addressKey !== undefined) {
      const addressWait = this.lockedFor([addressKey], nowMs);
      if (addressWait > 0) return { kind: 'address', retryAfterMs: addressWait };
      const running = this.inFlight.get(addressKey) ?? 0;
      if (running >= this.policy.inFlightPerAddress) return { kind: 'busy' };
      this.inFlight.set(addressKey, running + 1);
    }
    let open = true;
    const end = (): boolean => {
      if (!open) return false;
      open = false;
      if (addressKey !== undefined) {
        const running = (this.inFlight.get(addressKey) ?? 1) - 1;
        if (running > 0) this.inFlight.set(addressKey, running);
        else this.inFlight.delete(addressKey);
      }
      return true;
    };
    return {
      failed: (atMs) => {
        if (!end()) return;
        for (const key of keys) this.count(key, this.policy.threshold, atMs);
        if (addressKey !== undefined) this.count(addressKey, this.policy.addressThreshold, atMs);
      },
      succeeded: () => {
        if (!end()) return;
        for (const key of keys) this.counters.delete(key);
        if (address !== undefined) for (const account of accounts) this.remember(account, address);
      },
      abandoned: () => void end(),
    };
  }

  /** The counter an attempt from `address` counts in: the account's familiar or unfamiliar one. */
  private accountKey(account: string, address: string | undefined): string {
    const known = address !== undefined && (this.familiar.get(account)?.includes(address) ?? false);
    return `${known ? 'familiar' : 'unfamiliar'}:${account}`;
  }

  private lockedFor(keys: readonly string[], nowMs: number): number {
    let wait = 0;
    for (const key of keys) {
      const counter = this.counters.get(key);
      if (counter && counter.lockedUntilMs > nowMs) wait = Math.max(wait, counter.lockedUntilMs - nowMs);
    }
    return wait;
  }

  private count(key: string, threshold: number, nowMs: number): void {
    let counter = this.counters.get(key);
    if (!counter || nowMs - counter.windowStartMs >= this.policy.windowMs) {
      counter = { failures: 0, windowStartMs: nowMs, lockedUntilMs: counter?.lockedUntilMs ?? 0 };
      this.counters.set(key, counter);
    }
    if (++counter.failures >= threshold) {
      counter.lockedUntilMs = nowMs + this.policy.lockoutMs;
      counter.failures = 0;
      counter.windowStartMs = nowMs;
    }
  }

  private remember(account: string, address: string): void {
    const addresses = (this.familiar.get(account) ?? []).filter((a) => a !== address);
    addresses.push(address);
    if (addresses.length > FAMILIAR_PER_ACCOUNT) addresses.shift();
    // Re-inserting keeps the map in least-recently-signed-in order, so the oldest account goes first.
    this.familiar.delete(account);
    this.familiar.set(account, addresses);
    if (this.familiar.size > FAMILIAR_ACCOUNTS) this.familiar.delete(this.familiar.keys().next().value ?? '');
  }

  private sweep(nowMs: number): void {
    for (const [key, counter] of this.counters) {
      if (counter.lockedUntilMs <= nowMs && nowMs - counter.windowStartMs >= this.policy.windowMs) this.counters.delete(key);
    }
  }
}
