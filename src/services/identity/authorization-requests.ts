/**
 * The authorization endpoint's request (`/{tenant}/oauth2/v2.0/authorize`), checked as Entra checks
 * it: the application and its exact redirect URI first (a failure there is shown on Lantern's own
 * page, never sent to an unchecked address), then the rest (a failure there goes back to the app).
 */
import { normalizeGuid } from '../../core/guid.js';
import { isPkceValue, type PkceMethod } from '../../core/identity/pkce.js';
import { matchRedirectUri, type ApplicationPlatforms, type RedirectPlatform } from '../../core/identity/redirect-uris.js';
import { PORTAL_CLIENT_ID, PORTAL_CLIENT_NAME, portalRedirectUri } from '../../core/identity/portal-client.js';
import { aad, AadError } from './aad-errors.js';
import type { DirectoryService } from './directory-service.js';
import type { TokenService } from './token-service.js';

export type ResponseMode = 'query' | 'fragment' | 'form_post';

/** A checked authorization request: what the sign-in page carries along until it answers the app. */
export interface AuthorizationRequest {
  /** The `{tenant}` segment as the app sent it (a tenant id or domain, or common/organizations). */
  readonly segment: string;
  readonly clientId: string;
  readonly appName: string;
  /** The tenant of the app's registration; undefined for Microsoft's first-party clients. */
  readonly appTenantId?: string;
  readonly redirectUri: string;
  readonly platform: RedirectPlatform;
  readonly responseMode: ResponseMode;
  readonly scope: string;
  readonly state?: string;
  readonly nonce?: string;
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: PkceMethod;
  readonly loginHint?: string;
  /** MSAL asks for `client_info` beside the code (`client_info=1`). */
  readonly clientInfo: boolean;
}

/** Where an error of the authorization endpoint goes: back to the app when its redirect URI is known good. */
export interface AuthorizeRefusal {
  readonly error: AadError;
  readonly replyTo?: Pick<AuthorizationRequest, 'redirectUri' | 'responseMode' | 'state'>;
}

export type AuthorizeParameters = Readonly<Record<string, string | undefined>>;

/** Microsoft's first-party public clients answer on a loopback address (`az login`). */
const FIRST_PARTY_PLATFORMS: ApplicationPlatforms = { publicClient: { redirectUris: ['http://localhost', 'http://127.0.0.1'] } };
const PROMPTS = new Set(['login', 'select_account', 'consent', 'none', 'create']);
const RESPONSE_MODES = new Set<ResponseMode>(['query', 'fragment', 'form_post']);

