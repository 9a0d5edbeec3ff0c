/**
 * Microsoft.Authorization over HTTP: role definitions, role assignments and effective permissions
 * at the root, subscription and resource-group scopes (static routes) and at resource scopes
 * (through the generic resource route, which hands `…/providers/Microsoft.Authorization/…` here).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import Value from 'typebox/value';
import { parseRoleAssignmentFilter, parseRoleDefinitionFilter } from '../../core/arm/authorization-filter.js';
import { invalid } from '../../core/errors.js';
import type { RbacService } from '../../services/rbac/rbac-service.js';
import type { ResourceService } from '../../services/resources/resource-service.js';
import { armPage } from './arm-paging.js';
import { renderRoleAssignment, renderRoleDefinition } from './arm-render.js';
import {
  ArmQuery,
  armErrors,
  listOf,
  PermissionListSchema,
  RoleAssignmentBody,
  RoleAssignmentSchema,
  RoleDefinitionBody,
  RoleDefinitionSchema,
} from './arm-schemas.js';
import { empty, type ExtensionHandler } from './resource-routes.js';

type AssignmentBody = Type.Static<typeof RoleAssignmentBody>;
type DefinitionBody = Type.Static<typeof RoleDefinitionBody>;
type Query = Record<string, string | undefined>;

const PROVIDER = 'providers/Microsoft.Authorization';
const EXTENSION = /^(.*)\/providers\/Microsoft\.Authorization\/(roleAssignments|roleDefinitions|permissions)(?:\/([^/]+))?$/i;

/** The static scopes Microsoft.Authorization is routed at (resource scopes go through the resource route). */
export const AUTHORIZATION_SCOPES = [
  { prefix: '', params: Type.Object({}), suffix: 'AtRoot' },
  { prefix: '/subscriptions/:subscriptionId', params: Type.Object({ subscriptionId: Type.String() }), suffix: 'ForSubscription' },
  {
    prefix: '/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName',
    params: Type.Object({ subscriptionId: Type.String(), resourceGroupName: Type.String() }),
    suffix: 'ForResourceGroup',
  },
] as const;

/** The scope a static Microsoft.Authorization route's params name. */
export function scopeOf(params: object): string {
  const { subscriptionId, resourceGroupName } = params as { subscriptionId?: string; resourceGroupName?: string };
  if (subscriptionId === undefined) return '/';
  return resourceGroupName === undefined ? `/subscriptions/${subscriptionId}` : `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}`;
}

function checkBody<T extends Type.TSchema>(schema: T, body: unknown): Type.Static<T> {
  if (!Value.Check(schema, body)) {
    const first = Value.Errors(schema, body)[0];
    throw invalid('InvalidRequestContent', `The request content was invalid: body${first ? `${first.instancePath} ${first.message}` : ''}`.trim(), 'body');
  }
  return body;
}

