/**
 * Regenerates Lantern's built-in role catalog, `data/builtin-roles.json`, from the output of
 * `az role definition list` (docs/operations.md, "Refreshing the built-in role catalog"):
 *
 *   az role definition list --custom-role-only false --query "[?roleType=='BuiltInRole']" > roles.json
 *   npx tsx scripts/builtin-roles.ts roles.json
 *
 * The input is checked entry by entry (`parseAzRoleDefinitions`); only built-in roles are kept,
 * sorted by name, one role per line so a refresh reads as a diff of the roles that changed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAzRoleDefinitions } from '../src/core/roles/import-az-roles.ts';
import { toCatalogRole } from '../src/core/roles/builtin-catalog-format.ts';

const [input, output = fileURLToPath(new URL('../data/builtin-roles.json', import.meta.url))] = process.argv.slice(2);
if (input === undefined) {
  console.error('usage: npx tsx scripts/builtin-roles.ts <az role definition list output.json> [data/builtin-roles.json]');
  process.exit(2);
}
const roles = parseAzRoleDefinitions(JSON.parse(readFileSync(input, 'utf8')))
  .filter((r) => r.roleType === 'BuiltInRole')
  .sort((a, b) => a.roleName.localeCompare(b.roleName, 'en') || a.id.localeCompare(b.id));
const lines = roles.map((r) => JSON.stringify(toCatalogRole(r)));
const source = `az role definition list: ${roles.length} built-in roles`;
writeFileSync(output, `{"source":${JSON.stringify(source)},"roles":[\n${lines.join(',\n')}\n]}\n`);
console.log(`wrote ${roles.length} built-in roles to ${output}`);
