/**
 * Computes the canonical form of every request's path once, before authentication, so that
 * throttling, the guard, the handlers and the activity log all see the same path whatever its
 * spelling (`src/core/arm/request-path.ts`); an ambiguous spelling is refused here.
 */
import type { FastifyInstance } from 'fastify';
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
