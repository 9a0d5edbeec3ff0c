/**
 * `lantern roles import FILE`: loads the JSON printed by `az role definition list` (or the
 * `{ roles: [...] }` dump shape) so the built-in catalog can be kept as current as Azure's.
 */
import type { LanternConfig } from '../app/config.js';
import type { RoleDefinition } from '../core/rbac/model.js';
import { parseAzRoleDefinitions } from '../core/roles/import-az-roles.js';
import { parseRoleAssignmentImport } from '../core/roles/role-assignment-import.js';
import { importRoleAssignments } from '../services/rbac/role-assignment-import.js';
import type { Store } from '../storage/port.js';
import { readDataFile } from './input-files.js';
import { withServerStopped } from './offline-store.js';

export const ROLES_USAGE = `Usage: lantern roles import FILE [options]
       lantern roles import-assignments FILE [options]

import: loads role definitions from FILE, the JSON that 'az role definition list' prints (or
{ "roles": [...] }), into the configured database in one transaction: new roles are added, changed
ones updated.
import-assignments: loads role assignments in bulk from FILE, the JSON that 'az role assignment list
--all' prints (or an ARM list, { "value": [{ "name", "properties": {...} }] }). Each row is checked as
its PUT would be (role, principal from the directory, scope, duplicates, 4,000 per subscription); one
bad row refuses the whole file, naming the row and field, and nothing is written. A row without a
name gets one derived from it, so importing a file again makes nothing new.
Run either while no server serves the database (it is refused otherwise): a running server's
authorization engine holds what it read at start.
`;

export interface ImportSummary {
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** Imports role definitions into the store in one transaction. */
export async function importRoles(store: Store, roles: readonly RoleDefinition[]): Promise<ImportSummary> {
  let added = 0;
  let updated = 0;
  let unchanged = 0;
  // A transaction may run again after a concurrent write: it counts (and compares) afresh each time.
  await store.transaction(async (tx) => {
    const existing = new Map((await tx.authorization.listRoleDefinitions()).map((r) => [r.id.toLowerCase(), JSON.stringify(r)]));
    [added, updated, unchanged] = [0, 0, 0];
    for (const role of roles) {
      const before = existing.get(role.id.toLowerCase());
      if (before === JSON.stringify(role)) {
        unchanged++;
        continue;
      }
      if (before === undefined) added++;
      else updated++;
      await tx.authorization.putRoleDefinition(role);
    }
  });
  return { added, updated, unchanged };
}

/** `lantern roles import FILE` against the configured database. */
export async function runRolesImport(file: string, config: LanternConfig): Promise<number> {
  // The file is read and checked before the database is opened: a bad file changes nothing.
  const roles = parseAzRoleDefinitions(readDataFile(file));
  // A running server would not see the import until it restarts (its engine holds the roles it
  // read at start), so the import is refused while a server serves the database.
  const summary = await withServerStopped(config, "roles imported now would not reach its authorization engine until it restarts. Stop the server, run 'lantern roles import' again, then start the server.", (store) => importRoles(store, roles));
  process.stdout.write(`Imported role definitions: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged.\n`);
  return 0;
}

export async function runRoleAssignmentsImport(file: string, config: LanternConfig): Promise<number> {
  // Read and shaped before the database is opened: a bad file changes nothing.
  const rows = parseRoleAssignmentImport(readDataFile(file));
  const started = performance.now();
  const summary = await withServerStopped(config, "role assignments imported now would not reach its authorization engine until it restarts. Stop the server, run 'lantern roles import-assignments' again, then start the server.", (store) => importRoleAssignments(store, { now: () => new Date() }, rows));
  process.stdout.write(`Imported role assignments: ${summary.created} created, ${summary.unchanged} unchanged (${rows.length} rows, ${Math.round(performance.now() - started)} ms).\n`);
  return 0;
}
