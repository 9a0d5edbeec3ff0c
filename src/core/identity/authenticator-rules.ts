/**
 * Who may manage a TOTP authenticator through Lantern's self-service API: a user, for itself only
 * (there is no user id in the request to name anyone else). Removing an active authenticator takes
 * a sign-in that passed it (`amr` with `mfa`): a stolen password alone must not swap the second
 * factor for the thief's. A lost phone is the operator's case (`lantern authenticator remove`).
 */
import { DomainError } from '../errors.js';
import type { Caller } from './model.js';

/** The caller as the user whose authenticator it manages; a service principal (or the system) has none. */
export function selfServiceUser(caller: Caller | 'system'): Caller {
  if (caller === 'system' || caller.principalType !== 'User') {
    const who = caller === 'system' ? 'Lantern itself' : `the client '${caller.appId}', a service principal`;
    throw new DomainError('forbidden', 'AuthenticatorNotForServicePrincipals', `The caller is ${who}: only a signed-in user enrols an authenticator, for itself.`);
  }
  return caller;
}

/** Refuses removing an active authenticator with a token that did not pass it. */
export function assertMayRemoveAuthenticator(caller: Caller, state: 'pending' | 'active'): void {
  if (state === 'active' && !(caller.authenticationMethods ?? []).includes('mfa')) {
    throw new DomainError('forbidden', 'MultiFactorAuthenticationRequired', 'Removing an active authenticator needs a sign-in that passed it (amr "mfa"): sign in with your code first, or ask the operator if the phone is lost.');
  }
}
