/**
 * The HTTP server: one Fastify instance with TypeBox schemas on every route (which also feed the
 * OpenAPI document at /openapi.json and its browsable UI at /docs), ARM request ids and error
 * envelope, and the route modules registered in `routes.ts`.
 */
import Fastify, { type FastifyInstance, type FastifySchema } from 'fastify';
import Type, { type TObject } from 'typebox';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { registerApiVersionRequirement } from './api-version.js';
import { registerCanonicalPath } from './canonical-request.js';
import { registerJsonBodyParser } from './json-body.js';
import { buildLazySerializer, buildLazyValidator } from './lazy-compilers.js';
import { answerClientError, sendPlaneError } from './plane-errors.js';
import { isSignInPage, sendSignInError } from './routes/sign-in-routes.js';
import { BEARER_SCHEME, registerRequestIds } from './request-context.js';
import { registerRoutes } from './routes.js';
import type { Services } from '../app/services.js';
import { notFound } from '../core/errors.js';

export interface AppOptions {
  readonly services: Services;
  readonly logLevel: string;
}

/**
 * A wildcard route (the generic resource paths, `…/providers/*`) is documented with the wildcard
 * named `resourcePath`, as ARM's own specifications name that part of a resource id, instead of
 * Fastify's `{*}`.
 */
function namedWildcard({ schema, url }: { schema: FastifySchema; url: string }): { schema: FastifySchema; url: string } {
  const params = schema.params as TObject | undefined;
  if (!url.endsWith('*') || !params) return { schema, url };
  const { '*': rest, ...named } = params.properties;
  return { url: `${url.slice(0, -1)}:resourcePath`, schema: { ...schema, params: Type.Object({ ...named, resourcePath: rest ?? Type.String() }) } };
}

/** Builds the server without listening; the caller decides on HTTP, HTTPS or both. */
export async function buildApp(options: AppOptions, https?: { cert: string; key: string }): Promise<FastifyInstance> {
  const app = Fastify({
    // Silent means no logger at all, so no request pays for a child logger it never writes to.
    logger: options.logLevel === 'silent' ? false : {
      level: options.logLevel,
      // Secrets never reach the log: no bodies, and credential headers are redacted.
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    // ARM matches paths case-insensitively and ignores doubled and trailing slashes; the SDKs rely on
    // the first two (`/resourcegroups/`, `//subscriptions/…` from `/{+resourceId}` templates). The
    // guard, throttling and the activity log read the same canonical path (canonical-request.ts).
    // A path parameter may hold a DNS name (a tenant's domain), not more.
    routerOptions: { caseSensitive: false, ignoreDuplicateSlashes: true, ignoreTrailingSlash: true, maxParamLength: 253 },
    bodyLimit: 8 * 1024 * 1024,
    // Errors raised before a route runs answer in the envelope of the path's plane too (a page on the sign-in pages).
    frameworkErrors: (error, request, reply) => {
      void (isSignInPage(request.url) ? sendSignInError : sendPlaneError)(error, request, reply);
    },
    clientErrorHandler: answerClientError,
    schemaController: { compilersFactory: { buildValidator: buildLazyValidator, buildSerializer: buildLazySerializer } },
    ...(https ? { https } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler(sendPlaneError);
  app.setNotFoundHandler((request, reply) =>
    sendPlaneError(notFound('NotFound', `No route matches '${request.method} ${request.url.split('?')[0]?.slice(0, 300) ?? ''}'.`), request, reply),
  );
  registerRequestIds(app);
  registerCanonicalPath(app);
  registerJsonBodyParser(app, { emptyIsUndefined: false });
  registerApiVersionRequirement(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Lantern', version: '0.1.0', description: 'Azure Resource Manager, Microsoft.ManagedServices, Entra ID token and Partner Center product-ingestion surfaces of Lantern.' },
      components: { securitySchemes: BEARER_SCHEME },
    },
    transform: namedWildcard,
  });
  // The console sends whatever token is pasted into it: no other site may frame it (clickjacking).
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiHooks: {
      onRequest: (_request, reply, done) => {
        void reply.header('x-frame-options', 'DENY').header('content-security-policy', "frame-ancestors 'none'");
        done();
      },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  await registerRoutes(app, options.services);
  return app;
}
