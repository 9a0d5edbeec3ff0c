/**
 * The token-signing key ring: RSA 2048 keys (RS256) persisted in the store, published as JWKS.
 *
 * Rotation without downtime: `rotate()` adds a key that is published at once but signs only after
 * `activationDelaySeconds`, so verifiers that cache the JWKS learn it before they meet it; the
 * keys it replaces stay published for `retentionSeconds` after the new key activates (the longest
 * token lifetime plus clock skew), so every token they signed still verifies until it expires.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import type { IdentityRepository, SigningKey } from '../../storage/port.js';
import type { Clock } from '../context.js';

export interface SigningKeyRingOptions {
  readonly repository: IdentityRepository;
  readonly clock: Clock;
  /** Time between publishing a rotated key and signing with it; default 300 s. */
  readonly activationDelaySeconds?: number;
  /** How long a replaced key stays published after its successor activates; at least the token lifetime plus skew. */
  readonly retentionSeconds: number;
}

/** A published public key, in the shape Entra's JWKS uses. */
export interface PublicJwk {
  readonly kty: string;
  readonly use: 'sig';
  readonly alg: 'RS256';
  readonly kid: string;
  readonly n: string;
  readonly e: string;
}

/** What callers may learn about a key: never its private half. */
export interface SigningKeyInfo {
  readonly kid: string;
  readonly createdAt: string;
  readonly activatesAt: string;
  readonly retiresAt?: string;
}

export type SigningKeyRing = ReturnType<typeof createSigningKeyRing>;

const ALG = 'RS256';
// The ring is re-read from the store this often, so a rotation made by another instance over the
// same database is published and verified here well within the activation delay; unknown kids
// never cause a query of their own.
const RELOAD_INTERVAL_MS = 30_000;

const info = ({ kid, createdAt, activatesAt, retiresAt }: SigningKey): SigningKeyInfo =>
  retiresAt === undefined ? { kid, createdAt, activatesAt } : { kid, createdAt, activatesAt, retiresAt };

/** Creates the key ring over the identity repository. */
export function createSigningKeyRing({ repository, clock, activationDelaySeconds = 300, retentionSeconds }: SigningKeyRingOptions) {
  let keys: SigningKey[] | undefined;
  let loadedAt = 0;
  const imported = new Map<string, Promise<CryptoKey>>();

  async function load(): Promise<SigningKey[]> {
    keys = await repository.listSigningKeys();
    loadedAt = clock.now().getTime();
    return keys;
  }

  function current(): Promise<SigningKey[]> | SigningKey[] {
    return keys === undefined || clock.now().getTime() - loadedAt >= RELOAD_INTERVAL_MS ? load() : keys;
  }

  const published = (k: SigningKey, now: Date): boolean => k.retiresAt === undefined || new Date(k.retiresAt) > now;
  const newestFirst = (a: SigningKey, b: SigningKey): number => b.activatesAt.localeCompare(a.activatesAt) || b.createdAt.localeCompare(a.createdAt);

  function importKey(key: SigningKey, half: 'privateJwk' | 'publicJwk'): Promise<CryptoKey> {
    const cacheKey = `${key.kid}:${half}`;
    let result = imported.get(cacheKey);
    if (!result) {
      result = importJWK(JSON.parse(key[half]) as JWK, ALG) as Promise<CryptoKey>;
      imported.set(cacheKey, result);
    }
    return result;
  }

  async function createKey(activatesAt: Date): Promise<SigningKey> {
    const pair = await generateKeyPair(ALG, { modulusLength: 2048, extractable: true });
    const publicJwk = await exportJWK(pair.publicKey);
    const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
    const key: SigningKey = {
      kid,
      privateJwk: JSON.stringify(await exportJWK(pair.privateKey)),
      publicJwk: JSON.stringify({ kty: publicJwk.kty, n: publicJwk.n, e: publicJwk.e, kid, use: 'sig', alg: ALG }),
      createdAt: clock.now().toISOString(),
      activatesAt: activatesAt.toISOString(),
    };
    await repository.putSigningKey(key);
    return key;
  }

  function activeAmong(all: readonly SigningKey[], now: Date): SigningKey | undefined {
    return all.filter((k) => published(k, now) && new Date(k.activatesAt) <= now).sort(newestFirst)[0];
  }

  return {
    /** Makes sure a key can sign now, creating the first one on a fresh store. */
    async ensureKey(): Promise<SigningKeyInfo> {
      const now = clock.now();
      const active = activeAmong(await current(), now) ?? (await createKey(now));
      await load();
      return info(active);
    },

    /** Adds a successor key (signing after the activation delay) and schedules the current keys' retirement. */
    async rotate(): Promise<SigningKeyInfo> {
      const now = clock.now();
      const activatesAt = new Date(now.getTime() + activationDelaySeconds * 1000);
      const retiresAt = new Date(activatesAt.getTime() + retentionSeconds * 1000).toISOString();
      const successor = await createKey(activatesAt);
      for (const k of await load()) {
        if (k.kid !== successor.kid && k.retiresAt === undefined) await repository.putSigningKey({ ...k, retiresAt });
      }
      await load();
      return info(successor);
    },

    /** The key tokens are signed with now: the newest published key whose activation time has passed. */
    async signingKey(): Promise<{ kid: string; privateKey: CryptoKey }> {
      const now = clock.now();
      const active = activeAmong(await current(), now) ?? (await createKey(now));
      if (!keys?.includes(active)) await load();
      return { kid: active.kid, privateKey: await importKey(active, 'privateJwk') };
    },

    /** The public key with this kid while it is published, for verification. */
    async verificationKey(kid: string): Promise<CryptoKey | undefined> {
      const now = clock.now();
      const key = (await current()).find((k) => k.kid === kid && published(k, now));
      return key ? importKey(key, 'publicJwk') : undefined;
    },

    /** The JWKS document: every key that is not retired, the pending successor included. */
    async jwks(): Promise<{ keys: PublicJwk[] }> {
      const now = clock.now();
      const all = await current();
      return { keys: all.filter((k) => published(k, now)).sort(newestFirst).map((k) => JSON.parse(k.publicJwk) as PublicJwk) };
    },

    /** Every stored key, newest first, without private material. */
    async list(): Promise<SigningKeyInfo[]> {
      return [...(await load())].sort(newestFirst).map(info);
    },
  };
}
