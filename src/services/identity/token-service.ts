/**
 * The token service: Entra ID v2-compatible access tokens for the client-credentials and password
 * grants (the interactive sign-in registers its grants here), and their verification for the ARM surface.
 *
 * Audience: the scope's resource keeps its trailing slash (`https://management.azure.com/.default`
 * gives `aud: "https://management.azure.com/"`), as in the tokens Entra issues for ARM; every known
 * resource is issued in that one canonical form. Verification accepts it with or without the slash.
 */
import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { DomainError } from '../../core/errors.js';
import { isGuid, normalizeGuid } from '../../core/guid.js';
import type { Caller, ServicePrincipal, Tenant, User } from '../../core/identity/model.js';
import { SignInLockout, type SignInRefusal } from '../../core/identity/sign-in-lockout.js';
import { aad, AadError } from './aad-errors.js';
import { guestUserPrincipalName } from './directory-service.js';
import type { ClientAuthentication, DirectoryService } from './directory-service.js';
import { verifyAgainstDecoy } from './passwords.js';
import type { Clock } from '../context.js';
import type { SigningKeyRing } from './signing-keys.js';

export interface TokenServiceOptions {
  readonly directory: DirectoryService;
  readonly keys: SigningKeyRing;
  readonly clock: Clock;
  /** Lantern's public base URL (the authority host clients use), e.g. `https://localhost:8443`. */
  readonly baseUrl: string;
  /** Access-token lifetime; default 3600 s. */
  readonly tokenLifetimeSeconds?: number;
  /** Failed sign-ins and their locks; default: Entra's smart-lockout settings. */
  readonly lockout?: SignInLockout;
}

/** The form fields of a token request (`application/x-www-form-urlencoded`). */
export type TokenRequest = Readonly<Record<string, string | undefined>>;

/**
 * How the user proved who they are, as the token's `amr` claim says it. The password grant signs
 * in with `pwd`; the interactive sign-in adds `mfa` after a second factor (tests may also mint
 * such tokens through `token`'s options).
 */
export interface SignInOptions {
  readonly amr?: readonly string[];
  /** The caller's IP address, for smart lockout (absent for in-process callers). */
  readonly sourceAddress?: string;
}

/** The form field `name`, which a token request must carry (else AADSTS900144). */
export function required(form: TokenRequest, name: string): string {
  const value = form[name];
  if (value === undefined || value.trim() === '') throw aad.missingParameter(name);
  return value;
}

/** A successful token response, as Entra's v2 endpoint sends it. */
export interface TokenResponse {
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly ext_expires_in: number;
  readonly access_token: string;
  /** User grants (what MSAL needs to cache the account): */
  readonly scope?: string;
  readonly id_token?: string;
  readonly client_info?: string;
  /** With the `offline_access` scope on the interactive grants: */
  readonly refresh_token?: string;
}

/** What a user's tokens say: who, for which app and resource, how they signed in. */
export interface UserGrant {
  readonly tenant: Tenant;
  readonly user: User;
  readonly clientId: string;
  /** The access token's audience (a canonical resource, see `audienceOf`). */
  readonly audience: string;
  /** The requested scopes; `openid` adds an id token. */
  readonly scopes: readonly string[];
  readonly amr: readonly string[];
  /** The authorization request's nonce, echoed in the id token. */
  readonly nonce?: string;
  readonly refreshToken?: string;
}

/** A grant type another service adds to the token endpoint. */
export type GrantHandler = (segment: string, form: TokenRequest, signIn: SignInOptions) => Promise<TokenResponse>;

export type TokenService = ReturnType<typeof createTokenService>;

