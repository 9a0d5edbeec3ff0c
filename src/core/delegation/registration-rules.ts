/**
 * The rules of Microsoft.ManagedServices: what a registration definition (the offer: managing tenant
 * and authorizations) and a registration assignment (the offer delegated at a scope) must satisfy.
 * Error codes and messages follow those the real service returns; `target` names the body field.
 */
import { conflict, invalid, notFound } from '../errors.js';
import type { DomainError } from '../errors.js';
import { isGuid } from '../guid.js';
import type { PrincipalType } from '../identity/model.js';
import type { RoleDefinition } from '../rbac/model.js';
import { OWNER, USER_ACCESS_ADMINISTRATOR } from '../roles/builtin-catalog.js';
import { parseScope, scopeKey } from '../scope.js';
import { parseIsoDuration } from './iso-duration.js';
import type {
  Authorization,
  EligibleAuthorization,
  JustInTimeAccessPolicy,
  MarketplacePlan,
  RegistrationAssignment,
  RegistrationDefinition,
} from './model.js';
import { delegatableRoleVerdict, delegationVerdict } from './role-verdict.js';
import type { DelegationRule } from './role-verdict.js';

const CREATE = 'InvalidRegistrationDefinitionCreateRequest';
const ASSIGNMENT_CREATE = 'InvalidRegistrationAssignmentCreateRequest';

/** Bounds of `justInTimeAccessPolicy.maximumActivationDuration`, in seconds (PT30M … PT8H). */
export const MIN_ACTIVATION_SECONDS = 30 * 60;
export const MAX_ACTIVATION_SECONDS = 8 * 60 * 60;
/** At most this many approvers per just-in-time policy. */
export const MAX_APPROVERS = 10;
/** Roles that may never be eligible (just-in-time), in the order the service lists them. */
export const ELIGIBLE_RESTRICTED_ROLES: readonly string[] = [OWNER, USER_ACCESS_ADMINISTRATOR];

/** The writable fields of a registration definition, as a request (or a Partner Center plan) carries them. */
export type RegistrationDefinitionFields = Pick<
  RegistrationDefinition,
  'registrationDefinitionName' | 'description' | 'managedByTenantId' | 'authorizations' | 'eligibleAuthorizations' | 'plan'
>;

/** Finds a role definition by its bare GUID. */
export type RoleLookup = (roleDefinitionId: string) => RoleDefinition | undefined;
/** The type of a managing-tenant principal; undefined when Lantern doesn't know it (a foreign directory). */
export type PrincipalTypeLookup = (principalId: string) => PrincipalType | undefined;

export interface DefinitionValidationInput {
  /** The request scope, e.g. `/subscriptions/{id}`. */
  readonly scope: string;
  /** The definition name from the URL (a GUID). */
  readonly name: string;
  readonly fields: RegistrationDefinitionFields;
  /** The directory the subscription belongs to: the customer. */
  readonly customerTenantId: string;
  /** The stored definition when the PUT updates one. */
  readonly existing?: RegistrationDefinition;
  readonly findRole: RoleLookup;
  readonly principalTypeOf: PrincipalTypeLookup;
}

/** Checks a registration definition create/update against every service rule; throws the first violation. */
export function validateRegistrationDefinition(input: DefinitionValidationInput): void {
  const { fields, name } = input;
  const scope = parseScope(input.scope);
  if (scope.level !== 'subscription') {
    throw invalid(
      'InvalidRegistrationDefinitionUri',
      `The registration definition request scope '${scopeKey(input.scope)}' should be '/subscriptions/<subscriptionId>'.`,
      'scope',
    );
  }
  requireGuid(name, 'name', `The registration definition name '${name}' is not valid: it must be a GUID.`);
  requireGuid(fields.managedByTenantId, 'properties.managedByTenantId', `The managedByTenantId '${fields.managedByTenantId}' is not valid: it must be a tenant GUID.`);
  if (input.existing && !sameId(input.existing.managedByTenantId, fields.managedByTenantId)) {
    throw invalid(
      'RegistrationDefinitionInvalidUpdate',
      `The registration definition '${name}' property ManagedByTenantId not allowed to update.`,
      'properties.managedByTenantId',
    );
  }
  if (sameId(fields.managedByTenantId, input.customerTenantId)) {
    throw invalid(
      CREATE,
      `The managedByTenantId '${fields.managedByTenantId}' is the tenant of subscription '${scope.subscriptionId}': a subscription can't be delegated to its own tenant.`,
      'properties.managedByTenantId',
    );
  }
  if (fields.authorizations.length === 0) {
    throw invalid(CREATE, `The registration definition '${name}' needs at least one authorization.`, 'properties.authorizations');
  }
  fields.authorizations.forEach((a, i) => validateAuthorization(a, `properties.authorizations[${i}]`, input));
  fields.eligibleAuthorizations.forEach((e, i) => validateEligible(e, `properties.eligibleAuthorizations[${i}]`, input));
  requireIdenticalPolicies(fields.eligibleAuthorizations, name);
  if (fields.plan) validatePlan(fields.plan);
}

