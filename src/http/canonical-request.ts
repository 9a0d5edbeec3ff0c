/**
 * Computes the canonical form of every request's path once, before authentication, so that
 * throttling, the guard, the handlers and the activity log all see the same path whatever its
 * spelling (`src/core/arm/request-path.ts`); an ambiguous spelling is refused here. The ARM
 * operation of that path is likewise read once, by whichever hook asks first.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { armOperation, type ArmOperation } from '../core/arm/request-action.js';
import { canonicalRequestPath, type CanonicalPath } from '../core/arm/request-path.js';
import { invalid } from '../core/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request path in its one canonical form and its case-folded key. */
    canonical: CanonicalPath;
  }
}

/** Adds `request.canonical` to every request of `app`. */
export function registerCanonicalPath(app: FastifyInstance): void {
  app.decorateRequest('canonical', null as unknown as CanonicalPath);
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      const refused = routerOnlySpelling(request.url);
      if (refused !== undefined) throw invalid('InvalidResourceId', `The request path '${request.url.split('?', 1)[0]?.slice(0, 300) ?? ''}' is not a valid Azure Resource Manager path: ${refused}.`, 'path');
      request.canonical = canonicalRequestPath(request.url);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}

/**
 * Request targets the router (find-my-way) reads otherwise than `canonicalRequestPath`, which would
 * let the guard authorize one path (and the activity log record it) while the router runs another:
 * - a raw `#`, where the router ends the path (as at `?`): `PUT …/roleAssignments/{id}#/providers/Microsoft.Web/sites/x`
 *   ran the role-assignment route once `Microsoft.Web/sites/write` was authorized;
 * - the absolute form (`PUT https://host/partner-center/…`), whose scheme and host the router drops, so
 *   the activity log saw no known target and a refused write went unlogged.
 * Clients send neither (fragments never leave the client; proxies forward the origin form).
 */
function routerOnlySpelling(url: string): string | undefined {
  if (!url.startsWith('/')) return 'the request target must be a path (origin form), not an absolute URL';
  const hash = url.indexOf('#');
  if (hash === -1) return undefined;
  const query = url.indexOf('?');
  return query === -1 || hash < query ? "it holds an unescaped '#'" : undefined;
}

const operations = new WeakMap<FastifyRequest, ArmOperation>();

/** The ARM operation of the request's canonical path (throws for a path ARM would not route), computed once per request. */
export function armOperationOf(request: FastifyRequest): ArmOperation {
  let op = operations.get(request);
  if (op === undefined) operations.set(request, op = armOperation(request.method, request.canonical.path));
  return op;
}
