/**
 * The signed-in user's own TOTP authenticator (`/lantern/me/authenticator`): enrol (the secret shown
 * once), confirm with a code, read its state, remove. The rules of who may are
 * core/identity/authenticator-rules.ts; the authenticator itself is authenticators.ts.
 */
import { assertThat, notFound } from '../../core/errors.js';
import { assertMayRemoveAuthenticator, selfServiceUser } from '../../core/identity/authenticator-rules.js';
import type { RequestContext } from '../context.js';
import type { AuthenticatorEnrolment, AuthenticatorInfo, Authenticators } from './authenticators.js';

export interface MyAuthenticator {
  /** The caller's authenticator (never its secret). */
  get(ctx: RequestContext): Promise<AuthenticatorInfo>;
  /** Starts an enrolment: a new secret and its otpauth:// URI, shown this once. */
  begin(ctx: RequestContext): Promise<AuthenticatorEnrolment>;
  /** Activates the pending enrolment with the app's current code. */
  confirm(ctx: RequestContext, code: string): Promise<AuthenticatorInfo>;
  /** Removes the caller's authenticator (an active one only with a token that passed it). */
  remove(ctx: RequestContext): Promise<void>;
}

/** The self-service API over the authenticators. */
export function createMyAuthenticator(authenticators: Authenticators): MyAuthenticator {
  return {
    async get(ctx) {
      const userId = selfServiceUser(ctx.caller).objectId;
      const held = await authenticators.get(userId);
      assertThat(held, () => notFound('AuthenticatorNotFound', `The user '${userId}' has no authenticator.`));
      return held;
    },
    begin: (ctx) => authenticators.beginEnrolment(selfServiceUser(ctx.caller).objectId),
    confirm: (ctx, code) => authenticators.confirmEnrolment(selfServiceUser(ctx.caller).objectId, code),
    remove(ctx) {
      const user = selfServiceUser(ctx.caller);
      return authenticators.remove(user.objectId, (held) => assertMayRemoveAuthenticator(user, held.state));
    },
  };
}
