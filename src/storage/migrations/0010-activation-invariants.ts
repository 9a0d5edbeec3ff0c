/**
 * No eligible activation (a just-in-time grant) without the registration assignment it came
 * from (issue 11 §1 and §3): a foreign key from (assignment scope, assignment name) to the
 * registration assignments, so an activation approved or requested while its delegation is
 * being removed cannot outlive it, whichever transaction commits first. Activations whose
 * assignment is already gone were left by those races and go (they granted nothing the
 * delegation still allowed).
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../open-store.js';

// The stored activation's assignment, as registration_assignments keys it (scope and name lower-cased, no trailing slash).
function assignmentKeys(dialect: Dialect) {
  const field = (name: string) => (dialect === 'postgres' ? sql`(body::json)->>${name}` : sql`json_extract(body, ${'$.' + name})`);
  const scope = dialect === 'postgres' ? sql`regexp_replace(lower(${field('assignmentScope')}), '/+$', '')` : sql`rtrim(lower(${field('assignmentScope')}), '/')`;
  return { scope, id: sql`lower(${field('registrationAssignmentId')})` };
}

export function activationInvariants(dialect: Dialect): Migration {
  const postgres = dialect === 'postgres';
  const k = postgres ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      const { scope, id } = assignmentKeys(dialect);
      await sql`alter table eligible_activations add column assignment_scope ${k}`.execute(db);
      await sql`alter table eligible_activations add column assignment_id ${k}`.execute(db);
      await sql`update eligible_activations set assignment_scope = ${scope}, assignment_id = ${id}`.execute(db);
      await sql`delete from eligible_activations where not exists (
        select 1 from registration_assignments a where a.scope = eligible_activations.assignment_scope and a.id = eligible_activations.assignment_id)`.execute(db);
      if (postgres) {
        await sql`alter table eligible_activations alter column assignment_scope set not null`.execute(db);
        await sql`alter table eligible_activations alter column assignment_id set not null`.execute(db);
        await sql`alter table eligible_activations add constraint eligible_activations_assignment
          foreign key (assignment_scope, assignment_id) references registration_assignments (scope, id)`.execute(db);
      } else {
        // SQLite adds a foreign key only by building the table anew.
        await sql`create table eligible_activations_new (id text primary key, assignment_scope text not null, assignment_id text not null, body text not null,
          constraint eligible_activations_assignment foreign key (assignment_scope, assignment_id) references registration_assignments (scope, id))`.execute(db);
        await sql`insert into eligible_activations_new (id, assignment_scope, assignment_id, body) select id, assignment_scope, assignment_id, body from eligible_activations`.execute(db);
        await sql`drop table eligible_activations`.execute(db);
        await sql`alter table eligible_activations_new rename to eligible_activations`.execute(db);
      }
      // The foreign key's look-up when an assignment is deleted.
      await db.schema.createIndex('eligible_activations_assignment').on('eligible_activations').columns(['assignment_scope', 'assignment_id']).execute();
    },
  };
}
