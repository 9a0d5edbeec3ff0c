/**
 * Lantern's operator plane: the scope `/providers/Lantern.Operator` and everything under it, where
 * the platform is administered (tenants, users, groups, service principals, subscriptions, and the
 * platform operator role itself). No role assignment, delegation or activation reaches it — a
 * tenant's Owner at `/`, or a Global Administrator who elevated access, administers its own
 * directory, not the platform — only the platform operators the decision engine holds.
 */
export const OPERATOR_NAMESPACE = 'Lantern.Operator';
export const OPERATOR_SCOPE = `/providers/${OPERATOR_NAMESPACE}`;

/** The actions of the operator plane, as the 403 of a refused caller names them. */
export const OPERATOR_ACTIONS = {
  readOperators: `${OPERATOR_NAMESPACE}/operators/read`,
  grantOperator: `${OPERATOR_NAMESPACE}/operators/write`,
  revokeOperator: `${OPERATOR_NAMESPACE}/operators/delete`,
  readTenants: `${OPERATOR_NAMESPACE}/tenants/read`,
  createTenant: `${OPERATOR_NAMESPACE}/tenants/write`,
  createUser: `${OPERATOR_NAMESPACE}/tenants/users/write`,
  createGroup: `${OPERATOR_NAMESPACE}/tenants/groups/write`,
  addGroupMember: `${OPERATOR_NAMESPACE}/tenants/groups/members/write`,
  createServicePrincipal: `${OPERATOR_NAMESPACE}/tenants/servicePrincipals/write`,
  createSubscription: `${OPERATOR_NAMESPACE}/tenants/subscriptions/write`,
} as const;

const PREFIX = OPERATOR_SCOPE.toLowerCase();
const SLASH = 47;
const LOWER_P = 112;

/** True for the operator scope and every scope under it, in any casing (the check's first test is one char). */
export function isOperatorScope(scope: string): boolean {
  if (scope.length < PREFIX.length || (scope.charCodeAt(1) | 32) !== LOWER_P) return false;
  if (scope.slice(0, PREFIX.length).toLowerCase() !== PREFIX) return false;
  return scope.length === PREFIX.length || scope.charCodeAt(PREFIX.length) === SLASH;
}
