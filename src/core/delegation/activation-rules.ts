/**
 * Just-in-time activation of an eligible authorization (lighthouse.md §3.3): who is eligible, how
 * long an activation may last, what it must say, and who may approve it.
 */
import { DomainError, assertThat, invalid } from '../errors.js';
import { parseIsoDuration } from './iso-duration.js';
import type { EligibleAuthorization, JustInTimeAccessPolicy, RegistrationDefinition } from './model.js';

/** The longest justification an activation request may carry. */
export const MAX_JUSTIFICATION = 500;

/**
 * The eligible authorization that lets a principal of `callerTenantId` (known by itself and its
 * groups, `identities`, lower case) activate `roleDefinitionId`, if any.
 */
export function eligibleAuthorizationFor(
  definition: RegistrationDefinition,
  callerTenantId: string,
  roleDefinitionId: string,
  identities: ReadonlySet<string>,
): EligibleAuthorization | undefined {
  if (definition.managedByTenantId.toLowerCase() !== callerTenantId.toLowerCase()) return undefined;
  return definition.eligibleAuthorizations.find((e) => e.roleDefinitionId.toLowerCase() === roleDefinitionId.toLowerCase() && identities.has(e.principalId.toLowerCase()));
}

/** Checks a request against its policy: duration up to the policy maximum (default: the maximum), a justification of 1–500 characters. */
export function validateActivationRequest(policy: JustInTimeAccessPolicy, input: { duration?: string; justification: string }): { duration: string; seconds: number; justification: string } {
  const maximum = parseIsoDuration(policy.maximumActivationDuration) ?? 0;
  const duration = input.duration ?? policy.maximumActivationDuration;
  const seconds = parseIsoDuration(duration);
  assertThat(seconds !== undefined && seconds > 0 && seconds <= maximum, () =>
    invalid('InvalidActivationDuration', `The duration '${duration}' must be an ISO-8601 duration greater than zero and at most the policy's maximumActivationDuration '${policy.maximumActivationDuration}'.`, 'duration'),
  );
  const justification = input.justification.trim();
  assertThat(justification.length > 0 && justification.length <= MAX_JUSTIFICATION, () =>
    invalid('InvalidJustification', `A justification of 1 to ${MAX_JUSTIFICATION} characters is required.`, 'justification'),
  );
  return { duration, seconds, justification };
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