function validateAuthorization(auth: Authorization, at: string, input: DefinitionValidationInput): void {
  requireGuid(auth.principalId, `${at}.principalId`, `The principalId '${auth.principalId}' is not valid: it must be the object id (GUID) of a user, group or service principal.`);
  const role = requireRole(auth.roleDefinitionId, `${at}.roleDefinitionId`, input);
  const verdict = delegationVerdict(role).authorizations;
  if (!verdict.allowed) throw roleRefused(verdict.rule, role.id, input.name, `${at}.roleDefinitionId`);
  const delegated = auth.delegatedRoleDefinitionIds ?? [];
  if (!verdict.requiresDelegatedRoleDefinitionIds) {
    if (delegated.length > 0) {
      throw invalid(
        CREATE,
        `delegatedRoleDefinitionIds is allowed only with the User Access Administrator role ('${USER_ACCESS_ADMINISTRATOR}'), not with '${role.id}'.`,
        `${at}.delegatedRoleDefinitionIds`,
      );
    }
    return;
  }
  if (delegated.length === 0) {
    throw invalid(
      CREATE,
      `The User Access Administrator authorization needs delegatedRoleDefinitionIds: the roles its holder may assign to managed identities in the customer tenant.`,
      `${at}.delegatedRoleDefinitionIds`,
    );
  }
  delegated.forEach((id, j) => {
    const target = `${at}.delegatedRoleDefinitionIds[${j}]`;
    const delegatedRole = requireRole(id, target, input);
    const v = delegatableRoleVerdict(delegatedRole);
    if (!v.allowed) {
      throw invalid(CREATE, `The role definition '${delegatedRole.id}' is not allowed in delegatedRoleDefinitionIds of registration definition '${input.name}'. ${v.reason}`, target);
    }
  });
}

function validateEligible(eligible: EligibleAuthorization, at: string, input: DefinitionValidationInput): void {
  requireGuid(eligible.principalId, `${at}.principalId`, `The principalId '${eligible.principalId}' is not valid: it must be the object id (GUID) of a user or group.`);
  if (input.principalTypeOf(eligible.principalId) === 'ServicePrincipal') {
    throw invalid(CREATE, `The principal '${eligible.principalId}' is a service principal: eligible authorizations can't be used with service principals.`, `${at}.principalId`);
  }
  const role = requireRole(eligible.roleDefinitionId, `${at}.roleDefinitionId`, input);
  const verdict = delegationVerdict(role).eligible;
  if (!verdict.allowed) {
    const target = `${at}.roleDefinitionId`;
    if (verdict.rule === 'owner' || verdict.rule === 'userAccessAdministrator') {
      throw invalid(
        CREATE,
        `The role definition '${role.id}' is restricted for eligible authorization in registration definition '${input.name}'. Restricted role definitions are '${ELIGIBLE_RESTRICTED_ROLES.join(';')}'.`,
        target,
      );
    }
    throw roleRefused(verdict.rule, role.id, input.name, target);
  }
  validatePolicy(eligible.justInTimeAccessPolicy, `${at}.justInTimeAccessPolicy`, input);
}

