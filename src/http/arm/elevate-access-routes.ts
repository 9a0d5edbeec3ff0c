/**
 * `POST /providers/Microsoft.Authorization/elevateAccess?api-version=2016-07-01`: a Global
 * Administrator becomes User Access Administrator at `/` of its own tenant (200, no body). The
 * service decides who may (a directory role, not an RBAC action), so the guard leaves it to it.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ElevateAccessService } from '../../services/authorization/elevate-access.js';
import { ArmQuery, armErrors } from './arm-schemas.js';

/** Registers the elevateAccess route (inside the resource plane, which checks its api-version). */
export function registerElevateAccessRoutes(scope: FastifyInstance, elevate: ElevateAccessService): void {
  scope.withTypeProvider<TypeBoxTypeProvider>().post('/providers/Microsoft.Authorization/elevateAccess', {
    config: { armAuthorization: 'caller' },
    schema: {
      tags: ['Microsoft.Authorization'],
      operationId: 'GlobalAdministrator_ElevateAccess',
      description: 'Elevates access for a Global Administrator: User Access Administrator at the root scope "/" of the caller\'s tenant.',
      querystring: ArmQuery,
      response: { 200: Type.Null(), ...armErrors },
    },
  }, async (request, reply) => {
    await elevate.elevate(request.ctx);
    return reply.status(200).send(null);
  });
}
