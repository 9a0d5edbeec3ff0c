/**
 * Migration 0008: leads as records and their delivery outbox. `leads` holds one row per lead (the
 * record as JSON, plus the columns the Referrals list filters by and the outbox claims by: status,
 * next attempt, lease); `lead_attempts` is each lead's delivery log.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../open-store.js';

/** The leads and lead_attempts tables and the indexes the list and the outbox use. */
export function leadsMigration(dialect: Dialect): Migration {
  const k = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('leads')
        .addColumn('id', k, (c) => c.primaryKey())
        .addColumn('publisher_id', k, (c) => c.notNull())
        .addColumn('offer_id', k, (c) => c.notNull())
        .addColumn('created_at', k, (c) => c.notNull())
        .addColumn('status', k, (c) => c.notNull())
        .addColumn('destination', k, (c) => c.notNull())
        .addColumn('next_attempt_at', k)
        .addColumn('lease_owner', k)
        .addColumn('lease_until', k)
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('lead_attempts')
        .addColumn('lead_id', k, (c) => c.notNull().references('leads.id').onDelete('cascade'))
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('at', k, (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('lead_attempts_pk', ['lead_id', 'attempt'])
        .execute();
      await db.schema.createIndex('leads_publisher_created').on('leads').columns(['publisher_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('leads_due').on('leads').columns(['status', 'next_attempt_at']).execute();
    },
  };
}
