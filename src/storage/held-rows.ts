/**
 * Tenants, subscriptions and resource groups held in memory once read. Nearly every ARM request reads
 * a subscription and a group by key (`GET /tenants` and `GET /subscriptions` read many), and they change
 * seldom (a tenant or a subscription, once created, never does), so a row is read once and then served
 * from memory. Only reads outside transactions
 * use what is held, and only rows found are held. Every write evicts its row: in its transaction,
 * and again when the transaction has ended, since a reader meanwhile could have taken the row as it was. */
import type { Tenant } from '../core/identity/model.js';
import type { ResourceGroup, Subscription } from '../core/resources/model.js';
import type { Repositories } from './port.js';

// Past this many rows of a kind, what is held of it starts over rather than grow without bound.
const LIMIT = 100_000;

export interface HeldRows {
  /** `repos` (outside any transaction) reading tenants, subscriptions and resource groups through what is held. */
  reading(repos: Repositories): Repositories;
  /** A transaction's `repos`, evicting each row it writes; `end` evicts them again once the transaction has ended. */
  writing(repos: Repositories): { repos: Repositories; end: () => void };
}

// The rows of one kind held by key; every caller gets the same frozen object.
class Held<T extends object> {
  private readonly rows = new Map<string, T>();
  private evictions = 0;

  async read(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const hit = this.rows.get(key);
    if (hit !== undefined) return hit;
    const evictions = this.evictions;
    const found = await load();
    if (found !== undefined) this.hold(key, found, evictions);
    return found;
  }

  /** The rows of `keys` (each once, in key order): those held, and those `load` finds of the rest. */
  async readAll(keys: readonly string[], load: (missing: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string): Promise<T[]> {
    const found = new Map<string, T>();
    const missing: string[] = [];
    for (const key of new Set(keys)) {
      const hit = this.rows.get(key);
      if (hit !== undefined) found.set(key, hit);
      else missing.push(key);
    }
    if (missing.length > 0) {
      const evictions = this.evictions;
      for (const row of await load(missing)) {
        found.set(keyOf(row), row);
        this.hold(keyOf(row), row, evictions);
      }
    }
    return [...found.keys()].sort().map((key) => found.get(key)!);
  }

  // Holds `row`, read when the eviction count was `evictions`, unless a write evicted since: a row read
  // while a write evicted may be the row as it was, so it is answered but not held.
  private hold(key: string, row: T, evictions: number): void {
    if (this.evictions !== evictions) return;
    if (this.rows.size >= LIMIT) this.rows.clear();
    this.rows.set(key, Object.freeze(row));
  }

  evict(key: string): void {
    this.evictions++;
    this.rows.delete(key);
  }
}

const tenantKey = (id: string) => id.toLowerCase();
const subscriptionKey = (id: string) => id.toLowerCase();
// Neither a subscription id nor a group name holds a NUL.
const groupKey = (subscriptionId: string, name: string) => `${subscriptionId}\u0000${name}`.toLowerCase();

/** Nothing held yet, for one store. */
export function heldRows(): HeldRows {
  const tenants = new Held<Tenant>();
  const subscriptions = new Held<Subscription>();
  const groups = new Held<ResourceGroup>();
  // `repos` whose tenant, subscription and group writes evict their row before and after they write, each noted by `noted`.
  const evictingWrites = (repos: Repositories, noted: (rows: Held<object>, key: string) => void): Pick<Repositories, 'identity' | 'resources'> => {
    const around = async <R>(rows: Held<object>, key: string, write: () => Promise<R>): Promise<R> => {
      rows.evict(key);
      noted(rows, key);
      try {
        return await write();
      } finally {
        rows.evict(key);
      }
    };
    return {
      identity: { ...repos.identity, putTenant: (tenant) => around(tenants, tenantKey(tenant.id), () => repos.identity.putTenant(tenant)) },
      resources: {
        ...repos.resources,
        putSubscription: (sub) => around(subscriptions, subscriptionKey(sub.subscriptionId), () => repos.resources.putSubscription(sub)),
        putResourceGroup: (group) => around(groups, groupKey(group.subscriptionId, group.name), () => repos.resources.putResourceGroup(group)),
        deleteResourceGroup: (subscriptionId, name) => around(groups, groupKey(subscriptionId, name), () => repos.resources.deleteResourceGroup(subscriptionId, name)),
      },
    };
  };
  return {
    reading(repos) {
      const { identity, resources } = evictingWrites(repos, () => {});
      return {
        ...repos,
        identity: {
          ...identity,
          getTenant: (id) => tenants.read(tenantKey(id), () => repos.identity.getTenant(id)),
          getTenants: (ids) => tenants.readAll(ids.map(tenantKey), (missing) => repos.identity.getTenants(missing), (tenant) => tenantKey(tenant.id)),
        },
        resources: {
          ...resources,
          getSubscription: (id) => subscriptions.read(subscriptionKey(id), () => repos.resources.getSubscription(id)),
          getSubscriptions: (ids) => subscriptions.readAll(ids.map(subscriptionKey), (missing) => repos.resources.getSubscriptions(missing), (sub) => subscriptionKey(sub.subscriptionId)),
          getResourceGroup: (subscriptionId, name) => groups.read(groupKey(subscriptionId, name), () => repos.resources.getResourceGroup(subscriptionId, name)),
        },
      };
    },
    writing(repos) {
      const written: [Held<object>, string][] = [];
      return { repos: { ...repos, ...evictingWrites(repos, (rows, key) => written.push([rows, key])) }, end: () => { for (const [rows, key] of written) rows.evict(key); } };
    },
  };
}
