/**
 * Just-in-time activation of an eligible authorization (lighthouse.md §3.3) in Azure PIM's terms:
 * which eligibilities a delegation creates, who holds them, how long an activation may last, what
 * it must carry (justification, a second factor), and who may approve it.
 */
import { createHash } from 'node:crypto';
import { DomainError, assertThat, invalid } from '../errors.js';
import { scopeKey } from '../scope.js';
import { parseIsoDuration } from './iso-duration.js';
import type { JustInTimeAccessPolicy, RegistrationAssignment, RegistrationDefinition } from './model.js';

/** The longest justification an activation request may carry. */
export const MAX_JUSTIFICATION = 500;

/** One eligible authorization of a delegation at the scope of one of its registration assignments (a PIM eligibility schedule). */
export interface Eligibility {
  /** Stable GUID of this eligibility: the eligibility schedule (instance) name. */
  readonly id: string;
  /** The registration assignment's scope, where an activation grants the role. */
  readonly scope: string;
  readonly registrationAssignmentId: string;
  readonly registrationDefinitionId: string;
  readonly managedByTenantId: string;
  /** The eligible user or group (lower case). */
  readonly principalId: string;
  readonly principalIdDisplayName?: string;
  /** Bare role definition GUID (lower case). */
  readonly roleDefinitionId: string;
  readonly policy: JustInTimeAccessPolicy;
  /** When the delegation was made: the eligibility's start. */
  readonly startDateTime: string;
}