/** ARM's own resource ids; Lantern's base URL is the third accepted audience. */
const ARM_RESOURCES = ['https://management.azure.com/', 'https://management.core.windows.net/'];
/** Tenant-independent authority segments; only the password grant can resolve them (from the UPN). */
const MULTI_TENANT_SEGMENTS = new Set(['common', 'organizations']);
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
/** Microsoft's first-party public clients (Azure CLI, Azure PowerShell) may use the password grant without a registration here. */
const FIRST_PARTY_PUBLIC_CLIENTS = new Map([['04b07795-8ddb-461a-bbee-02f9e1bf7b46', 'Microsoft Azure CLI'], ['1950a258-227b-4e31-a9cf-717495945fc2', 'Microsoft Azure PowerShell']]);
const CLOCK_SKEW_SECONDS = 300;
const RECHECK_AFTER_MS = 30_000;
const VERIFIED_CAPACITY = 10_000;
/** Refusals that mean a wrong guess (secret, password, user or app name): each counts toward a lockout. */
const WRONG_GUESSES = new Set([7000215, 50126, 50034, 700016, 500121]);

type ClientRefusal = Extract<ClientAuthentication, { ok: false }>['reason'];

/** A client's lockout account: app ids are unique across tenants, so one key whichever tenant it signs in to. */
const clientAccount = (clientId: string): string => `client:${clientId.toLowerCase()}`;
const trimSlashes = (value: string): string => value.replace(/\/+$/, '');

function unauthenticated(code: 'InvalidAuthenticationToken' | 'InvalidAuthenticationTokenAudience' | 'ExpiredAuthenticationToken', message: string): DomainError {
  return new DomainError('unauthenticated', code, message);
}
const invalidToken = (): DomainError => unauthenticated('InvalidAuthenticationToken', 'The access token is invalid.');

