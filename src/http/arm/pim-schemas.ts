/**
 * TypeBox schemas of Microsoft.Authorization's PIM surface for eligible authorizations: role
 * assignment schedule requests, role eligibility and assignment schedule instances (2020-10-01)
 * and role assignment approvals (2021-01-01-preview), in the shapes of azure-rest-api-specs.
 */
import Type from 'typebox';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const ExpandedPropertiesSchema = Type.Object({
  scope: Type.Object({ id: Type.String(), displayName: Type.String(), type: Type.String() }),
  roleDefinition: Type.Object({ id: Type.String(), displayName: Type.String(), type: Type.String() }),
  principal: Type.Object({ id: Type.String(), displayName: Type.String(), email: Type.Optional(Type.String()), type: Type.String() }),
});

const ScheduleInfoSchema = Type.Object({
  startDateTime: Nullable(Type.String()),
  expiration: Type.Object({ type: Type.String(), endDateTime: Nullable(Type.String()), duration: Nullable(Type.String()) }),
});

const TicketInfoSchema = Type.Object({ ticketNumber: Nullable(Type.String()), ticketSystem: Nullable(Type.String()) });

// A PIM resource: ARM's envelope around the fields every PIM item shares and its own.
function pimResource<T extends Type.TProperties>(own: T) {
  return Type.Object({
    id: Type.String(),
    name: Type.String(),
    type: Type.String(),
    properties: Type.Object({
      scope: Type.String(),
      roleDefinitionId: Type.String(),
      principalId: Type.String(),
      principalType: Type.String(),
      ...own,
      expandedProperties: ExpandedPropertiesSchema,
    }),
  });
}

/** The body of `PUT {scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/{name}`. */
export const ScheduleRequestBody = Type.Object({
  properties: Type.Object({
    principalId: Type.String({ description: "The caller's own object id." }),
    roleDefinitionId: Type.String({ description: 'A role definition resource id or GUID.' }),
    requestType: Type.String({ description: '`SelfActivate` or `SelfDeactivate`.' }),
    justification: Type.Optional(Type.String()),
    linkedRoleEligibilityScheduleId: Type.Optional(Type.String()),
    scheduleInfo: Type.Optional(
      Type.Object({
        startDateTime: Type.Optional(Nullable(Type.String())),
        expiration: Type.Optional(
          Type.Object({
            type: Type.Optional(Type.String({ description: '`AfterDuration` (default) or `AfterDateTime`; `NoExpiration` is refused.' })),
            duration: Type.Optional(Nullable(Type.String({ description: 'ISO-8601, at most the policy maximumActivationDuration.' }))),
            endDateTime: Type.Optional(Nullable(Type.String())),
          }),
        ),
      }),
    ),
    ticketInfo: Type.Optional(Type.Object({ ticketNumber: Type.Optional(Nullable(Type.String())), ticketSystem: Type.Optional(Nullable(Type.String())) })),
    targetRoleAssignmentScheduleId: Type.Optional(Nullable(Type.String())),
    targetRoleAssignmentScheduleInstanceId: Type.Optional(Nullable(Type.String())),
    condition: Type.Optional(Nullable(Type.String())),
    conditionVersion: Type.Optional(Nullable(Type.String())),
  }),
});

export const ScheduleRequestSchema = pimResource({
  requestType: Type.String(),
  status: Type.String(),
  approvalId: Nullable(Type.String()),
  targetRoleAssignmentScheduleId: Nullable(Type.String()),
  targetRoleAssignmentScheduleInstanceId: Nullable(Type.String()),
  scheduleInfo: ScheduleInfoSchema,
  linkedRoleEligibilityScheduleId: Nullable(Type.String()),
  justification: Nullable(Type.String()),
  ticketInfo: TicketInfoSchema,
  requestorId: Type.String(),
  createdOn: Type.String(),
});

export const EligibilityInstanceSchema = pimResource({
  status: Type.String(),
  roleEligibilityScheduleId: Type.String(),
  startDateTime: Type.String(),
  endDateTime: Nullable(Type.String()),
  memberType: Type.String(),
  createdOn: Type.String(),
});

export const AssignmentInstanceSchema = pimResource({
  roleAssignmentScheduleId: Type.String(),
  originRoleAssignmentId: Type.String(),
  status: Type.String(),
  startDateTime: Type.String(),
  endDateTime: Type.String(),
  assignmentType: Type.String(),
  memberType: Type.String(),
  createdOn: Type.String(),
});

const StageProperties = Type.Object({
  displayName: Type.String(),
  status: Type.String(),
  assignedToMe: Type.Boolean(),
  reviewedBy: Nullable(Type.Object({ principalType: Type.String(), principalId: Type.String(), principalName: Type.String(), userPrincipalName: Type.Optional(Type.String()) })),
  reviewedDateTime: Nullable(Type.String()),
  reviewResult: Type.String(),
  justification: Type.String(),
});

export const ApprovalStageSchema = Type.Object({ id: Type.String(), type: Type.String(), name: Type.String(), properties: StageProperties });

export const ApprovalSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  name: Type.String(),
  properties: Type.Object({ stages: Type.Array(ApprovalStageSchema) }),
});

const ReviewProperties = Type.Object({
  reviewResult: Type.String({ description: '`Approve` or `Deny`.' }),
  justification: Type.Optional(Type.String()),
});

/** A stage review: `{ properties: { reviewResult, justification } }` as the examples send it, or the properties alone as the spec's body parameter declares. */
export const StageReviewBody = Type.Union([Type.Object({ properties: ReviewProperties }), ReviewProperties]);

export const ApprovalParams = Type.Object({ approvalId: Type.String() });
export const StageParams = Type.Object({ approvalId: Type.String(), stageId: Type.String() });