// A name-based GUID (SHA-1, version 5 layout), so an eligibility keeps its id across reads.
function guidOf(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The eligibilities a registration assignment of `definition` creates, one per eligible authorization. */
export function eligibilitiesOf(definition: RegistrationDefinition, assignment: RegistrationAssignment): Eligibility[] {
  return definition.eligibleAuthorizations.map((e) => {
    const principalId = e.principalId.toLowerCase();
    const roleDefinitionId = e.roleDefinitionId.toLowerCase();
    return {
      id: guidOf(`${scopeKey(assignment.scope)}|${assignment.id.toLowerCase()}|${principalId}|${roleDefinitionId}`),
      scope: assignment.scope,
      registrationAssignmentId: assignment.id,
      registrationDefinitionId: definition.id,
      managedByTenantId: definition.managedByTenantId.toLowerCase(),
      principalId,
      ...(e.principalIdDisplayName !== undefined ? { principalIdDisplayName: e.principalIdDisplayName } : {}),
      roleDefinitionId,
      policy: e.justInTimeAccessPolicy,
      startDateTime: assignment.createdAt,
    };
  });
}

/**
 * Whether a principal of `callerTenantId`, known by itself and its groups (`identities`, lower
 * case), holds `eligibility`: only principals of the managing tenant are eligible.
 */
export function holdsEligibility(eligibility: Eligibility, callerTenantId: string, identities: ReadonlySet<string>): boolean {
  return eligibility.managedByTenantId === callerTenantId.toLowerCase() && identities.has(eligibility.principalId);
}

/** PIM's refusal of a request that breaks a rule of the role's policy (`ExpirationRule`, `JustificationRule`, `MfaRule`). */
export function policyRuleFailed(rule: string, detail: string, field: string): DomainError {
  return invalid('RoleAssignmentRequestPolicyValidationFailed', `The following policy rules failed: ["${rule}"]. ${detail}`, field);
}

/** What an activation asks for: a duration (ISO-8601, default the policy maximum) or an end time, and a justification. */
export interface ActivationAsk {
  readonly duration?: string;
  /** The requested start (epoch ms); the end of an `AfterDateTime` expiration is measured from it. */
  readonly startsAt: number;
  readonly endsAt?: number;
  readonly expirationType?: string;
  readonly justification?: string;
}

/** Checks an activation against its policy; returns its length in seconds, the duration as ISO text, and the trimmed justification. */
export function validateActivation(policy: JustInTimeAccessPolicy, ask: ActivationAsk): { seconds: number; duration: string; justification: string } {
  const maximum = parseIsoDuration(policy.maximumActivationDuration) ?? 0;
  const field = 'properties.scheduleInfo.expiration';
  if (ask.expirationType === 'NoExpiration') {
    throw policyRuleFailed('ExpirationRule', `An activation must expire: the eligible authorization's justInTimeAccessPolicy allows at most '${policy.maximumActivationDuration}'.`, `${field}.type`);
  }
  let seconds: number | undefined;
  let duration: string;
  if (ask.expirationType === 'AfterDateTime') {
    assertThat(ask.endsAt !== undefined, () => invalid('InvalidRequestContent', `An 'AfterDateTime' expiration needs ${field}.endDateTime.`, `${field}.endDateTime`));
    seconds = Math.floor((ask.endsAt - ask.startsAt) / 1000);
    duration = `PT${seconds}S`;
  } else {
    duration = ask.duration ?? policy.maximumActivationDuration;
    seconds = parseIsoDuration(duration);
  }
  assertThat(seconds !== undefined && seconds > 0, () =>
    invalid('InvalidRequestContent', `The expiration '${duration}' is not an ISO-8601 duration greater than zero (e.g. 'PT1H').`, `${field}.duration`),
  );
  assertThat(seconds <= maximum, () =>
    policyRuleFailed('ExpirationRule', `The requested duration '${duration}' is longer than the eligible authorization's maximumActivationDuration '${policy.maximumActivationDuration}'.`, `${field}.duration`),
  );
  const justification = (ask.justification ?? '').trim();
  assertThat(justification.length > 0 && justification.length <= MAX_JUSTIFICATION, () =>
    policyRuleFailed('JustificationRule', `A justification of 1 to ${MAX_JUSTIFICATION} characters is required.`, 'properties.justification'),
  );
  return { seconds, duration, justification };
}

/**
 * Refuses an activation under a policy with `multiFactorAuthProvider: Azure` unless the caller's
 * sign-in (the token's `amr` claim) included multi-factor authentication.
 */
export function assertSecondFactor(policy: JustInTimeAccessPolicy, authenticationMethods: readonly string[] | undefined): void {
  if (policy.multiFactorAuthProvider !== 'Azure' || (authenticationMethods ?? []).includes('mfa')) return;
  throw policyRuleFailed(
    'MfaRule',
    "The eligible authorization's justInTimeAccessPolicy requires multi-factor authentication (multiFactorAuthProvider 'Azure'), and the access token's 'amr' claim does not contain 'mfa'. Sign in again with a second factor and retry.",
    'authorization',
  );
}

/** Refuses a decision by the requester or by someone who is not (through a group) an approver. */
export function assertMayDecide(
  request: { readonly id: string; readonly principalId: string; readonly approvers: readonly string[] },
  decider: { readonly objectId: string; readonly name: string; readonly identities: ReadonlySet<string> },
): void {
  const own = request.principalId === decider.objectId.toLowerCase();
  if (own || !request.approvers.some((a) => decider.identities.has(a))) {
    throw new DomainError(
      'forbidden',
      'AuthorizationFailed',
      own
        ? 'An approver cannot approve their own activation request.'
        : `The client '${decider.name}' with object id '${decider.objectId}' is not an approver of activation request '${request.id}'.`,
    );
  }
}

/** The PIM list filters Lantern answers; `atScope()` and no filter list everything at the scope. */
export type PimFilter = 'asTarget' | 'asRequestor' | 'asApprover' | 'atScope';

const PIM_FILTER = /^\s*(asTarget|asRequestor|asApprover|atScope)\(\)\s*$/i;

/** Parses a PIM `$filter` (`asTarget()`, `asRequestor()`, `asApprover()`, `atScope()`); undefined when absent. */
export function parsePimFilter(filter: string | undefined): PimFilter | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const m = PIM_FILTER.exec(filter);
  if (!m) throw invalid('InvalidFilter', `The filter '${filter}' is not supported: use asTarget(), asRequestor(), asApprover() or atScope().`, '$filter');
  const name = (m[1] as string).toLowerCase();
  return (['asTarget', 'asRequestor', 'asApprover', 'atScope'] as const).find((f) => f.toLowerCase() === name);
}
