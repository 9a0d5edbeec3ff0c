/**
 * Which route modules the server has. Each module owns its paths and schemas; the ones inside
 * `withAuthentication` need a bearer token.
 */
import type { FastifyInstance } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { Services } from '../app/services.js';
import { lazyValidatorCompiler } from './lazy-compilers.js';
import { withAuthentication } from './request-context.js';
import { registerArmApiVersionCheck } from './api-version.js';
import { registerManagedServicesRoutes } from './arm/managed-services-routes.js';
import { registerServiceProvidersRoutes } from './arm/service-providers-routes.js';
import { registerDeploymentRoutes } from './arm/deployments-routes.js';
import { registerPartnerCenterRoutes } from './partner-center/partner-center-routes.js';
import { registerIngestionRoutes } from './partner-center/ingestion-routes.js';
import { registerReferralsRoutes } from './partner-center/referrals-routes.js';
import { registerActivityLog, registerArmThrottling } from './arm/arm-guard.js';
import { marketplaceDocs } from '../services/marketplace/records.js';
import { cloudMetadataRoute } from './routes/cloud-metadata-route.js';
import { registerResourcePlaneRoutes } from './arm/arm-routes.js';
import { identityRoutes } from './routes/identity-routes.js';
import { signInRoutes } from './routes/sign-in-routes.js';
import { registerStorefrontRoutes } from './marketplace/storefront-routes.js';
import { registerExplainRoute } from './routes/explain-route.js';
import { registerAuthenticatorRoutes } from './routes/authenticator-routes.js';
import { registerOperatorRoutes } from './operator/operator-routes.js';
import { registerPortalApp } from './routes/portal-app-route.js';

/** Registers every route module on the app. */
export async function registerRoutes(app: FastifyInstance, services: Services): Promise<void> {
  app.get('/health', { schema: { hide: true } }, () => ({ status: 'ok' }));
  // The portal's page and files are public; the app signs in and calls the APIs below with the user's token.
  registerPortalApp(app);
  await app.register(cloudMetadataRoute, { baseUrl: services.config.publicUrl });
  // The Entra ID v2 token surface is public: it is how callers get their bearer tokens.
  await app.register(identityRoutes, { tokens: services.identity.tokens, discovery: services.identity.discovery, clock: services.clock, devices: services.identity.devices, adfs: services.identity.adfs });
  await app.register(signInRoutes, { signIn: services.identity.signIn });
  await withAuthentication(app, { authenticator: services.authenticator, authority: `${services.config.publicUrl}/common` }, async (arm) => {
    registerArmThrottling(arm, services.throttle);
    registerArmApiVersionCheck(arm);
    registerActivityLog(arm, {
      activity: services.activity,
      publisherTenant: async (id) => (await marketplaceDocs(services.store).getPublisher(id))?.tenantId,
    });
    registerManagedServicesRoutes(arm, services.delegation);
    registerServiceProvidersRoutes(arm, services);
    registerDeploymentRoutes(arm, services.deployments);
    await registerResourcePlaneRoutes(arm, services);
    // Partner Center bodies are checked strictly (no coercion, no stripping): a value the core does
    // not know is refused here rather than stored and failing every later read.
    await arm.register((partnerCenter, _options, done) => {
      partnerCenter.setValidatorCompiler(lazyValidatorCompiler(TypeBoxValidatorCompiler));
      registerPartnerCenterRoutes(partnerCenter, services.marketplace);
      done();
    });
    // Referrals' query strings ($top, dates) are coerced like every other query.
    registerReferralsRoutes(arm, services.marketplace);
    registerExplainRoute(arm, services.explain);
    registerAuthenticatorRoutes(arm, services.identity.myAuthenticator);
    await arm.register((operator, _options, done) => {
      operator.setValidatorCompiler(lazyValidatorCompiler(TypeBoxValidatorCompiler));
      registerOperatorRoutes(operator, services);
      done();
    });
    await registerIngestionRoutes(arm, services.marketplace);
    registerStorefrontRoutes(arm, services.storefront, services.acquisitions, services.contactMe);
  });
}
