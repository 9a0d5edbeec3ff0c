/**
 * Password hashing (argon2id), client-secret digests and Entra-like client-secret generation.
 *
 * Passwords follow the OWASP Password Storage Cheat Sheet's first argon2id configuration:
 * m = 19 MiB, t = 2 passes, p = 1 lane, 32-byte output, 16-byte random salt. One verification
 * costs a few tens of milliseconds, so a sign-in stays fast while offline guessing stays expensive.
 * The PHC string records the parameters, so raising them later keeps old hashes verifiable.
 *
 * Client secrets are generated here with ~223 random bits, so no guessing can walk their space and
 * a slow hash would only slow every token request (to ~50/s on two cores): they are kept as a
 * SHA-256 digest (`$sha256$…`), as API keys and access tokens commonly are. Secrets stored as
 * argon2id by earlier versions still verify.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Options } from '@node-rs/argon2';

// `algorithm` is left at the library default, which is argon2id (its const enum cannot be
// referenced under isolatedModules); the tests check the `$argon2id$` prefix of every hash.
const ARGON2_OPTIONS: Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 };

/** Hashes a password or secret value into an argon2id PHC string. */
export async function hashSecret(plain: string): Promise<string> {
  return hash(plain, ARGON2_OPTIONS);
}

const DIGEST_PREFIX = '$sha256$';
const digestOf = (plain: string): Buffer => createHash('sha256').update(plain, 'utf8').digest();

/** The stored form of a generated client secret: its SHA-256 digest (never the value). */
export function digestGeneratedSecret(plain: string): string {
  return `${DIGEST_PREFIX}${digestOf(plain).toString('base64url')}`;
}

/** True when `plain` matches the stored hash (an argon2id PHC string or a secret's digest); false for a malformed hash too. */
export async function verifySecret(stored: string, plain: string): Promise<boolean> {
  if (stored.startsWith(DIGEST_PREFIX)) {
    const expected = Buffer.from(stored.slice(DIGEST_PREFIX.length), 'base64url');
    return expected.length === 32 && timingSafeEqual(expected, digestOf(plain));
  }
  try {
    return await verify(stored, plain);
  } catch {
    return false;
  }
}

// A hash of a random value, verified when the principal is unknown so that a miss costs as much
// as a wrong password and response time does not reveal which user names exist.
let decoyHash: Promise<string> | undefined;

/** Spends one verification's worth of work and answers false. */
export async function verifyAgainstDecoy(plain: string): Promise<false> {
  decoyHash ??= hashSecret(randomBytes(24).toString('base64url'));
  await verifySecret(await decoyHash, plain);
  return false;
}

// Entra client secrets are 40 characters: a 3-character hint, a 3-character marker ("8Q~")
// and 34 more characters from the URL-safe alphabet below.
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.~_-';
const SECRET_MARKER = '8Q~';

function randomChars(count: number): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 66).
  const limit = 256 - (256 % SECRET_ALPHABET.length);
  let out = '';
  while (out.length < count) {
    for (const byte of randomBytes(count * 2)) {
      if (byte < limit && out.length < count) out += SECRET_ALPHABET[byte % SECRET_ALPHABET.length];
    }
  }
  return out;
}

/** A fresh client-secret value (40 characters, ~223 random bits) and its 3-character hint. */
export function generateClientSecret(): { value: string; hint: string } {
  const hint = randomChars(3);
  return { value: `${hint}${SECRET_MARKER}${randomChars(34)}`, hint };
}

/** A fresh password (~96 random bits) that always meets Entra's complexity rule, for an account made for someone. */
export function generatePassword(): string {
  return `Lt-${randomBytes(12).toString('base64url')}-7x`;
}

/** Entra's password policy: 8–256 characters and at least three of lower, upper, digit, symbol. */
export function passwordComplexityProblem(password: string): string | undefined {
  if (password.length < 8 || password.length > 256) return 'must be 8 to 256 characters long';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return 'must contain three of: lower-case letters, upper-case letters, digits, symbols';
  return undefined;
}
