/**
 * The just-in-time calls My roles makes, as any PIM client makes them (docs/api.md "Just-in-time
 * access"): the caller's eligibilities, activations, requests and the approvals waiting for it, all at
 * `/`; the policy of each eligibility from its delegation (Microsoft.ManagedServices).
 */
import { API_VERSIONS, getAll, getJson, sendJson } from '../../../api.ts';

const AUTH = 'providers/Microsoft.Authorization';
const PIM = `api-version=${API_VERSIONS.pim}`;

interface Expanded {
  readonly scope: { readonly id: string; readonly displayName: string; readonly type: string };
  readonly roleDefinition: { readonly id: string; readonly displayName: string };
  readonly principal: { readonly id: string; readonly displayName: string; readonly type: string };
}

export interface Eligibility {
  readonly id: string;
  readonly properties: {
    readonly scope: string;
    readonly roleDefinitionId: string;
    readonly principalId: string;
    readonly memberType: string;
    readonly roleEligibilityScheduleId: string;
    readonly expandedProperties: Expanded;
  };
}

export interface ActiveAssignment {
  readonly id: string;
  readonly properties: { readonly scope: string; readonly roleDefinitionId: string; readonly startDateTime: string; readonly endDateTime: string; readonly expandedProperties: Expanded };
}

export interface ScheduleRequest {
  readonly id: string;
  readonly name: string;
  readonly properties: {
    readonly scope: string;
    readonly roleDefinitionId: string;
    readonly requestType: string;
    readonly status: string;
    readonly approvalId: string | null;
    readonly justification: string | null;
    readonly createdOn: string;
    readonly scheduleInfo: { readonly startDateTime: string | null; readonly expiration: { readonly duration: string | null; readonly endDateTime: string | null } };
    readonly expandedProperties: Expanded;
  };
}

/** An eligible authorization's just-in-time policy, as its registration definition states it. */
export interface JustInTimePolicy {
  readonly multiFactorAuthProvider: string;
  readonly maximumActivationDuration: string;
  readonly managedByTenantApprovers?: readonly { readonly principalId: string; readonly principalIdDisplayName?: string }[];
}

interface RegistrationAssignment {
  readonly properties: {
    readonly registrationDefinition?: {
      readonly properties: {
        readonly managedByTenantName?: string;
        readonly manageeTenantId?: string;
        readonly manageeTenantName?: string;
        readonly eligibleAuthorizations?: readonly { readonly principalId: string; readonly roleDefinitionId: string; readonly justInTimeAccessPolicy?: JustInTimePolicy }[];
      };
    };
  };
}

export function listEligibilities(signal: AbortSignal): Promise<Eligibility[]> {
  return getAll<Eligibility>(`/${AUTH}/roleEligibilityScheduleInstances?$filter=asTarget()&${PIM}`, signal);
}

export function listActiveAssignments(signal: AbortSignal): Promise<ActiveAssignment[]> {
  return getAll<ActiveAssignment>(`/${AUTH}/roleAssignmentScheduleInstances?$filter=asTarget()&${PIM}`, signal);
}

/** The caller's own requests (`asRequestor`) or those waiting for its approval (`asApprover`). */
export function listRequests(filter: 'asRequestor' | 'asApprover', signal: AbortSignal): Promise<ScheduleRequest[]> {
  return getAll<ScheduleRequest>(`/${AUTH}/roleAssignmentScheduleRequests?$filter=${filter}()&${PIM}`, signal);
}

const roleGuid = (roleDefinitionId: string) => roleDefinitionId.split('/').pop()!.toLowerCase();

export interface PolicyAndDirectory {
  readonly policy: JustInTimePolicy;
  readonly directoryName?: string;
}

/** The policy of `eligibility`, read from the delegation at its scope; undefined when no delegation there grants it. */
export async function policyOf(eligibility: Eligibility, signal: AbortSignal): Promise<PolicyAndDirectory | undefined> {
  const { scope, principalId, roleDefinitionId } = eligibility.properties;
  const assignments = await getAll<RegistrationAssignment>(`${scope}/providers/Microsoft.ManagedServices/registrationAssignments?$expandRegistrationDefinition=true&api-version=${API_VERSIONS.managedServices}`, signal);
  for (const assignment of assignments) {
    const definition = assignment.properties.registrationDefinition?.properties;
    const match = definition?.eligibleAuthorizations?.find((e) => e.principalId.toLowerCase() === principalId.toLowerCase() && roleGuid(e.roleDefinitionId) === roleGuid(roleDefinitionId));
    if (match?.justInTimeAccessPolicy) return { policy: match.justInTimeAccessPolicy, ...(definition?.manageeTenantName ? { directoryName: definition.manageeTenantName } : {}) };
  }
  return undefined;
}

/** Activates `eligibility` for the signed-in user (`principalId`) for `duration` (ISO 8601). */
export async function activate(eligibility: Eligibility, principalId: string, justification: string, duration: string): Promise<ScheduleRequest> {
  const { scope, roleDefinitionId, roleEligibilityScheduleId } = eligibility.properties;
  const body = {
    properties: {
      principalId, roleDefinitionId, requestType: 'SelfActivate', justification, linkedRoleEligibilityScheduleId: roleEligibilityScheduleId,
      scheduleInfo: { expiration: { type: 'AfterDuration', duration } },
    },
  };
  return (await sendJson<ScheduleRequest>('PUT', `${scope}/${AUTH}/roleAssignmentScheduleRequests/${crypto.randomUUID()}?${PIM}`, body))!;
}

/** Ends an activation now (SelfDeactivate). */
export async function deactivate(active: ActiveAssignment, principalId: string): Promise<void> {
  const { scope, roleDefinitionId } = active.properties;
  await sendJson('PUT', `${scope}/${AUTH}/roleAssignmentScheduleRequests/${crypto.randomUUID()}?${PIM}`, { properties: { principalId, roleDefinitionId, requestType: 'SelfDeactivate' } });
}

/** Withdraws the caller's pending request. */
export async function cancelRequest(request: ScheduleRequest): Promise<void> {
  await sendJson('POST', `${request.properties.scope}/${AUTH}/roleAssignmentScheduleRequests/${request.name}/cancel?${PIM}`);
}

/** Approves or denies the request's approval stage with the approver's reason. */
export async function review(request: ScheduleRequest, reviewResult: 'Approve' | 'Deny', justification: string): Promise<void> {
  const approvals = `api-version=${API_VERSIONS.approvals}`;
  const approval = await getJson<{ properties: { stages: { id: string }[] } }>(`${request.properties.approvalId!}?${approvals}`);
  await sendJson('PUT', `${approval.properties.stages[0]!.id}?${approvals}`, { properties: { reviewResult, justification } });
}
