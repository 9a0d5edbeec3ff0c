/**
 * The opaque credentials of the interactive sign-in (authorization codes, refresh tokens, device
 * codes): random values handed out once, of which the store keeps only a SHA-256 hash. They carry
 * 256 random bits, so a fast hash suffices (nothing to guess, unlike a password).
 */
import { createHash, randomBytes } from 'node:crypto';

/** A fresh opaque credential (43 base64url characters). */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The key a credential is stored under: its SHA-256, hex. */
export function opaqueTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
