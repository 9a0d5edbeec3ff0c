/**
 * Lantern's own explain route: `GET /lantern/explain?action=…&scope=…[&principalId=…][&dataAction=true]`
 * answers whether the principal (the caller when absent) may perform the action at the scope, with
 * the grants that allow it (role, scope, group or delegation) or why nothing does. Who may ask about
 * whom is the explain service's rule.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ExplainService } from '../../services/authorization/explain-service.js';
import { ErrorResponseSchema } from '../arm/arm-schemas.js';

const Query = Type.Object({
  action: Type.String({ minLength: 1, description: 'An RBAC action, e.g. Microsoft.Compute/virtualMachines/write.' }),
  scope: Type.String({ minLength: 1, description: 'A scope or resource id.' }),
  principalId: Type.Optional(Type.String({ description: 'The user or service principal asked about; the caller when absent.' })),
  dataAction: Type.Optional(Type.Boolean({ description: 'true when `action` is a data action.' })),
});

const GrantSchema = Type.Object({
  source: Type.String({ description: 'roleAssignment, delegation (Lighthouse) or eligibleActivation.' }),
  id: Type.String(),
  roleDefinitionId: Type.String(),
  roleName: Type.String(),
  scope: Type.String(),
  principalId: Type.String(),
  viaGroup: Type.Optional(Type.String()),
  registrationDefinitionId: Type.Optional(Type.String()),
  delegatedRoleDefinitionIds: Type.Optional(Type.Array(Type.String())),
});

const ExplanationSchema = Type.Object({
  allowed: Type.Boolean(),
  action: Type.String(),
  scope: Type.String(),
  principal: Type.Object({ id: Type.String(), tenantId: Type.String(), type: Type.String(), displayName: Type.String() }),
  grants: Type.Array(GrantSchema),
  deniedBy: Type.Optional(Type.Object({ denyAssignmentId: Type.String(), scope: Type.String() })),
  reason: Type.String(),
});

/** Registers `GET /lantern/explain` inside an authenticated scope. */
export function registerExplainRoute(scope: FastifyInstance, explain: ExplainService): void {
  scope.withTypeProvider<TypeBoxTypeProvider>().get('/lantern/explain', {
    schema: {
      tags: ['Lantern'],
      summary: 'May a principal perform an action at a scope, and why?',
      querystring: Query,
      response: { 200: ExplanationSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema, 404: ErrorResponseSchema },
    },
  }, async (request) => {
    const answer = await explain.explain(request.ctx, {
      action: request.query.action,
      scope: request.query.scope,
      ...(request.query.principalId !== undefined ? { principalId: request.query.principalId } : {}),
      ...(request.query.dataAction !== undefined ? { dataAction: request.query.dataAction } : {}),
    });
    // The engine hands out read-only lists; the serializer only reads them.
    return answer as Type.Static<typeof ExplanationSchema>;
  });
}
