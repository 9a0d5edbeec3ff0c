/**
 * Microsoft.Authorization's PIM contract for Lighthouse eligible authorizations, at the tenant
 * root, subscription and resource-group scopes: role eligibility schedule instances, role
 * assignment schedule requests (+ cancel) and instances (2020-10-01), and role assignment
 * approvals with their stages (2021-01-01-preview; the spec's paths say `steps`, its examples
 * `stages`: both are served). The activation service authorizes each call itself (the caller's
 * own eligibilities, requests and approvals; everything at a scope for a reader of it), so the
 * guard asks for no action here.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { parsePimFilter } from '../../core/delegation/activation-rules.js';
import type { ActivationService } from '../../services/delegation/activation-service.js';
import { armPage } from './arm-paging.js';
import { ArmQuery, armErrors, listOf } from './arm-schemas.js';
import { AUTHORIZATION_SCOPES, scopeOf } from './authorization-routes.js';
import {
  ApprovalParams,
  ApprovalSchema,
  ApprovalStageSchema,
  AssignmentInstanceSchema,
  EligibilityInstanceSchema,
  ScheduleRequestBody,
  ScheduleRequestSchema,
  StageParams,
  StageReviewBody,
} from './pim-schemas.js';
import { renderApproval, renderAssignmentInstance, renderEligibilityInstance, renderScheduleRequest, renderStage } from './pim-render.js';

const PROVIDER = 'providers/Microsoft.Authorization';
const NOT_REVIEWED = { id: '', status: 'InProgress', reviewResult: 'NotReviewed' } as const;
const config = { armAuthorization: 'caller' as const };
const tags = ['Microsoft.Authorization PIM'];

const filterOf = (request: FastifyRequest) => parsePimFilter((request.query as Record<string, string | undefined>).$filter);

/** Registers the PIM routes inside the resource plane (guard, api-version, activity log). */
export function registerPimRoutes(scope: FastifyInstance, activations: ActivationService): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();

  for (const { prefix, params, suffix } of AUTHORIZATION_SCOPES) {
    const requests = `${prefix}/${PROVIDER}/roleAssignmentScheduleRequests`;
    const requestParams = Type.Object({ ...params.properties, roleAssignmentScheduleRequestName: Type.String() });

    app.get(`${prefix}/${PROVIDER}/roleEligibilityScheduleInstances`, {
      config,
      schema: { tags, operationId: `RoleEligibilityScheduleInstances_ListForScope${suffix}`, params, querystring: ArmQuery, response: { 200: listOf(EligibilityInstanceSchema), ...armErrors } },
    }, async (request) => armPage(request, await activations.eligibilityInstances(request.ctx, scopeOf(request.params), filterOf(request)), (e) => e.id, renderEligibilityInstance));

    app.get(`${prefix}/${PROVIDER}/roleAssignmentScheduleInstances`, {
      config,
      schema: { tags, operationId: `RoleAssignmentScheduleInstances_ListForScope${suffix}`, params, querystring: ArmQuery, response: { 200: listOf(AssignmentInstanceSchema), ...armErrors } },
    }, async (request) => armPage(request, await activations.assignmentInstances(request.ctx, scopeOf(request.params), filterOf(request)), (a) => a.id, renderAssignmentInstance));

    app.get(requests, {
      config,
      schema: { tags, operationId: `RoleAssignmentScheduleRequests_ListForScope${suffix}`, params, querystring: ArmQuery, response: { 200: listOf(ScheduleRequestSchema), ...armErrors } },
    }, async (request) => armPage(request, await activations.listRequests(request.ctx, scopeOf(request.params), filterOf(request)), (r) => r.id, renderScheduleRequest));

    app.get(`${requests}/:roleAssignmentScheduleRequestName`, {
      config,
      schema: { tags, operationId: `RoleAssignmentScheduleRequests_Get${suffix}`, params: requestParams, querystring: ArmQuery, response: { 200: ScheduleRequestSchema, ...armErrors } },
    }, async (request) => renderScheduleRequest(await activations.getRequest(request.ctx, scopeOf(request.params), request.params.roleAssignmentScheduleRequestName)));

    app.put(`${requests}/:roleAssignmentScheduleRequestName`, {
      config,
      schema: {
        tags, operationId: `RoleAssignmentScheduleRequests_Create${suffix}`, params: requestParams, querystring: ArmQuery, body: ScheduleRequestBody,
        response: { 201: ScheduleRequestSchema, ...armErrors },
      },
    }, async (request, reply) => {
      const created = await activations.createRequest(request.ctx, scopeOf(request.params), request.params.roleAssignmentScheduleRequestName, request.body.properties);
      return reply.status(201).send(renderScheduleRequest(created));
    });

    app.post(`${requests}/:roleAssignmentScheduleRequestName/cancel`, {
      config,
      schema: { tags, operationId: `RoleAssignmentScheduleRequests_Cancel${suffix}`, params: requestParams, querystring: ArmQuery, response: { 200: Type.Null(), ...armErrors } },
    }, async (request, reply) => {
      await activations.cancel(request.ctx, scopeOf(request.params), request.params.roleAssignmentScheduleRequestName);
      return reply.status(200).send(null);
    });

    const approvals = `${prefix}/${PROVIDER}/roleAssignmentApprovals`;
    app.get(approvals, {
      config,
      schema: { tags, operationId: `RoleAssignmentApproval_List${suffix}`, params, querystring: ArmQuery, response: { 200: listOf(ApprovalSchema), ...armErrors } },
    }, async (request) => armPage(request, await activations.approvals(request.ctx), (r) => r.id, (r) => renderApproval(r, true)));
    app.get(`${approvals}/:approvalId`, {
      config,
      schema: { tags, operationId: `RoleAssignmentApproval_GetById${suffix}`, params: Type.Object({ ...params.properties, ...ApprovalParams.properties }), querystring: ArmQuery, response: { 200: ApprovalSchema, ...armErrors } },
    }, async (request) => {
      const { request: found, assignedToMe } = await activations.approval(request.ctx, request.params.approvalId);
      return renderApproval(found, assignedToMe);
    });
    for (const stages of ['stages', 'steps'] as const) {
      const stagePath = `${approvals}/:approvalId/${stages}/:stageId`;
      const stageParams = Type.Object({ ...params.properties, ...StageParams.properties });
      const name = stages === 'stages' ? 'Stage' : 'Step';
      app.get(stagePath, {
        config,
        schema: { tags, operationId: `RoleAssignmentApproval${name}_GetById${suffix}`, params: stageParams, querystring: ArmQuery, response: { 200: ApprovalStageSchema, ...armErrors } },
      }, async (request) => {
        const { request: found, assignedToMe } = await activations.approval(request.ctx, request.params.approvalId, request.params.stageId);
        return renderStage(found.approval?.id ?? request.params.approvalId, found.approval?.stage ?? NOT_REVIEWED, assignedToMe);
      });
      for (const method of ['put', 'patch'] as const) {
        app[method](stagePath, {
          config,
          schema: {
            tags, operationId: `RoleAssignmentApproval${name}_${method === 'put' ? 'Put' : 'Patch'}${suffix}`, params: stageParams, querystring: ArmQuery, body: StageReviewBody,
            response: { 200: ApprovalStageSchema, ...armErrors },
          },
        }, async (request) => {
          const review = 'properties' in request.body ? request.body.properties : request.body;
          const { request: reviewed, stage } = await activations.review(request.ctx, request.params.approvalId, request.params.stageId, {
            reviewResult: review.reviewResult,
            ...(review.justification !== undefined ? { justification: review.justification } : {}),
          });
          return renderStage(reviewed.approval?.id ?? request.params.approvalId, stage, false);
        });
      }
    }
  }
}
