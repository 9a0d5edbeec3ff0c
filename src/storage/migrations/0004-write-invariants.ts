/**
 * The invariants the services check before writing, said by the schema too, so that no two
 * writers can break them together (issue 11 §3):
 * - one role assignment per principal, role and scope (ARM's `RoleAssignmentExists`);
 * - no registration assignment without its registration definition: a foreign key from
 *   (subscription, definition) to the definitions, so a definition that still backs an
 *   assignment cannot be deleted and an assignment cannot name a definition being deleted.
 * Rows that break them were written by the races this closes: the later duplicates of a role
 * assignment go (the earliest name stays), and so do assignments whose definition is gone (dormant
 * grants that would wake when a definition of the same name came back).
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../open-store.js';

// The definition a stored assignment body names: a bare GUID, or the tail of a full id.
function definitionOf(dialect: Dialect) {
  const field = dialect === 'postgres' ? sql`(body::json)->>'registrationDefinitionId'` : sql`json_extract(body, '$.registrationDefinitionId')`;
  return dialect === 'postgres' ? sql`lower(regexp_replace(${field}, '^.*/', ''))` : sql`lower(replace(${field}, rtrim(${field}, replace(${field}, '/', '')), ''))`;
}

export function writeInvariants(dialect: Dialect): Migration {
  const postgres = dialect === 'postgres';
  const k = postgres ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await sql`delete from role_assignments where exists (
        select 1 from role_assignments earlier where earlier.scope = role_assignments.scope and earlier.principal_id = role_assignments.principal_id
          and earlier.role_definition_id = role_assignments.role_definition_id and earlier.id < role_assignments.id)`.execute(db);
      await db.schema.createIndex('role_assignments_principal_role_scope').unique().on('role_assignments').columns(['scope', 'principal_id', 'role_definition_id']).execute();

      await sql`alter table registration_assignments add column definition_id ${k}`.execute(db);
      await sql`update registration_assignments set definition_id = ${definitionOf(dialect)}`.execute(db);
      await sql`delete from registration_assignments where not exists (
        select 1 from registration_definitions d where d.sub_id = registration_assignments.sub_id and d.id = registration_assignments.definition_id)`.execute(db);
      if (postgres) {
        await sql`alter table registration_assignments alter column definition_id set not null`.execute(db);
        await sql`alter table registration_assignments add constraint registration_assignments_definition
          foreign key (sub_id, definition_id) references registration_definitions (sub_id, id)`.execute(db);
      } else {
        // SQLite adds a foreign key only by building the table anew.
        await sql`create table registration_assignments_new (scope text not null, id text not null, sub_id text not null, definition_id text not null, body text not null,
          constraint registration_assignments_pk primary key (scope, id),
          constraint registration_assignments_definition foreign key (sub_id, definition_id) references registration_definitions (sub_id, id))`.execute(db);
        await sql`insert into registration_assignments_new (scope, id, sub_id, definition_id, body) select scope, id, sub_id, definition_id, body from registration_assignments`.execute(db);
        await sql`drop table registration_assignments`.execute(db);
        await sql`alter table registration_assignments_new rename to registration_assignments`.execute(db);
        await db.schema.createIndex('registration_assignments_sub').on('registration_assignments').columns(['sub_id']).execute();
      }
      // The foreign key's look-up when a definition is deleted.
      await db.schema.createIndex('registration_assignments_definition').on('registration_assignments').columns(['sub_id', 'definition_id']).execute();
    },
  };
}