/** ARM's timestamp form in its authentication messages: `11/21/2026 5:32:35 AM` (UTC). */
function armTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const hours = date.getUTCHours();
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${hours % 12 || 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** Creates the token service. */
export function createTokenService({ directory, keys, clock, baseUrl, tokenLifetimeSeconds = 3600, lockout = new SignInLockout() }: TokenServiceOptions) {
  const base = trimSlashes(baseUrl);
  const resources = [...ARM_RESOURCES, `${base}/`];
  const issuerOf = (tenantId: string): string => `${base}/${tenantId}/v2.0`;
  // Clients reuse a token for its whole hour, so verified tokens are remembered until they expire:
  // an ARM call then costs a map lookup instead of an RSA verification (~0.2 ms) and two queries.
  // The directory is asked again every RECHECK_AFTER_MS, so a vanished principal is refused soon.
  const verified = new Map<string, { caller: Caller; expiresAtMs: number; checkedAtMs: number }>();

  /** The canonical resource a scope list asks for (exactly one), e.g. `https://management.azure.com/`. */
  function resourceOf(scope: string, grantType: string, tenant: string): string {
    const resourceScopes = scope.split(' ').filter((s) => s !== '' && !OIDC_SCOPES.has(s.toLowerCase()));
    if (resourceScopes.length === 0) throw aad.invalidScope(scope);
    const asked = new Set<string>();
    for (const s of resourceScopes) {
      const slash = s.lastIndexOf('/');
      if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(s) || slash < 0) throw aad.invalidScope(s);
      if (grantType === 'client_credentials' && s.slice(slash + 1) !== '.default') throw aad.defaultScopeRequired(s);
      asked.add(trimSlashes(s.slice(0, slash + 1)).toLowerCase());
    }
    if (asked.size > 1) throw aad.multipleResources(scope);
    const [wanted = ''] = asked;
    const resource = resources.find((r) => trimSlashes(r).toLowerCase() === wanted);
    if (!resource) throw aad.resourceNotFound(wanted, tenant);
    return resource;
  }

  function clientRefused(reason: ClientRefusal, clientId: string, tenantId: string): AadError {
    if (reason === 'unknown_client') return aad.applicationNotFound(clientId, tenantId);
    return reason === 'expired_secret' ? aad.expiredClientSecret(clientId) : aad.invalidClientSecret(clientId);
  }

  function lockedOut(refusal: SignInRefusal, credential: 'user ID or password' | 'client secret'): AadError {
    if (refusal.kind === 'busy') return aad.tooManySignIns();
    const seconds = Math.ceil(refusal.retryAfterMs / 1000);
    return refusal.kind === 'account' ? aad.accountLocked(credential, seconds) : aad.addressLocked(seconds);
  }

  /**
   * Runs the secret checks of one sign-in under smart lockout: refused before any check while its
   * accounts or address are locked, and a wrong guess counted against them.
   */
  async function underLockout<T>(accounts: readonly string[], credential: 'user ID or password' | 'client secret', sourceAddress: string | undefined, check: () => Promise<T>): Promise<T> {
    const attempt = lockout.begin(accounts, sourceAddress, clock.now().getTime());
    if (!('failed' in attempt)) throw lockedOut(attempt, credential);
    try {
      const result = await check();
      attempt.succeeded();
      return result;
    } catch (error) {
      if (error instanceof AadError && WRONG_GUESSES.has(error.code)) attempt.failed(clock.now().getTime());
      else attempt.abandoned();
      throw error;
    }
  }

  async function tenantOf(segment: string): Promise<Tenant> {
    const tenant = await directory.resolveTenant(segment);
    if (!tenant) throw aad.tenantNotFound(segment);
    return tenant;
  }

  async function sign(claims: JWTPayload, now: number, expiresAt: number): Promise<string> {
    const { kid, privateKey } = await keys.signingKey();
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).setIssuedAt(now).setNotBefore(now).setExpirationTime(expiresAt).sign(privateKey);
  }

  function respond(accessToken: string, extra: Partial<TokenResponse> = {}): TokenResponse {
    return { token_type: 'Bearer', expires_in: tokenLifetimeSeconds, ext_expires_in: tokenLifetimeSeconds, access_token: accessToken, ...extra };
  }

  async function clientCredentials(segment: string, form: TokenRequest, sourceAddress: string | undefined): Promise<TokenResponse> {
    const clientId = required(form, 'client_id');
    const scope = required(form, 'scope');
    if (MULTI_TENANT_SEGMENTS.has(segment.toLowerCase())) throw aad.noTenantInformation();
    const tenant = await tenantOf(segment);
    const audience = resourceOf(scope, 'client_credentials', tenant.id);
    const secret = form.client_secret;
    if (secret === undefined || secret === '') throw aad.missingClientCredential();
    const sp = await underLockout([clientAccount(clientId)], 'client secret', sourceAddress, async () => {
      const result = await directory.authenticateClient(tenant.id, clientId, secret);
      if (!result.ok) throw clientRefused(result.reason, clientId, tenant.id);
      return result.servicePrincipal;
    });
    const now = Math.floor(clock.now().getTime() / 1000);
    const token = await sign(
      {
        aud: audience, iss: issuerOf(tenant.id), tid: tenant.id, oid: sp.id, sub: sp.id,
        appid: sp.appId, appidacr: '1', azp: sp.appId, azpacr: '1', idtyp: 'app', ver: '2.0', uti: randomUUID(),
      },
      now,
      now + tokenLifetimeSeconds,
    );
    return respond(token);
  }

  /** The user of `tenant` a password-grant `username` names: a UPN, or the invitation e-mail of a guest of the tenant. */
  async function userNamed(username: string, tenant: Tenant): Promise<User | undefined> {
    const user = await directory.findUserByUpn(username);
    if (user && normalizeGuid(user.tenantId) === tenant.id) return user;
    if (username.includes('#EXT#') || !username.includes('@')) return undefined;
    return directory.findUserByUpn(guestUserPrincipalName(username, tenant.defaultDomain));
  }

  /** The tenant a sign-in names: the `{tenant}` segment, or for common/organizations the domain of the user name. */
  async function tenantForUser(segment: string, username: string): Promise<Tenant> {
    const multiTenant = MULTI_TENANT_SEGMENTS.has(segment.toLowerCase());
    const tenant = multiTenant ? await directory.resolveTenant(username.slice(username.lastIndexOf('@') + 1)) : await tenantOf(segment);
    if (!tenant) throw aad.userNotFound(segment);
    return tenant;
  }

  /** `named` (the user of `tenant` the sign-in names), if `secret` is their password (an unknown user costs as much as a wrong password). */
  async function checkPassword(tenant: Tenant, named: User | undefined, secret: string): Promise<User> {
    if (!named) {
      await verifyAgainstDecoy(secret);
      throw aad.userNotFound(tenant.id);
    }
    const result = await directory.authenticateUser(named.userPrincipalName, secret);
    if (!result.ok) throw aad.invalidCredentials();
    return named;
  }

  // A user's lockout account is its object id, not the name typed: a guest answers to its invitation
  // e-mail and to its #EXT# name, and each spelling must not bring its own allowance of guesses.
  const userAccount = (user: Pick<User, 'id'>): string => `user:${normalizeGuid(user.id)}`;
  const userAccountOf = (named: User | undefined, username: string): string => (named ? userAccount(named) : `user:${username.toLowerCase()}`);

  async function password(segment: string, form: TokenRequest, { amr = ['pwd'], sourceAddress }: SignInOptions): Promise<TokenResponse> {
    const clientId = required(form, 'client_id');
    const scope = required(form, 'scope');
    const username = required(form, 'username');
    const secret = required(form, 'password');
    const tenant = await tenantForUser(segment, username);
    const audience = resourceOf(scope, 'password', tenant.id);

    const clientSecret = form.client_secret !== undefined && form.client_secret !== '' ? form.client_secret : undefined;
    const named = await userNamed(username, tenant);
    const accounts = [userAccountOf(named, username), ...(clientSecret === undefined ? [] : [clientAccount(clientId)])];
    const user = await underLockout(accounts, 'user ID or password', sourceAddress, async () => {
      const app = await directory.findServicePrincipalByAppId(clientId);
      if (!app && !FIRST_PARTY_PUBLIC_CLIENTS.has(clientId.toLowerCase())) throw aad.applicationNotFound(clientId, tenant.id);
      if (clientSecret !== undefined) {
        // A confidential client may use the password grant too; its secret must then be right.
        const client = app ? await directory.authenticateClient(app.tenantId, clientId, clientSecret) : undefined;
        if (!client) throw aad.invalidClientSecret(clientId);
        if (!client.ok) throw clientRefused(client.reason, clientId, tenant.id);
      }
      return checkPassword(tenant, named, secret);
    });
    return issueUserTokens({ tenant, user, clientId, audience, scopes: scope.split(' '), amr });
  }

  /**
   * A user's access token for `audience`, and with `openid` among the scopes an id token and
   * client_info (MSAL builds its account from them; uid.utid is its home account id).
   */
  async function issueUserTokens(grant: UserGrant): Promise<TokenResponse> {
    const { tenant, user, clientId, audience, scopes } = grant;
    const now = Math.floor(clock.now().getTime() / 1000);
    const expiresAt = now + tokenLifetimeSeconds;
    const person = { name: user.displayName, upn: user.userPrincipalName, preferred_username: user.userPrincipalName };
    const common = { iss: issuerOf(tenant.id), tid: tenant.id, oid: user.id, sub: user.id, ver: '2.0' };
    const accessToken = await sign(
      { ...common, ...person, aud: audience, appid: clientId, appidacr: '0', azp: clientId, azpacr: '0', idtyp: 'user', scp: 'user_impersonation', amr: [...grant.amr], uti: randomUUID() },
      now,
      expiresAt,
    );
    const refresh = grant.refreshToken === undefined ? {} : { refresh_token: grant.refreshToken };
    if (!scopes.includes('openid')) return respond(accessToken, { scope: `${audience}user_impersonation`, ...refresh });
    const nonce = grant.nonce === undefined ? {} : { nonce: grant.nonce };
    const idToken = await sign({ ...common, ...person, aud: clientId, ...nonce }, now, expiresAt);
    const clientInfo = Buffer.from(JSON.stringify({ uid: user.id, utid: tenant.id })).toString('base64url');
    const granted = `${audience}user_impersonation ${scopes.filter((s) => OIDC_SCOPES.has(s)).join(' ')}`.trim();
    return respond(accessToken, { scope: granted, id_token: idToken, client_info: clientInfo, ...refresh });
  }

  async function verifyUncached(token: string): Promise<{ caller: Caller; expiresAtMs: number }> {
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      kid = header.alg === 'RS256' && typeof header.kid === 'string' ? header.kid : undefined;
    } catch {
      kid = undefined;
    }
    const key = kid === undefined ? undefined : await keys.verificationKey(kid);
    if (!key) throw invalidToken();
    const now = clock.now();
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, key, { algorithms: ['RS256'], currentDate: now, clockTolerance: CLOCK_SKEW_SECONDS, requiredClaims: ['exp', 'iss', 'aud'] }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired && typeof error.payload.exp === 'number') {
        throw unauthenticated('ExpiredAuthenticationToken', `The access token expiry UTC time '${armTime(new Date(error.payload.exp * 1000))}' is earlier than current UTC time '${armTime(now)}'.`);
      }
      throw invalidToken();
    }
    const audience = typeof claims.aud === 'string' ? claims.aud : '';
    if (!resources.some((r) => trimSlashes(r).toLowerCase() === trimSlashes(audience).toLowerCase())) {
      const allowed = resources.flatMap((r) => [r, trimSlashes(r)]).map((r) => `'${r}'`).join(',');
      throw unauthenticated('InvalidAuthenticationTokenAudience', `The access token has been obtained for wrong audience or resource '${audience}'. It should exactly match with one of the allowed audiences ${allowed}.`);
    }
    const tenantId = typeof claims.tid === 'string' && isGuid(claims.tid) ? normalizeGuid(claims.tid) : undefined;
    const objectId = typeof claims.oid === 'string' ? claims.oid : '';
    if (!tenantId || claims.iss !== issuerOf(tenantId) || !(await directory.getTenant(tenantId))) throw invalidToken();
    const appId = typeof claims.appid === 'string' ? claims.appid : '';
    const expiresAtMs = (claims.exp ?? 0) * 1000;
    if (claims.idtyp === 'app') {
      const sp = await directory.getServicePrincipal(objectId);
      if (!sp || normalizeGuid(sp.tenantId) !== tenantId || normalizeGuid(sp.appId) !== normalizeGuid(appId)) throw invalidToken();
      return { caller: { objectId: sp.id, tenantId, principalType: 'ServicePrincipal', appId: sp.appId, displayName: sp.displayName }, expiresAtMs };
    }
    if (claims.idtyp === 'user') {
      const user = await directory.getUser(objectId);
      if (!user || normalizeGuid(user.tenantId) !== tenantId) throw invalidToken();
      const amr = Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string') : [];
      return {
        caller: { objectId: user.id, tenantId, principalType: 'User', appId, displayName: user.displayName, userPrincipalName: user.userPrincipalName, authenticationMethods: amr },
        expiresAtMs,
      };
    }
    throw invalidToken();
  }

  /** Verifies an access token for the ARM surface and returns its caller; throws DomainError 'unauthenticated' with ARM's codes. */
  async function verifyAccessToken(token: string): Promise<Caller> {
    const nowMs = clock.now().getTime();
    const known = verified.get(token);
    if (known && nowMs < known.expiresAtMs && nowMs >= known.checkedAtMs && nowMs - known.checkedAtMs < RECHECK_AFTER_MS) return known.caller;
    verified.delete(token);
    const { caller, expiresAtMs } = await verifyUncached(token);
    if (verified.size >= VERIFIED_CAPACITY) verified.delete(verified.keys().next().value ?? '');
    verified.set(token, { caller, expiresAtMs, checkedAtMs: nowMs });
    return caller;
  }

  // The grants other services add (the interactive sign-in's authorization_code, refresh_token, device_code).
  const grants = new Map<string, GrantHandler>();

  return {
    /**
     * Handles a token request for the `{tenant}` path segment (tenant GUID, domain, or
     * common/organizations); throws AadError. `signIn.amr` replaces a user token's `['pwd']`;
     * `signIn.sourceAddress` is the caller's IP address, which smart lockout keys on.
     */
    async token(segment: string, form: TokenRequest, signIn: SignInOptions = {}): Promise<TokenResponse> {
      const grantType = required(form, 'grant_type');
      if (grantType === 'client_credentials') return clientCredentials(segment, form, signIn.sourceAddress);
      if (grantType === 'password') return password(segment, form, signIn);
      const grant = grants.get(grantType);
      if (grant) return grant(segment, form, signIn);
      throw aad.unsupportedGrantType(grantType);
    },

    /** Adds a grant type to the token endpoint. */
    registerGrant(grantType: string, handler: GrantHandler): void {
      grants.set(grantType, handler);
    },

    issueUserTokens,

    /** The confidential client `clientId` of `tenantId` if `secret` is one of its secrets (under smart lockout); throws AadError. */
    authenticateClient(tenantId: string, clientId: string, secret: string, sourceAddress?: string): Promise<ServicePrincipal> {
      return underLockout([clientAccount(clientId)], 'client secret', sourceAddress, async () => {
        const result = await directory.authenticateClient(tenantId, clientId, secret);
        if (!result.ok) throw clientRefused(result.reason, clientId, tenantId);
        return result.servicePrincipal;
      });
    },

    tenantForUser,

    /** A sign-in page's password check, counted by the same smart lockout as the password grant; throws AadError. */
    async verifyUserPassword(tenant: Tenant, username: string, secret: string, sourceAddress?: string): Promise<User> {
      const named = await userNamed(username, tenant);
      return underLockout([userAccountOf(named, username)], 'user ID or password', sourceAddress, () => checkPassword(tenant, named, secret));
    },

    /** A sign-in page's second-factor check of the user `userId`, under the user's lockout too (`check` throws AadError 500121 for a wrong code). */
    verifySecondFactor: <T>(userId: string, sourceAddress: string | undefined, check: () => Promise<T>): Promise<T> =>
      underLockout([userAccount({ id: userId })], 'user ID or password', sourceAddress, check),

    /** The canonical resource (token audience) a user's scope list asks for; throws AadError. */
    audienceOf: (scope: string, tenantId: string): string => resourceOf(scope, 'user', tenantId),

    /** The `openid`, `profile`, `email` and `offline_access` scopes of a scope list. */
    oidcScopesOf: (scope: string): string[] => scope.split(' ').filter((s) => OIDC_SCOPES.has(s.toLowerCase())).map((s) => s.toLowerCase()),

    /** The tenant a `{tenant}` segment names (common/organizations give undefined); throws AadError for an unknown one. */
    async tenantOfSegment(segment: string): Promise<Tenant | undefined> {
      return MULTI_TENANT_SEGMENTS.has(segment.toLowerCase()) ? undefined : tenantOf(segment);
    },

    /** The name of a Microsoft first-party public client (Azure CLI, Azure PowerShell), which needs no registration here; undefined for any other. */
    firstPartyClientName: (clientId: string): string | undefined => FIRST_PARTY_PUBLIC_CLIENTS.get(clientId.toLowerCase()),

    verifyAccessToken,
  };
}
