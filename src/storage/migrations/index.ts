/**
 * Versioned migrations, applied in name order by Kysely's Migrator on open. Never edit a
 * released migration: add the next one. A database that already ran a later-numbered migration
 * still runs one it lacks (the store opens with unordered migrations allowed), since branches
 * developed side by side may land out of number order.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from '../open-store.js';
import { writeInvariants } from './0004-write-invariants.js';
import { leadsMigration } from './0008-leads.js';
import { resourceKeysetIndexes } from './0009-resource-keyset.js';
import { activationInvariants } from './0010-activation-invariants.js';
import { leadKindMigration } from './0011-lead-kind.js';
import { resourceListingMigration } from './0012-resource-listing.js';
import { resourceListingIndexes } from './0013-resource-listing-indexes.js';

/** Text compared and range-scanned byte by byte (scope prefixes), whatever the server's locale. */
function keyText(dialect: Dialect) {
  return dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
}

function initial(dialect: Dialect): Migration {
  const k = keyText(dialect);
  return {
    async up(db: Kysely<unknown>) {
      const table = (name: string) => db.schema.createTable(name);
      await table('tenants').addColumn('id', k, (c) => c.primaryKey()).addColumn('domain', k, (c) => c.notNull().unique()).addColumn('body', 'text', (c) => c.notNull()).execute();
      await table('users').addColumn('id', k, (c) => c.primaryKey()).addColumn('tenant_id', k, (c) => c.notNull()).addColumn('upn', k, (c) => c.notNull().unique()).addColumn('body', 'text', (c) => c.notNull()).execute();
      await table('groups').addColumn('id', k, (c) => c.primaryKey()).addColumn('tenant_id', k, (c) => c.notNull()).addColumn('body', 'text', (c) => c.notNull()).execute();
      await table('group_members').addColumn('group_id', k, (c) => c.notNull()).addColumn('member_id', k, (c) => c.notNull()).addColumn('member_type', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'member_id']).execute();
      await table('service_principals').addColumn('id', k, (c) => c.primaryKey()).addColumn('app_id', k, (c) => c.notNull().unique()).addColumn('tenant_id', k, (c) => c.notNull()).addColumn('body', 'text', (c) => c.notNull()).execute();
      await table('client_secrets').addColumn('id', k, (c) => c.primaryKey()).addColumn('sp_id', k, (c) => c.notNull()).addColumn('body', 'text', (c) => c.notNull()).execute();
      await table('signing_keys').addColumn('kid', k, (c) => c.primaryKey()).addColumn('body', 'text', (c) => c.notNull()).execute();
      await table('subscriptions').addColumn('id', k, (c) => c.primaryKey()).addColumn('tenant_id', k, (c) => c.notNull()).addColumn('body', 'text', (c) => c.notNull()).execute();
      await table('resource_groups').addColumn('sub_id', k, (c) => c.notNull()).addColumn('name', k, (c) => c.notNull()).addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('resource_groups_pk', ['sub_id', 'name']).execute();
      await table('resources').addColumn('id', k, (c) => c.primaryKey()).addColumn('sub_id', k, (c) => c.notNull()).addColumn('rg', k, (c) => c.notNull()).addColumn('body', 'text', (c) => c.notNull()).execute();
      await table('provider_registrations').addColumn('sub_id', k, (c) => c.notNull()).addColumn('namespace', k, (c) => c.notNull()).addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('provider_registrations_pk', ['sub_id', 'namespace']).execute();
      await table('role_definitions').addColumn('id', k, (c) => c.primaryKey()).addColumn('body', 'text', (c) => c.notNull()).execute();
      await table('role_assignments').addColumn('id', k, (c) => c.primaryKey()).addColumn('scope', k, (c) => c.notNull()).addColumn('sub_id', k).addColumn('body', 'text', (c) => c.notNull()).execute();
      await table('deny_assignments').addColumn('id', k, (c) => c.primaryKey()).addColumn('body', 'text', (c) => c.notNull()).execute();
      await table('registration_definitions').addColumn('sub_id', k, (c) => c.notNull()).addColumn('id', k, (c) => c.notNull()).addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('registration_definitions_pk', ['sub_id', 'id']).execute();
      await table('registration_assignments').addColumn('scope', k, (c) => c.notNull()).addColumn('id', k, (c) => c.notNull()).addColumn('sub_id', k, (c) => c.notNull()).addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('registration_assignments_pk', ['scope', 'id']).execute();
      await table('eligible_activations').addColumn('id', k, (c) => c.primaryKey()).addColumn('body', 'text', (c) => c.notNull()).execute();
      await table('activity_log').addColumn('event_id', k, (c) => c.primaryKey()).addColumn('tenant_id', k, (c) => c.notNull()).addColumn('sub_id', k).addColumn('ts', k, (c) => c.notNull()).addColumn('body', 'text', (c) => c.notNull()).execute();
      await table('deployments').addColumn('id', k, (c) => c.primaryKey()).addColumn('scope', k, (c) => c.notNull()).addColumn('name', 'text', (c) => c.notNull()).addColumn('updated_at', k, (c) => c.notNull()).addColumn('body', 'text', (c) => c.notNull()).execute();
      await table('documents').addColumn('collection', k, (c) => c.notNull()).addColumn('id', k, (c) => c.notNull()).addColumn('partition_key', k, (c) => c.notNull()).addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('documents_pk', ['collection', 'id']).execute();

      const index = (name: string, on: string, columns: string[]) => db.schema.createIndex(name).on(on).columns(columns).execute();
      await index('users_tenant', 'users', ['tenant_id']);
      await index('groups_tenant', 'groups', ['tenant_id']);
      await index('group_members_member', 'group_members', ['member_id']);
      await index('sp_tenant', 'service_principals', ['tenant_id']);
      await index('client_secrets_sp', 'client_secrets', ['sp_id']);
      await index('subscriptions_tenant', 'subscriptions', ['tenant_id']);
      await index('resources_sub_rg', 'resources', ['sub_id', 'rg']);
      await index('role_assignments_scope', 'role_assignments', ['scope']);
      await index('role_assignments_sub', 'role_assignments', ['sub_id']);
      await index('registration_assignments_sub', 'registration_assignments', ['sub_id']);
      await index('activity_tenant_ts', 'activity_log', ['tenant_id', 'ts']);
      await index('deployments_scope', 'deployments', ['scope']);
      await index('documents_partition', 'documents', ['collection', 'partition_key']);
    },
  };
}

