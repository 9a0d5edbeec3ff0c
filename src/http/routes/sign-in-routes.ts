/**
 * The interactive sign-in's pages: `/{tenant}/oauth2/v2.0/authorize` (GET, or POST with the
 * request as a form, as OpenID Connect allows; POST with `flow` is the sign-in page's own form)
 * and `/devicelogin`. HTML in, HTML or a redirect to the app out; the flow's rules live in the
 * sign-in service. Every page is `no-store`, may not be framed, and runs no script but a nonced one.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { SignInFlow, SignInView } from '../../services/identity/sign-in-flow.js';
import { aadErrorOf } from '../plane-errors.js';
import { acceptFormBodies } from './identity-routes.js';
import { renderFormPost, renderSignInPage, type RenderedPage } from './sign-in-pages.js';

export interface SignInRoutesOptions {
  readonly signIn: SignInFlow;
}

const TAGS = ['Identity (Entra ID v2)'];
// `__Host-`: only ever set over HTTPS, for the whole host, by the host itself.
const COOKIE = '__Host-lantern-signin';
const TenantParams = Type.Object({ tenant: Type.String({ description: 'Tenant id (GUID), a domain of the tenant, or common/organizations.' }) });
const Fields = Type.Record(Type.String(), Type.String());
const AuthorizeQuery = Type.Object(
  {
    client_id: Type.Optional(Type.String()),
    response_type: Type.Optional(Type.String({ description: "'code'." })),
    redirect_uri: Type.Optional(Type.String({ description: 'Exactly one of the redirect URIs registered for the app (web, spa or publicClient platform).' })),
    scope: Type.Optional(Type.String({ description: 'One resource (e.g. https://management.azure.com/user_impersonation) and openid, profile, offline_access.' })),
    state: Type.Optional(Type.String()),
    nonce: Type.Optional(Type.String()),
    response_mode: Type.Optional(Type.String({ description: 'query (default), fragment or form_post.' })),
    code_challenge: Type.Optional(Type.String({ description: 'PKCE; required (S256) for spa and publicClient redirect URIs.' })),
    code_challenge_method: Type.Optional(Type.String({ description: 'S256 or plain.' })),
    prompt: Type.Optional(Type.String({ description: 'login, select_account, consent, create; none is refused with login_required (no browser session).' })),
    login_hint: Type.Optional(Type.String()),
  },
  { additionalProperties: Type.String() },
);
const Html = Type.String({ description: 'An HTML page.' });

function cookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return undefined;
}

/** The browser's sign-in nonce: the one its cookie holds, or a new one set now. */
function browserNonce(request: FastifyRequest, reply: FastifyReply): string {
  const held = cookieOf(request);
  if (held !== undefined && /^[A-Za-z0-9_-]{43}$/.test(held)) return held;
  const fresh = randomBytes(32).toString('base64url');
  void reply.header('set-cookie', `${COOKIE}=${fresh}; Path=/; Secure; HttpOnly; SameSite=Lax`);
  return fresh;
}

function send(reply: FastifyReply, rendered: RenderedPage, nonce: string, formTarget?: string): FastifyReply {
  const formAction = formTarget === undefined ? "'self'" : `'self' ${new URL(formTarget).origin}`;
  return reply.status(rendered.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('content-security-policy', `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`)
    .send(rendered.html);
}

/** Shows a view: a page, or the answer to the app (a redirect, or form_post's self-posting form). */
function show(reply: FastifyReply, view: SignInView, action: string): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  if (view.kind !== 'answer') return send(reply, renderSignInPage(view, action, nonce), nonce);
  const params = new URLSearchParams(view.params).toString();
  if (view.responseMode === 'form_post') return send(reply, renderFormPost(view.redirectUri, view.params, nonce), nonce, view.redirectUri);
  const location = view.responseMode === 'fragment' ? `${view.redirectUri}#${params}` : `${view.redirectUri}${view.redirectUri.includes('?') ? '&' : '?'}${params}`;
  return reply.status(302).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('location', location).send();
}

// The pages' paths, spelled as the router matches them (any case, doubled or trailing slashes).
const SIGN_IN_PAGE = /^\/+(?:[^/?]+\/+oauth2\/+v2\.0\/+authorize|devicelogin)\/*(?:\?|$)/i;

/** Whether a request URL is one of the sign-in pages, whose errors are pages too. */
export function isSignInPage(url: string): boolean {
  return SIGN_IN_PAGE.test(url);
}

/** Answers a failure the flow did not turn into a page (a malformed request) as a page naming its AADSTS code. */
export function sendSignInError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const aadError = aadErrorOf(error);
  if (aadError.status >= 500) request.log.error({ err: error }, 'sign-in page failed');
  return show(reply, { kind: 'error', error: aadError }, request.url);
}

/** The sign-in pages as a Fastify plugin; register it outside the ARM authentication scope. */
export const signInRoutes: FastifyPluginCallbackTypebox<SignInRoutesOptions> = (app, { signIn }, done) => {
  acceptFormBodies(app);
  app.setErrorHandler(sendSignInError);

  const authorizePath = (tenant: string) => `/${encodeURIComponent(tenant)}/oauth2/v2.0/authorize`;
  const page = { tags: TAGS, produces: ['text/html'], response: { 200: Html, 302: Type.Null(), 400: Html } };
  const form = { ...page, consumes: ['application/x-www-form-urlencoded'], body: Fields };

  app.get('/:tenant/oauth2/v2.0/authorize', {
    schema: { ...page, summary: 'Authorization endpoint: the sign-in page (authorization code with PKCE)', params: TenantParams, querystring: AuthorizeQuery },
  }, async (request, reply) => {
    const { tenant } = request.params;
    return show(reply, await signIn.authorize(tenant, request.query, browserNonce(request, reply)), authorizePath(tenant));
  });

  app.post('/:tenant/oauth2/v2.0/authorize', {
    schema: { ...form, summary: 'Authorization endpoint: a request sent as a form, or the sign-in page posted', params: TenantParams },
    preValidation: (request, _reply, next) => {
      request.body ??= {};
      next();
    },
  }, async (request, reply) => {
    const { tenant } = request.params;
    const fields = request.body;
    const view = fields.flow === undefined
      ? await signIn.authorize(tenant, fields, browserNonce(request, reply))
      : await signIn.submit(fields.flow, cookieOf(request), fields, request.ip);
    return show(reply, view, authorizePath(tenant));
  });

  app.get('/devicelogin', { schema: { ...page, summary: 'Device-code sign-in: enter the code a device shows' } }, async (request, reply) => {
    browserNonce(request, reply);
    return show(reply, { kind: 'device-code' }, '/devicelogin');
  });

  app.post('/devicelogin', {
    schema: { ...form, summary: 'Device-code sign-in: the code, then the sign-in page posted' },
    preValidation: (request, _reply, next) => {
      request.body ??= {};
      next();
    },
  }, async (request, reply) => {
    const fields = request.body;
    const view = fields.flow === undefined
      ? await signIn.deviceCode(fields.user_code ?? '', browserNonce(request, reply))
      : await signIn.submit(fields.flow, cookieOf(request), fields, request.ip);
    return show(reply, view, '/devicelogin');
  });
  done();
};
