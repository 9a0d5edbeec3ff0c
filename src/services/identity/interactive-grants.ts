/**
 * The grants of the interactive sign-in at the token endpoint: `authorization_code` (single use,
 * ten minutes, bound to the client, the redirect URI and the PKCE challenge) and `refresh_token`
 * (rotating: each use replaces it; a replaced one used again revokes its whole family). Codes and
 * refresh tokens are opaque; the store keeps their SHA-256 only (documents collections).
 */
import { normalizeGuid } from '../../core/guid.js';
import type { Tenant, User } from '../../core/identity/model.js';
import { pkceMatches, type PkceMethod } from '../../core/identity/pkce.js';
import type { RedirectPlatform } from '../../core/identity/redirect-uris.js';
import type { Store } from '../../storage/port.js';
import type { Clock } from '../context.js';
import { aad } from './aad-errors.js';
import type { AuthorizationRequest } from './authorization-requests.js';
import type { DirectoryService } from './directory-service.js';
import { expiredSweep } from './expired-sweep.js';
import { newOpaqueToken, opaqueTokenHash } from './opaque-tokens.js';
import { required, type SignInOptions, type TokenRequest, type TokenResponse, type TokenService } from './token-service.js';

const CODES = 'identity.authorizationCodes';
const REFRESH_TOKENS = 'identity.refreshTokens';
const CODE_LIFETIME_SECONDS = 600;
/** Entra: 90 days for refresh tokens, 24 hours for those of single-page apps. */
const REFRESH_LIFETIME_SECONDS = 90 * 24 * 3600;
const SPA_REFRESH_LIFETIME_SECONDS = 24 * 3600;

/** A signed-in user's authorization, as a code or a refresh token keeps it. */
interface Authorization {
  readonly clientId: string;
  readonly platform: RedirectPlatform | 'device';
  readonly tenantId: string;
  readonly userId: string;
  readonly scope: string;
  readonly amr: readonly string[];
}

interface StoredCode extends Authorization {
  readonly redirectUri: string;
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: PkceMethod;
  readonly nonce?: string;
  readonly expiresAt: string;
  readonly redeemedAt?: string;
}

interface StoredRefreshToken extends Authorization {
  readonly id: string;
  /** The refresh tokens one sign-in led to share a family: reuse of a replaced one revokes them all. */
  readonly familyId: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly replacedAt?: string;
  /** Kept (revoked) until it would have expired, so its use is told apart from a made-up token. */
  readonly revokedAt?: string;
}

/** What a sign-in hands to `issueTokens`: the user, the app and the scopes they agreed on. */
export type SignedInGrant = Authorization & { readonly nonce?: string };

export interface InteractiveGrantsOptions {
  readonly store: Store;
  readonly directory: DirectoryService;
  readonly tokens: TokenService;
  readonly clock: Clock;
}

