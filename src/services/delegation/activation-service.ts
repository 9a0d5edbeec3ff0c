/**
 * Just-in-time access to eligible authorizations through Azure PIM's contract (lighthouse.md §3.3,
 * contracts-next.md): a managing-tenant user lists the eligibilities a delegation gives them
 * (roleEligibilityScheduleInstances) and asks for one (a roleAssignmentScheduleRequest,
 * `SelfActivate`) for a while, with a justification and, where the policy says so, a second
 * factor; with approvers on the policy the request waits for one of them (never the requester,
 * through roleAssignmentApprovals), otherwise it is provisioned at once. The active window is
 * stored and fed to the decision engine, which grants the role only inside it. `SelfDeactivate`
 * ends it early; `cancel` withdraws a pending request.
 *
 * MFA: the second factor is read from the token's `amr` claim. The password grant signs in with
 * `pwd` only; `mfa` arrives with the interactive sign-in (a later issue), so until then a policy
 * with `multiFactorAuthProvider: Azure` can be satisfied only by tokens minted with that claim.
 */
import type { EligibleActivation } from '../../core/delegation/model.js';
import { parseIsoDuration } from '../../core/delegation/iso-duration.js';
import {
  assertMayDecide,
  assertSecondFactor,
  eligibilitiesOf,
  holdsEligibility,
  MAX_JUSTIFICATION,
  validateActivation,
  type Eligibility,
  type PimFilter,
} from '../../core/delegation/activation-rules.js';
import { DomainError, assertThat, conflict, invalid, notFound } from '../../core/errors.js';
import { isGuid } from '../../core/guid.js';
import type { Caller } from '../../core/identity/model.js';
import { isWithinScope, parseScope, scopeKey } from '../../core/scope.js';
import type { Repositories, Store } from '../../storage/port.js';
import type { ActivityService } from '../activity/activity-service.js';
import { authorizationFailed, type AccessService } from '../authorization/access-service.js';
import type { Clock, IdGenerator, RequestContext } from '../context.js';
import { delegationsIn } from './delegations-in.js';

const COLLECTION = 'eligibleActivationRequests';

export type RequestType = 'SelfActivate' | 'SelfDeactivate';
/** Azure PIM's request statuses that Lantern reaches. */
export type RequestStatus = 'PendingApproval' | 'Provisioned' | 'Denied' | 'Canceled' | 'Revoked';

export interface ApprovalStage {
  readonly id: string;
  readonly status: 'InProgress' | 'Completed';
  readonly reviewResult: 'NotReviewed' | 'Approve' | 'Deny';
  readonly reviewedBy?: { readonly principalId: string; readonly principalName: string; readonly userPrincipalName?: string };
  readonly reviewedDateTime?: string;
  readonly justification?: string;
}

export interface ActivationRequest {
  /** The request name (GUID) the client chose. */
  readonly id: string;
  /** The registration assignment's scope: where the role is activated. */
  readonly scope: string;
  readonly requestType: RequestType;
  readonly status: RequestStatus;
  /** The user the role is for; always the requester (self-service). */
  readonly principalId: string;
  readonly requestorId: string;
  readonly managedByTenantId: string;
  readonly registrationAssignmentId: string;
  readonly eligibilityId: string;
  readonly roleDefinitionId: string;
  /** ISO-8601 duration granted; at most the policy's maximumActivationDuration. */
  readonly duration: string;
  /** The requested start (the activation starts then, or at approval if later). */
  readonly startDateTime: string;
  readonly justification: string;
  readonly ticketInfo?: { readonly ticketNumber?: string | null; readonly ticketSystem?: string | null };
  readonly mfaRequired: boolean;
  /** Principal ids (users or groups, lower case) that may approve; empty for self-activation. */
  readonly approvers: readonly string[];
  readonly approval?: { readonly id: string; readonly stage: ApprovalStage };
  readonly createdOn: string;
  /** The activation the request provisioned (or, for SelfDeactivate, ended). */
  readonly activation?: EligibleActivation;
}

