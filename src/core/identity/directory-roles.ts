/**
 * Microsoft Entra directory roles (not Azure RBAC roles): which principals administer a directory.
 * Lantern keeps the one Azure resource management depends on, Global Administrator, whose holders
 * may elevate their access to User Access Administrator at the root scope `/` of their own tenant
 * (lighthouse.md §3.8, "Elevate access for a Global Administrator").
 */
import { invalid } from '../errors.js';

/** The role template id of Global Administrator, the same in every directory. */
export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

/** The directory roles Lantern knows, by template id. */
export const DIRECTORY_ROLES: ReadonlyMap<string, string> = new Map([[GLOBAL_ADMINISTRATOR, 'Global Administrator']]);

/** A directory role held by a principal of a tenant, directory-wide (Entra's `directoryScopeId: "/"`). */
export interface DirectoryRoleAssignment {
  readonly tenantId: string;
  readonly principalId: string;
  readonly roleDefinitionId: string;
  readonly createdAt: string;
}

/** Throws unless `roleDefinitionId` is a directory role Lantern knows; returns its display name. */
export function requireDirectoryRole(roleDefinitionId: string): string {
  const name = DIRECTORY_ROLES.get(roleDefinitionId.toLowerCase());
  if (name === undefined) {
    const known = [...DIRECTORY_ROLES].map(([id, n]) => `${n} (${id})`).join(', ');
    throw invalid('InvalidDirectoryRole', `'${roleDefinitionId}' is not a directory role Lantern knows; known: ${known}.`, 'roleDefinitionId');
  }
  return name;
}
