/**
 * The rules ARM applies to custom role definitions (`PUT {scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}`).
 * The caller passes the role definitions of the directory; nothing is read here.
 */
import { DomainError, assertThat, conflict, invalid } from '../errors.js';
import { isGuid } from '../guid.js';
import type { RoleDefinition } from '../rbac/model.js';
import { parseScope } from '../scope.js';

/** Custom roles one directory may hold. */
export const CUSTOM_ROLES_PER_TENANT = 5000;

const CODE = 'InvalidRoleDefinition';

/**
 * Checks a custom role create/update. `existing` holds every role definition of the directory
 * (built-ins included, since a custom role may not take a built-in's name or id); `homes` the home
 * directory of each assignable scope, in order (undefined for a management group or an unknown one).
 */
export function validateCustomRoleDefinition(role: RoleDefinition, existing: readonly RoleDefinition[], homes: readonly (string | undefined)[] = []): void {
  assertThat(isGuid(role.id), () => invalid('InvalidRoleDefinitionId', `The role definition ID '${role.id}' is not valid: it must be a GUID.`, 'name'));
  const id = role.id.toLowerCase();
  const current = existing.find((r) => r.id.toLowerCase() === id);
  if (role.roleType !== 'CustomRole' || current?.roleType === 'BuiltInRole') {
    throw invalid(CODE, `Only custom roles can be created or changed; '${current?.roleName ?? role.roleName}' is a built-in role.`, 'properties.type');
  }
  if (role.roleName.trim() === '') {
    throw invalid(CODE, 'A custom role needs a roleName.', 'properties.roleName');
  }
  const sameName = existing.find((r) => r.id.toLowerCase() !== id && r.roleName.toLowerCase() === role.roleName.toLowerCase());
  if (sameName) {
    throw conflict(
      'RoleDefinitionWithSameNameExists',
      `A role definition cannot be updated with a name that already exists: '${sameName.roleName}' is role '${sameName.id}'.`,
      'properties.roleName',
    );
  }
  validateAssignableScopes(role);
  validateOneDirectory(role, homes);
  validatePermissions(role);
  if (!current && existing.filter((r) => r.roleType === 'CustomRole').length >= CUSTOM_ROLES_PER_TENANT) {
    throw new DomainError('limit', 'RoleDefinitionLimitExceeded', `The directory already holds ${CUSTOM_ROLES_PER_TENANT} custom roles, the limit.`);
  }
}

function validateAssignableScopes(role: RoleDefinition): void {
  if (role.assignableScopes.length === 0) {
    throw invalid(CODE, 'A custom role needs at least one assignable scope.', 'properties.assignableScopes');
  }
  let managementGroups = 0;
  role.assignableScopes.forEach((scope, i) => {
    const target = `properties.assignableScopes[${i}]`;
    let level: string;
    try {
      level = parseScope(scope).level;
    } catch {
      throw invalid(CODE, `The assignable scope '${scope}' is not a valid scope.`, target);
    }
    // The root belongs to built-ins; resources are below what a custom role may name.
    if (level !== 'managementGroup' && level !== 'subscription' && level !== 'resourceGroup') {
      throw invalid(CODE, `The assignable scope '${scope}' must be a management group, subscription or resource group.`, target);
    }
    if (level === 'managementGroup' && ++managementGroups > 1) {
      throw invalid(CODE, 'A custom role may name only one management group among its assignable scopes.', target);
    }
  });
  const hasDataActions = role.permissions.some((p) => p.dataActions.length > 0 || p.notDataActions.length > 0);
  if (hasDataActions && managementGroups > 0) {
    throw invalid(CODE, "A custom role with data actions can't be assignable at a management group.", 'properties.assignableScopes');
  }
}

// A custom role never spans directories: a scope reached through a Lighthouse delegation is another's.
function validateOneDirectory(role: RoleDefinition, homes: readonly (string | undefined)[]): void {
  if (role.tenantId === undefined) return;
  const owner = role.tenantId.toLowerCase();
  const foreign = homes.findIndex((home) => home !== undefined && home.toLowerCase() !== owner);
  if (foreign >= 0) {
    throw invalid(
      'InvalidAssignableScope',
      `The assignable scope '${role.assignableScopes[foreign]}' belongs to another directory: a custom role's assignable scopes must all be in the directory it is created in.`,
      `properties.assignableScopes[${foreign}]`,
    );
  }
}

function validatePermissions(role: RoleDefinition): void {
  if (role.permissions.length === 0 || role.permissions.every((p) => p.actions.length === 0 && p.dataActions.length === 0)) {
    throw invalid(CODE, 'A custom role needs at least one permission: an action or a data action.', 'properties.permissions');
  }
  role.permissions.forEach((p, i) => {
    for (const list of ['actions', 'notActions', 'dataActions', 'notDataActions'] as const) {
      const bad = p[list].findIndex((action) => action.trim() === '' || /\s/.test(action));
      if (bad >= 0) {
        throw invalid(CODE, `The ${list} entry '${p[list][bad]}' is not an operation string such as 'Microsoft.Compute/virtualMachines/read'.`, `properties.permissions[${i}].${list}[${bad}]`);
      }
    }
  });
}
