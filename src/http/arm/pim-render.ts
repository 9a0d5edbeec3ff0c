/**
 * PIM resources as ARM returns them (azure-rest-api-specs, Microsoft.Authorization 2020-10-01 and
 * 2021-01-01-preview examples): ids under the scope, full role definition ids, expandedProperties.
 */
import type { EligibleActivation } from '../../core/delegation/model.js';
import type { Eligibility } from '../../core/delegation/activation-rules.js';
import { parseScope } from '../../core/scope.js';
import type { ActivationRequest, ApprovalStage, Expanded, WithExpanded } from '../../services/delegation/activation-service.js';

const PROVIDER = 'providers/Microsoft.Authorization';

/** The role definition id under the scope's subscription, as ARM writes it in PIM answers. */
function roleDefinitionResourceId(scope: string, roleDefinitionId: string): string {
  const subscriptionId = parseScope(scope).subscriptionId;
  return `${subscriptionId === undefined ? '' : `/subscriptions/${subscriptionId}`}/${PROVIDER}/roleDefinitions/${roleDefinitionId}`;
}

function expandedProperties(scope: string, e: Expanded) {
  return { ...e, roleDefinition: { ...e.roleDefinition, id: roleDefinitionResourceId(scope, e.roleDefinition.id) } };
}

const eligibilityScheduleId = (e: { scope: string; eligibilityId: string }) => `${e.scope}/${PROVIDER}/RoleEligibilitySchedules/${e.eligibilityId}`;
const assignmentScheduleId = (scope: string, activationId: string) => `${scope}/${PROVIDER}/roleAssignmentSchedules/${activationId}`;
const approvalResourceId = (approvalId: string) => `/${PROVIDER}/roleAssignmentApprovals/${approvalId}`;

/** A roleAssignmentScheduleRequest. */
export function renderScheduleRequest(r: WithExpanded<ActivationRequest>) {
  const activation = r.activation;
  return {
    id: `${r.scope}/${PROVIDER}/RoleAssignmentScheduleRequests/${r.id}`,
    name: r.id,
    type: 'Microsoft.Authorization/RoleAssignmentScheduleRequests',
    properties: {
      scope: r.scope,
      roleDefinitionId: roleDefinitionResourceId(r.scope, r.roleDefinitionId),
      principalId: r.principalId,
      principalType: 'User',
      requestType: r.requestType,
      status: r.status,
      approvalId: r.approval ? approvalResourceId(r.approval.id) : null,
      targetRoleAssignmentScheduleId: activation ? assignmentScheduleId(r.scope, activation.id) : null,
      targetRoleAssignmentScheduleInstanceId: activation ? `${r.scope}/${PROVIDER}/roleAssignmentScheduleInstances/${activation.id}` : null,
      scheduleInfo: {
        startDateTime: activation?.startsAt ?? r.startDateTime,
        expiration: r.requestType === 'SelfActivate' ? { type: 'AfterDuration', endDateTime: activation?.endsAt ?? null, duration: r.duration } : { type: 'AfterDuration', endDateTime: null, duration: null },
      },
      linkedRoleEligibilityScheduleId: r.eligibilityId ? eligibilityScheduleId(r) : null,
      justification: r.justification === '' ? null : r.justification,
      ticketInfo: { ticketNumber: r.ticketInfo?.ticketNumber ?? null, ticketSystem: r.ticketInfo?.ticketSystem ?? null },
      requestorId: r.requestorId,
      createdOn: r.createdOn,
      expandedProperties: expandedProperties(r.scope, r.expanded),
    },
  };
}

/** A roleEligibilityScheduleInstance: one eligible authorization at its delegation's scope, permanent while the delegation lasts. */
export function renderEligibilityInstance(e: WithExpanded<Eligibility & { memberType: 'Direct' | 'Group' }>) {
  return {
    id: `${e.scope}/${PROVIDER}/RoleEligibilityScheduleInstances/${e.id}`,
    name: e.id,
    type: 'Microsoft.Authorization/RoleEligibilityScheduleInstances',
    properties: {
      scope: e.scope,
      roleDefinitionId: roleDefinitionResourceId(e.scope, e.roleDefinitionId),
      principalId: e.principalId,
      principalType: e.expanded.principal.type,
      status: 'Provisioned',
      roleEligibilityScheduleId: eligibilityScheduleId({ scope: e.scope, eligibilityId: e.id }),
      startDateTime: e.startDateTime,
      endDateTime: null,
      memberType: e.memberType,
      createdOn: e.startDateTime,
      expandedProperties: expandedProperties(e.scope, e.expanded),
    },
  };
}

/** A roleAssignmentScheduleInstance: an activation inside its window. */
export function renderAssignmentInstance(a: WithExpanded<EligibleActivation & { scope: string }>) {
  return {
    id: `${a.scope}/${PROVIDER}/roleAssignmentScheduleInstances/${a.id}`,
    name: a.id,
    type: 'Microsoft.Authorization/roleAssignmentScheduleInstances',
    properties: {
      scope: a.scope,
      roleDefinitionId: roleDefinitionResourceId(a.scope, a.roleDefinitionId),
      principalId: a.principalId,
      principalType: 'User',
      roleAssignmentScheduleId: assignmentScheduleId(a.scope, a.id),
      originRoleAssignmentId: a.id,
      status: 'Provisioned',
      startDateTime: a.startsAt,
      endDateTime: a.endsAt,
      assignmentType: 'Activated',
      memberType: 'Direct',
      createdOn: a.startsAt,
      expandedProperties: expandedProperties(a.scope, a.expanded),
    },
  };
}

/** One stage of an approval; `assignedToMe` when the viewer may review it. */
export function renderStage(approvalId: string, stage: ApprovalStage, assignedToMe: boolean) {
  return {
    id: `${approvalResourceId(approvalId)}/stages/${stage.id}`,
    type: 'Microsoft.Authorization/roleAssignmentApprovals/stages',
    name: stage.id,
    properties: {
      displayName: 'Approval by the managing tenant',
      status: stage.status,
      assignedToMe,
      reviewedBy: stage.reviewedBy ? { principalType: 'user', ...stage.reviewedBy } : null,
      reviewedDateTime: stage.reviewedDateTime ?? null,
      reviewResult: stage.reviewResult,
      justification: stage.justification ?? '',
    },
  };
}

/** A roleAssignmentApproval with its one stage. */
export function renderApproval(r: ActivationRequest, assignedToMe: boolean) {
  const approval = r.approval as NonNullable<ActivationRequest['approval']>;
  return {
    id: approvalResourceId(approval.id),
    type: 'Microsoft.Authorization/roleAssignmentApprovals',
    name: approval.id,
    properties: { stages: [renderStage(approval.id, approval.stage, assignedToMe)] },
  };
}
