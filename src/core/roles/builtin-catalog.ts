/**
 * The built-in Azure roles Lantern ships with: Azure's complete catalog (`data/builtin-roles.json`,
 * generated from `az role definition list` output by `scripts/builtin-roles.ts`; docs/operations.md
 * says how to refresh it), loaded when this module is first imported. The constants name the roles
 * Lantern's code refers to by id.
 */
// The catalog is part of the program, like its code: loaded (and bundled) as a module, not read as I/O.
import shippedCatalog from '../../../data/builtin-roles.json' with { type: 'json' };
import { invalid } from '../errors.js';
import type { RoleDefinition } from '../rbac/model.js';
import { fromCatalogRole, type Catalog } from './builtin-catalog-format.js';

export const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
export const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
export const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
export const USER_ACCESS_ADMINISTRATOR = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9';
export const RBAC_ADMINISTRATOR = 'f58310d9-a9f6-439a-9e8d-f62e7b41a168';
export const REGISTRATION_ASSIGNMENT_DELETE_ROLE = '91c1777a-f3dc-4fae-b103-61d183457e46';
export const MONITORING_READER = '43d0d8ad-25c7-4714-9337-8ba259a9fe05';
export const MONITORING_CONTRIBUTOR = '749f88d5-cbae-40b8-bcfc-e573ddc772fa';
export const VIRTUAL_MACHINE_CONTRIBUTOR = '9980e02c-c2be-4d73-94e8-173b1dc7cf3c';
export const NETWORK_CONTRIBUTOR = '4d97b98b-1d4f-4787-a291-c67834d212e7';
export const STORAGE_ACCOUNT_CONTRIBUTOR = '17d1049b-9a84-46fb-8f53-869881c3d3ab';
export const STORAGE_ACCOUNT_BACKUP_CONTRIBUTOR = 'e5e2a7ff-d759-4cd2-bb51-3152d37e2eb1';
export const STORAGE_BLOB_DATA_READER = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';
export const LOG_ANALYTICS_READER = '73c42c96-874c-492b-b04d-ab87d138a893';
export const LOG_ANALYTICS_CONTRIBUTOR = '92aaf0da-9dab-42b6-94a3-d43ce8d16293';
export const SECURITY_READER = '39bc4728-0917-49c7-9d2c-d95423bc2eb4';
export const SECURITY_ADMIN = 'fb1c8493-542b-48eb-b624-b4c8fea62acd';
export const RESOURCE_POLICY_CONTRIBUTOR = '36243c78-bf99-498c-9df9-86d9f8d28608';
export const BACKUP_CONTRIBUTOR = '5e467623-bb1f-42f4-a55d-6e525e11384b';
export const BACKUP_OPERATOR = '00c29273-979b-4161-815c-10b084fb9324';
export const SUPPORT_REQUEST_CONTRIBUTOR = 'cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e';
export const TAG_CONTRIBUTOR = '4a9ae827-6dc8-4573-8ac7-8239d42aa03f';
export const WEBSITE_CONTRIBUTOR = 'de139f84-1756-47ae-9be6-808fbbe84772';
export const SQL_DB_CONTRIBUTOR = '9b7fa17d-e63e-47b0-bb0a-15c516ac86ec';
export const KEY_VAULT_CONTRIBUTOR = 'f25e0fa2-a7c8-4377-a976-54943a77a395';
export const AUTOMATION_CONTRIBUTOR = 'f353d9bd-d4a6-484e-a77a-8050b599b867';

function catalogRoles(json: unknown): RoleDefinition[] {
  const roles = (json as Partial<Catalog> | null)?.roles;
  if (!Array.isArray(roles)) throw invalid('InvalidBuiltinCatalog', 'data/builtin-roles.json must hold { source, roles: [...] }: regenerate it with scripts/builtin-roles.ts.');
  return roles.map(fromCatalogRole);
}


/** The built-in roles Lantern knows without an import: Azure's whole catalog, in catalog order. */
export const BUILTIN_ROLES: readonly RoleDefinition[] = catalogRoles(shippedCatalog);

const byId = new Map(BUILTIN_ROLES.map((role) => [role.id, role]));

/** The shipped built-in role with this id (any casing), if Lantern ships it. */
export function findBuiltinRole(id: string): RoleDefinition | undefined {
  return byId.get(id.toLowerCase());
}
