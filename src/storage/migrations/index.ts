/**
 * Versioned migrations, applied in name order by Kysely's Migrator on open. Never edit a
 * released migration: add the next one.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from '../open-store.js';

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

/** The migration list for a dialect, keyed by name (applied in name order). */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    getMigrations: () => Promise.resolve({ '0001_initial': initial(dialect), '0002_role_assignment_columns': roleAssignmentColumns(dialect) }),
  };
}