/** A roleAssignmentScheduleRequest body's properties, as validated at the boundary (JSON null is absent). */
export interface ScheduleRequestInput {
  readonly principalId: string;
  readonly roleDefinitionId: string;
  readonly requestType: string;
  readonly justification?: string | null;
  readonly linkedRoleEligibilityScheduleId?: string | null;
  readonly scheduleInfo?: {
    readonly startDateTime?: string | null;
    readonly expiration?: { readonly type?: string | null; readonly duration?: string | null; readonly endDateTime?: string | null };
  } | null;
  readonly ticketInfo?: { readonly ticketNumber?: string | null; readonly ticketSystem?: string | null } | null;
}

/** Display names for ARM's `expandedProperties`. */
export interface Expanded {
  readonly scope: { readonly id: string; readonly displayName: string; readonly type: 'subscription' | 'resourcegroup' };
  readonly roleDefinition: { readonly id: string; readonly displayName: string; readonly type: string };
  readonly principal: { readonly id: string; readonly displayName: string; readonly email?: string; readonly type: 'User' | 'Group' };
}

export type WithExpanded<T> = T & { readonly expanded: Expanded };

/** The bare GUID of a role definition given as a GUID or a full `…/roleDefinitions/{guid}` id. */
function roleGuid(id: string): string | undefined {
  const last = id.split('/').filter((s) => s.length > 0).pop() ?? '';
  return isGuid(last) ? last.toLowerCase() : undefined;
}

function requireUser(ctx: RequestContext): Caller {
  const caller = ctx.caller;
  assertThat(caller !== 'system' && caller.principalType === 'User', () =>
    new DomainError('forbidden', 'EligibleActivationNotAllowed', 'Only users activate eligible authorizations; service principals and the operator cannot.'),
  );
  return caller;
}

function epoch(text: string, field: string): number {
  const ms = Date.parse(text);
  assertThat(!Number.isNaN(ms), () => invalid('InvalidRequestContent', `'${text}' is not an ISO-8601 date and time.`, field));
  return ms;
}

