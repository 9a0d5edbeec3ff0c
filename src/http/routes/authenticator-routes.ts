/**
 * Lantern's self-service TOTP enrolment, `/lantern/me/authenticator` (Entra has only a portal page
 * for it, "Security info"): the signed-in user starts an enrolment (the secret and its otpauth://
 * URI are answered this once), confirms it with the app's current code, reads its state, and
 * removes it. The rules are the my-authenticator service's.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { MyAuthenticator } from '../../services/identity/my-authenticator.js';
import { ErrorResponseSchema } from '../arm/arm-schemas.js';

const PATH = '/lantern/me/authenticator';
const TAGS = ['Lantern'];
const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema, 404: ErrorResponseSchema, 409: ErrorResponseSchema };

const InfoSchema = Type.Object({
  state: Type.Union([Type.Literal('pending'), Type.Literal('active')], { description: 'pending until confirmed with a code; active asks for a code at every sign-in.' }),
  createdAt: Type.String(),
  activatedAt: Type.Optional(Type.String()),
});
const EnrolmentSchema = Type.Object({
  secret: Type.String({ description: 'Base32, to type into an authenticator app. Shown only in this answer.' }),
  otpauthUri: Type.String({ description: 'otpauth://totp/… for a QR code. Shown only in this answer.' }),
  algorithm: Type.Literal('SHA1'),
  digits: Type.Literal(6),
  period: Type.Literal(30),
});
const ConfirmBody = Type.Object({ code: Type.String({ description: 'The 6 digits the authenticator app shows now.' }) }, { additionalProperties: false });

/** Registers the self-service authenticator routes inside an authenticated scope. */
export function registerAuthenticatorRoutes(scope: FastifyInstance, mine: MyAuthenticator): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const security = [{ bearer: [] }];
  app.get(PATH, { schema: { tags: TAGS, summary: "The caller's TOTP authenticator (never its secret)", security, response: { 200: InfoSchema, ...errors } } }, (request) => mine.get(request.ctx));
  app.post(PATH, { schema: { tags: TAGS, summary: 'Start a TOTP enrolment: a new secret, answered once', security, response: { 201: EnrolmentSchema, ...errors } } }, async (request, reply) => {
    const enrolment = await mine.begin(request.ctx);
    // The secret exists outside the store only in this answer: no cache may keep it.
    return reply.code(201).header('cache-control', 'no-store').send(enrolment);
  });
  app.post(`${PATH}/confirm`, { schema: { tags: TAGS, summary: 'Activate the pending enrolment with a current code', security, body: ConfirmBody, response: { 200: InfoSchema, ...errors } } }, (request) =>
    mine.confirm(request.ctx, request.body.code));
  app.delete(PATH, { schema: { tags: TAGS, summary: "Remove the caller's authenticator (an active one needs a sign-in that passed it)", security, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await mine.remove(request.ctx);
    return reply.code(204).send(null);
  });
}