function validatePolicy(policy: JustInTimeAccessPolicy, at: string, input: DefinitionValidationInput): void {
  const duration = policy.maximumActivationDuration;
  const seconds = parseIsoDuration(duration);
  if (seconds === undefined) {
    throw invalid(CREATE, `The maximumActivationDuration '${duration}' is not an ISO-8601 duration such as 'PT8H' or 'PT6H30M'.`, `${at}.maximumActivationDuration`);
  }
  if (seconds < MIN_ACTIVATION_SECONDS || seconds > MAX_ACTIVATION_SECONDS) {
    throw invalid(CREATE, `The maximumActivationDuration '${duration}' must be between PT30M and PT8H.`, `${at}.maximumActivationDuration`);
  }
  const approvers = policy.managedByTenantApprovers ?? [];
  if (approvers.length > MAX_APPROVERS) {
    throw invalid(CREATE, `A just-in-time policy allows at most ${MAX_APPROVERS} approvers; this one has ${approvers.length}.`, `${at}.managedByTenantApprovers`);
  }
  approvers.forEach((approver, k) => {
    const target = `${at}.managedByTenantApprovers[${k}].principalId`;
    requireGuid(approver.principalId, target, `The approver principalId '${approver.principalId}' is not valid: it must be the object id (GUID) of a user or group.`);
    if (input.principalTypeOf(approver.principalId) === 'ServicePrincipal') {
      throw invalid(CREATE, `The approver '${approver.principalId}' is a service principal: approvers must be users or groups.`, target);
    }
  });
}

// The service keeps one policy per role, so every eligible authorization of a role must carry the same one.
function requireIdenticalPolicies(eligible: readonly EligibleAuthorization[], definitionName: string): void {
  const first = new Map<string, { index: number; key: string }>();
  eligible.forEach((e, i) => {
    const role = e.roleDefinitionId.toLowerCase();
    const key = policyKey(e.justInTimeAccessPolicy);
    const seen = first.get(role);
    if (!seen) {
      first.set(role, { index: i, key });
    } else if (seen.key !== key) {
      throw invalid(
        CREATE,
        `The eligible authorizations ${seen.index} and ${i} of registration definition '${definitionName}' grant role '${e.roleDefinitionId}' with different justInTimeAccessPolicy; eligible authorizations of the same role must have identical policies.`,
        `properties.eligibleAuthorizations[${i}].justInTimeAccessPolicy`,
      );
    }
  });
}

function policyKey(policy: JustInTimeAccessPolicy): string {
  const approvers = (policy.managedByTenantApprovers ?? []).map((a) => a.principalId.toLowerCase()).sort();
  return JSON.stringify([policy.multiFactorAuthProvider, parseIsoDuration(policy.maximumActivationDuration), approvers]);
}

function validatePlan(plan: MarketplacePlan): void {
  for (const field of ['name', 'publisher', 'product', 'version'] as const) {
    if (plan[field].trim() === '') {
      throw invalid(CREATE, `plan.${field} is required when a plan is given (name, publisher, product and version).`, `plan.${field}`);
    }
  }
}

function requireRole(roleDefinitionId: string, target: string, input: DefinitionValidationInput): RoleDefinition {
  requireGuid(
    roleDefinitionId,
    target,
    `The roleDefinitionId '${roleDefinitionId}' is not valid: it must be the bare GUID of a built-in role (e.g. 'acdd72a7-3385-48ef-bd42-f606fba81ae7'), not a resource id.`,
  );
  const role = input.findRole(roleDefinitionId);
  if (!role) {
    throw invalid(CREATE, `The role definition '${roleDefinitionId}' does not exist. Only built in role definitions are allowed for registration definition '${input.name}'.`, target);
  }
  return role;
}

function roleRefused(rule: DelegationRule, roleId: string, definitionName: string, target: string): DomainError {
  const messages: Record<DelegationRule, string> = {
    customRole: `The role definition '${roleId}' is not a built in role definition and is not allowed for registration definition '${definitionName}'.`,
    owner: `The role definition '${roleId}' is restricted for registration definition '${definitionName}'.`,
    userAccessAdministrator: `The role definition '${roleId}' is restricted for registration definition '${definitionName}'.`,
    deprecated: `The role definition '${roleId}' is deprecated and not allowed for registration definition '${definitionName}'.`,
    dataActions: `The role definition '${roleId}' with data actions not allowed for registration definition '${definitionName}'. Only built in role definitions without any data and notData actions are allowed.`,
    restrictedAction: `The role definition '${roleId}' is not allowed for registration definition '${definitionName}' because of restricted actions.`,
  };
  return invalid(CREATE, messages[rule], target);
}

