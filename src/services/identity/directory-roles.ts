/**
 * Directory role assignments (Entra ID's `roleManagement/directory`): who holds Global
 * Administrator in which tenant. Kept as documents of the store, one per (tenant, principal, role);
 * the principal must exist in that tenant, as Entra allows no role for another directory's principal.
 */
import { requireDirectoryRole, type DirectoryRoleAssignment } from '../../core/identity/directory-roles.js';
import { notFound } from '../../core/errors.js';
import type { Store } from '../../storage/port.js';
import type { Clock } from '../context.js';

const COLLECTION = 'directoryRoleAssignments';
const keyOf = (tenantId: string, principalId: string, roleDefinitionId: string) => [tenantId, principalId, roleDefinitionId].map((p) => p.toLowerCase()).join('|');

/** Creates the directory role service. */
export function createDirectoryRoleService(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
  return {
    /** Gives `principalId` (a user or service principal of `tenantId`) the directory role; repeating it changes nothing. */
    async assign(tenantId: string, principalId: string, roleDefinitionId: string): Promise<DirectoryRoleAssignment> {
      requireDirectoryRole(roleDefinitionId);
      const principal = (await store.identity.getUser(principalId)) ?? (await store.identity.getServicePrincipal(principalId));
      if (!principal || principal.tenantId.toLowerCase() !== tenantId.toLowerCase()) {
        throw notFound('PrincipalNotFound', `Principal '${principalId}' does not exist in the directory '${tenantId}'.`);
      }
      const key = keyOf(tenantId, principalId, roleDefinitionId);
      const existing = await store.documents.get<DirectoryRoleAssignment>(COLLECTION, key);
      if (existing) return existing;
      const assignment: DirectoryRoleAssignment = { tenantId: tenantId.toLowerCase(), principalId: principalId.toLowerCase(), roleDefinitionId: roleDefinitionId.toLowerCase(), createdAt: clock.now().toISOString() };
      await store.documents.put(COLLECTION, key, assignment.tenantId, assignment);
      return assignment;
    },

    /** True when `principalId` holds the directory role in `tenantId`. */
    async holds(tenantId: string, principalId: string, roleDefinitionId: string): Promise<boolean> {
      return (await store.documents.get(COLLECTION, keyOf(tenantId, principalId, roleDefinitionId))) !== undefined;
    },

    /** The directory role assignments of a tenant. */
    list: (tenantId: string): Promise<DirectoryRoleAssignment[]> => store.documents.list<DirectoryRoleAssignment>(COLLECTION, tenantId.toLowerCase()),
  };
}

export type DirectoryRoleService = ReturnType<typeof createDirectoryRoleService>;
