/** Azure RBAC shapes: role definitions, role assignments and deny assignments. */
import type { PrincipalType } from '../identity/model.js';

export interface Permission {
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly dataActions: readonly string[];
  readonly notDataActions: readonly string[];
  readonly condition?: string;
  readonly conditionVersion?: string;
}

export interface RoleDefinition {
  /** The bare GUID (the `name` of the ARM resource). */
  readonly id: string;
  readonly roleName: string;
  readonly description: string;
  readonly roleType: 'BuiltInRole' | 'CustomRole';
  readonly permissions: readonly Permission[];
  readonly assignableScopes: readonly string[];
  /** For custom roles: the scope the definition was created at. Built-ins live at `/`. */
  readonly scope: string;
  /**
   * For custom roles: the directory the role belongs to, recorded when it is written (roles written
   * before that have only their assignable scopes' subscriptions to tell, and none when those are
   * management groups). Never rendered.
   */
  readonly tenantId?: string;
  readonly createdOn?: string;
  readonly updatedOn?: string;
}

export interface RoleAssignment {
  /** The assignment name (GUID). */
  readonly id: string;
  readonly scope: string;
  readonly roleDefinitionId: string; // bare GUID
  readonly principalId: string;
  readonly principalType: PrincipalType;
  readonly description?: string;
  /** Set when a Lighthouse UAA delegate assigns a role to a customer managed identity. */
  readonly delegatedManagedIdentityResourceId?: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

export const ALL_PRINCIPALS = '00000000-0000-0000-0000-000000000000';

export interface DenyAssignment {
  readonly id: string;
  readonly denyAssignmentName: string;
  readonly scope: string;
  readonly permissions: readonly Permission[];
  /** `ALL_PRINCIPALS` with type SystemDefined means everyone. */
  readonly principals: readonly { readonly id: string; readonly type: PrincipalType | 'SystemDefined' }[];
  readonly excludePrincipals: readonly { readonly id: string; readonly type: PrincipalType | 'SystemDefined' }[];
  readonly doNotApplyToChildScopes: boolean;
  readonly isSystemProtected: true;
  readonly description?: string;
}
