/**
 * Per-request identity: request ids on every response, and bearer-token authentication for the
 * routes registered inside `withAuthentication`, which is also where /openapi.json learns that
 * those operations need a token (and the others none).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../core/errors.js';
import type { Caller } from '../core/identity/model.js';
import type { RequestContext } from '../services/context.js';

/** Turns a bearer token into the caller, or throws a DomainError of kind 'unauthenticated'. */
export interface Authenticator {
  verify(token: string): Promise<Caller>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for authenticated routes; the caller and the ids ARM echoes. */
    ctx: RequestContext;
    correlationId: string;
  }
}

/** Adds `x-ms-request-id` and `x-ms-correlation-request-id` to every response. */
export function registerRequestIds(app: FastifyInstance): void {
  app.decorateRequest('correlationId', '');
  // A callback hook, not an async one: every request runs it, and it has nothing to wait for.
  app.addHook('onRequest', (request, reply, done) => {
    const given = request.headers['x-ms-correlation-request-id'];
    request.correlationId = typeof given === 'string' && given.length > 0 && given.length <= 100 ? given : randomUUID();
    void reply.header('x-ms-request-id', request.id);
    void reply.header('x-ms-correlation-request-id', request.correlationId);
    done();
  });
}

/** The OpenAPI security scheme of every authenticated operation (Swagger UI's Authorize fills it in). */
export const BEARER_SCHEME = { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from /{tenant}/oauth2/v2.0/token for https://management.azure.com/.default.' } } as const;
const BEARER_REQUIRED = [{ bearer: [] }];

function bearer(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) {
    throw new DomainError('unauthenticated', 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) {
    throw new DomainError('unauthenticated', 'InvalidAuthenticationToken', "The access token is invalid. The 'Authorization' header must be 'Bearer {token}'.");
  }
  return match[1];
}

/** Every route registered by `register` requires a valid bearer token; `request.ctx` carries the caller. */
export async function withAuthentication(
  app: FastifyInstance,
  auth: { readonly authenticator: Authenticator; /** Where clients get tokens, e.g. `https://localhost:8443/common`. */ readonly authority: string },
  register: (scoped: FastifyInstance) => Promise<void> | void,
): Promise<void> {
  await app.register(async (scoped) => {
    scoped.decorateRequest('ctx', null as unknown as RequestContext);
    // Declared where it is enforced, so no route can need a token without its operation saying so.
    scoped.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, security: BEARER_REQUIRED };
    });
    scoped.addHook('onRequest', async (request, reply) => {
      try {
        const caller = await auth.authenticator.verify(bearer(request));
        request.ctx = { caller, correlationId: request.correlationId, requestId: request.id };
      } catch (error) {
        void reply.header('www-authenticate', `Bearer authorization_uri="${auth.authority}", error="invalid_token"`);
        throw error;
      }
    });
    await register(scoped);
  });
}
