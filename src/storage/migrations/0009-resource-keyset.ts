/**
 * Migration 0009: indexes that serve a resource list page by key — a subscription's resources, or
 * one resource group's, in id order from a `$skiptoken` — so a page costs the same in a subscription
 * of 10^5 resources as in one of 10^2.
 */
import type { Kysely, Migration } from 'kysely';

/** The (sub_id, id) and (sub_id, rg, id) indexes of `resources`. */
export function resourceKeysetIndexes(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('resources_sub_id').on('resources').columns(['sub_id', 'id']).execute();
      await db.schema.createIndex('resources_sub_rg_id').on('resources').columns(['sub_id', 'rg', 'id']).execute();
      // (sub_id, rg, id) serves everything (sub_id, rg) did.
      await db.schema.dropIndex('resources_sub_rg').execute();
    },
  };
}
