/**
 * Just-in-time activation of eligible authorizations (lighthouse.md §3.3): a managing-tenant user
 * who is eligible for a role through a delegation asks for it for a while, with a justification;
 * with approvers on the policy the request waits for one of them (never the requester), otherwise
 * it is active at once. Active windows are stored and fed to the decision engine, which grants the
 * role only inside them.
 *
 * MFA: a policy with `multiFactorAuthProvider: Azure` is recorded on the request (`mfaRequired`).
 * Lantern's token service issues no `amr` claim, so the second factor is noted, not verified.
 */
import type { EligibleActivation } from '../../core/delegation/model.js';
import { parseIsoDuration } from '../../core/delegation/iso-duration.js';
import { assertMayDecide, eligibleAuthorizationFor, validateActivationRequest } from '../../core/delegation/activation-rules.js';
import { DomainError, assertThat, conflict, notFound } from '../../core/errors.js';
import type { Caller } from '../../core/identity/model.js';
import { parseScope, scopeKey } from '../../core/scope.js';
import type { Store } from '../../storage/port.js';
import type { ActivityService } from '../activity/activity-service.js';
import type { AccessService } from '../authorization/access-service.js';
import type { Clock, IdGenerator, RequestContext } from '../context.js';
import { assignmentResourceId } from './delegation-service.js';

const COLLECTION = 'eligibleActivationRequests';

export type ActivationStatus = 'PendingApproval' | 'Active' | 'Denied';

export interface ActivationRequest {
  readonly id: string;
  readonly status: ActivationStatus;
  readonly principalId: string;
  readonly managedByTenantId: string;
  readonly assignmentScope: string;
  readonly registrationAssignmentId: string;
  readonly roleDefinitionId: string;
  /** ISO-8601 duration asked for; at most the policy's maximumActivationDuration. */
  readonly duration: string;
  readonly justification: string;
  readonly mfaRequired: boolean;
  /** Principal ids (users or groups) that may approve; empty for self-activation. */
  readonly approvers: readonly string[];
  readonly requestedAt: string;
  readonly decidedBy?: string;
  readonly decidedAt?: string;
  readonly activation?: EligibleActivation;
}

export interface NewActivationRequest {
  /** The registration assignment's scope and name. */
  readonly scope: string;
  readonly registrationAssignmentId: string;
  readonly roleDefinitionId: string;
  /** Defaults to the policy maximum. */
  readonly duration?: string;
  readonly justification: string;
}

function requireUser(ctx: RequestContext): Caller {
  const caller = ctx.caller;
  assertThat(caller !== 'system' && caller.principalType === 'User', () =>
    new DomainError('forbidden', 'EligibleActivationNotAllowed', 'Only users activate eligible authorizations; service principals and the operator cannot.'),
  );
  return caller;
}

