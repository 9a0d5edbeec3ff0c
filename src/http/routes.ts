/**
 * Which route modules the server has. Each module owns its paths and schemas; the ones inside
 * `withAuthentication` need a bearer token.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app/services.js';
import { withAuthentication } from './request-context.js';
import { registerManagedServicesRoutes } from './arm/managed-services-routes.js';

/** Registers every route module on the app. */
export async function registerRoutes(app: FastifyInstance, services: Services): Promise<void> {
  app.get('/health', { schema: { hide: true } }, () => ({ status: 'ok' }));
  await withAuthentication(app, services.authenticator, (arm) => {
    // ARM route modules are registered here.
    registerManagedServicesRoutes(arm, services.delegation);
  });
}
