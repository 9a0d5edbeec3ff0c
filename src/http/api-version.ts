/**
 * ARM's `api-version` query parameter: the one schema every ARM route's query uses (so /openapi.json
 * marks it required), and the checks that answer with ARM's 400s before the route's schema is
 * applied, as ARM checks the version before it reads the body: absent (every such route,
 * `MissingApiVersionParameter`), then not one of the resource type's versions (the ARM routes,
 * `InvalidApiVersionParameter` / `NoRegisteredProviderFound`, core/arm/api-versions.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { missingApiVersion, requireApiVersion } from '../core/arm/api-versions.js';
import { invalid } from '../core/errors.js';
import { armOperationOf } from './canonical-request.js';

/** The `api-version` property of a route's query schema: required, with what it takes. */
export function apiVersionParameter(description = 'The API version of the resource type, e.g. 2022-10-01 (docs/api.md lists the versions each type accepts).') {
  return Type.String({ description });
}

/** The `api-version` of a request as given: undefined when absent or empty, refused when repeated. */
export function givenApiVersion(query: unknown): string | undefined {
  const given = (query as Record<string, unknown>)['api-version'];
  if (given === undefined || given === '') return undefined;
  if (typeof given === 'string') return given;
  throw invalid('InvalidApiVersionParameter', 'The api-version query parameter (?api-version=) must be given once, with one value.', 'api-version');
}

function requiresApiVersion(request: FastifyRequest): boolean {
  const query = request.routeOptions.schema?.querystring as { required?: readonly string[] } | undefined;
  return query?.required?.includes('api-version') ?? false;
}

/** Refuses a request without `api-version` on every route whose query schema requires it (call on the root app). */
export function registerApiVersionRequirement(app: FastifyInstance): void {
  // preValidation runs before the route's own schema and before the hooks of nested scopes (the guard).
  app.addHook('preValidation', (request, _reply, done) => {
    try {
      done(requiresApiVersion(request) && givenApiVersion(request.query) === undefined ? missingApiVersion() : undefined);
    } catch (error) {
      done(error as Error);
    }
  });
}

/**
 * Refuses a version the addressed resource type does not support, on every route of `scope` whose
 * query schema requires `api-version` (call inside the authenticated scope, before the route modules).
 */
export function registerArmApiVersionCheck(scope: FastifyInstance): void {
  scope.addHook('preValidation', (request, _reply, done) => {
    try {
      if (requiresApiVersion(request)) requireApiVersion(armOperationOf(request).resourceType, givenApiVersion(request.query));
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}
