/**
 * Computes the canonical form of every request's path once, before authentication, so that
 * throttling, the guard, the handlers and the activity log all see the same path whatever its
 * spelling (`src/core/arm/request-path.ts`); an ambiguous spelling is refused here. The ARM
 * operation of that path is likewise read once, by whichever hook asks first.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { armOperation, type ArmOperation } from '../core/arm/request-action.js';
import { canonicalRequestPath, type CanonicalPath } from '../core/arm/request-path.js';

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
      request.canonical = canonicalRequestPath(request.url);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}

const operations = new WeakMap<FastifyRequest, ArmOperation>();

/** The ARM operation of the request's canonical path (throws for a path ARM would not route), computed once per request. */
export function armOperationOf(request: FastifyRequest): ArmOperation {
  let op = operations.get(request);
  if (op === undefined) operations.set(request, op = armOperation(request.method, request.canonical.path));
  return op;
}