/** The Microsoft.Authorization handlers, shared by the static routes and the resource-scope dispatcher. */
function handlers(rbac: RbacService, resources: ResourceService) {
  // Scopes below the root must exist, as in ARM (a role assignment on a missing resource group is a 404).
  const requireScope = (scope: string) => resources.requireScope(scope);
  return {
    async listAssignments(request: FastifyRequest, scope: string) {
      await requireScope(scope);
      const items = await rbac.listRoleAssignments(request.ctx, scope, parseRoleAssignmentFilter((request.query as Query).$filter));
      return armPage(request, items, (a) => a.id, renderRoleAssignment);
    },
    async getAssignment(request: FastifyRequest, scope: string, name: string) {
      return renderRoleAssignment(await rbac.getRoleAssignment(request.ctx, scope, name));
    },
    async putAssignment(request: FastifyRequest, reply: FastifyReply, scope: string, name: string, body: AssignmentBody) {
      await requireScope(scope);
      const p = body.properties;
      const { assignment, created } = await rbac.putRoleAssignment(request.ctx, {
        name,
        scope,
        roleDefinitionId: p.roleDefinitionId,
        principalId: p.principalId,
        ...(p.principalType !== undefined ? { principalType: p.principalType } : {}),
        ...(p.description !== undefined ? { description: p.description } : {}),
        ...(p.delegatedManagedIdentityResourceId !== undefined ? { delegatedManagedIdentityResourceId: p.delegatedManagedIdentityResourceId } : {}),
      });
      return reply.status(created ? 201 : 200).send(renderRoleAssignment(assignment));
    },
    async deleteAssignment(request: FastifyRequest, reply: FastifyReply, scope: string, name: string) {
      const gone = await rbac.deleteRoleAssignment(request.ctx, scope, name);
      return gone ? reply.status(200).send(renderRoleAssignment(gone)) : empty(reply, 204);
    },
    async listDefinitions(request: FastifyRequest, scope: string) {
      const items = await rbac.listRoleDefinitions(request.ctx, scope, parseRoleDefinitionFilter((request.query as Query).$filter));
      return armPage(request, items, (r) => r.id, (r) => renderRoleDefinition(r, scope));
    },
    async getDefinition(request: FastifyRequest, scope: string, id: string) {
      return renderRoleDefinition(await rbac.getRoleDefinition(request.ctx, scope, id), scope);
    },
    async putDefinition(request: FastifyRequest, reply: FastifyReply, scope: string, id: string, body: DefinitionBody) {
      const p = body.properties;
      const { role, created } = await rbac.putRoleDefinition(request.ctx, scope, id, {
        roleName: p.roleName,
        ...(p.description !== undefined ? { description: p.description } : {}),
        assignableScopes: p.assignableScopes,
        permissions: p.permissions.map((x) => ({ actions: x.actions ?? [], notActions: x.notActions ?? [], dataActions: x.dataActions ?? [], notDataActions: x.notDataActions ?? [] })),
      });
      return reply.status(created ? 201 : 200).send(renderRoleDefinition(role, scope));
    },
    async deleteDefinition(request: FastifyRequest, reply: FastifyReply, scope: string, id: string) {
      const gone = await rbac.deleteRoleDefinition(request.ctx, scope, id);
      return gone ? reply.status(200).send(renderRoleDefinition(gone, scope)) : empty(reply, 204);
    },
    permissions(request: FastifyRequest, scope: string) {
      return { value: rbac.permissionsAt(request.ctx, scope).map((p) => ({ actions: [...p.actions], notActions: [...p.notActions], dataActions: [...p.dataActions], notDataActions: [...p.notDataActions] })) };
    },
  };
}

