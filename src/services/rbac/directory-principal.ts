/** A principal as the directory holds it, whatever a request says of it (its type, its tenant). */
import type { DirectoryPrincipal } from '../../core/roles/role-assignment-rules.js';
import { isGuid } from '../../core/guid.js';
import { managedIdentityResourceId } from '../../core/identity/model.js';
import type { Repositories } from '../../storage/port.js';

/** The user, group or service principal with object id `id`, in whichever tenant; undefined when none has it. */
export async function principalInDirectory(id: string, repos: Repositories): Promise<DirectoryPrincipal | undefined> {
  if (!isGuid(id)) return undefined;
  const user = await repos.identity.getUser(id);
  if (user) return { type: 'User', tenantId: user.tenantId };
  const group = await repos.identity.getGroup(id);
  if (group) return { type: 'Group', tenantId: group.tenantId };
  const sp = await repos.identity.getServicePrincipal(id);
  if (!sp) return undefined;
  const resourceId = managedIdentityResourceId(sp);
  return { type: 'ServicePrincipal', tenantId: sp.tenantId, ...(resourceId !== undefined ? { managedIdentityResourceId: resourceId } : {}) };
}