/** Creates the activation (PIM) service. */
export function createActivationService(deps: { store: Store; access: AccessService; activity: ActivityService; clock: Clock; ids: IdGenerator }) {
  const { store, access, activity, clock, ids } = deps;
  const engine = access.engine;
  const identitiesOf = (principalId: string) => new Set([principalId.toLowerCase(), ...[...engine.groups.groupsOf(principalId.toLowerCase())].map((g) => g.toLowerCase())]);
  const nameOf = (caller: Caller) => caller.userPrincipalName ?? caller.displayName;

  /**
   * Every eligibility of delegations related to `scope` (at, above or below it). Outside a
   * subscription (`/`) only the subscriptions `tenantId` reaches are looked in: its own and those it
   * manages, where every eligibility its principals hold or may read lies. Two reads, whatever the count.
   */
  async function eligibilitiesAround(scope: string, tenantId: string, repos: Repositories = store): Promise<Eligibility[]> {
    const subscriptionId = parseScope(scope).subscriptionId;
    const subscriptions = subscriptionId === undefined ? engine.subscriptionsReachableFrom(tenantId) : [subscriptionId];
    return (await delegationsIn(repos, subscriptions)).assignments.flatMap(({ assignment, definition }) =>
      definition && (isWithinScope(assignment.scope, scope) || isWithinScope(scope, assignment.scope)) ? eligibilitiesOf(definition, assignment) : []);
  }

  async function expand(scope: string, roleDefinitionId: string, principalId: string): Promise<Expanded> {
    const parsed = parseScope(scope);
    const subscription = parsed.subscriptionId === undefined ? undefined : await store.resources.getSubscription(parsed.subscriptionId);
    const role = await store.authorization.getRoleDefinition(roleDefinitionId);
    const user = await store.identity.getUser(principalId);
    const group = user ? undefined : await store.identity.getGroup(principalId);
    return {
      scope: parsed.level === 'resourceGroup'
        ? { id: parsed.id, displayName: parsed.resourceGroup ?? '', type: 'resourcegroup' }
        : { id: parsed.id, displayName: subscription?.displayName ?? parsed.subscriptionId ?? '', type: 'subscription' },
      roleDefinition: { id: roleDefinitionId, displayName: role?.roleName ?? '', type: role?.roleType ?? 'BuiltInRole' },
      principal: user
        ? { id: principalId, displayName: user.displayName, email: user.userPrincipalName, type: 'User' }
        : { id: principalId, displayName: group?.displayName ?? '', type: 'Group' },
    };
  }
  const expanded = async <T extends { scope: string; roleDefinitionId: string; principalId: string }>(item: T): Promise<WithExpanded<T>> => ({
    ...item,
    expanded: await expand(item.scope, item.roleDefinitionId, item.principalId),
  });

  /**
   * Lists the caller's own items (undefined), or (atScope) every item at or below `scope` that the
   * answer lets through: one the caller may read where it is. Reading at `scope` is not enough: `/`
   * is the root of the caller's directory only, and no item of another's lies under it.
   */
  function allItemsFilter(ctx: RequestContext, filter: PimFilter | undefined, action: string, scope: string): ((itemScope: string) => boolean) | undefined {
    if (filter !== undefined && filter !== 'atScope') return undefined;
    access.authorize(ctx, action, scope);
    const allows = access.allowsEach(ctx);
    return (itemScope) => isWithinScope(itemScope, scope) && allows(action, itemScope);
  }

  async function record(ctx: RequestContext, tx: Repositories, operationName: string, request: ActivationRequest, description: string) {
    await activity.recordOperation(ctx, { operationName, scope: request.scope, status: 'Succeeded', description }, tx);
  }

  // The delegation behind a request must still grant its eligibility when the request or its activation is
  // written: read in the writing transaction, so a delegation removed meanwhile wins (and the schema's foreign
  // key from activations to registration assignments backs it up, migration 0010).
  async function assertStillEligible(tx: Repositories, request: Pick<ActivationRequest, 'id' | 'scope' | 'eligibilityId' | 'managedByTenantId'>): Promise<void> {
    const held = (await eligibilitiesAround(request.scope, request.managedByTenantId, tx)).some((e) => e.id === request.eligibilityId && scopeKey(e.scope) === scopeKey(request.scope));
    if (!held) {
      throw new DomainError('forbidden', 'RoleAssignmentDoesNotExist', `The eligible authorization of request '${request.id}' no longer exists at scope '${request.scope}': its delegation was removed or changed.`);
    }
  }

  // Provisions the activation of `request` (approved by `approver`, if any) in `tx`; the engine is fed after commit.
  async function provision(ctx: RequestContext, tx: Repositories, request: ActivationRequest, approver?: string): Promise<ActivationRequest> {
    await assertStillEligible(tx, request);
    const now = clock.now().getTime();
    const startsAt = Math.max(now, Date.parse(request.startDateTime));
    const activation: EligibleActivation = {
      id: ids.guid(),
      registrationAssignmentId: request.registrationAssignmentId,
      assignmentScope: request.scope,
      principalId: request.principalId,
      roleDefinitionId: request.roleDefinitionId,
      managedByTenantId: request.managedByTenantId,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + (parseIsoDuration(request.duration) ?? 0) * 1000).toISOString(),
      justification: request.justification,
      ...(approver ? { approvedBy: approver } : {}),
    };
    const provisioned: ActivationRequest = { ...request, status: 'Provisioned', activation };
    await tx.delegation.putActivation(activation);
    await tx.documents.put(COLLECTION, provisioned.id, provisioned.managedByTenantId, provisioned);
    await record(ctx, tx, 'Microsoft.Authorization/roleAssignments/write', provisioned,
      `Eligible role '${request.roleDefinitionId}' activated for principal '${request.principalId}' from ${activation.startsAt} until ${activation.endsAt} (request '${request.id}'${approver ? `, approved by '${approver}'` : ''}): ${request.justification}`);
    return provisioned;
  }

  const liveActivation = async (tx: Repositories, principalId: string, eligibility: Eligibility, now: number) =>
    (await tx.delegation.listActivations()).find(
      (a) =>
        a.principalId.toLowerCase() === principalId &&
        a.roleDefinitionId.toLowerCase() === eligibility.roleDefinitionId &&
        a.registrationAssignmentId.toLowerCase() === eligibility.registrationAssignmentId.toLowerCase() &&
        scopeKey(a.assignmentScope) === scopeKey(eligibility.scope) &&
        Date.parse(a.endsAt) > now,
    );

  async function findRequest(scope: string, name: string): Promise<ActivationRequest> {
    const request = await store.documents.get<ActivationRequest>(COLLECTION, name.toLowerCase());
    if (!request || scopeKey(request.scope) !== scopeKey(scope)) {
      throw notFound('RoleAssignmentScheduleRequestNotFound', `The role assignment schedule request '${name}' could not be found at scope '${scope}'.`);
    }
    return request;
  }

  // Requests of the caller's directory whose approval `approvalId` is; another tenant's user finds nothing.
  async function byApproval(caller: Caller, approvalId: string, stageId?: string): Promise<ActivationRequest> {
    const id = approvalId.toLowerCase();
    const request = (await store.documents.list<ActivationRequest>(COLLECTION, caller.tenantId.toLowerCase())).find((r) => r.approval?.id === id);
    if (!request) throw notFound('RoleAssignmentApprovalNotFound', `The role assignment approval '${approvalId}' could not be found.`);
    if (stageId !== undefined && request.approval?.stage.id !== stageId.toLowerCase()) {
      throw notFound('RoleAssignmentApprovalStageNotFound', `The stage '${stageId}' of role assignment approval '${approvalId}' could not be found.`);
    }
    return request;
  }

  const mayRead = (ctx: RequestContext, caller: Caller, request: ActivationRequest) => {
    const mine = identitiesOf(caller.objectId);
    if (mine.has(request.principalId) || mine.has(request.requestorId) || request.approvers.some((a) => mine.has(a))) return;
    access.authorize(ctx, 'Microsoft.Authorization/roleAssignmentScheduleRequests/read', request.scope);
  };

  async function activate(ctx: RequestContext, caller: Caller, scope: string, name: string, roleDefinitionId: string, input: ScheduleRequestInput): Promise<ActivationRequest> {
    const mine = identitiesOf(caller.objectId);
    const linked = input.linkedRoleEligibilityScheduleId?.split('/').pop()?.toLowerCase();
    const eligibility = (await eligibilitiesAround(scope, caller.tenantId)).find(
      (e) => scopeKey(e.scope) === scopeKey(scope) && e.roleDefinitionId === roleDefinitionId && holdsEligibility(e, caller.tenantId, mine) && (linked === undefined || e.id === linked),
    );
    if (!eligibility) {
      throw new DomainError(
        'forbidden',
        'RoleAssignmentDoesNotExist',
        `The client '${nameOf(caller)}' with object id '${caller.objectId}' holds no eligible authorization for role definition '${roleDefinitionId}' at scope '${scope}'${linked ? ` with eligibility schedule '${linked}'` : ''}: eligible authorizations come from a Lighthouse delegation of that scope whose managing tenant is the caller's.`,
      );
    }
    const policy = eligibility.policy;
    assertSecondFactor(policy, caller.authenticationMethods);
    const now = clock.now().getTime();
    const schedule = input.scheduleInfo;
    const startsAt = schedule?.startDateTime == null ? now : epoch(schedule.startDateTime, 'properties.scheduleInfo.startDateTime');
    const expiration = schedule?.expiration;
    const { duration, justification } = validateActivation(policy, {
      startsAt,
      ...(expiration?.type != null ? { expirationType: expiration.type } : {}),
      ...(expiration?.duration != null ? { duration: expiration.duration } : {}),
      ...(expiration?.endDateTime != null ? { endsAt: epoch(expiration.endDateTime, 'properties.scheduleInfo.expiration.endDateTime') } : {}),
      ...(input.justification != null ? { justification: input.justification } : {}),
    });
    const principalId = caller.objectId.toLowerCase();
    const approvers = (policy.managedByTenantApprovers ?? []).map((a) => a.principalId.toLowerCase());
    const request: ActivationRequest = {
      id: name.toLowerCase(),
      scope: eligibility.scope,
      requestType: 'SelfActivate',
      status: 'PendingApproval',
      principalId,
      requestorId: principalId,
      managedByTenantId: eligibility.managedByTenantId,
      registrationAssignmentId: eligibility.registrationAssignmentId,
      eligibilityId: eligibility.id,
      roleDefinitionId,
      duration,
      startDateTime: new Date(Math.max(startsAt, now)).toISOString(),
      justification,
      ...(input.ticketInfo ? { ticketInfo: input.ticketInfo } : {}),
      mfaRequired: policy.multiFactorAuthProvider === 'Azure',
      approvers,
      ...(approvers.length > 0 ? { approval: { id: ids.guid(), stage: { id: ids.guid(), status: 'InProgress' as const, reviewResult: 'NotReviewed' as const } } } : {}),
      createdOn: new Date(now).toISOString(),
    };
    const done = await store.transaction(async (tx) => {
      await assertNew(tx, request.id);
      const live = await liveActivation(tx, principalId, eligibility, now);
      if (live) throw conflict('RoleAssignmentExists', `Role '${roleDefinitionId}' is already active for this principal at '${eligibility.scope}' until ${live.endsAt}.`, 'properties.roleDefinitionId');
      const pending = (await tx.documents.list<ActivationRequest>(COLLECTION, request.managedByTenantId)).find(
        (r) => r.status === 'PendingApproval' && r.principalId === principalId && r.eligibilityId === eligibility.id,
      );
      if (pending) throw conflict('PendingRoleAssignmentRequest', `A request for this role at '${eligibility.scope}' is already waiting for approval: '${pending.id}'.`, 'properties.roleDefinitionId');
      if (approvers.length === 0) return provision(ctx, tx, request);
      await assertStillEligible(tx, request);
      await tx.documents.put(COLLECTION, request.id, request.managedByTenantId, request);
      return request;
    });
    if (done.activation) engine.putActivation(done.activation);
    return done;
  }

  async function deactivate(ctx: RequestContext, caller: Caller, scope: string, name: string, roleDefinitionId: string, input: ScheduleRequestInput): Promise<ActivationRequest> {
    const principalId = caller.objectId.toLowerCase();
    const now = clock.now().getTime();
    const done = await store.transaction(async (tx) => {
      await assertNew(tx, name.toLowerCase());
      const live = (await tx.delegation.listActivations()).find(
        (a) => a.principalId.toLowerCase() === principalId && a.roleDefinitionId.toLowerCase() === roleDefinitionId && scopeKey(a.assignmentScope) === scopeKey(scope) && Date.parse(a.endsAt) > now,
      );
      if (!live) {
        throw new DomainError('forbidden', 'RoleAssignmentDoesNotExist', `The client '${nameOf(caller)}' has no active activation of role definition '${roleDefinitionId}' at scope '${scope}' to deactivate.`);
      }
      await tx.delegation.deleteActivation(live.id);
      const request: ActivationRequest = {
        id: name.toLowerCase(),
        scope: live.assignmentScope,
        requestType: 'SelfDeactivate',
        status: 'Revoked',
        principalId,
        requestorId: principalId,
        managedByTenantId: live.managedByTenantId.toLowerCase(),
        registrationAssignmentId: live.registrationAssignmentId,
        eligibilityId: '',
        roleDefinitionId,
        duration: 'PT0S',
        startDateTime: new Date(now).toISOString(),
        justification: (input.justification ?? '').trim().slice(0, MAX_JUSTIFICATION),
        mfaRequired: false,
        approvers: [],
        createdOn: new Date(now).toISOString(),
        activation: live,
      };
      await tx.documents.put(COLLECTION, request.id, request.managedByTenantId, request);
      await record(ctx, tx, 'Microsoft.Authorization/roleAssignments/delete', request, `Eligible role '${roleDefinitionId}' deactivated by principal '${principalId}' (request '${request.id}').`);
      return request;
    });
    engine.removeActivation(done.activation?.id ?? '');
    return done;
  }

  async function assertNew(tx: Repositories, id: string): Promise<void> {
    if (await tx.documents.get(COLLECTION, id)) {
      throw conflict('RoleAssignmentScheduleRequestExists', `A role assignment schedule request named '${id}' already exists; each request needs a new GUID.`, 'name');
    }
  }

  return {
    /** The eligibilities (PIM eligibility schedule instances) at, above or below `scope`: the caller's own (`asTarget`), or all of them for a reader of the scope. */
    async eligibilityInstances(ctx: RequestContext, scope: string, filter: PimFilter | undefined): Promise<WithExpanded<Eligibility & { memberType: 'Direct' | 'Group' }>[]> {
      const caller = requireUser(ctx);
      const all = allItemsFilter(ctx, filter, 'Microsoft.Authorization/roleEligibilityScheduleInstances/read', scope);
      const mine = identitiesOf(caller.objectId);
      const items = (await eligibilitiesAround(scope, caller.tenantId)).filter((e) => (all ? all(e.scope) : holdsEligibility(e, caller.tenantId, mine)));
      return Promise.all(items.map((e) => expanded({ ...e, memberType: e.principalId === caller.objectId.toLowerCase() ? ('Direct' as const) : ('Group' as const) })));
    },

    /** Creates a schedule request (`SelfActivate` or `SelfDeactivate`, for the caller itself). */
    async createRequest(ctx: RequestContext, scope: string, name: string, input: ScheduleRequestInput): Promise<WithExpanded<ActivationRequest>> {
      const caller = requireUser(ctx);
      assertThat(isGuid(name), () => invalid('InvalidRoleAssignmentScheduleRequestName', `The role assignment schedule request name '${name}' must be a GUID.`, 'name'));
      const at = parseScope(scope);
      assertThat(at.level === 'subscription' || at.level === 'resourceGroup', () =>
        invalid('InvalidScope', `Eligible authorizations are activated at the scope of their delegation (a subscription or resource group), not at '${scope}'.`, 'scope'),
      );
      assertThat(input.requestType === 'SelfActivate' || input.requestType === 'SelfDeactivate', () =>
        invalid('InvalidRequestType', `The requestType '${input.requestType}' is not supported for Lighthouse eligible authorizations: the eligible user sends 'SelfActivate' or 'SelfDeactivate'.`, 'properties.requestType'),
      );
      assertThat(input.principalId.toLowerCase() === caller.objectId.toLowerCase(), () =>
        invalid('InvalidPrincipalId', `A ${input.requestType} request is for the caller itself: properties.principalId must be '${caller.objectId}', not '${input.principalId}'.`, 'properties.principalId'),
      );
      const roleDefinitionId = roleGuid(input.roleDefinitionId);
      assertThat(roleDefinitionId !== undefined, () => invalid('InvalidRoleDefinitionId', `The role definition id '${input.roleDefinitionId}' is not a GUID or a role definition resource id.`, 'properties.roleDefinitionId'));
      const made = input.requestType === 'SelfActivate'
        ? await activate(ctx, caller, at.id, name, roleDefinitionId, input)
        : await deactivate(ctx, caller, at.id, name, roleDefinitionId, input);
      return expanded(made);
    },

    /** One schedule request, for its requester, target or approvers, or a reader of its scope. */
    async getRequest(ctx: RequestContext, scope: string, name: string): Promise<WithExpanded<ActivationRequest>> {
      const caller = requireUser(ctx);
      const request = await findRequest(scope, name);
      mayRead(ctx, caller, request);
      return expanded(request);
    },

    /** Schedule requests at or below `scope`: the caller's (`asRequestor`, `asTarget`), those it may approve (`asApprover`), or all (a reader of the scope). */
    async listRequests(ctx: RequestContext, scope: string, filter: PimFilter | undefined): Promise<WithExpanded<ActivationRequest>[]> {
      const caller = requireUser(ctx);
      const all = allItemsFilter(ctx, filter, 'Microsoft.Authorization/roleAssignmentScheduleRequests/read', scope);
      const mine = identitiesOf(caller.objectId);
      const me = caller.objectId.toLowerCase();
      const items = (await store.documents.list<ActivationRequest>(COLLECTION, all ? undefined : caller.tenantId.toLowerCase())).filter(
        (r) =>
          all
            ? all(r.scope)
            : isWithinScope(r.scope, scope) &&
              (filter === 'asApprover' ? r.status === 'PendingApproval' && r.principalId !== me && r.approvers.some((a) => mine.has(a)) : filter === 'asRequestor' ? r.requestorId === me : r.principalId === me),
      );
      return Promise.all(items.map(expanded));
    },

    /** Withdraws a pending request; only its requester may. */
    async cancel(ctx: RequestContext, scope: string, name: string): Promise<void> {
      const caller = requireUser(ctx);
      const request = await findRequest(scope, name);
      if (request.requestorId !== caller.objectId.toLowerCase()) throw authorizationFailed(caller, 'Microsoft.Authorization/roleAssignmentScheduleRequests/cancel/action', request.scope);
      await store.transaction(async (tx) => {
        const now = await tx.documents.get<ActivationRequest>(COLLECTION, request.id);
        if (now?.status !== 'PendingApproval') throw conflict('RoleAssignmentScheduleRequestNotPending', `The request '${name}' is ${now?.status ?? 'gone'}; only a request pending approval can be canceled.`);
        await tx.documents.put(COLLECTION, now.id, now.managedByTenantId, { ...now, status: 'Canceled' });
      });
    },

    /** Active activations (PIM assignment schedule instances) at or below `scope` now: the caller's, or all for a reader of the scope. */
    async assignmentInstances(ctx: RequestContext, scope: string, filter: PimFilter | undefined): Promise<WithExpanded<EligibleActivation & { scope: string }>[]> {
      const caller = requireUser(ctx);
      const all = allItemsFilter(ctx, filter, 'Microsoft.Authorization/roleAssignmentScheduleInstances/read', scope);
      const now = clock.now().getTime();
      const me = caller.objectId.toLowerCase();
      const items = (await store.delegation.listActivations()).filter(
        (a) => Date.parse(a.endsAt) > now && (all ? all(a.assignmentScope) : isWithinScope(a.assignmentScope, scope) && a.principalId.toLowerCase() === me),
      );
      return Promise.all(items.map((a) => expanded({ ...a, scope: a.assignmentScope })));
    },

    /** The pending approvals the caller may review. */
    async approvals(ctx: RequestContext): Promise<ActivationRequest[]> {
      const caller = requireUser(ctx);
      const mine = identitiesOf(caller.objectId);
      const me = caller.objectId.toLowerCase();
      const items = (await store.documents.list<ActivationRequest>(COLLECTION, caller.tenantId.toLowerCase())).filter(
        (r) => r.approval !== undefined && r.status === 'PendingApproval' && r.principalId !== me && r.approvers.some((a) => mine.has(a)),
      );
      return items;
    },

    /** One approval (and stage), for its requester or an approver; `assignedToMe` when the caller may still review it. */
    async approval(ctx: RequestContext, approvalId: string, stageId?: string): Promise<{ request: ActivationRequest; assignedToMe: boolean }> {
      const caller = requireUser(ctx);
      const request = await byApproval(caller, approvalId, stageId);
      const mine = identitiesOf(caller.objectId);
      const approver = request.approvers.some((a) => mine.has(a)) && request.principalId !== caller.objectId.toLowerCase();
      if (!approver && !mine.has(request.requestorId)) throw notFound('RoleAssignmentApprovalNotFound', `The role assignment approval '${approvalId}' could not be found.`);
      return { request, assignedToMe: approver && request.status === 'PendingApproval' };
    },

    /** An approver's review of the one stage of an approval; never by the requester. Approve provisions the activation. */
    async review(ctx: RequestContext, approvalId: string, stageId: string, review: { reviewResult: string; justification?: string }): Promise<{ request: ActivationRequest; stage: ApprovalStage }> {
      const caller = requireUser(ctx);
      const found = await byApproval(caller, approvalId, stageId);
      assertThat(review.reviewResult === 'Approve' || review.reviewResult === 'Deny', () =>
        invalid('InvalidReviewResult', `reviewResult must be 'Approve' or 'Deny', not '${review.reviewResult}'.`, 'properties.reviewResult'),
      );
      const justification = (review.justification ?? '').trim();
      assertThat(justification.length > 0 && justification.length <= MAX_JUSTIFICATION, () =>
        invalid('InvalidJustification', `A review needs a justification of 1 to ${MAX_JUSTIFICATION} characters.`, 'properties.justification'),
      );
      assertMayDecide(found, { objectId: caller.objectId, name: nameOf(caller), identities: identitiesOf(caller.objectId) });
      const approve = review.reviewResult === 'Approve';
      const done = await store.transaction(async (tx) => {
        const request = await tx.documents.get<ActivationRequest>(COLLECTION, found.id);
        if (request?.status !== 'PendingApproval' || !request.approval) {
          throw conflict('RoleAssignmentApprovalStageCompleted', `The approval '${approvalId}' was already decided: its request is ${request?.status ?? 'gone'}.`);
        }
        const stage: ApprovalStage = {
          id: request.approval.stage.id,
          status: 'Completed',
          reviewResult: approve ? 'Approve' : 'Deny',
          reviewedBy: { principalId: caller.objectId, principalName: caller.displayName, ...(caller.userPrincipalName ? { userPrincipalName: caller.userPrincipalName } : {}) },
          reviewedDateTime: clock.now().toISOString(),
          justification,
        };
        const reviewed: ActivationRequest = { ...request, approval: { id: request.approval.id, stage } };
        await record(ctx, tx, 'Microsoft.Authorization/roleAssignmentApprovals/stages/write', reviewed,
          `${approve ? 'Approved' : 'Denied'} by '${nameOf(caller)}' (approval '${request.approval.id}'): activation request '${request.id}' of role '${request.roleDefinitionId}' for principal '${request.principalId}': ${justification}`);
        if (approve) return provision(ctx, tx, reviewed, caller.objectId);
        const denied: ActivationRequest = { ...reviewed, status: 'Denied' };
        await tx.documents.put(COLLECTION, denied.id, denied.managedByTenantId, denied);
        return denied;
      });
      if (done.activation) engine.putActivation(done.activation);
      return { request: done, stage: done.approval?.stage as ApprovalStage };
    },
  };
}

export type ActivationService = ReturnType<typeof createActivationService>;
