/**
 * Deletes expired one-time credentials (authorization codes, device codes, refresh tokens) when new
 * ones are issued, at most once a minute: codes asked for and never redeemed do not pile up, however
 * many an unauthenticated caller asks for. They are kept an hour past their expiry, so a late
 * redemption is still told it expired rather than that it never existed.
 */
import type { Store } from '../../storage/port.js';
import type { Clock } from '../context.js';

const GRACE_MS = 3_600_000;
const EVERY_MS = 60_000;

/** A sweep of `collections` to await before issuing a credential; a no-op within a minute of the last. */
export function expiredSweep(store: Store, clock: Clock, collections: readonly string[]): () => Promise<void> {
  let last = Number.NEGATIVE_INFINITY;
  return async () => {
    const now = clock.now().getTime();
    if (now - last < EVERY_MS) return;
    last = now;
    const before = new Date(now - GRACE_MS).toISOString();
    for (const collection of collections) await store.documents.deleteExpired(collection, before);
  };
}
