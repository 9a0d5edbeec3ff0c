/**
 * The format of the shipped built-in role catalog (`data/builtin-roles.json`): one compact entry
 * per role, holding only what differs between built-ins (every one is defined at `/` and assignable
 * everywhere), with empty permission lists left out.
 */
import type { Permission, RoleDefinition } from '../rbac/model.js';

/** One role of the shipped catalog: a built-in's own fields, empty permission lists left out. */
export interface CatalogRole {
  readonly id: string;
  readonly roleName: string;
  readonly description: string;
  readonly createdOn?: string;
  readonly updatedOn?: string;
  readonly permissions: readonly Partial<Permission>[];
}

/** The shipped catalog's file: where it came from, and its roles. */
export interface Catalog {
  readonly source: string;
  readonly roles: readonly CatalogRole[];
}

const LISTS = ['actions', 'notActions', 'dataActions', 'notDataActions'] as const;

/** The catalog entry of a built-in role (what `scripts/builtin-roles.ts` writes). */
export function toCatalogRole(role: RoleDefinition): CatalogRole {
  const permissions = role.permissions.map((p) => {
    const block: Record<string, unknown> = {};
    for (const list of LISTS) if (p[list].length > 0) block[list] = p[list];
    if (p.condition !== undefined) block.condition = p.condition;
    if (p.conditionVersion !== undefined) block.conditionVersion = p.conditionVersion;
    return block;
  });
  return {
    id: role.id,
    roleName: role.roleName,
    description: role.description,
    ...(role.createdOn !== undefined ? { createdOn: role.createdOn } : {}),
    ...(role.updatedOn !== undefined ? { updatedOn: role.updatedOn } : {}),
    permissions,
  };
}

/** A built-in role of the catalog: defined at `/` and assignable everywhere, like every Azure built-in. */
export function fromCatalogRole(entry: CatalogRole): RoleDefinition {
  return {
    id: entry.id,
    roleName: entry.roleName,
    description: entry.description,
    roleType: 'BuiltInRole',
    permissions: entry.permissions.map((p) => ({
      actions: p.actions ?? [],
      notActions: p.notActions ?? [],
      dataActions: p.dataActions ?? [],
      notDataActions: p.notDataActions ?? [],
      ...(p.condition !== undefined ? { condition: p.condition } : {}),
      ...(p.conditionVersion !== undefined ? { conditionVersion: p.conditionVersion } : {}),
    })),
    assignableScopes: ['/'],
    scope: '/',
    ...(entry.createdOn !== undefined ? { createdOn: entry.createdOn } : {}),
    ...(entry.updatedOn !== undefined ? { updatedOn: entry.updatedOn } : {}),
  };
}

