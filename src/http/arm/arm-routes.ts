/**
 * The resource plane of ARM (Microsoft.Resources, Microsoft.Authorization, the activity log) as one
 * encapsulated plugin, so the guard and the activity recording apply to exactly these routes.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';
import { registerActivityLogRoutes } from './activity-log-routes.js';
import { registerArmGuard } from './arm-guard.js';
import { registerAuthorizationRoutes } from './authorization-routes.js';
import { registerElevateAccessRoutes } from './elevate-access-routes.js';
import { registerPimRoutes } from './pim-routes.js';
import { registerResourceRoutes } from './resource-routes.js';
import { registerJsonBodyParser } from '../json-body.js';

/** Registers the resource-plane routes inside an authenticated scope. */
export async function registerResourcePlaneRoutes(scope: FastifyInstance, services: Services): Promise<void> {
  await scope.register((arm, _options, done) => {
    registerJsonBodyParser(arm, { emptyIsUndefined: true });
    registerArmGuard(arm, { access: services.access });
    const authorization = registerAuthorizationRoutes(arm, services.rbac, services.resources);
    registerPimRoutes(arm, services.activations);
    registerResourceRoutes(arm, services.resources, authorization);
    registerElevateAccessRoutes(arm, services.elevateAccess);
    registerActivityLogRoutes(arm, { activity: services.activity, resources: services.resources, clock: services.clock });
    done();
  });
}