const present = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** Creates the checker of authorization requests; `publicUrl` is Lantern's, where its own portal answers. */
export function createAuthorizationRequests({ directory, tokens, publicUrl }: { readonly directory: DirectoryService; readonly tokens: TokenService; readonly publicUrl: string }) {
  const portal = { name: PORTAL_CLIENT_NAME, platforms: { spa: { redirectUris: [portalRedirectUri(publicUrl)] } } };
  /** A first-party client (no registration here): Microsoft's CLI and PowerShell, or Lantern's portal. */
  const firstPartyClient = (clientId: string): { name: string; platforms: ApplicationPlatforms } | undefined => {
    if (clientId.toLowerCase() === PORTAL_CLIENT_ID) return portal;
    const name = tokens.firstPartyClientName(clientId);
    return name === undefined ? undefined : { name, platforms: FIRST_PARTY_PLATFORMS };
  };
  return {
    /** The checked request, or the refusal and where it goes. */
    async check(segment: string, params: AuthorizeParameters): Promise<{ ok: true; request: AuthorizationRequest } | ({ ok: false } & AuthorizeRefusal)> {
      const refuse = (error: AadError, replyTo?: AuthorizeRefusal['replyTo']) => ({ ok: false as const, error, ...(replyTo ? { replyTo } : {}) });
      let tenantId: string | undefined;
      try {
        tenantId = (await tokens.tenantOfSegment(segment))?.id;
      } catch (error) {
        if (error instanceof AadError) return refuse(error);
        throw error;
      }
      const clientId = present(params.client_id);
      if (clientId === undefined) return refuse(aad.missingParameter('client_id'));
      const app = await directory.findServicePrincipalByAppId(clientId);
      const firstParty = app ? undefined : firstPartyClient(clientId);
      if (!app && firstParty === undefined) return refuse(aad.applicationNotFound(clientId, tenantId ?? segment));
      if (app && tenantId !== undefined && normalizeGuid(app.tenantId) !== tenantId) return refuse(aad.applicationNotFound(clientId, tenantId));
      const redirectUri = present(params.redirect_uri);
      if (redirectUri === undefined) return refuse(aad.missingParameter('redirect_uri'));
      const platform = matchRedirectUri(app ?? firstParty?.platforms ?? {}, redirectUri);
      if (!platform) return refuse(aad.redirectUriMismatch(redirectUri, clientId));

      const state = present(params.state);
      const mode = present(params.response_mode) ?? 'query';
      if (!RESPONSE_MODES.has(mode as ResponseMode)) return refuse(aad.invalidResponseMode(mode), { redirectUri, responseMode: 'query', ...(state === undefined ? {} : { state }) });
      const replyTo = { redirectUri, responseMode: mode as ResponseMode, ...(state === undefined ? {} : { state }) };

      const responseType = present(params.response_type);
      if (responseType === undefined) return refuse(aad.missingParameter('response_type'), replyTo);
      if (responseType !== 'code') return refuse(aad.unsupportedResponseType(responseType), replyTo);
      const scope = present(params.scope);
      if (scope === undefined) return refuse(aad.missingParameter('scope'), replyTo);
      try {
        tokens.audienceOf(scope, tenantId ?? segment);
      } catch (error) {
        if (error instanceof AadError) return refuse(error, replyTo);
        throw error;
      }
      const prompt = present(params.prompt);
      if (prompt !== undefined && !PROMPTS.has(prompt)) return refuse(aad.malformedRequest(`prompt '${prompt}' is not one of login, select_account, consent, none, create.`), replyTo);
      // Lantern keeps no browser session, so a sign-in without the page cannot succeed.
      if (prompt === 'none') return refuse(aad.loginRequired(), replyTo);

      const codeChallenge = present(params.code_challenge);
      const method = present(params.code_challenge_method) ?? (codeChallenge === undefined ? undefined : 'plain');
      if (codeChallenge === undefined && method !== undefined) return refuse(aad.invalidCodeChallenge('code_challenge_method was sent without code_challenge.'), replyTo);
      if (method !== undefined && method !== 'S256' && method !== 'plain') return refuse(aad.invalidCodeChallenge(`code_challenge_method '${method}' is not S256 or plain.`), replyTo);
      if (codeChallenge !== undefined && !isPkceValue(codeChallenge)) return refuse(aad.invalidCodeChallenge('code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~.'), replyTo);
      // A client that keeps no secret proves possession of the code with PKCE, and with S256 only.
      if (platform !== 'web' && (codeChallenge === undefined || method !== 'S256')) return refuse(aad.pkceRequired(), replyTo);

      const nonce = present(params.nonce);
      const loginHint = present(params.login_hint);
      return {
        ok: true,
        request: {
          segment,
          clientId: normalizeGuid(clientId),
          appName: app?.displayName ?? firstParty?.name ?? clientId,
          ...(app ? { appTenantId: normalizeGuid(app.tenantId) } : {}),
          redirectUri,
          platform,
          responseMode: mode as ResponseMode,
          scope,
          ...(state === undefined ? {} : { state }),
          ...(nonce === undefined ? {} : { nonce }),
          ...(codeChallenge === undefined ? {} : { codeChallenge, codeChallengeMethod: method }),
          ...(loginHint === undefined ? {} : { loginHint }),
          clientInfo: params.client_info === '1',
        },
      };
    },
  };
}

export type AuthorizationRequests = ReturnType<typeof createAuthorizationRequests>;
