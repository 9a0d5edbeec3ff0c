/**
 * Users' TOTP authenticators (RFC 6238): enrolment (a secret shown once, active after the user
 * proves it with a code), verification at sign-in (each code good once; ten wrong codes in a row
 * lock the authenticator for fifteen minutes), and removal. The secret is kept encrypted
 * (AES-256-GCM under the identity plane's secrets key) and is never returned after enrolment.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { assertThat, conflict, invalid, notFound } from '../../core/errors.js';
import { normalizeGuid } from '../../core/guid.js';
import { otpauthUri, base32Encode, totpStep, verifyTotp } from '../../core/identity/totp.js';
import type { Store } from '../../storage/port.js';
import type { Clock } from '../context.js';
import type { DirectoryService } from './directory-service.js';

const COLLECTION = 'identity.authenticators';
const SECRET_BYTES = 20; // 160 bits, RFC 4226's recommendation for SHA-1
const MAX_FAILURES = 10;
const LOCK_SECONDS = 15 * 60;
const ISSUER = 'Lantern';

interface SealedSecret {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

interface StoredAuthenticator {
  readonly userId: string;
  readonly tenantId: string;
  readonly state: 'pending' | 'active';
  readonly secret: SealedSecret;
  readonly createdAt: string;
  readonly activatedAt?: string;
  readonly lastUsedStep: number;
  readonly failures: number;
  readonly lockedUntil?: string;
}

/** What may be shown about a user's authenticator (never its secret). */
export interface AuthenticatorInfo {
  readonly state: 'pending' | 'active';
  readonly createdAt: string;
  readonly activatedAt?: string;
}

/** The one moment the secret exists outside the store: the enrolment's answer. */
export interface AuthenticatorEnrolment {
  /** Base32, for typing into an authenticator app. */
  readonly secret: string;
  /** `otpauth://totp/…`, for a QR code. */
  readonly otpauthUri: string;
  readonly algorithm: 'SHA1';
  readonly digits: 6;
  readonly period: 30;
}

export type TotpCheck = 'ok' | 'wrong' | 'locked' | 'none';

export interface AuthenticatorsOptions {
  readonly store: Store;
  readonly directory: DirectoryService;
  readonly clock: Clock;
  /** 32 bytes: the AES-256-GCM key the secrets are sealed with. */
  readonly secretsKey: Uint8Array;
}