// A role assignment's principal and role as columns beside its body, so a cold start reads the
// fields that decide access without parsing a JSON document per row (performance.md §3).
function roleAssignmentColumns(dialect: Dialect): Migration {
  const k = keyText(dialect);
  const field = (name: string) => (dialect === 'postgres' ? sql`lower((body::json)->>${name})` : sql`lower(json_extract(body, ${'$.' + name}))`);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('role_assignments').addColumn('principal_id', k).execute();
      await db.schema.alterTable('role_assignments').addColumn('role_definition_id', k).execute();
      await sql`update role_assignments set principal_id = ${field('principalId')}, role_definition_id = ${field('roleDefinitionId')}`.execute(db);
    },
  };
}

// Every insert, update and delete of a role assignment numbered by the database (triggers, so raw
// SQL counts too), and a place for an engine's checkpoint: a cold start loads the checkpoint and
// replays only the role assignments changed since. Existing rows need no change: with no
// checkpoint saved the engine loads everything.
function roleAssignmentChanges(dialect: Dialect): Migration {
  const postgres = dialect === 'postgres';
  return {
    async up(db: Kysely<unknown>) {
      // AUTOINCREMENT: SQLite never hands out a number again, even after the rows below it are pruned.
      await db.schema.createTable('role_assignment_changes')
        .addColumn('seq', postgres ? 'bigserial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('assignment_id', keyText(dialect), (c) => c.notNull()).execute();
      await db.schema.createTable('role_assignment_checkpoint').addColumn('part', 'integer', (c) => c.primaryKey())
        .addColumn('change', postgres ? 'bigint' : 'integer', (c) => c.notNull()).addColumn('data', postgres ? 'bytea' : 'blob', (c) => c.notNull()).execute();
      if (postgres) {
        // A bigserial number is taken at insert but seen at commit: writers committing out of number
        // order would let a reader see number 11 and later miss 10. EXCLUSIVE (plain SELECTs still
        // run) makes role assignment writers take turns until commit, so number order is commit order.
        await sql`create function record_role_assignment_change() returns trigger language plpgsql as $$
          begin
            lock table role_assignment_changes in exclusive mode;
            if tg_op <> 'INSERT' then
              insert into role_assignment_changes (assignment_id) values (old.id);
            end if;
            if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.id <> old.id) then
              insert into role_assignment_changes (assignment_id) values (new.id);
            end if;
            return null;
          end $$`.execute(db);
        await sql`create trigger role_assignment_changed after insert or update or delete on role_assignments for each row execute function record_role_assignment_change()`.execute(db);
        // TRUNCATE fires no row triggers: it drops the checkpoint instead, so the next start reads the tables.
        await sql`create function forget_role_assignment_checkpoint() returns trigger language plpgsql as $$
          begin
            delete from role_assignment_checkpoint;
            return null;
          end $$`.execute(db);
        await sql`create trigger role_assignments_truncated after truncate on role_assignments for each statement execute function forget_role_assignment_checkpoint()`.execute(db);
      } else {
        await sql`create trigger role_assignment_inserted after insert on role_assignments for each row begin
          insert into role_assignment_changes (assignment_id) values (new.id);
        end`.execute(db);
        await sql`create trigger role_assignment_updated after update on role_assignments for each row begin
          insert into role_assignment_changes (assignment_id) values (old.id);
          insert into role_assignment_changes (assignment_id) select new.id where new.id <> old.id;
        end`.execute(db);
        await sql`create trigger role_assignment_deleted after delete on role_assignments for each row begin
          insert into role_assignment_changes (assignment_id) values (old.id);
        end`.execute(db);
      }
    },
  };
}

/** The migration list for a dialect, keyed by name (applied in name order). */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    getMigrations: () => Promise.resolve({
      '0001_initial': initial(dialect),
      '0002_role_assignment_columns': roleAssignmentColumns(dialect),
      '0003_role_assignment_changes': roleAssignmentChanges(dialect),
      '0004_write_invariants': writeInvariants(dialect),
      '0008_leads': leadsMigration(dialect),
      '0009_resource_keyset_indexes': resourceKeysetIndexes(),
      '0010_activation_invariants': activationInvariants(dialect),
      '0011_lead_kind': leadKindMigration(dialect),
      '0012_resource_listing': resourceListingMigration(),
      ...(dialect === 'sqlite' ? { '0013_resource_listing_indexes': resourceListingIndexes() } : {}),
    }),
  };
}
