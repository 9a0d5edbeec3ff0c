/**
 * Which roles a provider may be granted through a delegation (Lighthouse role support rules).
 * One verdict feeds both the registration-definition checks and the Partner Center role picker.
 */
import type { RoleDefinition } from '../rbac/model.js';
import { OWNER, USER_ACCESS_ADMINISTRATOR } from '../roles/builtin-catalog.js';

export type DelegationRule = 'customRole' | 'owner' | 'userAccessAdministrator' | 'deprecated' | 'dataActions' | 'restrictedAction';

export type Verdict =
  | {
      readonly allowed: true;
      /** Set for User Access Administrator: usable only with `delegatedRoleDefinitionIds`. */
      readonly requiresDelegatedRoleDefinitionIds?: true;
    }
  | { readonly allowed: false; readonly rule: DelegationRule; readonly reason: string };

export interface DelegationVerdict {
  /** May the role be granted permanently (`authorizations`)? */
  readonly authorizations: Verdict;
  /** May the role be granted just-in-time (`eligibleAuthorizations`)? */
  readonly eligible: Verdict;
}

/**
 * Actions that make a role unusable for delegation (2026 list). Compared as literal strings,
 * ignoring case, not as effective permissions: `*` (Contributor) and `Microsoft.Authorization/policyAssignments/*`
 * pass, `Microsoft.Authorization/locks/write` does not.
 */
export const RESTRICTED_ACTIONS: readonly string[] = [
  'Microsoft.Authorization/*',
  'Microsoft.Authorization/*/write',
  'Microsoft.Authorization/*/delete',
  'Microsoft.Authorization/roleAssignments/write',
  'Microsoft.Authorization/roleAssignments/delete',
  'Microsoft.Authorization/roleDefinitions/write',
  'Microsoft.Authorization/roleDefinitions/delete',
  'Microsoft.Authorization/classicAdministrators/write',
  'Microsoft.Authorization/classicAdministrators/delete',
  'Microsoft.Authorization/locks/write',
  'Microsoft.Authorization/locks/delete',
  'Microsoft.Authorization/denyAssignments/write',
  'Microsoft.Authorization/denyAssignments/delete',
];

const restricted = new Set(RESTRICTED_ACTIONS.map((a) => a.toLowerCase()));
const ALLOWED: Verdict = { allowed: true };

function refuse(rule: DelegationRule, reason: string): Verdict {
  return { allowed: false, rule, reason };
}

// The actions of a role that are on the restricted list, as the role spells them.
function restrictedActionsOf(role: RoleDefinition): string[] {
  return role.permissions.flatMap((p) => p.actions.filter((a) => restricted.has(a.toLowerCase())));
}

function isDeprecated(role: RoleDefinition): boolean {
  // Azure marks retired built-ins in the name; onboarding with them fails.
  return /\(deprecated\)/i.test(role.roleName);
}

// The rules every delegated role must pass, whichever list it sits in.
function commonVerdict(role: RoleDefinition): Verdict {
  if (role.roleType !== 'BuiltInRole') {
    return refuse('customRole', `${role.roleName} can't be delegated: only Azure built-in roles can be used, not custom roles.`);
  }
  if (role.id.toLowerCase() === OWNER) {
    return refuse('owner', "Owner can't be delegated: it would let the provider manage the customer's access.");
  }
  if (isDeprecated(role)) {
    return refuse('deprecated', `${role.roleName} can't be delegated: the role is deprecated.`);
  }
  if (role.permissions.some((p) => p.dataActions.length > 0 || p.notDataActions.length > 0)) {
    return refuse(
      'dataActions',
      `${role.roleName} can't be delegated: it has data actions, and delegated access covers only the management plane.`,
    );
  }
  return ALLOWED;
}

/** The delegation verdict of one role, for permanent and for just-in-time (eligible) authorizations. */
export function delegationVerdict(role: RoleDefinition): DelegationVerdict {
  const common = commonVerdict(role);
  if (!common.allowed) return { authorizations: common, eligible: common };
  if (role.id.toLowerCase() === USER_ACCESS_ADMINISTRATOR) {
    return {
      authorizations: { allowed: true, requiresDelegatedRoleDefinitionIds: true },
      eligible: refuse(
        'userAccessAdministrator',
        "User Access Administrator can't be an eligible (just-in-time) role: it can only be granted permanently, to assign chosen roles to the customer's managed identities.",
      ),
    };
  }
  const actions = restrictedActionsOf(role);
  if (actions.length > 0) {
    const verdict = refuse(
      'restrictedAction',
      `${role.roleName} can't be delegated: it can change the customer's access or locks (${actions.join(', ')}).`,
    );
    return { authorizations: verdict, eligible: verdict };
  }
  return { authorizations: ALLOWED, eligible: ALLOWED };
}

/** May the role appear in `delegatedRoleDefinitionIds` (what a User Access Administrator delegate can assign)? */
export function delegatableRoleVerdict(role: RoleDefinition): Verdict {
  if (role.roleType !== 'BuiltInRole') {
    return refuse('customRole', `${role.roleName} can't be assigned by a delegate: only Azure built-in roles can.`);
  }
  if (role.id.toLowerCase() === OWNER) {
    return refuse('owner', "Owner can't be assigned by a delegate: it would let the provider manage the customer's access.");
  }
  if (role.id.toLowerCase() === USER_ACCESS_ADMINISTRATOR) {
    return refuse(
      'userAccessAdministrator',
      "User Access Administrator can't be assigned by a delegate: it would let the provider hand out access of its own.",
    );
  }
  return ALLOWED;
}