/** Registers the Microsoft.Authorization routes; returns the handler for resource-level scopes. */
export function registerAuthorizationRoutes(scope: FastifyInstance, rbac: RbacService, resources: ResourceService): ExtensionHandler {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const h = handlers(rbac, resources);
  const tags = ['Microsoft.Authorization'];

  for (const { prefix, params, suffix } of AUTHORIZATION_SCOPES) {
    const assignments = `${prefix}/${PROVIDER}/roleAssignments`;
    const definitions = `${prefix}/${PROVIDER}/roleDefinitions`;
    const assignmentParams = Type.Object({ ...params.properties, roleAssignmentName: Type.String() });
    const definitionParams = Type.Object({ ...params.properties, roleDefinitionId: Type.String() });

    app.get(assignments, {
      schema: { tags, operationId: `RoleAssignments_List${suffix}`, params, querystring: ArmQuery, response: { 200: listOf(RoleAssignmentSchema), ...armErrors } },
    }, (request) => h.listAssignments(request, scopeOf(request.params)));
    app.get(`${assignments}/:roleAssignmentName`, {
      schema: { tags, operationId: `RoleAssignments_Get${suffix}`, params: assignmentParams, querystring: ArmQuery, response: { 200: RoleAssignmentSchema, ...armErrors } },
    }, (request) => h.getAssignment(request, scopeOf(request.params), request.params.roleAssignmentName));
    app.put(`${assignments}/:roleAssignmentName`, {
      schema: {
        tags, operationId: `RoleAssignments_Create${suffix}`, params: assignmentParams, querystring: ArmQuery, body: RoleAssignmentBody,
        response: { 200: RoleAssignmentSchema, 201: RoleAssignmentSchema, ...armErrors },
      },
    }, (request, reply) => h.putAssignment(request, reply, scopeOf(request.params), request.params.roleAssignmentName, request.body));
    app.delete(`${assignments}/:roleAssignmentName`, {
      schema: { tags, operationId: `RoleAssignments_Delete${suffix}`, params: assignmentParams, querystring: ArmQuery, response: { 200: RoleAssignmentSchema, 204: Type.Null(), ...armErrors } },
    }, (request, reply) => h.deleteAssignment(request, reply, scopeOf(request.params), request.params.roleAssignmentName));

    app.get(definitions, {
      schema: { tags, operationId: `RoleDefinitions_List${suffix}`, params, querystring: ArmQuery, response: { 200: listOf(RoleDefinitionSchema), ...armErrors } },
    }, (request) => h.listDefinitions(request, scopeOf(request.params)));
    app.get(`${definitions}/:roleDefinitionId`, {
      schema: { tags, operationId: `RoleDefinitions_Get${suffix}`, params: definitionParams, querystring: ArmQuery, response: { 200: RoleDefinitionSchema, ...armErrors } },
    }, (request) => h.getDefinition(request, scopeOf(request.params), request.params.roleDefinitionId));
    app.put(`${definitions}/:roleDefinitionId`, {
      schema: {
        tags, operationId: `RoleDefinitions_CreateOrUpdate${suffix}`, params: definitionParams, querystring: ArmQuery, body: RoleDefinitionBody,
        response: { 200: RoleDefinitionSchema, 201: RoleDefinitionSchema, ...armErrors },
      },
    }, (request, reply) => h.putDefinition(request, reply, scopeOf(request.params), request.params.roleDefinitionId, request.body));
    app.delete(`${definitions}/:roleDefinitionId`, {
      schema: { tags, operationId: `RoleDefinitions_Delete${suffix}`, params: definitionParams, querystring: ArmQuery, response: { 200: RoleDefinitionSchema, 204: Type.Null(), ...armErrors } },
    }, (request, reply) => h.deleteDefinition(request, reply, scopeOf(request.params), request.params.roleDefinitionId));

    app.get(`${prefix}/${PROVIDER}/permissions`, {
      schema: { tags, operationId: `Permissions_List${suffix}`, params, querystring: ArmQuery, response: { 200: PermissionListSchema, ...armErrors } },
    }, (request) => h.permissions(request, scopeOf(request.params)));
  }

  return async (request, reply, path) => {
    const m = EXTENSION.exec(path);
    if (!m) return undefined;
    const [, at = '/', kind = '', name] = m;
    const method = request.method;
    switch (`${kind.toLowerCase()} ${method} ${name === undefined ? 'collection' : 'item'}`) {
      case 'roleassignments GET collection':
        return reply.send(await h.listAssignments(request, at));
      case 'roleassignments GET item':
        return reply.send(await h.getAssignment(request, at, name as string));
      case 'roleassignments PUT item':
        return h.putAssignment(request, reply, at, name as string, checkBody(RoleAssignmentBody, request.body));
      case 'roleassignments DELETE item':
        return h.deleteAssignment(request, reply, at, name as string);
      case 'roledefinitions GET collection':
        return reply.send(await h.listDefinitions(request, at));
      case 'roledefinitions GET item':
        return reply.send(await h.getDefinition(request, at, name as string));
      case 'permissions GET collection':
        return reply.send(h.permissions(request, at));
      default:
        throw invalid('UnsupportedResourceOperation', `The operation '${method}' is not supported on '${path}'.`, 'method');
    }
  };
}