function requireGuid(value: string, target: string, message: string, code = CREATE): void {
  if (!isGuid(value)) throw invalid(code, message, target);
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Registration assignments

const DEFINITION_ID = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.ManagedServices\/registrationDefinitions\/([^/]+)\/?$/i;

/** The subscription and GUID name of a registration definition's full id; throws when the id is not one. */
export function parseRegistrationDefinitionId(id: string): { subscriptionId: string; name: string } {
  const m = DEFINITION_ID.exec(id);
  if (!m?.[1] || !m[2] || !isGuid(m[2])) {
    throw invalid(
      ASSIGNMENT_CREATE,
      `The registrationDefinitionId '${id}' is not valid: it must be the full id of a registration definition, '/subscriptions/{subscriptionId}/providers/Microsoft.ManagedServices/registrationDefinitions/{guid}'.`,
      'properties.registrationDefinitionId',
    );
  }
  return { subscriptionId: m[1], name: m[2] };
}

export interface AssignmentValidationInput {
  /** `/subscriptions/{id}` or `/subscriptions/{id}/resourceGroups/{rg}`. */
  readonly scope: string;
  /** The assignment name from the URL (a GUID). */
  readonly name: string;
  /** `properties.registrationDefinitionId` as sent: the definition's full id. */
  readonly registrationDefinitionId: string;
  /** The definition that id names (see parseRegistrationDefinitionId), or undefined when there is none. */
  readonly definition: RegistrationDefinition | undefined;
  /** The directory the subscription belongs to: the customer. */
  readonly customerTenantId: string;
  /** The registration assignments already at exactly this scope. */
  readonly assignmentsAtScope: readonly RegistrationAssignment[];
}

/** Checks a registration assignment create/update; returns the definition it delegates. */
export function validateRegistrationAssignment(input: AssignmentValidationInput): RegistrationDefinition {
  const scope = parseScope(input.scope);
  if (scope.level !== 'subscription' && scope.level !== 'resourceGroup') {
    throw invalid(
      'InvalidRegistrationAssignmentUri',
      `The registration assignment request scope '${scopeKey(input.scope)}' should be '/subscriptions/<subscriptionId>' or '/subscriptions/<subscriptionId>/resourceGroups/<resourceGroupName>'.`,
      'scope',
    );
  }
  requireGuid(input.name, 'name', `The registration assignment name '${input.name}' is not valid: it must be a GUID.`, ASSIGNMENT_CREATE);
  const ref = parseRegistrationDefinitionId(input.registrationDefinitionId);
  if (!sameId(ref.subscriptionId, scope.subscriptionId ?? '')) {
    throw invalid(
      ASSIGNMENT_CREATE,
      `The registration definition '${input.registrationDefinitionId}' is not in subscription '${scope.subscriptionId}': an assignment must reference a definition of its own subscription.`,
      'properties.registrationDefinitionId',
    );
  }
  const definition = input.definition;
  if (!definition || !sameId(definition.id, ref.name) || !sameId(definition.subscriptionId, ref.subscriptionId)) {
    throw notFound('RegistrationDefinitionNotFound', `The registration definition '${input.registrationDefinitionId}' could not be found.`);
  }
  if (sameId(definition.managedByTenantId, input.customerTenantId)) {
    throw invalid(
      ASSIGNMENT_CREATE,
      `The registration definition '${definition.id}' is managed by tenant '${definition.managedByTenantId}', the tenant of this subscription: a subscription can't be delegated to its own tenant.`,
      'properties.registrationDefinitionId',
    );
  }
  const clash = input.assignmentsAtScope.find(
    (a) => !sameId(a.id, input.name) && scopeKey(a.scope) === scopeKey(input.scope) && sameId(a.registrationDefinitionId, definition.id),
  );
  if (clash) {
    throw conflict(
      'Conflict',
      `Another registration assignment present at this scope '${scope.id}' for registration definition '${input.registrationDefinitionId.toLowerCase()}'. Multiple registration assignments are not allowed.`,
      'properties.registrationDefinitionId',
    );
  }
  return definition;
}
