/**
 * Subscriptions held in memory once read. Nearly every ARM request names one, and a subscription,
 * once created, never changes its directory and is never deleted, so the row read by key on every
 * request is read once. A write still evicts its subscription (in its transaction, and again after
 * the transaction ends, when a reader meanwhile could have held the row as it was before).
 */
import type { Subscription } from '../core/resources/model.js';
import type { Repositories } from './port.js';

// Past this many, the cache starts over rather than grow without bound.
const LIMIT = 100_000;

export interface SubscriptionCache {
  /** `repos` (outside any transaction) reading subscriptions through the cache. */
  reading(repos: Repositories): Repositories;
  /** A transaction's `repos` evicting each subscription it writes; `end` evicts them again once it has ended. */
  writing(repos: Repositories): { repos: Repositories; end: () => void };
}

/** An empty subscription cache for one store. */
export function subscriptionCache(): SubscriptionCache {
  const held = new Map<string, Subscription>();
  const keyOf = (id: string) => id.toLowerCase();
  return {
    reading(repos) {
      const { resources } = repos;
      return {
        ...repos,
        resources: {
          ...resources,
          async getSubscription(id) {
            const hit = held.get(keyOf(id));
            if (hit !== undefined) return hit;
            const found = await resources.getSubscription(id);
            if (found === undefined) return undefined;
            if (held.size >= LIMIT) held.clear();
            // Frozen: every caller gets this one object.
            held.set(keyOf(id), Object.freeze(found));
            return found;
          },
          async putSubscription(sub) {
            held.delete(keyOf(sub.subscriptionId));
            await resources.putSubscription(sub);
            held.delete(keyOf(sub.subscriptionId));
          },
        },
      };
    },
    writing(repos) {
      const written: string[] = [];
      const { resources } = repos;
      return {
        repos: {
          ...repos,
          resources: {
            ...resources,
            async putSubscription(sub) {
              written.push(keyOf(sub.subscriptionId));
              held.delete(keyOf(sub.subscriptionId));
              await resources.putSubscription(sub);
            },
          },
        },
        end: () => { for (const id of written) held.delete(id); },
      };
    },
  };
}
