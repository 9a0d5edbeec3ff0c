/**
 * Migration 0013 (SQLite): the keyset indexes of `resources` carry each row's type and listing, so a
 * list page is read from the index alone. Without them every item of a page is a lookup into the
 * table, whose rows hold the whole body: a body past a page's worth spills to overflow pages that
 * SQLite walks to reach the listing after it (measured: 450 µs for a page of 100 with 1.2 kB
 * bodies, 150 µs from the index). PostgreSQL keeps the plain keys: its index entries are limited to
 * about 2.7 kB, and a listing with ARM's 50 tags can be longer.
 */
import type { Kysely, Migration } from 'kysely';

/** (sub_id, id) and (sub_id, rg, id) replaced by the same keys followed by type and listing. */
export function resourceListingIndexes(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('resources_sub_id_listing').on('resources').columns(['sub_id', 'id', 'type', 'listing']).execute();
      await db.schema.createIndex('resources_sub_rg_id_listing').on('resources').columns(['sub_id', 'rg', 'id', 'type', 'listing']).execute();
      // The new keys begin with the old ones, so they serve every query the old indexes did.
      await db.schema.dropIndex('resources_sub_id').execute();
      await db.schema.dropIndex('resources_sub_rg_id').execute();
    },
  };
}
