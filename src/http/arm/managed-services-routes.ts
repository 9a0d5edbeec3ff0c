/**
 * The fourteen operations of Microsoft.ManagedServices (lighthouse.md §1.3) at subscription and
 * resource-group scope, over every api-version of §1.1. Changes complete within the request:
 * PUT answers 201 (created) or 200 (updated) with `provisioningState: Succeeded`; DELETE answers 200,
 * or 204 when there was nothing to delete. Lists page with `nextLink` (`$skiptoken`, `$top`).
 * Paths are also served under the spellings clients send (`resourcegroups`, a leading `//`).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { normalizeDefinitionInput } from '../../core/delegation/definition-input.js';
import { invalid } from '../../core/errors.js';
import { ASSIGNMENTS_TYPE, DEFINITIONS_TYPE, PROVIDER, type DelegationService } from '../../services/delegation/delegation-service.js';
import { armPage } from './arm-paging.js';
import { parsePlanFilter, parseTenantFilter } from '../../core/arm/managed-services-filter.js';
import { operationList, renderAssignment, renderDefinition, renderMarketplaceDefinition } from './managed-services-render.js';
import {
  AssignmentBodySchema,
  DefinitionBodySchema,
  ErrorResponseSchema,
  ManagedServicesQuery,
  MarketplaceRegistrationDefinitionSchema,
  OperationListSchema,
  RegistrationAssignmentSchema,
  RegistrationDefinitionSchema,
  listOf,
} from './managed-services-schemas.js';

const MARKETPLACE_TYPE = `${PROVIDER}/marketplaceRegistrationDefinitions`;
const OPERATIONS_TYPE = `${PROVIDER}/operations`;

type ScopeParams = { subscriptionId: string; resourceGroupName?: string };

// The service's `{scope}` is a subscription or a resource group; operationIds stay unique per path.
const SCOPES = [
  { prefix: '/subscriptions/:subscriptionId', params: Type.Object({ subscriptionId: Type.String() }), suffix: '' },
  { prefix: '/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName', params: Type.Object({ subscriptionId: Type.String(), resourceGroupName: Type.String() }), suffix: 'AtResourceGroup' },
] as const;

function scopeOf(params: ScopeParams): string {
  return params.resourceGroupName === undefined
    ? `/subscriptions/${params.subscriptionId}`
    : `/subscriptions/${params.subscriptionId}/resourceGroups/${params.resourceGroupName}`;
}

function isTrue(value: string | undefined): boolean {
  return value?.toLowerCase() === 'true';
}

const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema, 404: ErrorResponseSchema, 409: ErrorResponseSchema };
const tags = ['Microsoft.ManagedServices'];

/** Registers the Microsoft.ManagedServices routes. */
export function registerManagedServicesRoutes(scoped: FastifyInstance, delegation: DelegationService): void {
  void scoped.register((child, _options, done) => {
    routes(child, delegation);
    done();
  });
}

