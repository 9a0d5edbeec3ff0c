/**
 * Migration 0012: each resource's type and listing (the JSON of `resourceListing`, what a list
 * answer shows of it) as columns beside its body, so a list page is served from the listings without
 * parsing a body per item. Existing rows are filled from their bodies, a batch at a time.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { resourceListing } from '../../core/resources/listing.js';
import type { GenericResource } from '../../core/resources/model.js';

const BATCH = 1000;

/** The type and listing columns of `resources`, filled for the rows already there. */
export function resourceListingMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // Every write names both columns; the default only stands for rows until the fill below reaches them.
      await db.schema.alterTable('resources').addColumn('type', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.alterTable('resources').addColumn('listing', 'text', (c) => c.notNull().defaultTo('')).execute();
      for (let after = ''; ;) {
        const rows = (await sql<{ id: string; body: string }>`select id, body from resources where id > ${after} order by id limit ${BATCH}`.execute(db)).rows;
        for (const row of rows) {
          const resource = JSON.parse(row.body) as GenericResource;
          await sql`update resources set type = ${resource.type}, listing = ${JSON.stringify(resourceListing(resource))} where id = ${row.id}`.execute(db);
        }
        if (rows.length < BATCH) break;
        after = rows[rows.length - 1]!.id;
      }
    },
  };
}