/** Creates the code and refresh-token grants and registers them with the token service. */
export function createInteractiveGrants({ store, directory, tokens, clock }: InteractiveGrantsOptions) {
  const sweep = expiredSweep(store, clock, [CODES, REFRESH_TOKENS]);
  const now = () => clock.now();
  const later = (seconds: number) => new Date(now().getTime() + seconds * 1000).toISOString();
  const expired = (at: string) => new Date(at).getTime() <= now().getTime();

  /** The `{tenant}` segment must be the grant's tenant (or common/organizations). */
  async function checkTenant(segment: string, tenantId: string): Promise<void> {
    const tenant = await tokens.tenantOfSegment(segment);
    if (tenant && tenant.id !== tenantId) throw aad.grantOfOtherTenant();
  }

  /** A web app proves itself with its secret; a public client (spa, native, device) sends none. */
  async function authenticateClient(grant: Authorization, form: TokenRequest, { sourceAddress }: SignInOptions): Promise<void> {
    const secret = form.client_secret;
    const sent = secret !== undefined && secret !== '';
    if (grant.platform !== 'web') {
      if (sent) throw aad.publicClientWithSecret();
      return;
    }
    if (!sent) throw aad.confidentialClientWithoutSecret();
    await tokens.authenticateClient(grant.tenantId, grant.clientId, secret, sourceAddress);
  }

  async function signedInUser(grant: Authorization): Promise<{ tenant: Tenant; user: User }> {
    const user = await directory.getUser(grant.userId);
    const tenant = await directory.getTenant(grant.tenantId);
    if (!user || !tenant || normalizeGuid(user.tenantId) !== tenant.id) throw aad.userNotFound(grant.tenantId);
    return { tenant, user };
  }

  /** Revokes the user's refresh tokens that `which` picks; expired ones are dropped. Returns how many were live. */
  async function revoke(tx: Store['documents'], userId: string, which: (token: StoredRefreshToken) => boolean): Promise<number> {
    let live = 0;
    for (const token of await tx.list<StoredRefreshToken>(REFRESH_TOKENS, userId)) {
      if (expired(token.expiresAt)) await tx.delete(REFRESH_TOKENS, token.id);
      else if (which(token) && token.revokedAt === undefined) {
        if (token.replacedAt === undefined) live++;
        await tx.put(REFRESH_TOKENS, token.id, userId, { ...token, revokedAt: now().toISOString() });
      }
    }
    return live;
  }

  /**
   * A new refresh token of `familyId` for the grant (stored hashed; the value is returned once).
   * `replacing` is the token it rotates: a single-page app's successor keeps its expiry, as Entra's
   * does (24 hours from the sign-in), so a token taken from a browser cannot be kept alive by rotating it.
   */
  async function newRefreshToken(tx: Store['documents'], grant: Authorization, familyId: string, replacing?: StoredRefreshToken): Promise<string> {
    const value = newOpaqueToken();
    const expiresAt = grant.platform === 'spa' ? replacing?.expiresAt ?? later(SPA_REFRESH_LIFETIME_SECONDS) : later(REFRESH_LIFETIME_SECONDS);
    const stored: StoredRefreshToken = {
      id: opaqueTokenHash(value), familyId, clientId: grant.clientId, platform: grant.platform, tenantId: grant.tenantId, userId: grant.userId,
      scope: grant.scope, amr: grant.amr, issuedAt: now().toISOString(), expiresAt,
    };
    await tx.put(REFRESH_TOKENS, stored.id, grant.userId, stored);
    return value;
  }

  /**
   * The tokens of a signed-in grant: the access token for the resource asked for (`requestedScope`,
   * else the grant's), an id token with `openid`, a refresh token with `offline_access`.
   */
  async function issueTokens(grant: SignedInGrant, requestedScope: string | undefined, refreshToken: string | undefined): Promise<TokenResponse> {
    const { tenant, user } = await signedInUser(grant);
    const scope = requestedScope !== undefined && requestedScope.trim() !== '' ? requestedScope : grant.scope;
    const audience = tokens.audienceOf(scope, tenant.id);
    const scopes = [...new Set([...scope.split(' '), ...tokens.oidcScopesOf(grant.scope)])];
    return tokens.issueUserTokens({
      tenant, user, clientId: grant.clientId, audience, scopes, amr: grant.amr,
      ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
      ...(refreshToken === undefined ? {} : { refreshToken }),
    });
  }

  const wantsRefreshToken = (grant: Authorization) => tokens.oidcScopesOf(grant.scope).includes('offline_access');

  /** `grant_type=authorization_code`. */
  async function redeemCode(segment: string, form: TokenRequest, signIn: SignInOptions): Promise<TokenResponse> {
    const clientId = required(form, 'client_id');
    const code = required(form, 'code');
    const redirectUri = required(form, 'redirect_uri');
    const id = opaqueTokenHash(code);
    const peek = await store.documents.get<StoredCode>(CODES, id);
    if (!peek) throw aad.unknownCode();
    await checkTenant(segment, peek.tenantId);
    // Checks that need no write run first; the single use is settled inside the transaction.
    if (peek.clientId !== normalizeGuid(clientId)) throw aad.grantOfOtherClient('authorization code', clientId);
    if (peek.redirectUri !== redirectUri) throw aad.replyAddressMismatch(redirectUri, peek.redirectUri);
    if (peek.codeChallenge !== undefined) {
      const verifier = form.code_verifier;
      if (verifier === undefined || verifier === '') throw aad.codeVerifierMissing();
      if (!pkceMatches(peek.codeChallenge, peek.codeChallengeMethod ?? 'plain', verifier)) throw aad.codeVerifierMismatch();
    }
    await authenticateClient(peek, form, signIn);
    const { grant, refreshToken } = await store.transaction(async (tx) => {
      const stored = await tx.documents.get<StoredCode>(CODES, id);
      if (!stored) throw aad.unknownCode();
      if (stored.redeemedAt !== undefined) throw aad.codeRedeemed();
      if (expired(stored.expiresAt)) throw aad.grantExpired();
      // Kept (marked) until it expires, so a second use is told apart from a made-up code.
      await tx.documents.put(CODES, id, stored.userId, { ...stored, redeemedAt: now().toISOString() });
      const refresh = wantsRefreshToken(stored) ? await newRefreshToken(tx.documents, stored, id) : undefined;
      return { grant: stored, refreshToken: refresh };
    });
    return issueTokens(grant, form.scope, refreshToken);
  }

  /** `grant_type=refresh_token`: the token is replaced by a new one of the same family. */
  async function redeemRefreshToken(segment: string, form: TokenRequest, signIn: SignInOptions): Promise<TokenResponse> {
    const clientId = required(form, 'client_id');
    const value = required(form, 'refresh_token');
    const id = opaqueTokenHash(value);
    const peek = await store.documents.get<StoredRefreshToken>(REFRESH_TOKENS, id);
    if (!peek) throw aad.unknownRefreshToken();
    await checkTenant(segment, peek.tenantId);
    if (peek.clientId !== normalizeGuid(clientId)) throw aad.grantOfOtherClient('refresh token', clientId);
    await authenticateClient(peek, form, signIn);
    const outcome = await store.transaction(async (tx) => {
      const stored = await tx.documents.get<StoredRefreshToken>(REFRESH_TOKENS, id);
      if (!stored || stored.revokedAt !== undefined) return { revoked: true as const };
      if (stored.replacedAt !== undefined) {
        // Used again after it was replaced: someone else holds a copy. The whole family goes.
        await revoke(tx.documents, stored.userId, (t) => t.familyId === stored.familyId);
        return { revoked: true as const };
      }
      if (expired(stored.expiresAt)) throw aad.grantExpired();
      await tx.documents.put(REFRESH_TOKENS, id, stored.userId, { ...stored, replacedAt: now().toISOString() });
      return { revoked: false as const, grant: stored, refreshToken: await newRefreshToken(tx.documents, stored, stored.familyId, stored) };
    });
    if (outcome.revoked) throw aad.refreshTokenRevoked();
    return issueTokens(outcome.grant, form.scope, outcome.refreshToken);
  }

  tokens.registerGrant('authorization_code', redeemCode);
  tokens.registerGrant('refresh_token', redeemRefreshToken);

  return {
    /** A new authorization code for a completed sign-in (the value is returned once; the store keeps its hash). */
    async issueCode(request: AuthorizationRequest, tenant: Tenant, user: User, amr: readonly string[]): Promise<string> {
      const code = newOpaqueToken();
      const stored: StoredCode = {
        clientId: request.clientId, platform: request.platform, tenantId: tenant.id, userId: normalizeGuid(user.id), scope: request.scope, amr,
        redirectUri: request.redirectUri, expiresAt: later(CODE_LIFETIME_SECONDS),
        ...(request.codeChallenge === undefined ? {} : { codeChallenge: request.codeChallenge, codeChallengeMethod: request.codeChallengeMethod ?? 'plain' }),
        ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
      };
      await sweep();
      await store.documents.put(CODES, opaqueTokenHash(code), stored.userId, stored);
      return code;
    },

    /** The tokens of a grant signed in without a code (the device-code flow), with a refresh token if `offline_access` was asked for. */
    async issueWithoutCode(grant: SignedInGrant): Promise<TokenResponse> {
      const refreshToken = wantsRefreshToken(grant) ? await store.transaction((tx) => newRefreshToken(tx.documents, grant, newOpaqueToken())) : undefined;
      return issueTokens(grant, undefined, refreshToken);
    },

    /** Revokes every refresh token of a user (Graph's revokeSignInSessions); returns how many were in use. */
    revokeSignInSessions: (userId: string): Promise<number> => store.transaction((tx) => revoke(tx.documents, normalizeGuid(userId), () => true)),
  };
}

export type InteractiveGrants = ReturnType<typeof createInteractiveGrants>;