/** Creates the authenticator service. */
export function createAuthenticators({ store, directory, clock, secretsKey }: AuthenticatorsOptions) {
  if (secretsKey.length !== 32) throw new Error('The identity secrets key must be 32 bytes.');
  const key = Buffer.from(secretsKey);

  // The user id is the additional data: a sealed secret copied onto another user does not open.
  function seal(secret: Buffer, userId: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(userId));
    const data = Buffer.concat([cipher.update(secret), cipher.final()]);
    return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }
  function open(sealed: SealedSecret, userId: string): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64')).setAAD(Buffer.from(userId));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
  }

  const seconds = () => clock.now().getTime() / 1000;
  const info = (a: StoredAuthenticator): AuthenticatorInfo => ({ state: a.state, createdAt: a.createdAt, ...(a.activatedAt === undefined ? {} : { activatedAt: a.activatedAt }) });

  async function requireUser(userId: string) {
    const user = await directory.getUser(userId);
    assertThat(user, () => notFound('UserNotFound', `The user '${userId}' does not exist.`));
    return user;
  }

  /** Checks `code` against the stored authenticator and records the outcome (used step, failures, lock). */
  async function check(userId: string, code: string, activate: boolean): Promise<TotpCheck> {
    const id = normalizeGuid(userId);
    return store.transaction(async (tx) => {
      const stored = await tx.documents.get<StoredAuthenticator>(COLLECTION, id);
      if (!stored || (stored.state === 'active') === activate) return 'none';
      const now = clock.now();
      if (stored.lockedUntil !== undefined && new Date(stored.lockedUntil) > now) return 'locked';
      const step = verifyTotp(open(stored.secret, id), code.trim(), seconds(), stored.lastUsedStep);
      if (step === undefined) {
        const failures = stored.failures + 1;
        const lock = failures >= MAX_FAILURES ? { lockedUntil: new Date(now.getTime() + LOCK_SECONDS * 1000).toISOString() } : {};
        const { lockedUntil: _old, ...rest } = stored;
        await tx.documents.put(COLLECTION, id, stored.tenantId, { ...rest, failures: failures >= MAX_FAILURES ? 0 : failures, ...lock });
        return failures >= MAX_FAILURES ? 'locked' : 'wrong';
      }
      const { lockedUntil: _old, ...rest } = stored;
      const activated = activate ? { state: 'active' as const, activatedAt: now.toISOString() } : {};
      await tx.documents.put(COLLECTION, id, stored.tenantId, { ...rest, ...activated, lastUsedStep: step, failures: 0 });
      return 'ok';
    });
  }

  return {
    /**
     * Starts an enrolment: a new secret, shown once. It signs nobody in until confirmed with a code;
     * a user with an active authenticator removes it first.
     */
    async beginEnrolment(userId: string): Promise<AuthenticatorEnrolment> {
      const user = await requireUser(userId);
      const id = normalizeGuid(user.id);
      const secret = randomBytes(SECRET_BYTES);
      await store.transaction(async (tx) => {
        const held = await tx.documents.get<StoredAuthenticator>(COLLECTION, id);
        assertThat(held?.state !== 'active', () =>
          conflict('AuthenticatorAlreadyActive', `The user '${user.userPrincipalName}' already has an active authenticator: remove it before enrolling a new one.`));
        const stored: StoredAuthenticator = {
          userId: id, tenantId: normalizeGuid(user.tenantId), state: 'pending', secret: seal(secret, id), createdAt: clock.now().toISOString(),
          // A code from before the enrolment is no proof of it.
          lastUsedStep: totpStep(seconds()) - 2, failures: 0,
        };
        await tx.documents.put(COLLECTION, id, stored.tenantId, stored);
      });
      return { secret: base32Encode(secret), otpauthUri: otpauthUri(secret, ISSUER, user.userPrincipalName), algorithm: 'SHA1', digits: 6, period: 30 };
    },

    /** Activates a pending enrolment with a current code from the authenticator app. */
    async confirmEnrolment(userId: string, code: string): Promise<AuthenticatorInfo> {
      await requireUser(userId);
      assertThat(typeof code === 'string' && /^[0-9]{6}$/.test(code.trim()), () => invalid('InvalidVerificationCode', 'The code must be the 6 digits the authenticator app shows.', 'code'));
      const outcome = await check(userId, code, true);
      assertThat(outcome !== 'none', () => notFound('AuthenticatorEnrolmentNotFound', `The user '${userId}' has no enrolment waiting for a code: start one first.`));
      assertThat(outcome !== 'locked', () => invalid('AuthenticatorLocked', 'Too many wrong codes: the authenticator is locked for 15 minutes.', 'code'));
      assertThat(outcome === 'ok', () => invalid('InvalidVerificationCode', "The code is not the authenticator's current code (or was used already).", 'code'));
      const stored = await store.documents.get<StoredAuthenticator>(COLLECTION, normalizeGuid(userId));
      return info(stored!);
    },

    /** The user's authenticator, if any (never its secret). */
    async get(userId: string): Promise<AuthenticatorInfo | undefined> {
      const stored = await store.documents.get<StoredAuthenticator>(COLLECTION, normalizeGuid(userId));
      return stored ? info(stored) : undefined;
    },

    /** True when the user must give a code at sign-in. */
    async isActive(userId: string): Promise<boolean> {
      return (await store.documents.get<StoredAuthenticator>(COLLECTION, normalizeGuid(userId)))?.state === 'active';
    },

    /** Checks a sign-in code of an active authenticator. */
    verify: (userId: string, code: string): Promise<TotpCheck> => check(userId, code, false),

    /**
     * Removes the user's authenticator (the user, or an operator for a lost phone); `mayRemove`
     * throws to refuse, judging the authenticator as it is in the same transaction.
     */
    async remove(userId: string, mayRemove: (held: AuthenticatorInfo) => void = () => undefined): Promise<void> {
      const id = normalizeGuid(userId);
      await store.transaction(async (tx) => {
        const stored = await tx.documents.get<StoredAuthenticator>(COLLECTION, id);
        assertThat(stored, () => notFound('AuthenticatorNotFound', `The user '${userId}' has no authenticator.`));
        mayRemove(info(stored));
        await tx.documents.delete(COLLECTION, id);
      });
    },
  };
}

export type Authenticators = ReturnType<typeof createAuthenticators>;
