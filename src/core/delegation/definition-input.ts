/**
 * Turns the body of `PUT …/registrationDefinitions/{guid}` (any supported api-version) into the
 * fields the registration rules check. Only shape is checked here: types, required fields and what
 * the api-version knows; the values are judged by validateRegistrationDefinition.
 */
import { invalid } from '../errors.js';
import type { Authorization, EligibleApprover, EligibleAuthorization, JustInTimeAccessPolicy, MarketplacePlan } from './model.js';
import type { RegistrationDefinitionFields } from './registration-rules.js';

const CODE = 'InvalidRegistrationDefinitionCreateRequest';

/** The api-versions of Microsoft.ManagedServices, oldest first. */
export const MANAGED_SERVICES_API_VERSIONS: readonly string[] = [
  '2018-06-01-preview',
  '2019-04-01-preview',
  '2019-06-01',
  '2019-09-01',
  '2020-02-01-preview',
  '2022-01-01-preview',
  '2022-10-01',
];

/** The first api-version that knows `eligibleAuthorizations`. */
export const ELIGIBLE_AUTHORIZATIONS_SINCE = '2020-02-01-preview';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when the api-version accepts eligible (just-in-time) authorizations. */
export function supportsEligibleAuthorizations(apiVersion: string): boolean {
  return MANAGED_SERVICES_API_VERSIONS.indexOf(apiVersion) >= MANAGED_SERVICES_API_VERSIONS.indexOf(ELIGIBLE_AUTHORIZATIONS_SINCE);
}

/** Reads a registration definition request body; throws naming the field (e.g. `properties.authorizations[2].roleDefinitionId`). */
export function normalizeDefinitionInput(body: unknown, apiVersion: string): RegistrationDefinitionFields {
  if (!MANAGED_SERVICES_API_VERSIONS.includes(apiVersion)) {
    throw invalid(
      'NoRegisteredProviderFound',
      `The api-version '${apiVersion}' is not supported for type 'registrationDefinitions'. The supported api-versions are '${MANAGED_SERVICES_API_VERSIONS.join(', ')}'.`,
      'api-version',
    );
  }
  if (!isObject(body)) throw invalid(CODE, 'The request body must be a JSON object with `properties`.', '');
  const props = body.properties;
  if (!isObject(props)) throw invalid(CODE, 'properties is required: the registration definition needs managedByTenantId and authorizations.', 'properties');

  const eligibleRaw = props.eligibleAuthorizations ?? [];
  const eligibleAuthorizations = list(eligibleRaw, 'properties.eligibleAuthorizations').map((e, i) =>
    eligibleAuthorization(e, `properties.eligibleAuthorizations[${i}]`),
  );
  if (eligibleAuthorizations.length > 0 && !supportsEligibleAuthorizations(apiVersion)) {
    throw invalid(
      CODE,
      `eligibleAuthorizations is allowed only with api-version ${ELIGIBLE_AUTHORIZATIONS_SINCE} or later; this request uses ${apiVersion}.`,
      'properties.eligibleAuthorizations',
    );
  }
  const plan = body.plan === undefined || body.plan === null ? undefined : marketplacePlan(body.plan);
  return {
    ...optional(props, 'registrationDefinitionName', 'properties'),
    ...optional(props, 'description', 'properties'),
    managedByTenantId: required(props, 'managedByTenantId', 'properties'),
    authorizations: list(props.authorizations, 'properties.authorizations', true).map((a, i) => authorization(a, `properties.authorizations[${i}]`)),
    eligibleAuthorizations,
    ...(plan ? { plan } : {}),
  };
}

function authorization(value: unknown, at: string): Authorization {
  const o = object(value, at);
  const delegated = o.delegatedRoleDefinitionIds;
  return {
    principalId: required(o, 'principalId', at),
    ...optional(o, 'principalIdDisplayName', at),
    roleDefinitionId: required(o, 'roleDefinitionId', at),
    ...(delegated === undefined || delegated === null
      ? {}
      : { delegatedRoleDefinitionIds: list(delegated, `${at}.delegatedRoleDefinitionIds`).map((id, j) => string(id, `${at}.delegatedRoleDefinitionIds[${j}]`)) }),
  };
}

function eligibleAuthorization(value: unknown, at: string): EligibleAuthorization {
  const o = object(value, at);
  const policy = o.justInTimeAccessPolicy;
  return {
    principalId: required(o, 'principalId', at),
    ...optional(o, 'principalIdDisplayName', at),
    roleDefinitionId: required(o, 'roleDefinitionId', at),
    // The swagger defaults: no MFA, eight hours.
    justInTimeAccessPolicy:
      policy === undefined || policy === null
        ? { multiFactorAuthProvider: 'None', maximumActivationDuration: 'PT8H' }
        : justInTimePolicy(policy, `${at}.justInTimeAccessPolicy`),
  };
}

function justInTimePolicy(value: unknown, at: string): JustInTimeAccessPolicy {
  const o = object(value, at);
  const mfa = required(o, 'multiFactorAuthProvider', at);
  // ARM enums match without regard to case; store the canonical spelling.
  const provider = (['Azure', 'None'] as const).find((p) => p.toLowerCase() === mfa.toLowerCase());
  if (!provider) {
    throw invalid(CODE, `${at}.multiFactorAuthProvider must be 'Azure' or 'None', got '${mfa}'.`, `${at}.multiFactorAuthProvider`);
  }
  const approvers = o.managedByTenantApprovers;
  return {
    multiFactorAuthProvider: provider,
    maximumActivationDuration: o.maximumActivationDuration === undefined || o.maximumActivationDuration === null ? 'PT8H' : string(o.maximumActivationDuration, `${at}.maximumActivationDuration`),
    ...(approvers === undefined || approvers === null
      ? {}
      : { managedByTenantApprovers: list(approvers, `${at}.managedByTenantApprovers`).map((a, k) => approver(a, `${at}.managedByTenantApprovers[${k}]`)) }),
  };
}

function approver(value: unknown, at: string): EligibleApprover {
  const o = object(value, at);
  return { principalId: required(o, 'principalId', at), ...optional(o, 'principalIdDisplayName', at) };
}

function marketplacePlan(value: unknown): MarketplacePlan {
  const o = object(value, 'plan');
  return { name: required(o, 'name', 'plan'), publisher: required(o, 'publisher', 'plan'), product: required(o, 'product', 'plan'), version: required(o, 'version', 'plan') };
}

function object(value: unknown, at: string): Json {
  if (!isObject(value)) throw invalid(CODE, `${at} must be a JSON object.`, at);
  return value;
}

function list(value: unknown, at: string, isRequired = false): unknown[] {
  if (value === undefined || value === null) {
    if (isRequired) throw invalid(CODE, `${at} is required.`, at);
    return [];
  }
  if (!Array.isArray(value)) throw invalid(CODE, `${at} must be an array.`, at);
  return value;
}

function string(value: unknown, at: string): string {
  if (typeof value !== 'string') throw invalid(CODE, `${at} must be a string.`, at);
  return value;
}

function required(o: Json, key: string, at: string): string {
  const value = o[key];
  if (value === undefined || value === null || value === '') throw invalid(CODE, `${at}.${key} is required.`, `${at}.${key}`);
  return string(value, `${at}.${key}`);
}

function optional<K extends string>(o: Json, key: K, at: string): Partial<Record<K, string>> {
  const value = o[key];
  if (value === undefined || value === null) return {};
  return { [key]: string(value, `${at}.${key}`) } as Partial<Record<K, string>>;
}
