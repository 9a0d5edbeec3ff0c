/**
 * `lantern roles import FILE`: loads the JSON printed by `az role definition list` (or the
 * `{ roles: [...] }` dump shape) so the built-in catalog can be kept as current as Azure's.
 */
import { readFile } from 'node:fs/promises';
import { parseAzRoleDefinitions } from '../core/roles/import-az-roles.js';
import type { Store } from '../storage/port.js';

export interface ImportSummary {
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** Imports role definitions from a file into the store in one transaction. */
export async function importRoles(store: Store, file: string): Promise<ImportSummary> {
  const roles = parseAzRoleDefinitions(JSON.parse(await readFile(file, 'utf8')) as unknown);
  const existing = new Map((await store.authorization.listRoleDefinitions()).map((r) => [r.id.toLowerCase(), JSON.stringify(r)]));
  let added = 0;
  let updated = 0;
  let unchanged = 0;
  await store.transaction(async (tx) => {
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