/** Creates the activation service. */
export function createActivationService(deps: { store: Store; access: AccessService; activity: ActivityService; clock: Clock; ids: IdGenerator }) {
  const { store, access, activity, clock, ids } = deps;
  const engine = access.engine;
  const identitiesOf = (principalId: string) => new Set([principalId.toLowerCase(), ...[...engine.groups.groupsOf(principalId.toLowerCase())].map((g) => g.toLowerCase())]);

  async function activate(ctx: RequestContext, request: ActivationRequest, decidedBy?: string): Promise<ActivationRequest> {
    const now = clock.now();
    const seconds = parseIsoDuration(request.duration) ?? 0;
    const activation: EligibleActivation = {
      id: ids.guid(),
      registrationAssignmentId: request.registrationAssignmentId,
      assignmentScope: request.assignmentScope,
      principalId: request.principalId,
      roleDefinitionId: request.roleDefinitionId,
      managedByTenantId: request.managedByTenantId,
      startsAt: now.toISOString(),
      endsAt: new Date(now.getTime() + seconds * 1000).toISOString(),
      justification: request.justification,
      ...(decidedBy ? { approvedBy: decidedBy } : {}),
    };
    const active: ActivationRequest = { ...request, status: 'Active', activation, ...(decidedBy ? { decidedBy, decidedAt: now.toISOString() } : {}) };
    await store.transaction(async (tx) => {
      await tx.delegation.putActivation(activation);
      await tx.documents.put(COLLECTION, active.id, active.managedByTenantId, active);
      await activity.recordOperation(
        ctx,
        { operationName: 'Microsoft.Authorization/roleAssignmentScheduleRequests/write', scope: assignmentResourceId(request.assignmentScope, request.registrationAssignmentId), status: 'Succeeded', description: `Role '${request.roleDefinitionId}' activated for principal '${request.principalId}' until ${activation.endsAt}: ${request.justification}` },
        tx,
      );
    });
    engine.putActivation(activation);
    return active;
  }

  return {
    /** Asks for an eligible role; returns the request, active at once when the policy has no approvers. */
    async request(ctx: RequestContext, input: NewActivationRequest): Promise<ActivationRequest> {
      const caller = requireUser(ctx);
      const scope = parseScope(input.scope).id;
      const assignment = await store.delegation.getAssignment(scope, input.registrationAssignmentId);
      if (!assignment) {
        throw notFound('RegistrationAssignmentNotFound', `The registration assignment '${assignmentResourceId(scope, input.registrationAssignmentId)}' could not be found.`);
      }
      const definition = await store.delegation.getDefinition(parseScope(scope).subscriptionId ?? '', assignment.registrationDefinitionId);
      const eligible = definition ? eligibleAuthorizationFor(definition, caller.tenantId, input.roleDefinitionId, identitiesOf(caller.objectId)) : undefined;
      if (!definition || !eligible) {
        throw new DomainError(
          'forbidden',
          'NotEligible',
          `The client '${caller.displayName}' with object id '${caller.objectId}' is not eligible for role '${input.roleDefinitionId}' through registration assignment '${assignmentResourceId(scope, assignment.id)}'.`,
        );
      }
      const policy = eligible.justInTimeAccessPolicy;
      const { duration, justification } = validateActivationRequest(policy, input);
      const now = clock.now();
      const live = (await store.delegation.listActivations()).find(
        (a) =>
          a.principalId.toLowerCase() === caller.objectId.toLowerCase() &&
          a.roleDefinitionId.toLowerCase() === input.roleDefinitionId.toLowerCase() &&
          a.registrationAssignmentId.toLowerCase() === assignment.id.toLowerCase() &&
          scopeKey(a.assignmentScope) === scopeKey(scope) &&
          Date.parse(a.endsAt) > now.getTime(),
      );
      if (live) throw conflict('ActivationAlreadyActive', `Role '${input.roleDefinitionId}' is already active for this principal until ${live.endsAt}.`, 'roleDefinitionId');
      const request: ActivationRequest = {
        id: ids.guid(),
        status: 'PendingApproval',
        principalId: caller.objectId.toLowerCase(),
        managedByTenantId: definition.managedByTenantId,
        assignmentScope: scope,
        registrationAssignmentId: assignment.id,
        roleDefinitionId: eligible.roleDefinitionId.toLowerCase(),
        duration,
        justification,
        mfaRequired: policy.multiFactorAuthProvider === 'Azure',
        approvers: (policy.managedByTenantApprovers ?? []).map((a) => a.principalId.toLowerCase()),
        requestedAt: now.toISOString(),
      };
      if (request.approvers.length === 0) return activate(ctx, request);
      await store.documents.put(COLLECTION, request.id, request.managedByTenantId, request);
      return request;
    },

    /** An approver's decision on a pending request; the requester can't approve their own. */
    async decide(ctx: RequestContext, requestId: string, approve: boolean): Promise<ActivationRequest> {
      const caller = requireUser(ctx);
      const request = await store.documents.get<ActivationRequest>(COLLECTION, requestId);
      if (!request) throw notFound('ActivationRequestNotFound', `The activation request '${requestId}' could not be found.`);
      if (request.status !== 'PendingApproval') throw conflict('ActivationRequestDecided', `The activation request '${requestId}' is ${request.status}, not pending approval.`);
      assertMayDecide(request, { objectId: caller.objectId, name: caller.displayName, identities: identitiesOf(caller.objectId) });
      if (approve) return activate(ctx, request, caller.objectId);
      const denied: ActivationRequest = { ...request, status: 'Denied', decidedBy: caller.objectId, decidedAt: clock.now().toISOString() };
      await store.documents.put(COLLECTION, denied.id, denied.managedByTenantId, denied);
      return denied;
    },

    /** The requests of the caller's tenant that the caller made or may decide. */
    async list(ctx: RequestContext): Promise<ActivationRequest[]> {
      const caller = requireUser(ctx);
      const mine = identitiesOf(caller.objectId);
      const all = await store.documents.list<ActivationRequest>(COLLECTION, caller.tenantId.toLowerCase());
      return all.filter((r) => mine.has(r.principalId) || r.approvers.some((a) => mine.has(a)));
    },
  };
}

export type ActivationService = ReturnType<typeof createActivationService>;

// The eligible authorization of `roleDefinitionId` that names the caller or one of its groups, if
// the caller's home tenant manages the definition.
