/**
 * Migration 0011: a lead's kind (acquisition, contactMe, test) as a column, so the test leads of an
 * offer (what each submission's automated validation sent) and the Referrals list's kind filter are
 * an indexed query instead of a scan of every lead's JSON. Existing rows take the kind their body holds.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../open-store.js';

/** The kind column of leads, filled from each body, and its index per offer. */
export function leadKindMigration(dialect: Dialect): Migration {
  const k = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('leads').addColumn('kind', k).execute();
      // The body is the record as JSON.stringify wrote it: `"kind":"…"` with no spaces.
      for (const kind of ['acquisition', 'contactMe', 'test']) {
        await sql`update leads set kind = ${kind} where body like ${`%"kind":"${kind}"%`}`.execute(db);
      }
      await db.schema.createIndex('leads_offer_kind').on('leads').columns(['publisher_id', 'offer_id', 'kind', 'created_at']).execute();
    },
  };
}
