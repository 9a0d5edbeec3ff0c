/**
 * The operator plane: a platform operator creates tenants, users, groups (and members), service
 * principals with a client secret, and subscriptions, and grants and revokes the operator role
 * (docs/operations.md). The services authorize every call with the decision engine (only platform
 * operators act on `/providers/Lantern.Operator`); `api-version` is checked before the body, as on
 * every ARM route (src/http/api-version.ts); bodies are checked strictly (no coercion, no
 * unknown fields), so a mistyped field is refused by name rather than ignored.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { OPERATOR_SCOPE } from '../../core/rbac/operator-scope.js';
import type { DirectoryAdmin } from '../../services/operator/directory-admin.js';
import type { OperatorRoleService } from '../../services/operator/operator-role.js';
import { armErrors } from '../arm/arm-schemas.js';
import {
  GroupSchema, MemberParams, MembershipSchema, NewGroupBody, NewServicePrincipalBody, NewServicePrincipalSchema, NewSubscriptionBody, NewTenantBody,
  NewUserBody, NewUserSchema, OperatorQuery, PlatformOperatorSchema, PrincipalParams, SubscriptionSchema, TAGS, TenantParams, TenantSchema, listOf,
} from './operator-schemas.js';

const OPERATORS = `${OPERATOR_SCOPE}/operators`;
const TENANTS = `${OPERATOR_SCOPE}/tenants`;

/** Registers the operator plane's routes (inside the authenticated scope, in a scope of their own that validates strictly). */
export function registerOperatorRoutes(scope: FastifyInstance, deps: { operators: OperatorRoleService; directoryAdmin: DirectoryAdmin }): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { operators, directoryAdmin: admin } = deps;

  app.get(OPERATORS, {
    schema: { tags: TAGS, operationId: 'PlatformOperators_List', description: 'The principals holding the platform operator role.', querystring: OperatorQuery, response: { 200: listOf(PlatformOperatorSchema), ...armErrors } },
  }, async (request) => {
    return { value: await operators.list(request.ctx) };
  });

  app.put(`${OPERATORS}/:principalId`, {
    schema: {
      tags: TAGS, operationId: 'PlatformOperators_Grant', params: PrincipalParams, querystring: OperatorQuery,
      description: 'Grants the platform operator role to a user or service principal (of any tenant); granting it again changes nothing.',
      response: { 200: PlatformOperatorSchema, ...armErrors },
    },
  }, async (request) => {
    return operators.grant(request.ctx, request.params.principalId);
  });

  app.delete(`${OPERATORS}/:principalId`, {
    schema: {
      tags: TAGS, operationId: 'PlatformOperators_Revoke', params: PrincipalParams, querystring: OperatorQuery,
      description: "Revokes the platform operator role; the principal's next request is refused.",
      response: { 204: Type.Null(), ...armErrors },
    },
  }, async (request, reply) => {
    await operators.revoke(request.ctx, request.params.principalId);
    return reply.status(204).send(null);
  });

  app.get(TENANTS, {
    schema: { tags: TAGS, operationId: 'OperatorTenants_List', querystring: OperatorQuery, response: { 200: listOf(TenantSchema), ...armErrors } },
  }, async (request) => {
    return { value: await admin.listTenants(request.ctx) };
  });

  app.post(TENANTS, {
    schema: { tags: TAGS, operationId: 'OperatorTenants_Create', description: 'Creates a tenant (directory) with its default domain.', querystring: OperatorQuery, body: NewTenantBody, response: { 201: TenantSchema, ...armErrors } },
  }, async (request, reply) => {
    return reply.status(201).send(await admin.createTenant(request.ctx, request.body));
  });

  app.post(`${TENANTS}/:tenantId/users`, {
    schema: {
      tags: TAGS, operationId: 'OperatorUsers_Create', params: TenantParams, querystring: OperatorQuery, body: NewUserBody,
      description: 'Creates a member user; the answer holds its password, this once.',
      response: { 201: NewUserSchema, ...armErrors },
    },
  }, async (request, reply) => {
    const { user, password } = await admin.createUser(request.ctx, request.params.tenantId, request.body);
    return reply.status(201).send({ ...user, userType: 'Member' as const, password });
  });

  app.post(`${TENANTS}/:tenantId/groups`, {
    schema: { tags: TAGS, operationId: 'OperatorGroups_Create', params: TenantParams, querystring: OperatorQuery, body: NewGroupBody, response: { 201: GroupSchema, ...armErrors } },
  }, async (request, reply) => {
    return reply.status(201).send(await admin.createGroup(request.ctx, request.params.tenantId, request.body));
  });

  app.put(`${TENANTS}/:tenantId/groups/:groupId/members/:memberId`, {
    schema: {
      tags: TAGS, operationId: 'OperatorGroups_AddMember', params: MemberParams, querystring: OperatorQuery,
      description: 'Adds a user, group or service principal of the tenant to the group (nested groups are refused when they would make a cycle).',
      response: { 200: MembershipSchema, ...armErrors },
    },
  }, async (request) => {
    const { tenantId, groupId, memberId } = request.params;
    return admin.addGroupMember(request.ctx, tenantId, groupId, memberId);
  });

  app.post(`${TENANTS}/:tenantId/servicePrincipals`, {
    schema: {
      tags: TAGS, operationId: 'OperatorServicePrincipals_Create', params: TenantParams, querystring: OperatorQuery, body: NewServicePrincipalBody,
      description: 'Creates a service principal with a client secret (valid one year); the answer holds the secret value, this once.',
      response: { 201: NewServicePrincipalSchema, ...armErrors },
    },
  }, async (request, reply) => {
    const { servicePrincipal: sp, clientSecret } = await admin.createServicePrincipal(request.ctx, request.params.tenantId, request.body);
    const { id, hint, expiresAt } = clientSecret.secret;
    return reply.status(201).send({ id: sp.id, appId: sp.appId, tenantId: sp.tenantId, displayName: sp.displayName, clientSecret: { value: clientSecret.value, id, hint, expiresAt } });
  });

  app.post(`${TENANTS}/:tenantId/subscriptions`, {
    schema: { tags: TAGS, operationId: 'OperatorSubscriptions_Create', params: TenantParams, querystring: OperatorQuery, body: NewSubscriptionBody, response: { 201: SubscriptionSchema, ...armErrors } },
  }, async (request, reply) => {
    return reply.status(201).send(await admin.createSubscription(request.ctx, request.params.tenantId, request.body));
  });
}
