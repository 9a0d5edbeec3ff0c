/** Proof Key for Code Exchange (RFC 7636): the rules for challenges and verifiers. */
import { createHash, timingSafeEqual } from 'node:crypto';

export type PkceMethod = 'S256' | 'plain';

// RFC 7636 §4.1: 43 to 128 unreserved characters (a challenge has the same form).
const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

/** True when `value` has the form of a code verifier or code challenge. */
export function isPkceValue(value: string): boolean {
  return PKCE_VALUE.test(value);
}

/** The S256 challenge of a verifier: BASE64URL(SHA-256(verifier)). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** True when `verifier` answers the `challenge` made with `method`. */
export function pkceMatches(challenge: string, method: PkceMethod, verifier: string): boolean {
  if (!isPkceValue(verifier)) return false;
  const expected = Buffer.from(challenge);
  const actual = Buffer.from(method === 'S256' ? s256Challenge(verifier) : verifier);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