function routes(scoped: FastifyInstance, delegation: DelegationService): void {
  const app = scoped.withTypeProvider<TypeBoxTypeProvider>();
  const noContent = (reply: FastifyReply, deleted: boolean) => reply.status(deleted ? 200 : 204).send();

  for (const { prefix, params, suffix } of SCOPES) {
    const definitions = `${prefix}/providers/${DEFINITIONS_TYPE}`;
    const assignments = `${prefix}/providers/${ASSIGNMENTS_TYPE}`;
    const definitionParams = Type.Object({ ...params.properties, registrationDefinitionId: Type.String() });
    const assignmentParams = Type.Object({ ...params.properties, registrationAssignmentId: Type.String() });

    app.get(`${definitions}/:registrationDefinitionId`, {
      schema: { tags, operationId: `RegistrationDefinitions_Get${suffix}`, params: definitionParams, querystring: ManagedServicesQuery, response: { 200: RegistrationDefinitionSchema, ...errors } },
    }, async (request) => {
      const apiVersion = request.query['api-version'];
      return renderDefinition(await delegation.getDefinition(request.ctx, scopeOf(request.params), request.params.registrationDefinitionId), apiVersion);
    });

    app.put(`${definitions}/:registrationDefinitionId`, {
      schema: {
        tags, operationId: `RegistrationDefinitions_CreateOrUpdate${suffix}`, params: definitionParams, querystring: ManagedServicesQuery, body: DefinitionBodySchema,
        response: { 200: RegistrationDefinitionSchema, 201: RegistrationDefinitionSchema, ...errors },
      },
    }, async (request, reply) => {
      const apiVersion = request.query['api-version'];
      const fields = normalizeDefinitionInput(request.body, apiVersion);
      const { view, created } = await delegation.putDefinition(request.ctx, scopeOf(request.params), request.params.registrationDefinitionId, fields);
      return reply.status(created ? 201 : 200).send(renderDefinition(view, apiVersion));
    });

    app.delete(`${definitions}/:registrationDefinitionId`, {
      schema: { tags, operationId: `RegistrationDefinitions_Delete${suffix}`, params: definitionParams, querystring: ManagedServicesQuery, response: { 200: Type.Null(), 204: Type.Null(), ...errors } },
    }, async (request, reply) => {
      return noContent(reply, await delegation.deleteDefinition(request.ctx, scopeOf(request.params), request.params.registrationDefinitionId));
    });

    app.get(definitions, {
      schema: { tags, operationId: `RegistrationDefinitions_List${suffix}`, params, querystring: ManagedServicesQuery, response: { 200: listOf(RegistrationDefinitionSchema), ...errors } },
    }, async (request) => {
      const apiVersion = request.query['api-version'];
      const managedByTenantIds = parseTenantFilter(request.query.$filter);
      const views = await delegation.listDefinitions(request.ctx, scopeOf(request.params), managedByTenantIds ? { managedByTenantIds } : undefined);
      return armPage(request, views, (v) => v.id, (v) => renderDefinition(v, apiVersion));
    });

    app.get(`${assignments}/:registrationAssignmentId`, {
      schema: { tags, operationId: `RegistrationAssignments_Get${suffix}`, params: assignmentParams, querystring: ManagedServicesQuery, response: { 200: RegistrationAssignmentSchema, ...errors } },
    }, async (request) => {
      const apiVersion = request.query['api-version'];
      const view = await delegation.getAssignment(request.ctx, scopeOf(request.params), request.params.registrationAssignmentId);
      return renderAssignment(view, apiVersion, isTrue(request.query.$expandRegistrationDefinition));
    });

    app.put(`${assignments}/:registrationAssignmentId`, {
      schema: {
        tags, operationId: `RegistrationAssignments_CreateOrUpdate${suffix}`, params: assignmentParams, querystring: ManagedServicesQuery, body: AssignmentBodySchema,
        response: { 200: RegistrationAssignmentSchema, 201: RegistrationAssignmentSchema, ...errors },
      },
    }, async (request, reply) => {
      const apiVersion = request.query['api-version'];
      const definitionId = request.body.properties?.registrationDefinitionId;
      if (typeof definitionId !== 'string' || definitionId === '') {
        throw invalid('InvalidRegistrationAssignmentCreateRequest', 'properties.registrationDefinitionId is required: the full id of the registration definition to delegate.', 'properties.registrationDefinitionId');
      }
      const { view, created } = await delegation.putAssignment(request.ctx, scopeOf(request.params), request.params.registrationAssignmentId, definitionId);
      return reply.status(created ? 201 : 200).send(renderAssignment(view, apiVersion, false));
    });

    app.delete(`${assignments}/:registrationAssignmentId`, {
      schema: { tags, operationId: `RegistrationAssignments_Delete${suffix}`, params: assignmentParams, querystring: ManagedServicesQuery, response: { 200: Type.Null(), 204: Type.Null(), ...errors } },
    }, async (request, reply) => {
      return noContent(reply, await delegation.deleteAssignment(request.ctx, scopeOf(request.params), request.params.registrationAssignmentId));
    });

    app.get(assignments, {
      schema: { tags, operationId: `RegistrationAssignments_List${suffix}`, params, querystring: ManagedServicesQuery, response: { 200: listOf(RegistrationAssignmentSchema), ...errors } },
    }, async (request) => {
      const apiVersion = request.query['api-version'];
      const managedByTenantIds = parseTenantFilter(request.query.$filter);
      const expand = isTrue(request.query.$expandRegistrationDefinition);
      const views = await delegation.listAssignments(request.ctx, scopeOf(request.params), managedByTenantIds ? { managedByTenantIds } : undefined);
      return armPage(request, views, (v) => v.id, (v) => renderAssignment(v, apiVersion, expand));
    });

    registerMarketplaceRoutes(scoped, delegation, `${prefix}/providers/${MARKETPLACE_TYPE}`, params, (p: ScopeParams) => scopeOf(p), 'MarketplaceRegistrationDefinitions', suffix);

    app.get(`${prefix}/providers/${OPERATIONS_TYPE}`, {
      schema: { tags, operationId: `OperationsWithScope_List${suffix}`, params, querystring: ManagedServicesQuery, response: { 200: OperationListSchema, ...errors } },
    }, () => operationList());
  }

  registerMarketplaceRoutes(scoped, delegation, `/providers/${MARKETPLACE_TYPE}`, Type.Object({}), () => undefined, 'MarketplaceRegistrationDefinitionsWithoutScope', '');

  app.get(`/providers/${OPERATIONS_TYPE}`, {
    schema: { tags, operationId: 'Operations_List', querystring: ManagedServicesQuery, response: { 200: OperationListSchema, ...errors } },
  }, () => operationList());
}

function registerMarketplaceRoutes<P extends Type.TObject>(
  app: FastifyInstance,
  delegation: DelegationService,
  path: string,
  params: P,
  scope: (params: Type.Static<P>) => string | undefined,
  operationPrefix: string,
  suffix: string,
): void {
  const itemParams = Type.Object({ ...params.properties, marketplaceIdentifier: Type.String() });
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  typed.get(path, {
    schema: { tags, operationId: `${operationPrefix}_List${suffix}`, params, querystring: ManagedServicesQuery, response: { 200: listOf(MarketplaceRegistrationDefinitionSchema), ...errors } },
  }, async (request) => {
    const apiVersion = request.query['api-version'];
    const at = scope(request.params as Type.Static<P>);
    const items = await delegation.listMarketplaceDefinitions(request.ctx, at, parsePlanFilter(request.query.$filter));
    return armPage(request, items, (d) => renderMarketplaceDefinition(d, at, apiVersion).id, (d) => renderMarketplaceDefinition(d, at, apiVersion));
  });
  typed.get(`${path}/:marketplaceIdentifier`, {
    schema: { tags, operationId: `${operationPrefix}_Get${suffix}`, params: itemParams, querystring: ManagedServicesQuery, response: { 200: MarketplaceRegistrationDefinitionSchema, ...errors } },
  }, async (request) => {
    const apiVersion = request.query['api-version'];
    const at = scope(request.params as Type.Static<P>);
    return renderMarketplaceDefinition(await delegation.getMarketplaceDefinition(request.ctx, at, request.params.marketplaceIdentifier), at, apiVersion);
  });
}
